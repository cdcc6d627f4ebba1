package org.auditlog.evidence;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Merkle trees as RFC 9162 (Certificate Transparency 2.0) section 2.1 defines them, with SHA-256: the hash of a
 * leaf is {@code SHA-256(0x00 || leaf)}, of an inner node {@code SHA-256(0x01 || left || right)}, the tree of
 * {@code n} leaves splits at the largest power of two below {@code n}, and the empty tree's hash is
 * {@code SHA-256()}. Inclusion proofs (2.1.3) show a leaf is in a tree; consistency proofs (2.1.4) show a tree
 * is an earlier tree with leaves appended and nothing else changed. Proofs are made here from a list of leaf
 * hashes (the reference the server's stored subtrees are checked against) and verified here with nothing but the
 * proof, the sizes and the roots, as an offline verifier has them.
 *
 * <p>Written here rather than taken from a library: the Java ones found bring a dependency tree (Bouncy Castle,
 * Guava) into a verifier that must need nothing beyond the JDK, and the whole of it is the RFC's few algorithms.
 * It is checked against the test vectors of the transparency-dev merkle project, negative cases included.
 */
public final class Merkle {
    /** Size of every hash. */
    public static final int HASH_SIZE = 32;
    /** The byte a leaf's hash begins with (RFC 9162, 2.1.1): for a verifier that hashes a leaf as it streams by. */
    public static final byte LEAF_PREFIX = 0x00;

    private static final byte NODE = 0x01;

    private Merkle() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The hash of the empty tree: SHA-256 of nothing. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /** {@code SHA-256(0x00 || leaf)}. */
    public static byte[] leafHash(byte[] leaf) {
        MessageDigest d = sha256();
        d.update(LEAF_PREFIX);
        d.update(leaf);
        return d.digest();
    }

    /** {@code SHA-256(0x01 || left || right)}. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update(NODE);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** The root of the tree of these leaf hashes, MTH(D[n]). */
    public static byte[] root(List<byte[]> leafHashes) {
        return leafHashes.isEmpty() ? emptyRoot() : root(leafHashes, 0, leafHashes.size());
    }

    private static byte[] root(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = largestPowerOfTwoBelow(n);
        return nodeHash(root(leaves, from, from + k), root(leaves, from + k, to));
    }

    /** The largest power of two smaller than {@code n} (n at least 2). */
    static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    /** The inclusion proof of leaf {@code index} in the tree of these leaf hashes, PATH(m, D[n]) of 2.1.3.1. */
    public static List<byte[]> inclusionProof(List<byte[]> leafHashes, int index) {
        if (index < 0 || index >= leafHashes.size()) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + leafHashes.size());
        }
        List<byte[]> proof = new ArrayList<>();
        path(leafHashes, index, 0, leafHashes.size(), proof);
        return proof;
    }

    private static void path(List<byte[]> leaves, int m, int from, int to, List<byte[]> out) {
        int n = to - from;
        if (n == 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(leaves, m, from, from + k, out);
            out.add(root(leaves, from + k, to));
        } else {
            path(leaves, m - k, from + k, to, out);
            out.add(root(leaves, from, from + k));
        }
    }

    /**
     * The consistency proof between the tree of the first {@code size1} leaf hashes and the tree of all of them,
     * PROOF(m, D[n]) of 2.1.4.1 (empty when the sizes are equal).
     */
    public static List<byte[]> consistencyProof(List<byte[]> leafHashes, int size1) {
        if (size1 < 1 || size1 > leafHashes.size()) {
            throw new IllegalArgumentException("no consistency proof from " + size1 + " to " + leafHashes.size());
        }
        List<byte[]> proof = new ArrayList<>();
        if (size1 < leafHashes.size()) {
            subproof(leafHashes, size1, 0, leafHashes.size(), true, proof);
        }
        return proof;
    }

    private static void subproof(List<byte[]> leaves, int m, int from, int to, boolean complete, List<byte[]> out) {
        int n = to - from;
        if (m == n) {
            if (!complete) {
                out.add(root(leaves, from, to));
            }
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(leaves, m, from, from + k, complete, out);
            out.add(root(leaves, from + k, to));
        } else {
            subproof(leaves, m - k, from + k, to, false, out);
            out.add(root(leaves, from, from + k));
        }
    }

    /**
     * Whether {@code proof} shows the leaf of hash {@code leafHash} at {@code index} in the tree of {@code size}
     * leaves whose root is {@code root} (2.1.3.2).
     */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size || leafHash == null || leafHash.length != HASH_SIZE || root == null) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0 || p == null || p.length != HASH_SIZE) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * Whether {@code proof} shows the tree of {@code size2} leaves with root {@code root2} to be the tree of
     * {@code size1} leaves with root {@code root1} with leaves appended (2.1.4.2). Equal sizes need an empty
     * proof and equal roots; a proof from the empty tree means nothing and is refused.
     */
    public static boolean verifyConsistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2) {
        if (size1 < 1 || size2 < size1 || root1 == null || root2 == null) {
            return false;
        }
        if (size1 == size2) {
            return proof.isEmpty() && MessageDigest.isEqual(root1, root2);
        }
        if (proof.isEmpty()) {
            return false;
        }
        for (byte[] p : proof) {
            if (p == null || p.length != HASH_SIZE) {
                return false;
            }
        }
        List<byte[]> path = new ArrayList<>(proof);
        if ((size1 & (size1 - 1)) == 0) {
            path.add(0, root1); // the first tree is a complete subtree: its root starts the path
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, root1) && MessageDigest.isEqual(sr, root2);
    }

    /** A hash as lowercase hex, for messages. */
    public static String hex(byte[] hash) {
        StringBuilder b = new StringBuilder(hash.length * 2);
        for (byte x : hash) {
            b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return b.toString();
    }
}
