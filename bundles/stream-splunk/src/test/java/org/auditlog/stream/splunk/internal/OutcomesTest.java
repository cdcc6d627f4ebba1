package org.auditlog.stream.splunk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.auditlog.api.stream.Delivery;
import org.auditlog.stream.http.internal.HttpSender;
import org.junit.jupiter.api.Test;

class OutcomesTest {
    static final Instant NOW = Instant.parse("2026-11-01T09:30:00Z");

    static Delivery of(int status, String body, String retryAfter) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return Outcomes.of(
                new HttpSender.Answer(status, retryAfter, null, b), HecJson.reply(b), "hec.test", "tok", NOW);
    }

    @Test
    void everyStatusAndHecCodeHasItsOutcome() {
        record Case(int status, int code, Delivery.Outcome outcome, String category) {}
        for (Case c : new Case[] {
            new Case(301, -1, Delivery.Outcome.REFUSED, "rejected"),
            new Case(400, 5, Delivery.Outcome.REFUSED, "rejected"),
            new Case(400, 6, Delivery.Outcome.REFUSED, "rejected"),
            new Case(400, 7, Delivery.Outcome.REFUSED, "rejected"),
            new Case(400, 10, Delivery.Outcome.REFUSED, "rejected"),
            new Case(400, 11, Delivery.Outcome.REFUSED, "rejected"),
            new Case(400, 12, Delivery.Outcome.REFUSED, "rejected"),
            new Case(400, 14, Delivery.Outcome.REFUSED, "rejected"),
            new Case(400, 15, Delivery.Outcome.REFUSED, "rejected"),
            new Case(400, 16, Delivery.Outcome.REFUSED, "rejected"),
            new Case(401, 2, Delivery.Outcome.REFUSED, "auth"),
            new Case(401, 3, Delivery.Outcome.REFUSED, "auth"),
            new Case(403, 1, Delivery.Outcome.REFUSED, "auth"),
            new Case(403, 4, Delivery.Outcome.REFUSED, "auth"),
            new Case(404, -1, Delivery.Outcome.REFUSED, "not_found"),
            new Case(408, -1, Delivery.Outcome.RETRY, "timeout"),
            new Case(413, -1, Delivery.Outcome.REFUSED, "rejected"),
            new Case(429, -1, Delivery.Outcome.RETRY, "throttled"),
            new Case(500, 8, Delivery.Outcome.RETRY, "server"),
            new Case(502, -1, Delivery.Outcome.RETRY, "server"),
            new Case(503, 9, Delivery.Outcome.RETRY, "server"),
            new Case(503, 18, Delivery.Outcome.RETRY, "server"),
        }) {
            String body = c.code() < 0 ? "" : "{\"text\":\"x\",\"code\":" + c.code() + "}";
            Delivery d = of(c.status(), body, null);
            assertEquals(c.outcome(), d.outcome(), c.toString());
            assertEquals(c.category(), d.category(), c.toString());
        }
    }

    @Test
    void theAckAdviceForTheCodesOfATokenWithoutAcknowledgement() {
        for (int code : new int[] {10, 11, 14}) {
            Delivery d = of(400, "{\"text\":\"x\",\"code\":" + code + "}", null);
            assertEquals(
                    "hec.test answered 400 Bad Request (HEC code " + code + ": " + Outcomes.CODES.get(code) + "): "
                            + Outcomes.ACK_ADVICE,
                    d.message());
        }
        assertEquals(
                "hec.test answered 400 Bad Request (HEC code 15: Error in handling indexed fields)",
                of(400, "{\"text\":\"x\",\"code\":15}", null).message());
    }

    @Test
    void aMissingOrUnreadableBodyLeavesTheCodeOut() {
        assertEquals(
                "hec.test answered 503 Service Unavailable",
                of(503, "<html>busy</html>", null).message());
        assertEquals(Duration.ofSeconds(12), of(503, "", "12").retryAfter());
        assertEquals(
                "hec.test answered 413 Request Too Long: the batch is larger than the collector takes"
                        + " (max_content_length); lower batchEvents of org.auditlog.streams, or raise the collector's"
                        + " limit",
                of(413, "", null).message());
    }

    @Test
    void aRedirectIsRefusedWithItsLocationWithoutTheToken() {
        Delivery d = Outcomes.of(
                new HttpSender.Answer(302, null, "https://elsewhere.test/?t=tok\u2028x", new byte[0]),
                HecJson.Reply.NONE,
                "hec.test",
                "tok",
                NOW);
        assertEquals(
                "hec.test answered 302 Moved Temporarily, redirecting to https://elsewhere.test/?t=[token] x; redirects"
                        + " are not followed: set the url to the collector itself",
                d.message());
    }

    @Test
    void aRefusalSaysWhatToCheckByStatusAndCode() {
        assertEquals(
                "hec.test answered 403 Forbidden (HEC code 1: Token disabled): enable the token in Splunk, or give the"
                        + " stream another",
                of(403, "{\"text\":\"Token disabled\",\"code\":1}", null).message());
        assertEquals(
                "hec.test answered 401 Unauthorized (HEC code 2: Token is required): check the stream's token",
                of(401, "{\"text\":\"Token is required\",\"code\":2}", null).message());
        assertEquals(
                "hec.test answered 400 Bad Request (HEC code 7: Incorrect index): the token may not write to that"
                        + " index; check the stream's index",
                of(400, "{\"text\":\"Incorrect index\",\"code\":7}", null).message());
        assertEquals(
                "hec.test answered 404 Not Found: no HTTP Event Collector at the url (the collector's base URL, such as"
                        + " https://hec.example.com:8088, with HEC enabled)",
                of(404, "", null).message());
        assertEquals(
                "hec.test answered 400 Bad Request (HEC code 99: unknown key [token])",
                of(400, "{\"text\":\"unknown key tok\",\"code\":99}", null).message());
    }
}
