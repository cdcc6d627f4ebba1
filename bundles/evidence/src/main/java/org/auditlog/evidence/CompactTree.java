package org.auditlog.evidence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An append-only tree kept as the hashes of its complete subtrees, so that a tree of millions of leaves gives its
 * root and its proofs from a few dozen stored hashes instead of every leaf: node {@code (level, index)} is the
 * root of the {@code 2^level} leaves from {@code index * 2^level} on, written once, when its last leaf is
 * appended ({@link #append}). The root and the proofs are RFC 9162's ({@link Merkle}), read through a
 * {@link Nodes} source (the server's table of node hashes; a map in tests).
 */
public final class CompactTree {
    private CompactTree() {}

    /** The stored hashes of complete subtrees. */
    @FunctionalInterface
    public interface Nodes {
        /** The hash of node {@code (level, index)}; it exists for every complete subtree of the tree asked about. */
        byte[] node(int level, long index);
    }

    /** A node to store: its position and hash. */
    public record Node(int level, long index, byte[] hash) {}

    /**
     * The nodes that appending {@code leafHashes} to a tree of {@code size} leaves completes: each leaf itself
     * (level 0) and every subtree its arrival completes. Earlier nodes are read from {@code nodes}; the new ones
     * are returned in the order they complete, and are read from the result while it is made.
     */
    public static List<Node> append(long size, List<byte[]> leafHashes, Nodes nodes) {
        Map<Long, byte[]> made = new LinkedHashMap<>();
        List<Node> out = new ArrayList<>();
        Nodes all = (level, index) -> {
            byte[] h = made.get(key(level, index));
            return h != null ? h : nodes.node(level, index);
        };
        long i = size;
        for (byte[] leaf : leafHashes) {
            made.put(key(0, i), leaf);
            out.add(new Node(0, i, leaf));
            long index = i;
            for (int level = 0; (index & 1) == 1; level++) {
                byte[] hash = Merkle.nodeHash(all.node(level, index - 1), all.node(level, index));
                index >>= 1;
                made.put(key(level + 1, index), hash);
                out.add(new Node(level + 1, index, hash));
            }
            i++;
        }
        return out;
    }

    private static long key(int level, long index) {
        return ((long) level << 58) | index;
    }

    /** The root of the tree of {@code size} leaves. */
    public static byte[] root(long size, Nodes nodes) {
        return size == 0 ? Merkle.emptyRoot() : range(0, size, nodes);
    }

    /**
     * MTH(D[from:to]) for the ranges the RFC's recursion asks for, whose {@code from} is a multiple of a power of
     * two at least as large as the range: its complete left part is one stored node.
     */
    static byte[] range(long from, long to, Nodes nodes) {
        long n = to - from;
        if (Long.bitCount(n) == 1 && from % n == 0) {
            return nodes.node(Long.numberOfTrailingZeros(n), from / n);
        }
        long k = Long.highestOneBit(n - 1);
        return Merkle.nodeHash(range(from, from + k, nodes), range(from + k, to, nodes));
    }

    /** The inclusion proof of leaf {@code index} in the tree of {@code size} leaves. */
    public static List<byte[]> inclusionProof(long index, long size, Nodes nodes) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, size, nodes, proof);
        return proof;
    }

    private static void path(long m, long from, long to, Nodes nodes, List<byte[]> out) {
        long n = to - from;
        if (n == 1) {
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m < k) {
            path(m, from, from + k, nodes, out);
            out.add(range(from + k, to, nodes));
        } else {
            path(m - k, from + k, to, nodes, out);
            out.add(range(from, from + k, nodes));
        }
    }

    /** The consistency proof from the tree of {@code size1} leaves to the tree of {@code size2} (empty when equal). */
    public static List<byte[]> consistencyProof(long size1, long size2, Nodes nodes) {
        if (size1 < 1 || size1 > size2) {
            throw new IllegalArgumentException("no consistency proof from " + size1 + " to " + size2);
        }
        List<byte[]> proof = new ArrayList<>();
        if (size1 < size2) {
            subproof(size1, 0, size2, true, nodes, proof);
        }
        return proof;
    }

    private static void subproof(long m, long from, long to, boolean complete, Nodes nodes, List<byte[]> out) {
        long n = to - from;
        if (m == n) {
            if (!complete) {
                out.add(range(from, to, nodes));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, from, from + k, complete, nodes, out);
            out.add(range(from + k, to, nodes));
        } else {
            subproof(m - k, from + k, to, false, nodes, out);
            out.add(range(from, from + k, nodes));
        }
    }
}
