package org.auditlog.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The subtrees of a range of leaves, up to the largest size a tree can name. */
class CompactRangeTest {

    @Test
    void theRangesOfTheLargestSizesEndAndAreContiguous() {
        for (long[] fromTo : new long[][] {
            {0, Long.MAX_VALUE},
            {1L << 62, Long.MAX_VALUE},
            {Long.MAX_VALUE - 1, Long.MAX_VALUE},
            {0, (1L << 62) + 1},
            {3, Long.MAX_VALUE - 3}
        }) {
            List<long[]> nodes = CompactRange.of(fromTo[0], fromTo[1]);
            long at = fromTo[0];
            for (long[] node : nodes) {
                assertEquals(at, node[1] << node[0], "aligned where the one before ends");
                at += 1L << node[0];
            }
            assertEquals(fromTo[1], at, fromTo[0] + " to " + fromTo[1]);
        }
        assertEquals(63, CompactRange.of(0, Long.MAX_VALUE).size(), "one subtree per bit of 2^63 - 1");
        assertEquals(List.of(), CompactRange.of(5, 5));
        assertEquals(List.of(), CompactRange.of(5, 2));
        assertThrows(IllegalArgumentException.class, () -> CompactRange.of(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> CompactRange.of(Long.MIN_VALUE, 0));
    }
}
