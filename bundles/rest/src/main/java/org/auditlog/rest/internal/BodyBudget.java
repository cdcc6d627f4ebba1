package org.auditlog.rest.internal;

import java.util.concurrent.atomic.AtomicLong;

/** The bytes of request bodies held in memory at once, server-wide, and their bound ({@code maxBufferedBytes}). */
final class BodyBudget {
    private final long max;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(long max) {
        this.max = Math.max(1, max);
    }

    long max() {
        return max;
    }

    /** Bytes held now. */
    long held() {
        return held.get();
    }

    /** Reserves {@code n} bytes; false when the budget is spent (nothing reserved then). */
    boolean reserve(long n) {
        while (true) {
            long now = held.get();
            if (now + n > max) {
                return false;
            }
            if (held.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    /** Gives back {@code n} bytes reserved earlier. */
    void release(long n) {
        held.addAndGet(-n);
    }
}
