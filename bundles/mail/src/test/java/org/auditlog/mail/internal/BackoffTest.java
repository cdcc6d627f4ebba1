package org.auditlog.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration INITIAL = Duration.ofSeconds(30);
    private static final Duration MAX = Duration.ofSeconds(3600);

    @Test
    void theWaitDoublesWithEachFailure() {
        assertEquals(Duration.ofSeconds(30), OutboxMailer.backoff(0, INITIAL, MAX));
        assertEquals(Duration.ofSeconds(60), OutboxMailer.backoff(1, INITIAL, MAX));
        assertEquals(Duration.ofSeconds(120), OutboxMailer.backoff(2, INITIAL, MAX));
        assertEquals(Duration.ofSeconds(1920), OutboxMailer.backoff(6, INITIAL, MAX));
    }

    @Test
    void theWaitIsCappedAndNeverOverflows() {
        assertEquals(MAX, OutboxMailer.backoff(7, INITIAL, MAX)); // 3840 s without the cap
        assertEquals(MAX, OutboxMailer.backoff(1000, INITIAL, MAX));
        assertEquals(MAX, OutboxMailer.backoff(Integer.MAX_VALUE, INITIAL, MAX));
        assertEquals(
                Duration.ofSeconds(Integer.MAX_VALUE),
                OutboxMailer.backoff(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofSeconds(Integer.MAX_VALUE)));
    }

    @Test
    void anInitialWaitAtTheCapStaysThere() {
        assertEquals(MAX, OutboxMailer.backoff(0, MAX, MAX));
        assertEquals(MAX, OutboxMailer.backoff(3, MAX, MAX));
    }
}
