package org.auditlog.evidence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CompactTree} stored as tiles, the way C2SP tlog-tiles stores a log (with tiles of {@value #WIDTH}
 * hashes): tile {@code (t, n)} holds the hashes of the nodes {@code (HEIGHT * t, WIDTH * n)} to
 * {@code (HEIGHT * t, WIDTH * n + WIDTH - 1)}, as many as the tree has, so a store writes one row per
 * {@value #WIDTH} hashes instead of one per node; the nodes between two tile levels are hashed again from the tile
 * below when asked for ({@link #nodes}). A tile that is not full yet is written again, with more hashes, as the
 * tree grows.
 */
public final class Tiles {
    /** Levels of nodes one tile spans. */
    public static final int HEIGHT = 6;
    /** Hashes in a full tile: {@code 2^HEIGHT}. */
    public static final int WIDTH = 1 << HEIGHT;

    private Tiles() {}

    /**
     * A tile: its level ({@code t}: it holds nodes of level {@code HEIGHT * t}), its index, and its hashes in
     * order, at most {@value #WIDTH}.
     */
    public record Tile(int level, long index, List<byte[]> hashes) {
        public Tile {
            if (hashes.isEmpty() || hashes.size() > WIDTH) {
                throw new IllegalArgumentException("a tile holds 1 to " + WIDTH + " hashes, not " + hashes.size());
            }
            hashes = List.copyOf(hashes);
        }

        /** Its hashes, one after the other (32 bytes each), as a store keeps them. */
        public byte[] bytes() {
            byte[] out = new byte[hashes.size() * Merkle.HASH_SIZE];
            for (int i = 0; i < hashes.size(); i++) {
                System.arraycopy(hashes.get(i), 0, out, i * Merkle.HASH_SIZE, Merkle.HASH_SIZE);
            }
            return out;
        }

        /** The tile of stored bytes ({@link #bytes}). */
        public static Tile of(int level, long index, byte[] bytes) {
            if (bytes.length == 0 || bytes.length % Merkle.HASH_SIZE != 0) {
                throw new IllegalArgumentException("a tile's bytes are whole hashes");
            }
            List<byte[]> hashes = new ArrayList<>();
            for (int at = 0; at < bytes.length; at += Merkle.HASH_SIZE) {
                hashes.add(Arrays.copyOfRange(bytes, at, at + Merkle.HASH_SIZE));
            }
            return new Tile(level, index, hashes);
        }
    }

    /** Where tiles are read from (the server's table of tiles; a map in tests). */
    @FunctionalInterface
    public interface Source {
        /** Tile {@code (level, index)}, with at least the hashes a tree of the size asked about has. */
        Tile tile(int level, long index);
    }

    /** The nodes of the tree, read from its tiles: what {@link CompactTree}'s roots and proofs read. */
    public static CompactTree.Nodes nodes(Source tiles) {
        return (level, index) -> {
            int t = level / HEIGHT;
            int r = level % HEIGHT;
            long first = index << r; // the first node of level HEIGHT * t under this one
            Tile tile = tiles.tile(t, first / WIDTH);
            int at = (int) (first % WIDTH);
            int n = 1 << r;
            if (tile == null || tile.hashes().size() < at + n) {
                throw new IllegalStateException(
                        "tile " + t + "/" + first / WIDTH + " lacks node " + level + "/" + index);
            }
            return Merkle.root(tile.hashes().subList(at, at + n));
        };
    }

    /**
     * The tiles that the nodes made by an append ({@link CompactTree#append}) change, each with all its hashes:
     * the new nodes on tile levels, after the hashes the tile already had (read from {@code tiles}).
     */
    public static List<Tile> changed(List<CompactTree.Node> made, Source tiles) {
        Map<List<Long>, List<byte[]>> changed = new LinkedHashMap<>();
        for (CompactTree.Node node : made) {
            if (node.level() % HEIGHT != 0) {
                continue; // hashed again from the tile below when asked for
            }
            int t = node.level() / HEIGHT;
            long index = node.index() / WIDTH;
            List<byte[]> hashes = changed.computeIfAbsent(List.of((long) t, index), k -> {
                Tile before = node.index() % WIDTH == 0 ? null : tiles.tile(t, index);
                return before == null ? new ArrayList<>() : new ArrayList<>(before.hashes());
            });
            if (hashes.size() != node.index() % WIDTH) {
                throw new IllegalStateException("node " + node.level() + "/" + node.index() + " does not follow tile "
                        + t + "/" + index + " of " + hashes.size() + " hashes");
            }
            hashes.add(node.hash());
        }
        List<Tile> out = new ArrayList<>();
        changed.forEach((key, hashes) -> out.add(new Tile(key.get(0).intValue(), key.get(1), hashes)));
        return out;
    }
}
