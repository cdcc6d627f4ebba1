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

/**
 * The tree kept as complete subtrees gives the same roots and proofs as RFC 9162's definition over all the
 * leaves, whatever the batches the leaves came in, and stores each node once.
 */
class CompactTreeTest {
    @Test
    void rootsAndProofsAreTheReferencesForEveryTreeOfUpTo150LeavesAppendedInRandomBatches() {
        Random random = new Random(6962);
        Map<String, byte[]> stored = new HashMap<>();
        CompactTree.Nodes nodes = (level, index) -> {
            byte[] h = stored.get(level + "/" + index);
            if (h == null) {
                throw new AssertionError("node " + level + "/" + index + " was never stored");
            }
            return h;
        };
        List<byte[]> leaves = new ArrayList<>();
        int appended = 0;
        while (leaves.size() < 150) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = random.nextInt(9); i >= 0; i--) {
                batch.add(Merkle.leafHash(("event " + (leaves.size() + batch.size())).getBytes()));
            }
            for (CompactTree.Node n : CompactTree.append(leaves.size(), batch, nodes)) {
                assertTrue(stored.put(n.level() + "/" + n.index(), n.hash()) == null, "node stored twice");
                appended++;
            }
            leaves.addAll(batch);
            int size = leaves.size();
            assertArrayEquals(Merkle.root(leaves), CompactTree.root(size, nodes), "root of " + size);
            for (int i = 0; i < size; i += 1 + random.nextInt(5)) {
                assertSame(Merkle.inclusionProof(leaves, i), CompactTree.inclusionProof(i, size, nodes));
            }
            for (int m = 1; m <= size; m += 1 + random.nextInt(5)) {
                assertSame(Merkle.consistencyProof(leaves, m), CompactTree.consistencyProof(m, size, nodes));
            }
        }
        // a full binary forest: one node per leaf, plus one per completed pair, and so on (fewer than 2 per leaf)
        assertTrue(appended < 2 * leaves.size(), appended + " nodes for " + leaves.size() + " leaves");
    }

    @Test
    void aLargeTreesProofsNeedAFewDozenNodes() {
        Map<Long, byte[]> stored = new HashMap<>();
        List<Integer> reads = new ArrayList<>();
        CompactTree.Nodes nodes = (level, index) -> {
            reads.add(level);
            return stored.get(((long) level << 40) | index);
        };
        long size = 0;
        for (int batch = 0; batch < 200; batch++) {
            List<byte[]> leaves = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                leaves.add(Merkle.leafHash(Long.toString(size + i).getBytes()));
            }
            for (CompactTree.Node n : CompactTree.append(size, leaves, nodes)) {
                stored.put(((long) n.level() << 40) | n.index(), n.hash());
            }
            size += leaves.size();
        }
        reads.clear();
        List<byte[]> proof = CompactTree.inclusionProof(123_456, size, nodes);
        assertEquals(18, proof.size());
        assertTrue(Merkle.verifyInclusion(
                123_456, size, Merkle.leafHash("123456".getBytes()), proof, CompactTree.root(size, nodes)));
        assertTrue(reads.size() < 64, reads.size() + " nodes read");
        List<byte[]> consistency = CompactTree.consistencyProof(150_001, size, nodes);
        assertTrue(Merkle.verifyConsistency(
                150_001, size, consistency, CompactTree.root(150_001, nodes), CompactTree.root(size, nodes)));
    }

    private static void assertSame(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i));
        }
    }
}
