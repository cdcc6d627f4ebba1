package org.auditlog.evidence;

import java.util.ArrayList;
import java.util.List;

/**
 * The complete subtrees a range of leaves {@code [from, to)} is made of, left to right, each the largest aligned
 * one that fits: {@code (level, index)} is the subtree of the {@code 2^level} leaves from {@code index * 2^level}.
 * {@code [0, size)} gives a tree's frontier. Appending them in order to the frontier of {@code [0, from)} gives the
 * frontier of {@code [0, to)} (as the offline verifier does).
 */
public final class CompactRange {
    private CompactRange() {}

    /**
     * The subtrees of {@code [from, to)} as {@code {level, index}} pairs (none when {@code to <= from}).
     *
     * @throws IllegalArgumentException when {@code from} is negative
     */
    public static List<long[]> of(long from, long to) {
        if (from < 0) {
            throw new IllegalArgumentException("a range of leaves starts at 0 or later, not at " + from);
        }
        List<long[]> out = new ArrayList<>();
        long at = from;
        while (at < to) {
            int level = at == 0 ? 62 : Long.numberOfTrailingZeros(at);
            while (level > 0 && 1L << level > to - at) { // to - at, not at + 2^level: that overflows near 2^63
                level--;
            }
            out.add(new long[] {level, at >> level});
            at += 1L << level;
        }
        return out;
    }
}
