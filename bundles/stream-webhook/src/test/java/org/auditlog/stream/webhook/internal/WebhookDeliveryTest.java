package org.auditlog.stream.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.SettingsRefusedException;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.stream.http.internal.Batches;
import org.auditlog.stream.http.internal.Guard;
import org.auditlog.stream.http.internal.TestCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deliveries to a real HTTPS receiver on the loopback address, its certificate from a test CA. */
class WebhookDeliveryTest {
    static final Instant NOW = Instant.parse("2026-11-01T09:30:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static TestCa ca;
    static String caPem;

    final String secret = Batches.secret(32);
    final WebhookDestination destination = new WebhookDestination();
    Receiver receiver;

    @BeforeAll
    static void authority() throws Exception {
        ca = new TestCa("Auditlog Test CA");
        caPem = ca.pem();
    }

    @BeforeEach
    void start() throws Exception {
        receiver = Receiver.https(ca.server("receiver.test", "localhost"));
    }

    @AfterEach
    void stop() {
        destination.deactivate();
        receiver.close();
    }

    String url(String host) {
        return "https://" + host + ":" + receiver.port() + "/hooks/audit?source=auditlog";
    }

    DestinationSettings settings(Object... members) throws SettingsRefusedException {
        Map<String, Object> given = new HashMap<>(Map.of("url", url("receiver.test"), "secret", secret, "ca", caPem));
        for (int i = 0; i < members.length; i += 2) {
            if (members[i + 1] == null) {
                given.remove((String) members[i]);
            } else {
                given.put((String) members[i], members[i + 1]);
            }
        }
        return destination.check(given, null, Guard.allowingLoopback());
    }

    Delivery deliver(StreamBatch batch, DestinationSettings s) {
        return destination.deliver(batch, s, Batches.context(Guard.allowingLoopback(), CLOCK));
    }

    static String hmac(String secret, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBatchIsPostedAsSignedJsonWithTheStandardWebhooksHeaders() throws Exception {
        StreamBatch batch = Batches.batch(41, 43, 1);
        Delivery d = deliver(batch, settings());
        assertTrue(d.isAccepted(), d.toString());

        Receiver.Request r = receiver.next();
        assertEquals("POST", r.method());
        assertEquals("/hooks/audit", r.path());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("s1-ACME-Apps-41-43", r.header("webhook-id"));
        assertEquals(Long.toString(NOW.getEpochSecond()), r.header("webhook-timestamp"));
        assertEquals("receiver.test:" + receiver.port(), r.header("Host"));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(
                hmac(secret, "s1-ACME-Apps-41-43." + NOW.getEpochSecond() + "." + body), r.header("webhook-signature"));
        for (String h : r.headers().keySet()) {
            assertFalse(String.join(",", r.headers().get(h)).contains(secret.substring(6)), h + " carries the secret");
        }

        JsonNode json = new ObjectMapper().readTree(body);
        assertEquals("ACME", json.get("organization").asText());
        assertEquals("Apps", json.get("product").asText());
        assertEquals(41, json.get("firstSequence").asLong());
        assertEquals(43, json.get("lastSequence").asLong());
        assertEquals(3, json.get("events").size());
        JsonNode first = json.get("events").get(0);
        assertEquals("912420565585756201", first.get("id").asText());
        assertTrue(first.get("id").isTextual(), "the id is a string, as the REST API writes it");
        assertEquals("2026-11-01T09:30:00.041Z", first.get("date").asText());
        assertEquals("bob41@acme.example was invited", first.get("action").asText());
        assertEquals(41, first.get("sequence").asLong());
        assertEquals(43, json.get("events").get(2).get("sequence").asLong());
    }

    @Test
    void everyAttemptOfABatchHasTheSameIdAndItsOwnTimestamp() throws Exception {
        DestinationSettings s = settings();
        destination.deliver(Batches.batch(1, 2, 1), s, Batches.context(Guard.allowingLoopback(), CLOCK));
        Clock later = Clock.offset(CLOCK, Duration.ofSeconds(95));
        destination.deliver(Batches.batch(1, 2, 2), s, Batches.context(Guard.allowingLoopback(), later));
        Receiver.Request first = receiver.next();
        Receiver.Request second = receiver.next();
        assertEquals(first.header("webhook-id"), second.header("webhook-id"));
        assertEquals(NOW.getEpochSecond() + 95, Long.parseLong(second.header("webhook-timestamp")));
        assertArrayEquals(first.body(), second.body());
        assertFalse(first.header("webhook-signature").equals(second.header("webhook-signature")));
    }

    @Test
    void aServerErrorIsRetriedAfterItsRetryAfterInSecondsOrAsADate() throws Exception {
        DestinationSettings s = settings();
        receiver.reply(
                Receiver.Reply.status(503).header("Retry-After", "120"),
                Receiver.Reply.status(503).header("Retry-After", "Sun, 01 Nov 2026 09:32:30 GMT"),
                Receiver.Reply.status(500),
                Receiver.Reply.status(502).header("Retry-After", "999999999"),
                Receiver.Reply.status(503).header("Retry-After", "soon"));
        Delivery seconds = deliver(Batches.batch(1, 1, 1), s);
        assertEquals(Delivery.Outcome.RETRY, seconds.outcome());
        assertEquals("server", seconds.category());
        assertEquals(Duration.ofSeconds(120), seconds.retryAfter());
        assertEquals("receiver.test answered 503 Service Unavailable", seconds.message());
        assertEquals(Duration.ofSeconds(150), deliver(Batches.batch(1, 1, 2), s).retryAfter());
        Delivery noWait = deliver(Batches.batch(1, 1, 3), s);
        assertEquals("server", noWait.category());
        assertNull(noWait.retryAfter());
        assertEquals(Duration.ofDays(1), deliver(Batches.batch(1, 1, 4), s).retryAfter(), "at most a day");
        assertNull(deliver(Batches.batch(1, 1, 5), s).retryAfter(), "an unreadable Retry-After is ignored");
        // the receiver is back
        assertTrue(deliver(Batches.batch(1, 1, 6), s).isAccepted());
        assertEquals(6, receiver.requests.size());
    }

    @Test
    void tooManyRequestsIsThrottled() throws Exception {
        receiver.reply(Receiver.Reply.status(429).header("Retry-After", "7"));
        Delivery d = deliver(Batches.batch(1, 1, 1), settings());
        assertEquals(Delivery.Outcome.RETRY, d.outcome());
        assertEquals("throttled", d.category());
        assertEquals(Duration.ofSeconds(7), d.retryAfter());
    }

    @Test
    void authenticationFailuresMissingAndGoneReceiversAndOtherClientErrorsAreRefused() throws Exception {
        DestinationSettings s = settings();
        receiver.reply(
                Receiver.Reply.status(401),
                Receiver.Reply.status(403),
                Receiver.Reply.status(404),
                Receiver.Reply.status(410),
                Receiver.Reply.status(400),
                Receiver.Reply.status(413),
                Receiver.Reply.status(408).header("Retry-After", "3"));
        Delivery unauthorized = deliver(Batches.batch(1, 1, 1), s);
        assertEquals(Delivery.Outcome.REFUSED, unauthorized.outcome());
        assertEquals("auth", unauthorized.category());
        assertTrue(
                unauthorized.message().startsWith("receiver.test answered 401 Unauthorized"), unauthorized.message());
        assertEquals("auth", deliver(Batches.batch(1, 1, 1), s).category());
        Delivery notFound = deliver(Batches.batch(1, 1, 1), s);
        assertEquals(Delivery.Outcome.REFUSED, notFound.outcome());
        assertEquals("not_found", notFound.category());
        assertFalse(notFound.message().contains("/hooks/audit"), "the url's path is not in the message");
        Delivery gone = deliver(Batches.batch(1, 1, 1), s);
        assertEquals(Delivery.Outcome.REFUSED, gone.outcome());
        assertEquals("rejected", gone.category());
        assertEquals("receiver.test answered 410 Gone: the receiver asks for no more deliveries", gone.message());
        Delivery bad = deliver(Batches.batch(1, 1, 1), s);
        assertEquals(Delivery.Outcome.REFUSED, bad.outcome());
        assertEquals("rejected", bad.category());
        assertEquals(
                Delivery.Outcome.REFUSED, deliver(Batches.batch(1, 1, 1), s).outcome());
        Delivery timeout = deliver(Batches.batch(1, 1, 1), s);
        assertEquals(Delivery.Outcome.RETRY, timeout.outcome());
        assertEquals("timeout", timeout.category());
        assertEquals(Duration.ofSeconds(3), timeout.retryAfter());
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        receiver.reply(Receiver.Reply.status(302).header("Location", "https://elsewhere.test/new"));
        Delivery d = deliver(Batches.batch(1, 1, 1), settings());
        assertEquals(Delivery.Outcome.REFUSED, d.outcome());
        assertEquals("rejected", d.category());
        assertEquals(
                "receiver.test answered 302 Moved Temporarily, redirecting to https://elsewhere.test/new; redirects are not"
                        + " followed: set the url to the receiver itself",
                d.message());
        receiver.next();
        Thread.sleep(200);
        assertTrue(receiver.requests.isEmpty(), "one request only");
    }

    @Test
    void anAnswerWithAnEndlessBodyIsTakenAtItsStatusAndTheRestLeftUnread() throws Exception {
        DestinationSettings s = settings();
        receiver.reply(Receiver.Reply.status(200).endless());
        long started = System.nanoTime();
        Delivery d = deliver(Batches.batch(1, 1, 1), s);
        assertTrue(d.isAccepted(), d.toString());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "not read to its end");
        receiver.reply(Receiver.Reply.status(200).body("ok".repeat(1000).getBytes(StandardCharsets.UTF_8)));
        assertTrue(deliver(Batches.batch(2, 2, 1), s).isAccepted());
        assertTrue(deliver(Batches.batch(3, 3, 1), s).isAccepted());
    }

    @Test
    void aReceiverSlowerThanTheAttemptsTimeIsATimeout() throws Exception {
        receiver.reply(Receiver.Reply.status(200).after(Duration.ofSeconds(5)));
        long started = System.nanoTime();
        Delivery d = destination.deliver(
                Batches.batch(1, 1, 1),
                settings(),
                new Batches.Context(Duration.ofMillis(700), Guard.allowingLoopback(), CLOCK));
        long took = System.nanoTime() - started;
        assertEquals(Delivery.Outcome.RETRY, d.outcome());
        assertEquals("timeout", d.category());
        assertEquals("no answer from receiver.test (127.0.0.1) within 700 ms", d.message());
        assertTrue(took < Duration.ofSeconds(3).toNanos(), "took " + took / 1_000_000 + " ms");
    }

    @Test
    void noListenerIsANetworkFailure() throws Exception {
        DestinationSettings s = settings();
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        DestinationSettings closed = new DestinationSettings(
                "webhook", Map.of("url", "https://receiver.test:" + port + "/", "ca", caPem), s.secrets());
        Delivery d = deliver(Batches.batch(1, 1, 1), closed);
        assertEquals(Delivery.Outcome.RETRY, d.outcome());
        assertEquals("network", d.category());
        assertTrue(d.message().startsWith("connection to receiver.test (127.0.0.1) failed"), d.message());
    }

    @Test
    void theCertificateMustBeTrustedAndNameTheHost() throws Exception {
        // the JVM's trust store does not know the test CA
        Delivery untrusted = deliver(Batches.batch(1, 1, 1), settings("ca", null));
        assertEquals(Delivery.Outcome.RETRY, untrusted.outcome());
        assertEquals("tls", untrusted.category());
        assertTrue(untrusted.message().startsWith("TLS with receiver.test (127.0.0.1) failed"), untrusted.message());
        // other.test resolves to the same address, but the certificate does not name it
        Delivery otherName = deliver(Batches.batch(1, 1, 1), settings("url", url("other.test")));
        assertEquals("tls", otherName.category(), otherName.toString());
        // another CA
        Delivery otherCa = deliver(Batches.batch(1, 1, 1), settings("ca", new TestCa("Another CA").pem()));
        assertEquals("tls", otherCa.category(), otherCa.toString());
        assertTrue(receiver.requests.isEmpty(), "nothing was sent");
        assertTrue(deliver(Batches.batch(1, 1, 1), settings()).isAccepted());
    }

    @Test
    void aPooledConnectionServesOnlyRequestsWithTheSameTrust() throws Exception {
        assertTrue(deliver(Batches.batch(1, 1, 1), settings()).isAccepted());
        // the connection to receiver.test is in the pool; a stream trusting another CA must not get it
        Delivery otherCa = deliver(Batches.batch(1, 1, 1), settings("ca", new TestCa("Another CA").pem()));
        assertEquals("tls", otherCa.category(), otherCa.toString());
        assertTrue(deliver(Batches.batch(2, 2, 1), settings()).isAccepted());
    }

    @Test
    void theGuardResolvesTheHostAtEveryAttemptAndOnlyItsAddressesAreUsed() throws Exception {
        DestinationSettings s = settings();
        Guard guard = Guard.allowingLoopback();
        for (int i = 1; i <= 3; i++) {
            assertTrue(destination
                    .deliver(Batches.batch(i, i, 1), s, Batches.context(guard, CLOCK))
                    .isAccepted());
        }
        assertEquals(3, guard.resolutions.get());
        // receiver.test exists for the guard alone: no other resolver could have found it. Now it refuses loopback.
        Delivery refused =
                destination.deliver(Batches.batch(4, 4, 1), s, Batches.context(Guard.refusingLoopback(), CLOCK));
        assertEquals(Delivery.Outcome.REFUSED, refused.outcome());
        assertEquals("address", refused.category());
        assertEquals(
                "receiver.test: 127.0.0.1 is a loopback address; allow its network in AUDITLOG_STREAMS_ALLOWED_NETWORKS"
                        + " to stream there",
                refused.message());
        assertEquals(3, receiver.requests.size());
    }

    @Test
    void anAddressThatRefusesConnectionsIsSkippedForTheHostsNextOne() throws Exception {
        DestinationSettings s = settings();
        // 127.0.0.2 is loopback too, and nothing listens there on the receiver's port
        Guard guard = Guard.allowingLoopback()
                .map("receiver.test", InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1"));
        Delivery d = destination.deliver(Batches.batch(1, 1, 1), s, Batches.context(guard, CLOCK));
        assertTrue(d.isAccepted(), d.toString());
        assertEquals(1, receiver.requests.size());
    }

    @Test
    void aHostThatNoLongerResolvesIsANetworkFailure() throws Exception {
        DestinationSettings s = new DestinationSettings(
                "webhook", Map.of("url", "https://gone.test/", "ca", caPem), Map.of("secret", secret));
        Delivery d = deliver(Batches.batch(1, 1, 1), s);
        assertEquals(Delivery.Outcome.RETRY, d.outcome());
        assertEquals("network", d.category());
        assertEquals("the host gone.test does not resolve", d.message());
    }

    @Test
    void plainHttpOnlyToAddressesTheGuardAllowsPlainProtocolsTo() throws Exception {
        try (Receiver plain = Receiver.plain()) {
            String url = "http://receiver.test:" + plain.port() + "/hooks";
            DestinationSettings s =
                    destination.check(Map.of("url", url, "secret", secret), null, Guard.allowingPlainLoopback());
            Delivery ok = destination.deliver(
                    Batches.batch(1, 1, 1), s, Batches.context(Guard.allowingPlainLoopback(), CLOCK));
            assertTrue(ok.isAccepted(), ok.toString());
            Receiver.Request r = plain.next();
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertEquals(
                    hmac(secret, "s1-ACME-Apps-1-1." + NOW.getEpochSecond() + "." + body),
                    r.header("webhook-signature"));

            // the operator no longer allows plain protocols there
            Delivery refused =
                    destination.deliver(Batches.batch(2, 2, 1), s, Batches.context(Guard.allowingLoopback(), CLOCK));
            assertEquals(Delivery.Outcome.REFUSED, refused.outcome());
            assertEquals("address", refused.category());
            assertTrue(refused.message().contains("plain http to receiver.test (127.0.0.1) is not allowed"));
            assertTrue(plain.requests.isEmpty());
        }
    }

    @Test
    void aBatchIdThatCannotBeSignedUnambiguouslyIsRefused() throws Exception {
        StreamBatch dotted = new StreamBatch("s.1-ACME-Apps-1-1", "s.1", "ACME", "Apps", 1, 1, java.util.List.of(), 1);
        Delivery d = deliver(dotted, settings());
        assertEquals(Delivery.Outcome.REFUSED, d.outcome());
        assertEquals("internal", d.category());
        assertTrue(receiver.requests.isEmpty());
    }

    @Test
    void afterDeactivationADeliveryIsRetriedLater() throws Exception {
        DestinationSettings s = settings();
        destination.deactivate();
        Delivery d = deliver(Batches.batch(1, 1, 1), s);
        assertEquals(Delivery.Outcome.RETRY, d.outcome());
        assertTrue(receiver.requests.isEmpty());
    }
}
