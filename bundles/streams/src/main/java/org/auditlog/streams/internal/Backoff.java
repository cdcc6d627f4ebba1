package org.auditlog.streams.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before the next attempt after {@code failures} failed ones: exponential from {@code base}, capped at
 * {@code max}, with "full jitter" (a uniform draw between half and all of it), or the destination's
 * {@code Retry-After} when it asked for one (capped at {@code max} too, so an outage cannot be extended by a
 * destination asking for days).
 */
record Backoff(Duration base, Duration max) {
    Duration after(int failures, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(max) > 0 ? max : retryAfter;
        }
        long ceiling = base.toMillis();
        for (int i = 1; i < failures && ceiling < max.toMillis(); i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, max.toMillis());
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }
}
