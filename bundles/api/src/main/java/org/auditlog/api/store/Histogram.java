package org.auditlog.api.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How many records of a search fall in each interval of its range.
 *
 * @param interval the buckets' length
 * @param from the start of the first bucket
 * @param to the end of the last bucket (exclusive)
 * @param buckets oldest first, one per interval of {@code [from, to)}
 * @param countedFrom the start of the oldest bucket counted when the work bound stopped the count before
 *        {@code from} (older buckets have no count), or {@code null} when every bucket is counted
 * @since 1.5
 */
public record Histogram(Interval interval, Instant from, Instant to, List<Bucket> buckets, Instant countedFrom) {
    public Histogram {
        buckets = List.copyOf(buckets);
    }

    /** The length of a bucket; buckets start at whole hours or days, UTC. */
    public enum Interval {
        HOUR(Duration.ofHours(1)),
        DAY(Duration.ofDays(1));

        private final Duration length;

        Interval(Duration length) {
            this.length = length;
        }

        public Duration length() {
            return length;
        }
    }

    /**
     * One interval and its exact count of records.
     *
     * @param start the first instant of the interval
     * @param count the records dated in it, or {@code null} when it was not counted (see {@link #countedFrom})
     */
    public record Bucket(Instant start, Long count) {}

    /** True when every bucket has its count. */
    public boolean complete() {
        return countedFrom == null;
    }
}
