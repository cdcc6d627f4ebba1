package org.auditlog.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A UTC clock that stands still until a test sets or moves it, as the itests' Clock service does. */
public final class SettableClock extends Clock {
    private final AtomicReference<Instant> now;

    public SettableClock(Instant start) {
        now = new AtomicReference<>(start);
    }

    /** From now on the clock reads {@code instant}. */
    public void set(Instant instant) {
        now.set(instant);
    }

    /** Moves the clock on by {@code by}. */
    public void advance(Duration by) {
        now.updateAndGet(i -> i.plus(by));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same clock: it reads instants, and the components read them in UTC. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
