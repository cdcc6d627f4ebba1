package org.auditlog.rest.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many requests each caller has in flight: at most {@code maxPerCaller} per verified caller (a stored token,
 * the member token of a session, the operator token), and {@code maxAnonymous} for all requests without
 * credentials together. A caller's entry is removed when its count returns to 0, so a flood of made-up keys keeps
 * nothing.
 */
final class CallerPermits {
    private final int maxPerCaller;
    private final int maxAnonymous;
    private final Semaphore anonymous;
    /** Requests in flight per verified caller; an entry is removed when its count returns to 0. */
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

    CallerPermits(int maxPerCaller, int maxAnonymous) {
        this.maxPerCaller = Math.max(1, maxPerCaller);
        this.maxAnonymous = Math.max(1, maxAnonymous);
        this.anonymous = new Semaphore(this.maxAnonymous);
    }

    int maxPerCaller() {
        return maxPerCaller;
    }

    int maxAnonymous() {
        return maxAnonymous;
    }

    /** The key a caller's requests are counted under. */
    static String key(Caller caller) {
        return caller.operator() ? "operator" : "token:" + caller.grant().id();
    }

    /** Whether no request of this caller key is in flight (no entry is kept for it). */
    boolean idle(String key) {
        return !inFlight.containsKey(key);
    }

    /** A place for one more request of this caller ({@code null}: anonymous), or {@code null} when it has none. */
    Permit acquire(Caller caller) {
        if (caller == null) {
            return anonymous.tryAcquire() ? new Permit(null) : null;
        }
        String key = key(caller);
        boolean[] taken = {false};
        inFlight.compute(key, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerCaller) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0] ? new Permit(key) : null;
    }

    /** A request's place in its caller's count (or among anonymous requests), given back exactly once. */
    final class Permit {
        private final String key;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(String key) {
            this.key = key;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                if (key == null) {
                    anonymous.release();
                } else {
                    inFlight.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
                }
            }
        }
    }
}
