package org.auditlog.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration INITIAL = Duration.ofSeconds(30);
    private static final Duration MAX = Duration.ofSeconds(3600);

    @Test
    void theWaitDoublesWithEachFailure() {
        assertEquals(Duration.ofSeconds(30), MailerComponent.backoff(0, INITIAL, MAX));
        assertEquals(Duration.ofSeconds(60), MailerComponent.backoff(1, INITIAL, MAX));
        assertEquals(Duration.ofSeconds(120), MailerComponent.backoff(2, INITIAL, MAX));
        assertEquals(Duration.ofSeconds(1920), MailerComponent.backoff(6, INITIAL, MAX));
    }

    @Test
    void theWaitIsCappedAndNeverOverflows() {
        assertEquals(MAX, MailerComponent.backoff(7, INITIAL, MAX)); // 3840 s without the cap
        assertEquals(MAX, MailerComponent.backoff(1000, INITIAL, MAX));
        assertEquals(MAX, MailerComponent.backoff(Integer.MAX_VALUE, INITIAL, MAX));
        assertEquals(Duration.ofSeconds(Integer.MAX_VALUE),
                MailerComponent.backoff(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofSeconds(Integer.MAX_VALUE)));
    }

    @Test
    void anInitialWaitAtTheCapStaysThere() {
        assertEquals(MAX, MailerComponent.backoff(0, MAX, MAX));
        assertEquals(MAX, MailerComponent.backoff(3, MAX, MAX));
    }
}
