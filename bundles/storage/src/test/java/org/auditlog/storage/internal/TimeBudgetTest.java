package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The share of connection time, on a clock the test moves. */
class TimeBudgetTest {
    static final long MS = 1_000_000;
    final AtomicLong clock = new AtomicLong(5_000 * MS);

    @Test
    void anIdlePoolSpendsASecondsWorthAtOnceThenWaitsInProportion() {
        TimeBudget budget = new TimeBudget(25, 1, clock::get);
        // an idle pool: 250 ms of connection time to spend at once
        assertEquals(0, budget.nanosUntilAvailable());
        budget.spend(200 * MS);
        assertEquals(0, budget.nanosUntilAvailable(), "50 ms left");
        budget.spend(150 * MS);
        // 100 ms in debt: at 25% it takes 400 ms of wall time to pay back
        long wait = budget.nanosUntilAvailable();
        assertTrue(wait > 399 * MS && wait <= 401 * MS, "wait " + wait);
        clock.addAndGet(200 * MS);
        wait = budget.nanosUntilAvailable();
        assertTrue(wait > 199 * MS && wait <= 201 * MS, "wait " + wait);
        clock.addAndGet(201 * MS);
        assertEquals(0, budget.nanosUntilAvailable());
    }

    @Test
    void searchesWithoutPauseGetTheirShareOfWallTime() {
        TimeBudget budget = new TimeBudget(20, 1, clock::get);
        long start = clock.get();
        long used = 0;
        for (int i = 0; i < 10_000; i++) {
            long wait = budget.nanosUntilAvailable();
            clock.addAndGet(wait);
            budget.spend(15 * MS); // a page of 15 ms, the next asked for at once
            clock.addAndGet(15 * MS);
            used += 15 * MS;
        }
        double share = (double) used / (clock.get() - start);
        assertTrue(share > 0.195 && share < 0.21, "share " + share);
    }

    @Test
    void aLongSearchMakesTheNextWaitAtMostASecond() {
        TimeBudget budget = new TimeBudget(25, 2, clock::get);
        budget.spend(60_000 * MS); // a minute-long statement
        long wait = budget.nanosUntilAvailable();
        assertTrue(wait > 999 * MS && wait <= 1001 * MS, "wait " + wait);
    }

    @Test
    void aShareIsAPercentageBelowAHundred() {
        assertThrows(IllegalArgumentException.class, () -> new TimeBudget(0, 1, clock::get));
        assertThrows(IllegalArgumentException.class, () -> new TimeBudget(100, 1, clock::get));
        assertThrows(IllegalArgumentException.class, () -> new Database.Pools(1, 1, 1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Database.Pools(1, 1, 1, 0, 0, 101));
    }
}
