package org.auditlog.storage.internal;

import java.util.function.LongSupplier;

/**
 * A share of a pool's connection time. The budget fills at {@code percent}% of wall-clock time for each
 * connection of the pool, up to one second's worth, and each connection's time in use is taken from it when
 * the connection is closed. While the budget is spent, {@link #nanosUntilAvailable()} says how long until it
 * is not. An idle pool has its whole second to spend at once, so a lone search is never slowed; searches
 * without pause get {@code percent}% of the connections' time on average, and the writers the rest of the
 * processors. The debt is bounded by one second's worth, so one long search makes the next wait at most a
 * second.
 *
 * <p>Written here: a token bucket of a dozen lines over {@code System.nanoTime()}; the rate limiters of the
 * libraries at hand count permits per second, not time in use.
 */
final class TimeBudget {
    private final int percent;
    private final double rate;
    private final double capacity;
    private final LongSupplier nanoTime;
    private double balance;
    private long last;

    /**
     * @param percent 1 to 99: the share of each connection's time the pool may use
     * @param connections the pool's size
     * @param nanoTime the clock ({@code System::nanoTime})
     */
    TimeBudget(int percent, int connections, LongSupplier nanoTime) {
        if (percent < 1 || percent > 99) {
            throw new IllegalArgumentException("a share of connection time is 1 to 99 percent, not " + percent);
        }
        this.percent = percent;
        this.rate = percent / 100.0 * connections;
        this.capacity = rate * 1e9;
        this.nanoTime = nanoTime;
        this.balance = capacity;
        this.last = nanoTime.getAsLong();
    }

    int percent() {
        return percent;
    }

    long now() {
        return nanoTime.getAsLong();
    }

    /** 0 when there is budget to spend now; otherwise the nanoseconds until there is. */
    synchronized long nanosUntilAvailable() {
        refill();
        return balance > 0 ? 0 : (long) Math.ceil((1 - balance) / rate);
    }

    /** Takes a connection's time in use from the budget. */
    synchronized void spend(long nanos) {
        refill();
        balance = Math.max(-capacity, balance - Math.max(0, nanos));
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        balance = Math.min(capacity, balance + (now - last) * rate);
        last = now;
    }
}
