package org.auditlog.evidence.verifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.auditlog.evidence.CompactRange;
import org.auditlog.evidence.Json;
import org.auditlog.evidence.Merkle;
import org.auditlog.evidence.internal.Frontier;

/**
 * A run of a tree's leaves proven from what a file holds: starting from the frontier of the tree where the run
 * starts, its leaves are appended in order, each either a leaf the file gives (a row, an event) or one of the
 * subtrees of a range the file's evidence gives instead (another month's run, a gap); the root reached is then the
 * signed checkpoint's, or one it extends. Export files (their period and segments) and stream files share it.
 */
final class Segments {
    private Segments() {}

    /** A run of leaves given as the hashes of its subtrees ({@link CompactRange}). */
    record Range(long from, long to, List<byte[]> hashes) {}

    /**
     * The ranges of a list of {@code {from, to, hashes}}: each from 0 or later with its subtrees' hashes, none
     * overlapping; sorted.
     *
     * @throws IllegalArgumentException when one has the wrong number of hashes, or two overlap
     */
    static List<Range> ranges(Object list) {
        List<Range> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            Map<String, Object> r = Json.object(o);
            Range range = new Range((Long) r.get("from"), (Long) r.get("to"), hashes(r.get("hashes")));
            if (range.from() < 0
                    || range.from() >= range.to()
                    || CompactRange.of(range.from(), range.to()).size()
                            != range.hashes().size()) {
                throw new IllegalArgumentException(
                        "a range from " + range.from() + " to " + range.to() + " has the wrong number of hashes");
            }
            out.add(range);
        }
        out.sort((x, y) -> Long.compare(x.from(), y.from()));
        for (int k = 1; k < out.size(); k++) {
            if (out.get(k).from() < out.get(k - 1).to()) {
                throw new IllegalArgumentException("the ranges from "
                        + out.get(k - 1).from() + " and from " + out.get(k).from() + " overlap");
            }
        }
        return out;
    }

    static byte[] unhex(Object hex) {
        return HexFormat.of().parseHex((String) hex);
    }

    static List<byte[]> hashes(Object list) {
        List<byte[]> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            out.add(unhex(o));
        }
        return out;
    }

    /** Leaves that neither a row nor a range gave: how many, and the first ten. */
    static final class Missing {
        long count;
        final List<Long> first = new ArrayList<>();

        void add(long from, long to) {
            count += to - from;
            for (long seq = from; seq < to && first.size() < 10; seq++) {
                first.add(seq);
            }
        }

        /** {@code sequence 5}, or {@code sequences [5, 6, 9]}, or the first ten and how many more. */
        String sequences() {
            return "sequence" + (count == 1 ? " " : "s ") + (count == 1 ? first.get(0) : first)
                    + (count > first.size() ? " and " + (count - first.size()) + " more" : "");
        }
    }

    /**
     * Appends the leaves {@code [from, to)} to a frontier: the file's leaves, the given ranges' subtree hashes. Leaves
     * that are neither are counted as missing (the frontier is then of no use: nothing more is appended). Each step
     * takes a leaf, a range, or the whole run of leaves before the next of them, so the walk is as long as the leaves
     * and ranges within, whatever the sizes. A range is taken where it starts, over any leaf the file gives within
     * it: whether a file gives leaves inside its ranges is for the caller to check.
     */
    static Missing walk(Frontier f, long from, long to, NavigableMap<Long, byte[]> leaves, List<Range> ranges) {
        Missing missing = new Missing();
        int r = 0;
        long seq = from;
        while (seq < to) {
            while (r < ranges.size() && ranges.get(r).from() < seq) {
                r++;
            }
            Range next = r < ranges.size() ? ranges.get(r) : null;
            if (next != null && next.from() == seq && next.to() <= to) {
                List<long[]> nodes = CompactRange.of(next.from(), next.to());
                for (int k = 0; k < nodes.size() && missing.count == 0; k++) {
                    f.append(next.hashes().get(k), 1L << nodes.get(k)[0]);
                }
                seq = next.to();
                continue;
            }
            byte[] leaf = leaves.get(seq);
            if (leaf != null) {
                if (missing.count == 0) {
                    f.append(leaf, 1);
                }
                seq++;
                continue;
            }
            long gapEnd = to;
            Long nextRow = leaves.higherKey(seq);
            if (nextRow != null && nextRow < gapEnd) {
                gapEnd = nextRow;
            }
            if (next != null && next.from() > seq && next.from() < gapEnd) {
                gapEnd = next.from();
            }
            missing.add(seq, gapEnd);
            seq = gapEnd;
        }
        return missing;
    }

    /**
     * Whether the tree of {@code size} leaves whose root is {@code root} is the signed checkpoint's or a prefix of it:
     * the roots are the same when the sizes are, else {@code proof} is a consistency proof from one to the other.
     */
    static boolean reaches(long size, byte[] root, List<byte[]> proof, long checkpointSize, byte[] checkpointRoot) {
        return size == checkpointSize
                ? Arrays.equals(root, checkpointRoot)
                : Merkle.verifyConsistency(size, checkpointSize, proof, root, checkpointRoot);
    }
}
