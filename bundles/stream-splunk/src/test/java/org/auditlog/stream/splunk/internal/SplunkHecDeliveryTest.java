package org.auditlog.stream.splunk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/** Deliveries to a collector ({@link Hec}) over HTTPS on the loopback address, its certificate from a test CA. */
class SplunkHecDeliveryTest {
    static final Instant NOW = Instant.parse("2026-11-01T09:30:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static TestCa ca;
    static String caPem;

    final String token = Batches.token();
    final SplunkHecDestination destination = new SplunkHecDestination();
    /** Every outcome of the test, checked for the token at the end. */
    final List<Delivery> outcomes = new ArrayList<>();

    Hec hec;

    @BeforeAll
    static void authority() throws Exception {
        ca = new TestCa("Auditlog Test CA");
        caPem = ca.pem();
    }

    @BeforeEach
    void start() throws Exception {
        hec = Hec.https(ca.server("hec.test", "localhost"), token);
    }

    @AfterEach
    void stop() {
        destination.deactivate();
        hec.close();
        for (Delivery d : outcomes) {
            assertFalse(String.valueOf(d).contains(token), "the token in " + d);
        }
    }

    String url(String host) {
        return "https://" + host + ":" + hec.port();
    }

    DestinationSettings settings(Object... members) throws SettingsRefusedException {
        Map<String, Object> given = new HashMap<>(Map.of("url", url("hec.test"), "token", token, "ca", caPem));
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
        return deliver(batch, s, Duration.ofSeconds(10));
    }

    Delivery deliver(StreamBatch batch, DestinationSettings s, Duration timeout) {
        Delivery d = destination.deliver(batch, s, new Batches.Context(timeout, Guard.allowingLoopback(), CLOCK));
        outcomes.add(d);
        return d;
    }

    @Test
    void aBatchIsPostedAsHecEventsAndAcceptedOnceTheIndexersAcknowledgeIt() throws Exception {
        hec.ackAfterQueries = 2;
        DestinationSettings s = settings("index", "audit", "host", "auditlog.example.com");
        Delivery d = deliver(Batches.batch(41, 43, 1), s);
        assertTrue(d.isAccepted(), d.toString());

        Hec.Request post = hec.next();
        assertEquals("POST", post.method());
        assertEquals("/services/collector/event", post.path());
        assertNull(post.query());
        assertEquals("Splunk " + token, post.header("Authorization"));
        assertEquals("application/json", post.header("Content-Type"));
        String channel = post.header("X-Splunk-Request-Channel");
        assertEquals(Channels.of("s1").toString(), channel);
        assertEquals("hec.test:" + hec.port(), post.header("Host"));

        // the events, in sequence order, each one object of HEC's batch form (not an array)
        String body = post.text();
        assertFalse(body.startsWith("["));
        assertTrue(body.startsWith("{\"time\":1793525400.041,"), body);
        assertEquals(3, hec.events.size());
        JsonNode first = hec.events.get(0);
        assertEquals(1793525400.041, first.get("time").asDouble());
        assertEquals("auditlog.example.com", first.get("host").asText());
        assertEquals("auditlog", first.get("source").asText());
        assertEquals("auditlog:v1", first.get("sourcetype").asText());
        assertEquals("audit", first.get("index").asText());
        JsonNode event = first.get("event");
        assertEquals("912420565585756201", event.get("id").asText());
        assertTrue(event.get("id").isTextual(), "the id is a string, as the REST API writes it");
        assertEquals("ACME", event.get("space_key").asText());
        assertEquals("Apps", event.get("product").asText());
        assertEquals("2026-11-01T09:30:00.041Z", event.get("date").asText());
        assertEquals("Member", event.get("category").asText());
        assertEquals("Invite a member", event.get("event").asText());
        assertEquals("bob41@acme.example was invited", event.get("action").asText());
        assertEquals("u1", event.get("operation_user_id").asText());
        assertEquals("Ann", event.get("operation_user_name").asText());
        assertEquals("ann@acme.example", event.get("operation_user_email").asText());
        assertEquals("203.0.113.5", event.get("ip_address").asText());
        assertEquals("Mozilla/5.0", event.get("user_agent").asText());
        assertEquals("V1", event.get("version").asText());
        assertEquals(41, event.get("sequence").asLong());
        assertEquals("s1-ACME-Apps-41-43", event.get("batch").asText());
        assertEquals(
                Map.of("organization", "ACME", "product", "Apps", "sequence", "41"),
                Hec.JSON.convertValue(first.get("fields"), Map.class));
        List<Long> sequences = hec.events.stream()
                .map(e -> e.get("event").get("sequence").asLong())
                .toList();
        assertEquals(List.of(41L, 42L, 43L), sequences);
        assertEquals("43", hec.events.get(2).get("fields").get("sequence").asText());

        // accepted only once the acknowledgement said true: two queries answered false, the third true
        List<Hec.Request> queries = hec.ackQueries();
        assertEquals(3, queries.size());
        for (Hec.Request q : queries) {
            assertEquals("channel=" + channel, q.query());
            assertEquals("Splunk " + token, q.header("Authorization"));
            assertEquals("{\"acks\":[0]}", q.text());
        }
        assertEquals(List.of(0L), hec.acknowledged);
    }

    @Test
    void aLostAcknowledgementIsRetriedAndTheBatchSentAgainTheSame() throws Exception {
        hec.loseAcks = true;
        DestinationSettings s = settings();
        long started = System.nanoTime();
        Delivery lost = deliver(Batches.batch(5, 6, 1), s, Duration.ofMillis(1500));
        long took = System.nanoTime() - started;
        assertEquals(Delivery.Outcome.RETRY, lost.outcome());
        assertEquals("ack", lost.category());
        assertNull(lost.retryAfter());
        assertEquals(
                "no acknowledgement from hec.test of the batch's events (ackId 0) within 1500 ms; the batch will be"
                        + " sent again",
                lost.message());
        assertTrue(took < Duration.ofSeconds(4).toNanos(), "took " + took / 1_000_000 + " ms");
        assertTrue(hec.ackQueries().size() >= 2, "queried until the attempt's time passed");
        assertTrue(hec.acknowledged.isEmpty());

        // the collector acknowledges again: the same events come again, with the same batch id and sequences
        hec.loseAcks = false;
        Delivery again = deliver(Batches.batch(5, 6, 2), s);
        assertTrue(again.isAccepted(), again.toString());
        assertEquals(4, hec.events.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(hec.events.get(i), hec.events.get(i + 2), "the second copy is the same event");
            assertEquals(
                    "s1-ACME-Apps-5-6",
                    hec.events.get(i + 2).get("event").get("batch").asText());
        }
        assertEquals(List.of(1L), hec.acknowledged, "the second post has the channel's next ackId");
    }

    @Test
    void withAckOffTheCollectorsSuccessAcceptsTheBatch() throws Exception {
        hec.ackEnabled = false;
        DestinationSettings s = settings("ack", false);
        Delivery d = deliver(Batches.batch(1, 2, 1), s);
        assertTrue(d.isAccepted(), d.toString());
        assertEquals(2, hec.events.size());
        assertTrue(hec.ackQueries().isEmpty(), "no acknowledgement is asked for");
        // the channel goes along all the same
        assertEquals(Channels.of("s1").toString(), hec.next().header("X-Splunk-Request-Channel"));
    }

    @Test
    void aTokenWithoutIndexerAcknowledgementIsRefusedWithAdviceWhenAckIsOn() throws Exception {
        hec.ackEnabled = false;
        Delivery d = deliver(Batches.batch(1, 1, 1), settings());
        assertEquals(Delivery.Outcome.REFUSED, d.outcome());
        assertEquals("rejected", d.category());
        assertEquals(
                "hec.test answered 200 OK (HEC code 0: Success) without an ackId: indexer acknowledgement is off for"
                        + " this token: set the stream's ack to false, or enable indexer acknowledgement on the token",
                d.message());

        // a token whose acknowledgement is turned off once it took the events: the query says code 14
        hec.ackEnabled = true;
        hec.ackQueriesRefused = true;
        DestinationSettings s = settings();
        Delivery disabled = deliver(Batches.batch(1, 1, 2), s);
        assertEquals(Delivery.Outcome.REFUSED, disabled.outcome());
        assertEquals("rejected", disabled.category());
        assertEquals(
                "hec.test answered 400 Bad Request (HEC code 14: ACK is disabled): indexer acknowledgement is off for"
                        + " this token: set the stream's ack to false, or enable indexer acknowledgement on the token",
                disabled.message());
    }

    @Test
    void aBusyCollectorIsRetriedAfterItsRetryAfter() throws Exception {
        DestinationSettings s = settings();
        hec.reply(
                Hec.Reply.of(503, "{\"text\":\"Server is busy\",\"code\":9}").header("Retry-After", "30"),
                Hec.Reply.of(503, "{\"text\":\"Server is busy\",\"code\":9}"),
                Hec.Reply.of(500, "{\"text\":\"Internal server error\",\"code\":8}"));
        Delivery busy = deliver(Batches.batch(1, 1, 1), s);
        assertEquals(Delivery.Outcome.RETRY, busy.outcome());
        assertEquals("server", busy.category());
        assertEquals(Duration.ofSeconds(30), busy.retryAfter());
        assertEquals("hec.test answered 503 Service Unavailable (HEC code 9: Server is busy)", busy.message());
        Delivery noWait = deliver(Batches.batch(1, 1, 2), s);
        assertEquals("server", noWait.category());
        assertNull(noWait.retryAfter());
        assertEquals("server", deliver(Batches.batch(1, 1, 3), s).category());
        assertTrue(hec.events.isEmpty());
        // the collector is back
        assertTrue(deliver(Batches.batch(1, 1, 4), s).isAccepted());
        assertEquals(1, hec.events.size());
    }

    @Test
    void tooManyRequestsIsThrottled() throws Exception {
        hec.reply(Hec.Reply.of(429, "").header("Retry-After", "7"));
        Delivery d = deliver(Batches.batch(1, 1, 1), settings());
        assertEquals(Delivery.Outcome.RETRY, d.outcome());
        assertEquals("throttled", d.category());
        assertEquals(Duration.ofSeconds(7), d.retryAfter());
        assertEquals("hec.test answered 429 Too Many Requests", d.message());
    }

    @Test
    void aRefusedTokenIsRefusedAsAuth() throws Exception {
        DestinationSettings wrong = settings("token", Batches.token());
        Delivery d = deliver(Batches.batch(1, 1, 1), wrong);
        assertEquals(Delivery.Outcome.REFUSED, d.outcome());
        assertEquals("auth", d.category());
        assertEquals(
                "hec.test answered 403 Forbidden (HEC code 4: Invalid token): check the stream's token", d.message());
        assertFalse(d.message().contains(wrong.secret("token")));

        hec.reply(
                Hec.Reply.of(401, "{\"text\":\"Invalid authorization\",\"code\":3}"),
                Hec.Reply.of(403, "{\"text\":\"Token disabled\",\"code\":1}"));
        Delivery unauthorized = deliver(Batches.batch(1, 1, 1), settings());
        assertEquals("auth", unauthorized.category());
        assertEquals(
                "hec.test answered 401 Unauthorized (HEC code 3: Invalid authorization): check the stream's token",
                unauthorized.message());
        Delivery disabled = deliver(Batches.batch(1, 1, 1), settings());
        assertEquals("auth", disabled.category());
        assertEquals(
                "hec.test answered 403 Forbidden (HEC code 1: Token disabled): enable the token in Splunk, or give the"
                        + " stream another",
                disabled.message());
        assertTrue(hec.events.isEmpty());
    }

    @Test
    void badDataIsRefusedAsRejectedNamingTheEvent() throws Exception {
        hec.reply(Hec.Reply.of(400, "{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":2}"));
        Delivery d = deliver(Batches.batch(1, 3, 1), settings());
        assertEquals(Delivery.Outcome.REFUSED, d.outcome());
        assertEquals("rejected", d.category());
        assertEquals(
                "hec.test answered 400 Bad Request (HEC code 6: Invalid data format, event 3 of the batch)",
                d.message());

        hec.reply(Hec.Reply.of(400, "{\"text\":\"Incorrect index\",\"code\":7}"));
        Delivery index = deliver(Batches.batch(1, 3, 1), settings("index", "secret_things"));
        assertEquals("rejected", index.category());
        assertEquals(
                "hec.test answered 400 Bad Request (HEC code 7: Incorrect index): the token may not write to that"
                        + " index; check the stream's index",
                index.message());

        // the collector's own text only for a code it does not document, and never with the token in it
        hec.reply(Hec.Reply.of(400, "{\"text\":\"token " + token + " over quota\",\"code\":99}"));
        Delivery unknown = deliver(Batches.batch(1, 3, 1), settings());
        assertEquals("rejected", unknown.category());
        assertEquals("hec.test answered 400 Bad Request (HEC code 99: token [token] over quota)", unknown.message());
    }

    @Test
    void whatTheCollectorReadsItTakes() throws Exception {
        // the real checks of the collector (Hec): time a number, fields a flat object of strings, one object per event
        assertTrue(deliver(Batches.batch(1, 500, 1), settings()).isAccepted());
        assertEquals(500, hec.events.size());
    }

    @Test
    void noCollectorAtTheUrlIsNotFound() throws Exception {
        DestinationSettings s = settings("url", url("hec.test") + "/wrong/prefix");
        Delivery d = deliver(Batches.batch(1, 1, 1), s);
        assertEquals(Delivery.Outcome.REFUSED, d.outcome());
        assertEquals("not_found", d.category());
        assertTrue(d.message().startsWith("hec.test answered 404 Not Found"), d.message());
        assertFalse(d.message().contains("/wrong/prefix"), "the url's path is not in the message");
        assertEquals("/wrong/prefix/services/collector/event", hec.next().path());
    }

    @Test
    void aCollectorSlowerThanTheAttemptsTimeIsATimeout() throws Exception {
        hec.reply(Hec.Reply.of(200, "{\"text\":\"Success\",\"code\":0,\"ackId\":0}")
                .after(Duration.ofSeconds(5)));
        long started = System.nanoTime();
        Delivery d = deliver(Batches.batch(1, 1, 1), settings(), Duration.ofMillis(700));
        long took = System.nanoTime() - started;
        assertEquals(Delivery.Outcome.RETRY, d.outcome());
        assertEquals("timeout", d.category());
        assertEquals("no answer from hec.test (127.0.0.1) within 700 ms", d.message());
        assertTrue(took < Duration.ofSeconds(3).toNanos(), "took " + took / 1_000_000 + " ms");
    }

    @Test
    void theCertificateMustBeTrustedAndNameTheHost() throws Exception {
        Delivery untrusted = deliver(Batches.batch(1, 1, 1), settings("ca", null));
        assertEquals(Delivery.Outcome.RETRY, untrusted.outcome());
        assertEquals("tls", untrusted.category());
        assertTrue(untrusted.message().startsWith("TLS with hec.test (127.0.0.1) failed"), untrusted.message());
        Delivery otherName = deliver(Batches.batch(1, 1, 1), settings("url", url("other.test")));
        assertEquals("tls", otherName.category(), otherName.toString());
        assertTrue(hec.seen.isEmpty(), "nothing was sent");
    }

    @Test
    void theGuardResolvesTheHostAtEveryAttemptAndItsRefusalIsFinal() throws Exception {
        DestinationSettings s = settings();
        Guard guard = Guard.allowingLoopback();
        for (int i = 1; i <= 2; i++) {
            Delivery d = destination.deliver(Batches.batch(i, i, 1), s, Batches.context(guard, CLOCK));
            assertTrue(d.isAccepted(), d.toString());
        }
        assertEquals(2, guard.resolutions.get());
        int requests = hec.seen.size();
        // hec.test exists for the guard alone: no other resolver could have found it. Now it refuses loopback.
        Delivery refused =
                destination.deliver(Batches.batch(3, 3, 1), s, Batches.context(Guard.refusingLoopback(), CLOCK));
        outcomes.add(refused);
        assertEquals(Delivery.Outcome.REFUSED, refused.outcome());
        assertEquals("address", refused.category());
        assertEquals(
                "hec.test: 127.0.0.1 is a loopback address; allow its network in AUDITLOG_STREAMS_ALLOWED_NETWORKS to"
                        + " stream there",
                refused.message());
        assertEquals(requests, hec.seen.size(), "nothing was sent");
    }

    @Test
    void anAddressThatRefusesConnectionsIsSkippedAndTheAcknowledgementAskedWhereTheEventsWent() throws Exception {
        DestinationSettings s = settings();
        Guard guard = Guard.allowingLoopback()
                .map("hec.test", InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1"));
        Delivery d = destination.deliver(Batches.batch(1, 1, 1), s, Batches.context(guard, CLOCK));
        assertTrue(d.isAccepted(), d.toString());
        assertEquals(1, hec.eventRequests().size());
        assertEquals(1, hec.ackQueries().size());
    }

    @Test
    void plainHttpOnlyToAddressesTheGuardAllowsPlainProtocolsTo() throws Exception {
        try (Hec plain = Hec.plain(token)) {
            String url = "http://hec.test:" + plain.port();
            DestinationSettings s =
                    destination.check(Map.of("url", url, "token", token), null, Guard.allowingPlainLoopback());
            Delivery ok = destination.deliver(
                    Batches.batch(1, 1, 1), s, Batches.context(Guard.allowingPlainLoopback(), CLOCK));
            assertTrue(ok.isAccepted(), ok.toString());
            assertEquals(1, plain.events.size());

            // the operator no longer allows plain protocols there
            int requests = plain.seen.size();
            Delivery refused =
                    destination.deliver(Batches.batch(2, 2, 1), s, Batches.context(Guard.allowingLoopback(), CLOCK));
            outcomes.add(refused);
            assertEquals(Delivery.Outcome.REFUSED, refused.outcome());
            assertEquals("address", refused.category());
            assertTrue(refused.message().contains("plain http to hec.test (127.0.0.1) is not allowed"));
            assertEquals(requests, plain.seen.size());
        }
    }

    @Test
    void aBatchWhoseEventsWereAllFilteredOutSendsNothing() throws Exception {
        StreamBatch empty = new StreamBatch("s1-ACME-Apps-7-9", "s1", "ACME", "Apps", 7, 9, List.of(), 1);
        assertTrue(deliver(empty, settings()).isAccepted());
        assertTrue(hec.seen.isEmpty(), "HEC refuses a request without events (code 5, No data)");
    }

    @Test
    void eachStreamHasItsOwnChannelTheSameAtEveryAttempt() throws Exception {
        DestinationSettings s = settings();
        assertTrue(deliver(Batches.batch("s1", 1, 1, 1), s).isAccepted());
        assertTrue(deliver(Batches.batch("s1", 2, 2, 1), s).isAccepted());
        assertTrue(deliver(Batches.batch("s2", 1, 1, 1), s).isAccepted());
        List<String> channels = hec.eventRequests().stream()
                .map(r -> r.header("X-Splunk-Request-Channel"))
                .toList();
        assertEquals(channels.get(0), channels.get(1));
        assertFalse(channels.get(0).equals(channels.get(2)));
        // each channel's ackIds start from 0
        assertEquals(List.of(0L, 1L, 0L), hec.acknowledged);
    }

    @Test
    void afterDeactivationADeliveryIsRetriedLater() throws Exception {
        DestinationSettings s = settings();
        destination.deactivate();
        Delivery d = deliver(Batches.batch(1, 1, 1), s);
        assertEquals(Delivery.Outcome.RETRY, d.outcome());
        assertTrue(hec.seen.isEmpty());
    }

    @Test
    void theTokenIsInNoMessageNorInTheClientsLog() throws Exception {
        DestinationSettings s = settings();
        assertTrue(deliver(Batches.batch(1, 1, 1), s).isAccepted());
        hec.reply(
                Hec.Reply.of(403, "{\"text\":\"Invalid token " + token + "\",\"code\":4}"),
                Hec.Reply.of(503, "{\"text\":\"Server is busy\",\"code\":9}"));
        deliver(Batches.batch(2, 2, 1), s);
        deliver(Batches.batch(2, 2, 1), s);
        hec.loseAcks = true;
        deliver(Batches.batch(3, 3, 1), s, Duration.ofMillis(500));
        assertFalse(s.toString().contains(token));
        // the messages: checked after each test. The log: HttpClient's header log is on in these tests (pom.xml), and
        // shows what was sent and the answers' headers (a collector that put the token there would be seen there).
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
        String logged = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(logged.contains("X-Splunk-Request-Channel: " + Channels.of("s1")), "the headers are logged");
        assertTrue(logged.contains("Authorization: Splunk [token]"), "the Authorization header is logged, without");
        assertFalse(logged.contains(token), "the token is in the log");
    }
}
