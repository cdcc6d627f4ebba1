package org.auditlog.stream.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.auditlog.api.stream.Delivery;
import org.junit.jupiter.api.Test;

class OutcomesTest {
    static final Instant NOW = Instant.parse("2026-11-01T09:30:00Z");

    @Test
    void retryAfterIsSecondsOrAnHttpDateAtMostADay() {
        assertEquals(Duration.ofSeconds(30), Outcomes.retryAfter(" 30 ", NOW));
        assertEquals(Duration.ofSeconds(90), Outcomes.retryAfter("Sun, 01 Nov 2026 09:31:30 GMT", NOW));
        assertEquals(Duration.ZERO, Outcomes.retryAfter("Sun, 01 Nov 2026 09:00:00 GMT", NOW), "in the past");
        assertEquals(Duration.ofDays(1), Outcomes.retryAfter("86401", NOW));
        assertEquals(Duration.ofDays(1), Outcomes.retryAfter("Mon, 01 Nov 2027 09:00:00 GMT", NOW));
        assertNull(Outcomes.retryAfter(null, NOW));
        assertNull(Outcomes.retryAfter("-5", NOW));
        assertNull(Outcomes.retryAfter("1.5", NOW));
        assertNull(Outcomes.retryAfter("tomorrow", NOW));
    }

    @Test
    void aRedirectsLocationIsQuotedOnOneLineAndCut() {
        Delivery d = Outcomes.of(
                new HttpSender.Answer(301, null, "https://elsewhere.test/a\u0085b\u2028c" + "x".repeat(300)),
                "receiver.test",
                NOW);
        assertEquals("rejected", d.category());
        String m = d.message();
        assertEquals(
                "receiver.test answered 301 Moved Permanently, redirecting to https://elsewhere.test/a b c"
                        + "x".repeat(200 - "https://elsewhere.test/a b c".length())
                        + "\u2026; redirects are not followed: set the url to the receiver itself",
                m);
        assertEquals(
                "receiver.test answered 307 Temporary Redirect, redirecting to nowhere; redirects are not followed: set"
                        + " the url to the receiver itself",
                Outcomes.of(new HttpSender.Answer(307, null, null), "receiver.test", NOW)
                        .message());
    }

    @Test
    void everyStatusHasItsOutcome() {
        record Case(int status, Delivery.Outcome outcome, String category) {}
        for (Case c : new Case[] {
            new Case(200, Delivery.Outcome.ACCEPTED, null),
            new Case(202, Delivery.Outcome.ACCEPTED, null),
            new Case(204, Delivery.Outcome.ACCEPTED, null),
            new Case(304, Delivery.Outcome.REFUSED, "rejected"),
            new Case(400, Delivery.Outcome.REFUSED, "rejected"),
            new Case(401, Delivery.Outcome.REFUSED, "auth"),
            new Case(403, Delivery.Outcome.REFUSED, "auth"),
            new Case(404, Delivery.Outcome.REFUSED, "not_found"),
            new Case(408, Delivery.Outcome.RETRY, "timeout"),
            new Case(409, Delivery.Outcome.REFUSED, "rejected"),
            new Case(410, Delivery.Outcome.REFUSED, "rejected"),
            new Case(422, Delivery.Outcome.REFUSED, "rejected"),
            new Case(429, Delivery.Outcome.RETRY, "throttled"),
            new Case(500, Delivery.Outcome.RETRY, "server"),
            new Case(502, Delivery.Outcome.RETRY, "server"),
            new Case(504, Delivery.Outcome.RETRY, "server"),
        }) {
            Delivery d = Outcomes.of(new HttpSender.Answer(c.status(), null, null), "receiver.test", NOW);
            assertEquals(c.outcome(), d.outcome(), "status " + c.status());
            assertEquals(c.category(), d.category(), "status " + c.status());
        }
    }
}
