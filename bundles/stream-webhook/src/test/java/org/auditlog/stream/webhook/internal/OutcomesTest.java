package org.auditlog.stream.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.auditlog.api.stream.Delivery;
import org.auditlog.stream.http.internal.HttpSender;
import org.junit.jupiter.api.Test;

class OutcomesTest {
    static final Instant NOW = Instant.parse("2026-11-01T09:30:00Z");

    @Test
    void aRedirectsLocationIsQuotedOnOneLineAndCut() {
        Delivery d = Outcomes.of(
                new HttpSender.Answer(
                        301, null, "https://elsewhere.test/a\u0085b\u2028c" + "x".repeat(300), new byte[0]),
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
                Outcomes.of(new HttpSender.Answer(307, null, null, new byte[0]), "receiver.test", NOW)
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
            Delivery d = Outcomes.of(new HttpSender.Answer(c.status(), null, null, new byte[0]), "receiver.test", NOW);
            assertEquals(c.outcome(), d.outcome(), "status " + c.status());
            assertEquals(c.category(), d.category(), "status " + c.status());
        }
    }

    @Test
    void aRefusalSaysWhatToCheck() {
        record Case(int status, String message) {}
        for (Case c : new Case[] {
            new Case(
                    401,
                    "receiver.test answered 401 Unauthorized: check that the receiver verifies with this stream's secret"),
            new Case(
                    403,
                    "receiver.test answered 403 Forbidden: check that the receiver verifies with this stream's secret"),
            new Case(404, "receiver.test answered 404 Not Found: no receiver at the url"),
            new Case(410, "receiver.test answered 410 Gone: the receiver asks for no more deliveries"),
            new Case(422, "receiver.test answered 422 Unprocessable Content"),
            new Case(503, "receiver.test answered 503 Service Unavailable"),
        }) {
            Delivery d = Outcomes.of(new HttpSender.Answer(c.status(), null, null, new byte[0]), "receiver.test", NOW);
            assertEquals(c.message(), d.message(), "status " + c.status());
        }
    }
}
