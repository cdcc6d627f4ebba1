package org.auditlog.capture.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Unique, time-ordered 63-bit ids: milliseconds since 2020-01-01 UTC (41 bits, good until 2089), a node
 * number (10 bits, so servers sharing a database never collide) and a sequence within the millisecond
 * (12 bits). Ids never go backwards: if the clock steps back, or more than 4,096 ids are taken in one
 * millisecond, the generator keeps counting from the last millisecond it used.
 */
final class IdGenerator {
    static final long EPOCH_MILLIS = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
    static final int NODE_BITS = 10;
    static final int SEQUENCE_BITS = 12;
    static final long MAX_NODE = (1L << NODE_BITS) - 1;
    static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

    private final Supplier<Clock> clock;
    private final long node;
    private long lastMillis = -1;
    private long sequence;

    IdGenerator(Supplier<Clock> clock, long node) {
        if (node < 0 || node > MAX_NODE) {
            throw new IllegalArgumentException("node must be between 0 and " + MAX_NODE + ": " + node);
        }
        this.clock = clock;
        this.node = node;
    }

    /** Makes every later id greater than {@code id} (the highest id already stored). */
    synchronized void startAbove(long id) {
        long millis = id >>> (NODE_BITS + SEQUENCE_BITS);
        if (millis >= lastMillis) {
            lastMillis = millis;
            sequence = MAX_SEQUENCE; // the next id moves on to the following millisecond
        }
    }

    synchronized long next() {
        long now = clock.get().millis() - EPOCH_MILLIS;
        if (now > lastMillis) {
            lastMillis = now;
            sequence = 0;
        } else if (++sequence > MAX_SEQUENCE) {
            lastMillis++;
            sequence = 0;
        }
        return (lastMillis << (NODE_BITS + SEQUENCE_BITS)) | (node << SEQUENCE_BITS) | sequence;
    }

    /** When an id was made. */
    static Instant instantOf(long id) {
        return Instant.ofEpochMilli((id >>> (NODE_BITS + SEQUENCE_BITS)) + EPOCH_MILLIS);
    }
}
