package org.auditlog.evidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tree kept as tiles answers as the tree of all its nodes does, with one row per 16 hashes. */
class TilesTest {
    @Test
    void rootsAndProofsFromTilesAreTheReferencesWhateverTheBatches() {
        Random random = new Random(16);
        Map<List<Long>, Tiles.Tile> stored = new HashMap<>();
        Tiles.Source source = (level, index) -> stored.get(List.of((long) level, index));
        CompactTree.Nodes nodes = Tiles.nodes(source);
        List<byte[]> leaves = new ArrayList<>();
        int writes = 0;
        while (leaves.size() < 700) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = random.nextInt(40); i >= 0; i--) {
                batch.add(Merkle.leafHash(("event " + (leaves.size() + batch.size())).getBytes()));
            }
            List<CompactTree.Node> made = CompactTree.append(leaves.size(), batch, nodes);
            for (Tiles.Tile tile : Tiles.changed(made, source)) {
                Tiles.Tile back = Tiles.Tile.of(tile.level(), tile.index(), tile.bytes());
                stored.put(List.of((long) back.level(), back.index()), back);
                writes++;
            }
            leaves.addAll(batch);
            int size = leaves.size();
            assertArrayEquals(Merkle.root(leaves), CompactTree.root(size, nodes), "root of " + size);
            int i = random.nextInt(size);
            List<byte[]> proof = CompactTree.inclusionProof(i, size, nodes);
            assertTrue(Merkle.verifyInclusion(i, size, leaves.get(i), proof, Merkle.root(leaves)));
            int m = 1 + random.nextInt(size);
            List<byte[]> consistency = CompactTree.consistencyProof(m, size, nodes);
            assertTrue(
                    Merkle.verifyConsistency(
                            m, size, consistency, Merkle.root(leaves.subList(0, m)), Merkle.root(leaves)),
                    m + " to " + size);
        }
        // one tile per 16 hashes of each tile level: leaves (level 0), nodes of level 4, nodes of level 8
        long n = leaves.size();
        long expected = 0;
        for (long hashes = n; hashes > 0; hashes /= Tiles.WIDTH) {
            expected += (hashes + Tiles.WIDTH - 1) / Tiles.WIDTH;
        }
        assertEquals(expected, stored.size(), n + " leaves");
        assertTrue(writes < leaves.size() / 4, writes + " tile writes for " + leaves.size() + " leaves");
    }
}
