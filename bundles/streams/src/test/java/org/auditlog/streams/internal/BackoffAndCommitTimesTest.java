package org.auditlog.streams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffAndCommitTimesTest {
    @Test
    void waitsDoubleWithJitterUpToTheLongestAndRetryAfterIsHonouredWithinIt() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        for (int i = 0; i < 200; i++) {
            long first = b.after(1, null).toMillis();
            assertTrue(first >= 500 && first <= 1000, "first wait " + first);
            long fourth = b.after(4, null).toMillis();
            assertTrue(fourth >= 4000 && fourth <= 8000, "fourth wait " + fourth);
            long late = b.after(40, null).toMillis();
            assertTrue(late >= 30_000 && late <= 60_000, "capped " + late);
        }
        assertEquals(Duration.ofSeconds(7), b.after(3, Duration.ofSeconds(7)));
        assertEquals(Duration.ofSeconds(60), b.after(3, Duration.ofDays(2)), "Retry-After capped");
    }

    @Test
    void anEventsLagRunsFromTheFirstLookThatSawIt() {
        CommitTimes t = new CommitTimes();
        Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
        t.observed("ACME", "Apps", 5, t0); // committed before this server looked: unknown
        t.observed("ACME", "Apps", 8, t0.plusMillis(200));
        t.observed("ACME", "Apps", 8, t0.plusMillis(400));
        t.observed("ACME", "Apps", 9, t0.plusMillis(600));
        Instant accepted = t0.plusMillis(1000);
        assertEquals(-1, t.lagMillis("ACME", "Apps", 4, accepted));
        assertEquals(800, t.lagMillis("ACME", "Apps", 5, accepted));
        assertEquals(800, t.lagMillis("ACME", "Apps", 7, accepted));
        assertEquals(400, t.lagMillis("ACME", "Apps", 8, accepted));
        assertEquals(-1, t.lagMillis("ACME", "Apps", 9, accepted), "not seen yet");
        assertEquals(-1, t.lagMillis("OTHER", "Apps", 0, accepted));

        // bounded: the oldest looks go, and what only they knew becomes unknown
        for (int i = 1; i <= CommitTimes.PER_LOG + 10; i++) {
            t.observed("ACME", "Apps", 9 + i, t0.plusSeconds(i));
        }
        assertEquals(-1, t.lagMillis("ACME", "Apps", 5, accepted));
        assertTrue(t.lagMillis("ACME", "Apps", 9 + CommitTimes.PER_LOG, t0.plusSeconds(CommitTimes.PER_LOG + 20)) >= 0);
    }
}
