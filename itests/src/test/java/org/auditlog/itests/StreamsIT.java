package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.auditlog.testing.S3MockServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A stream to a webhook receiver, end to end, against the distribution started as an operator starts it: the
 * receiver ({@link WebhookReceiver}) verifies every delivery with the Standard Webhooks reference library. An
 * organization's Audit Log Admin creates the stream over REST; every event ingested reaches the receiver once, in
 * sequence order per product, in batches whose ranges follow each other; a receiver that answers 503 gets the same
 * batch (same webhook-id) again; a paused stream keeps its place; a replay delivers again; each change is in the
 * organization's own log; a destination on a private network is refused. A stream to an S3-compatible bucket
 * (Adobe S3Mock) writes files whose every one, and the bucket as a whole, verify with {@code bin/auditlog-verify}.
 */
public class StreamsIT {
    static final String TOKEN = "streams-test-operator-token-0123456789";
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static Path data;
    static ServerProcess server;
    static WebhookReceiver receiver;
    static S3MockServer s3;
    static String owner;
    static String ingest;

    @BeforeClass
    public static void start() throws Exception {
        data = Files.createTempDirectory("auditlog-streams");
        receiver = WebhookReceiver.start(SECRET, data);
        s3 = S3MockServer.launch("audit"); // starting while the server starts
        server = ServerProcess.start(
                        data,
                        ServerOptions.freePort(),
                        TOKEN,
                        data.resolve("server.log"),
                        // the receiver is on loopback, plain HTTP: the operator allows that network
                        Map.of("AUDITLOG_STREAMS_ALLOWED_NETWORKS", "127.0.0.1/32"))
                .awaitHealthy();
        s3.awaitReady();
        server.api.activeOrg(TOKEN, "ACME");
        owner = WebPageIT.memberToken(server.api, "ACME", "owner", TOKEN);
        ingest = server.api.ingestToken(TOKEN, "Backlog", null);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    public void everyEventReachesTheReceiverOnceInOrderAndAFailedBatchComesAgainWithItsId() throws Exception {
        Api api = server.api;
        String body = "{\"name\":\"SIEM\",\"destination\":{\"type\":\"webhook\",\"url\":\"" + receiver.url()
                + "\",\"secret\":\"" + SECRET + "\"},\"products\":[\"Backlog\"]}";
        Api.Reply created = api.post("/api/v1/orgs/ACME/streams", owner, "application/json", body);
        assertEquals(created.toString(), 201, created.status());
        assertFalse("the secret is never shown", created.body().contains(SECRET));
        JsonNode stream = created.json();
        String id = stream.get("id").asText();
        assertEquals("active", stream.get("state").asText());
        assertEquals("secret", stream.get("destination").get("secrets").get(0).asText());

        ingestBacklog(api, 0, 250);
        List<JsonNode> events = awaitEvents(250);
        assertInOrder(events, 250);

        // the receiver fails twice (503, Retry-After 1): the same batch comes again, with its id, then passes
        receiver.failNext(2, 503, "1");
        ingestBacklog(api, 250, 20);
        events = awaitEvents(270);
        assertInOrder(events, 270);
        List<JsonNode> all = receiver.deliveries();
        List<String> failedIds = new ArrayList<>();
        for (JsonNode d : all) {
            assertTrue(
                    "every delivery read verifies with the reference library: " + d,
                    d.get("status").asInt() == 503 || d.get("verified").asBoolean());
            if (d.get("status").asInt() == 503) {
                failedIds.add(d.get("id").asText());
            }
        }
        assertEquals(2, failedIds.size());
        assertEquals("a retry is the same batch", failedIds.get(0), failedIds.get(1));
        assertTrue(
                "the failed batch was accepted later under its id",
                all.stream()
                        .anyMatch(d -> d.get("status").asInt() == 204
                                && d.get("id").asText().equals(failedIds.get(0))));

        JsonNode shown = api.get("/api/v1/orgs/ACME/streams/" + id, owner).json();
        JsonNode log = shown.get("logs").get(0);
        assertEquals("Backlog", log.get("product").asText());
        assertEquals(269, log.get("delivered").asLong());
        assertEquals(0, log.get("backlog").asLong());
        assertTrue(log.toString(), log.get("lastSuccess").isTextual());

        // paused: events wait; resumed: delivered from the place
        assertEquals(
                200,
                api.post("/api/v1/orgs/ACME/streams/" + id + "/pause", owner, "application/json", "")
                        .status());
        ingestBacklog(api, 270, 5);
        Thread.sleep(1500);
        assertEquals("nothing delivered while paused", 270, accepted().size());
        JsonNode paused = api.get("/api/v1/orgs/ACME/streams/" + id, owner).json();
        assertEquals("paused", paused.get("state").asText());
        assertEquals("user:owner", paused.get("pausedBy").asText());
        assertEquals(5, paused.get("logs").get(0).get("backlog").asLong());
        assertEquals(
                200,
                api.post("/api/v1/orgs/ACME/streams/" + id + "/resume", owner, "application/json", "")
                        .status());
        assertInOrder(awaitEvents(275), 275);

        // a replay from sequence 270 delivers those events again
        Api.Reply replay = api.post(
                "/api/v1/orgs/ACME/streams/" + id + "/replay",
                owner,
                "application/json",
                "{\"sequences\":{\"Backlog\":270}}");
        assertEquals(replay.toString(), 200, replay.status());
        List<JsonNode> again = awaitEvents(280);
        assertEquals(270, again.get(275).get("sequence").asLong());

        // each change is in the organization's own log
        Set<String> recorded = new HashSet<>();
        for (JsonNode e : api.allEvents(TOKEN, "ACME", 500, "category=Audit%20log")) {
            recorded.add(e.get("event").asText());
        }
        assertTrue(
                recorded.toString(),
                recorded.containsAll(
                        List.of("Create a stream", "Pause a stream", "Resume a stream", "Replay a stream")));
    }

    @Test
    public void aDestinationOnANetworkTheOperatorDidNotAllowIsRefused() throws Exception {
        for (String url : List.of("http://10.0.0.5/hook", "https://169.254.169.254/latest", "https://[::1]:8443/x")) {
            Api.Reply r = server.api.post(
                    "/api/v1/orgs/ACME/streams",
                    owner,
                    "application/json",
                    "{\"name\":\"bad\",\"destination\":{\"type\":\"webhook\",\"url\":\"" + url + "\",\"secret\":\""
                            + SECRET + "\"}}");
            assertEquals(r.toString(), 400, r.status());
            assertEquals(r.toString(), "destination.url", r.json().get("field").asText());
        }
    }

    @Test
    public void aBucketsFilesVerifyOfflineAndATamperedOneIsNamed() throws Exception {
        Api api = server.api;
        api.activeOrg(TOKEN, "BUCKETCO");
        String admin = WebPageIT.memberToken(api, "BUCKETCO", "owner", TOKEN);
        String body = "{\"name\":\"bucket\",\"destination\":{\"type\":\"s3\",\"bucket\":\"audit\","
                + "\"endpoint\":\"" + s3.endpoint() + "\",\"pathStyle\":true,\"prefix\":\"auditlog/\","
                + "\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"secretAccessKey\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCY\"},"
                + "\"products\":[\"Backlog\"],\"categories\":[\"Issue\"]}";
        Api.Reply created = api.post("/api/v1/orgs/BUCKETCO/streams", admin, "application/json", body);
        assertEquals(created.toString(), 201, created.status());
        assertFalse("the keys are never shown", created.body().contains("wJalrXUtnFEMI"));
        String id = created.json().get("id").asText();

        // 300 events in three rounds, each delivered before the next (so three files), every other one of a
        // category the stream leaves out: files with gaps the digests account for
        for (int round = 0; round < 3; round++) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = round * 100 + i;
                Map<String, Object> r = Api.record("BUCKETCO", "2026-11-01T00:00:00Z", "event " + n, "Ann");
                r.put("category", n % 2 == 0 ? "Issue" : "Wiki");
                records.add(r);
            }
            Api.Reply posted = api.post(
                    "/api/v1/products/Backlog/events", ingest, "application/vnd.auditlog.v1+json", Api.json(records));
            assertEquals(posted.toString(), 201, posted.status());
            awaitDelivered(api, admin, id, round * 100 + 99);
        }

        Path bucket = data.resolve("bucket");
        List<String> keys = s3.download("audit", "auditlog/", bucket);
        assertTrue(keys.toString(), keys.stream().allMatch(k -> k.startsWith("auditlog/BUCKETCO/Backlog/")));
        List<Path> files = new ArrayList<>();
        try (var walk = Files.walk(bucket)) {
            walk.filter(p -> p.toString().endsWith(".ndjson.gz")).sorted().forEach(files::add);
        }
        assertEquals("a digest beside every file", files.size() * 2, keys.size());
        assertEquals(
                List.of(
                        "00000000000000000000-00000000000000000099.ndjson.gz",
                        "00000000000000000100-00000000000000000199.ndjson.gz",
                        "00000000000000000200-00000000000000000299.ndjson.gz"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        int events = 0;
        for (Path f : files) {
            for (String line : gunzip(f).split("\n")) {
                if (!line.isEmpty()) {
                    assertTrue(line, line.contains("\"category\":\"Issue\""));
                    events++;
                }
            }
        }
        assertEquals("the stream's events, those of its category", 150, events);

        String key =
                api.get("/api/v1/evidence/keys", null).json().get("current").asText();
        EvidenceIT.Run ok = EvidenceIT.verifier("verify", bucket.toString(), "--key", key);
        assertEquals(ok.output(), 0, ok.exit());
        assertTrue(ok.output(), ok.output().contains("OK BUCKETCO Backlog: sequences 0 to 299"));

        // one event changed in a file: that file is named, the bucket does not verify
        Path changed = files.get(files.size() / 2);
        String text = gunzip(changed);
        Files.write(changed, gzip(text.replaceFirst("\"action\":\"event ", "\"action\":\"evnt ")));
        EvidenceIT.Run bad = EvidenceIT.verifier("verify", bucket.toString(), "--key", key);
        assertEquals(bad.output(), 1, bad.exit());
        assertTrue(
                bad.output(),
                bad.output()
                        .contains(
                                "FAIL " + bucket.relativize(changed) + ": the file was changed since it was written"));
        assertEquals(
                "the other files verify",
                1,
                bad.output()
                        .lines()
                        .filter(l -> l.startsWith("FAIL"))
                        .map(l -> l.substring(0, l.indexOf(": ")))
                        .distinct()
                        .count());
    }

    /** Waits until the stream delivered its Backlog log up to {@code last}. */
    private static void awaitDelivered(Api api, String admin, String id, long last) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        JsonNode log = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode l :
                    api.get("/api/v1/orgs/BUCKETCO/streams/" + id, admin).json().get("logs")) {
                if (l.get("product").asText().equals("Backlog")) {
                    log = l;
                }
            }
            if (log != null && log.get("delivered").asLong() == last) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(
                String.valueOf(log),
                last,
                log == null ? -1 : log.get("delivered").asLong());
    }

    private static String gunzip(Path file) throws Exception {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static byte[] gzip(String text) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private void ingestBacklog(Api api, int from, int count) throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            Map<String, Object> r = Api.record("ACME", "2026-11-01T00:00:00Z", "event " + i, "Ann");
            r.put("category", "Issue");
            records.add(r);
        }
        Api.Reply posted = api.post(
                "/api/v1/products/Backlog/events", ingest, "application/vnd.auditlog.v1+json", Api.json(records));
        assertEquals(posted.toString(), 201, posted.status());
    }

    /** The events of every accepted delivery, in the order the receiver got them. */
    private static List<JsonNode> accepted() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode d : receiver.deliveries()) {
            if (d.get("status").asInt() == 204) {
                d.get("body").get("events").forEach(out::add);
            }
        }
        return out;
    }

    private static List<JsonNode> awaitEvents(int count) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<JsonNode> events = accepted();
        while (events.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            events = accepted();
        }
        assertEquals("events received", count, events.size());
        return events;
    }

    /** The first {@code count} events are sequences 0 to count-1, in order, each the event ingested as it. */
    private static void assertInOrder(List<JsonNode> events, int count) throws Exception {
        Map<String, Long> lastOf = new HashMap<>();
        long expectedFirst = 0;
        for (JsonNode d : receiver.deliveries()) {
            if (d.get("status").asInt() != 204) {
                continue;
            }
            JsonNode b = d.get("body");
            assertEquals("ACME", b.get("organization").asText());
            assertEquals("Backlog", b.get("product").asText());
            if (b.get("firstSequence").asLong() <= lastOf.getOrDefault("Backlog", -1L)) {
                continue; // a replay
            }
            assertEquals(
                    "batches follow each other: " + b,
                    expectedFirst,
                    b.get("firstSequence").asLong());
            expectedFirst = b.get("lastSequence").asLong() + 1;
            lastOf.put("Backlog", b.get("lastSequence").asLong());
        }
        for (int i = 0; i < count; i++) {
            JsonNode e = events.get(i);
            assertEquals(i, e.get("sequence").asLong());
            assertEquals("event " + i, e.get("action").asText());
            assertEquals("ACME", e.get("space_key").asText());
            assertEquals("Issue", e.get("category").asText());
            assertEquals("V1", e.get("version").asText());
            assertTrue(e.get("id").asText(), e.get("id").asText().matches("\\d+"));
        }
    }
}
