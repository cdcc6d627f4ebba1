package org.auditlog.evidence.internal;

import java.util.ArrayList;
import java.util.List;
import org.auditlog.evidence.CompactRange;
import org.auditlog.evidence.Merkle;

/** The complete subtrees of a tree's leaves {@code [0, size)}, largest first: appends leaves, gives the root. */
public final class Frontier {
    private final List<byte[]> hashes = new ArrayList<>();
    private final List<Long> sizes = new ArrayList<>();

    public Frontier(long size, List<byte[]> frontier) {
        List<long[]> nodes = CompactRange.of(0, size);
        if (nodes.size() != frontier.size()) {
            throw new IllegalArgumentException(
                    "the frontier of " + size + " leaves has " + nodes.size() + " hashes, not " + frontier.size());
        }
        for (int k = 0; k < nodes.size(); k++) {
            hashes.add(frontier.get(k));
            sizes.add(1L << nodes.get(k)[0]);
        }
    }

    /** Appends a leaf hash. */
    public void append(byte[] leaf) {
        append(leaf, 1);
    }

    /** Appends the root of a complete subtree of {@code size} leaves, aligned where the frontier ends. */
    public void append(byte[] hash, long size) {
        if (!sizes.isEmpty() && sizes.get(sizes.size() - 1) < size) {
            throw new IllegalArgumentException("a subtree of " + size + " leaves does not start where the tree ends");
        }
        hashes.add(hash);
        sizes.add(size);
        while (sizes.size() > 1 && sizes.get(sizes.size() - 1).equals(sizes.get(sizes.size() - 2))) {
            int last = sizes.size() - 1;
            byte[] h = Merkle.nodeHash(hashes.get(last - 1), hashes.get(last));
            long s = sizes.get(last) * 2;
            hashes.remove(last);
            sizes.remove(last);
            hashes.set(last - 1, h);
            sizes.set(last - 1, s);
        }
    }

    public byte[] root() {
        if (hashes.isEmpty()) {
            return Merkle.emptyRoot();
        }
        byte[] h = hashes.get(hashes.size() - 1);
        for (int k = hashes.size() - 2; k >= 0; k--) {
            h = Merkle.nodeHash(hashes.get(k), h);
        }
        return h;
    }
}
