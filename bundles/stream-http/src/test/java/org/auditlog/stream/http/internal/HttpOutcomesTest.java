package org.auditlog.stream.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLHandshakeException;
import org.auditlog.api.stream.Delivery;
import org.junit.jupiter.api.Test;

class HttpOutcomesTest {
    static final Instant NOW = Instant.parse("2026-11-01T09:30:00Z");

    /** A receiver that names itself "sink", shows texts in capitals and advises on 422 alone. */
    static final HttpOutcomes.Receiver SINK = new HttpOutcomes.Receiver() {
        @Override
        public String noun() {
            return "sink";
        }

        @Override
        public String shown(String text) {
            return text.toUpperCase(java.util.Locale.ROOT);
        }

        @Override
        public String advice(int status) {
            return status == 422 ? ": fix the body" : "";
        }
    };

    static Delivery of(int status, String retryAfter, String location) {
        return HttpOutcomes.of(
                new HttpSender.Answer(status, retryAfter, location, new byte[0]),
                HttpOutcomes.said("sink.test", status),
                SINK,
                NOW);
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDateAtMostADay() {
        assertEquals(Duration.ofSeconds(30), HttpOutcomes.retryAfter(" 30 ", NOW));
        assertEquals(Duration.ofSeconds(90), HttpOutcomes.retryAfter("Sun, 01 Nov 2026 09:31:30 GMT", NOW));
        assertEquals(Duration.ZERO, HttpOutcomes.retryAfter("Sun, 01 Nov 2026 09:00:00 GMT", NOW), "in the past");
        assertEquals(Duration.ofDays(1), HttpOutcomes.retryAfter("86401", NOW));
        assertEquals(Duration.ofDays(1), HttpOutcomes.retryAfter("Mon, 01 Nov 2027 09:00:00 GMT", NOW));
        assertNull(HttpOutcomes.retryAfter(null, NOW));
        assertNull(HttpOutcomes.retryAfter("-5", NOW));
        assertNull(HttpOutcomes.retryAfter("1.5", NOW));
        assertNull(HttpOutcomes.retryAfter("soon", NOW));
    }

    @Test
    void theDestinationNamesItsReceiverShowsItsTextsAndAdvisesOnRefusalsAlone() {
        assertEquals(
                "sink.test answered 302 Moved Temporarily, redirecting to HTTPS://ELSEWHERE.TEST/; redirects are not"
                        + " followed: set the url to the sink itself",
                of(302, null, "https://elsewhere.test/").message());
        Delivery unprocessable = of(422, null, null);
        assertEquals(Delivery.Outcome.REFUSED, unprocessable.outcome());
        assertEquals("rejected", unprocessable.category());
        assertEquals("sink.test answered 422 Unprocessable Content: fix the body", unprocessable.message());
        Delivery busy = of(503, "12", null);
        assertEquals(Delivery.Outcome.RETRY, busy.outcome());
        assertEquals("server", busy.category());
        assertEquals(Duration.ofSeconds(12), busy.retryAfter());
        assertEquals("sink.test answered 503 Service Unavailable", busy.message());
        assertEquals("throttled", of(429, null, null).category());
        assertEquals("timeout", of(408, null, null).category());
        assertEquals(Delivery.Outcome.ACCEPTED, of(204, null, null).outcome());
    }

    @Test
    void aFailureWithoutAnAnswerIsRetriedByItsKind() throws Exception {
        InetAddress address = InetAddress.getByName("192.0.2.7");
        record Case(IOException failure, String category, String message, boolean connectFailed) {}
        for (Case c : new Case[] {
            new Case(
                    new HttpSender.DeadlineException(),
                    "timeout",
                    "no answer from sink.test (192.0.2.7) within 10 s",
                    false),
            new Case(
                    new SocketTimeoutException("Read timed out"),
                    "timeout",
                    "no answer from sink.test (192.0.2.7): Read timed out",
                    false),
            new Case(
                    new SSLHandshakeException("PKIX path building failed\nunable to find a valid certification path"),
                    "tls",
                    "TLS with sink.test (192.0.2.7) failed: PKIX path building failed unable to find a valid"
                            + " certification path",
                    false),
            new Case(
                    new ConnectException("Connection refused"),
                    "network",
                    "connection to sink.test (192.0.2.7) failed: Connection refused",
                    true),
            new Case(
                    new IOException("Broken pipe"),
                    "network",
                    "exchange with sink.test (192.0.2.7) failed: Broken pipe",
                    false),
        }) {
            Delivery d = HttpOutcomes.of(c.failure(), "sink.test", address, Duration.ofSeconds(10));
            assertEquals(Delivery.Outcome.RETRY, d.outcome(), c.toString());
            assertEquals(c.category(), d.category(), c.toString());
            assertEquals(c.message(), d.message(), c.toString());
            if (c.connectFailed()) {
                assertTrue(HttpOutcomes.connectFailed(c.failure()), c.toString());
            } else {
                assertFalse(HttpOutcomes.connectFailed(c.failure()), c.toString());
            }
        }
    }

    @Test
    void quotedTextIsOneLineCutAt200Characters() {
        assertEquals("a b c d", HttpOutcomes.quoted("a\nb\u0085c\u2028d"));
        String cut = HttpOutcomes.quoted("x".repeat(300));
        assertEquals("x".repeat(200) + "\u2026", cut);
    }
}
