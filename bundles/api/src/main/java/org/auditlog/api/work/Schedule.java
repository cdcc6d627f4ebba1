package org.auditlog.api.work;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * When periodic work runs next, asked after each time it ran (or was left to another server).
 *
 * @since 1.0
 */
@ConsumerType
@FunctionalInterface
public interface Schedule {
    /** How long after {@code now} (the time of the {@link java.time.Clock} service) the next time is. */
    Duration next(Instant now);

    /** A fixed delay between the end of one time and the start of the next. */
    static Schedule every(Duration delay) {
        if (delay == null || delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("a delay must be positive, not " + delay);
        }
        return now -> delay;
    }

    /** Every day at {@code at}, UTC. */
    static Schedule dailyAt(LocalTime at) {
        Objects.requireNonNull(at, "at");
        return now -> untilNext(now, at);
    }

    /** From {@code now} to the next occurrence of {@code at} (UTC), strictly later. */
    static Duration untilNext(Instant now, LocalTime at) {
        ZonedDateTime n = now.atZone(ZoneOffset.UTC);
        ZonedDateTime next = n.with(at);
        if (!next.isAfter(n)) {
            next = next.plusDays(1);
        }
        return Duration.between(n, next);
    }
}
