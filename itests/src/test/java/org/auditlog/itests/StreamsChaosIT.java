package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.After;
import org.junit.Test;

/**
 * A stream under chaos (the suite's PostgreSQL run: two servers on one database). Four threads ingest into two
 * products through two servers while the destination goes down and comes back, and the server delivering the
 * stream is killed with {@code kill -9} in the middle: afterwards every acknowledged event reached the receiver at
 * least once, each product's sequences arrived in order with no gap, and every event delivered twice carries the
 * id and sequence of its first delivery. Then an outage longer than the pause threshold (the clock moved 8 days):
 * the stream is paused and its Audit Log Admin mailed; resumed, it delivers what waited, nothing lost.
 */
public class StreamsChaosIT {
    static final String TOKEN = "streams-chaos-operator-token-0123456789";
    static final String ORG = "CHAOS";
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path shared;
    private String url;

    @After
    public void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    public void everyAcknowledgedEventIsDeliveredInOrderThroughOutagesAndAKilledServer() throws Exception {
        assertTrue("run by the profile postgresql (" + Postgres.PROPERTY + ")", Postgres.on());
        shared = Files.createTempDirectory("auditlog-streams-chaos");
        url = Postgres.urlFor(shared.resolve("database"));
        WebhookReceiver receiver = WebhookReceiver.start(SECRET, shared);
        toClose.add(receiver);

        ServerProcess a = start(shared.resolve("node-a"), 1);
        a.api.activeOrg(TOKEN, ORG);
        String owner = WebPageIT.memberToken(a.api, ORG, "owner", TOKEN);
        Api.Reply created = a.api.post(
                "/api/v1/orgs/" + ORG + "/streams",
                owner,
                "application/json",
                "{\"name\":\"SIEM\",\"destination\":{\"type\":\"webhook\",\"url\":\"" + receiver.url()
                        + "\",\"secret\":\"" + SECRET + "\"},\"products\":[\"Apps\",\"Backlog\"]}");
        assertEquals(created.toString(), 201, created.status());
        String stream = created.json().get("id").asText();
        Map<String, String> tokens = Map.of(
                "Apps", a.api.ingestToken(TOKEN, "Apps", null), "Backlog", a.api.ingestToken(TOKEN, "Backlog", null));
        // a delivers first: the stream's lease is a's before b starts
        ingest(a, tokens, "Apps", "warm-up", 10);
        awaitDelivered(receiver, Map.of("warm-up", 10), Duration.ofSeconds(30));
        ServerProcess b = start(shared.resolve("node-b"), 2);

        // --- four threads into two products, two per server; the receiver goes down for a while; a is killed ----
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        acknowledged.put("warm-up", 10);
        AtomicBoolean stop = new AtomicBoolean();
        ServerProcess[] target = {a, b};
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            String product = thread % 2 == 0 ? "Apps" : "Backlog";
            writers.add(threads.submit(() -> {
                for (int batch = 0; !stop.get() && batch < 1000; batch++) {
                    ServerProcess to = thread < 2 && target[0].isAlive() ? target[0] : target[1];
                    String prefix = "t" + thread + "-" + batch;
                    try {
                        if (ingestOnce(to, tokens.get(product), product, prefix, 50)) {
                            acknowledged.put(prefix, 50);
                        }
                    } catch (IOException e) {
                        // the connection died with the server: not acknowledged
                    }
                }
                return null;
            }));
        }
        Thread.sleep(2000);
        receiver.failNext(4, 503, null); // the destination goes down, then comes back by itself
        Thread.sleep(3000);
        a.kill(); // the delivering server dies, perhaps mid-batch; b takes the stream over within the lease's 30 s
        Thread.sleep(4000);
        stop.set(true);
        for (Future<?> w : writers) {
            w.get();
        }
        threads.shutdown();
        int events = acknowledged.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("StreamsChaosIT: %,d events acknowledged%n", events);

        Map<String, Integer> delivered = awaitDelivered(receiver, acknowledged, Duration.ofSeconds(120));
        checkOrderAndDuplicates(receiver);
        System.out.printf(
                "StreamsChaosIT: %,d deliveries, %,d events received for %,d acknowledged%n",
                receiver.deliveries().size(),
                delivered.values().stream().mapToInt(Integer::intValue).sum(),
                events);

        // --- an outage longer than the pause threshold: paused, mailed, resumed, nothing lost ---------------------
        receiver.failNext(1_000_000, 503, null);
        ingest(b, tokens, "Backlog", "during-outage", 20);
        acknowledged.put("during-outage", 20);
        awaitState(b.api, owner, stream, s -> s.get("logs").toString().contains("\"category\":\"server\""));
        MailIT.moveClock(shared.resolve("node-b"), Instant.now().plus(Duration.ofDays(8)));
        JsonNode paused =
                awaitState(b.api, owner, stream, s -> s.get("state").asText().equals("paused"));
        assertEquals("failing", paused.get("pausedBy").asText());
        Path outbox = shared.resolve("node-b/mail/outbox");
        awaitTrue("the admin is mailed", () -> Files.isDirectory(outbox) && mailMentions(outbox, "was paused"));
        // the clock goes back to now: the receiver checks the signatures' timestamps against its own clock
        MailIT.moveClock(shared.resolve("node-b"), Instant.now());
        receiver.failNext(0, 503, null);
        assertEquals(
                200,
                b.api.post("/api/v1/orgs/" + ORG + "/streams/" + stream + "/resume", owner, "application/json", "")
                        .status());
        awaitDelivered(receiver, acknowledged, Duration.ofSeconds(60));
        checkOrderAndDuplicates(receiver);
    }

    private ServerProcess start(Path data, int node) throws Exception {
        Path config = MailIT.testConfig(data, "");
        // servers sharing a database share the streams' secrets key, as they share the evidence key
        Files.writeString(
                config.resolve("org.auditlog.streams.cfg"),
                "\nsecretsKeyFile = " + shared.resolve("streams-secrets.key") + "\n",
                StandardOpenOption.APPEND);
        ServerProcess server = ServerProcess.start(
                data,
                ServerOptions.freePort(),
                TOKEN,
                data.resolve("server.log"),
                Map.of(
                        "AUDITLOG_JDBC_URL",
                        url,
                        "AUDITLOG_NODE_ID",
                        Integer.toString(node),
                        "AUDITLOG_STREAMS_ALLOWED_NETWORKS",
                        "127.0.0.1/32"),
                "--config",
                config.toString());
        toClose.add(server);
        return server.awaitHealthy();
    }

    private static void ingest(ServerProcess s, Map<String, String> tokens, String product, String prefix, int n)
            throws Exception {
        assertTrue(prefix, ingestOnce(s, tokens.get(product), product, prefix, n));
    }

    private static boolean ingestOnce(ServerProcess s, String token, String product, String prefix, int n)
            throws IOException, InterruptedException {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(Api.record(ORG, "2026-11-02T00:00:00Z", prefix + "/" + i, "Ann"));
        }
        return s.api.post(
                                "/api/v1/products/" + product + "/events",
                                token,
                                "application/vnd.auditlog.v1+json",
                                Api.json(records))
                        .status()
                == 201;
    }

    /** Waits until every acknowledged event (by its action's prefix) was received; returns what was received. */
    private static Map<String, Integer> awaitDelivered(
            WebhookReceiver receiver, Map<String, Integer> acknowledged, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Map<String, Integer> received = new HashMap<>();
            Map<String, Set<Integer>> distinct = new HashMap<>();
            for (JsonNode e : events(receiver)) {
                String action = e.get("action").asText();
                if (action.indexOf('/') < 0) {
                    continue; // the organization's own records (Apps): its plan, the stream's creation
                }
                String prefix = action.substring(0, action.indexOf('/'));
                received.merge(prefix, 1, Integer::sum);
                distinct.computeIfAbsent(prefix, k -> ConcurrentHashMap.newKeySet())
                        .add(Integer.parseInt(action.substring(action.indexOf('/') + 1)));
            }
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, Integer> ack : acknowledged.entrySet()) {
                if (distinct.getOrDefault(ack.getKey(), Set.of()).size() < ack.getValue()) {
                    missing.add(ack.getKey());
                }
            }
            if (missing.isEmpty()) {
                return received;
            }
            assertTrue("acknowledged and not delivered: " + missing, System.nanoTime() < deadline);
            Thread.sleep(250);
        }
    }

    /** Every event of every accepted delivery, in the order received. */
    private static List<JsonNode> events(WebhookReceiver receiver) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode d : receiver.deliveries()) {
            assertTrue(
                    "every delivery read verifies with the reference library: " + d,
                    d.get("status").asInt() == 503 || d.get("verified").asBoolean());
            if (d.get("status").asInt() == 204) {
                d.get("body").get("events").forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Per product: the sequences first seen arrive in order from 0 with no gap, batches start at most where the
     * last accepted one ended plus one, and a sequence seen again carries the same event id and action.
     */
    private static void checkOrderAndDuplicates(WebhookReceiver receiver) throws IOException {
        Map<String, Long> next = new HashMap<>();
        Map<String, TreeMap<Long, String>> first = new HashMap<>();
        int duplicates = 0;
        for (JsonNode d : receiver.deliveries()) {
            if (d.get("status").asInt() != 204) {
                continue;
            }
            JsonNode b = d.get("body");
            String product = b.get("product").asText();
            long expected = next.getOrDefault(product, 0L);
            assertTrue(
                    "a batch starting after a gap: " + product + " from " + b.get("firstSequence") + ", expected "
                            + expected + " or less",
                    b.get("firstSequence").asLong() <= expected);
            TreeMap<Long, String> seen = first.computeIfAbsent(product, k -> new TreeMap<>());
            for (JsonNode e : b.get("events")) {
                long seq = e.get("sequence").asLong();
                String identity = e.get("id").asText() + " " + e.get("action").asText();
                String before = seen.putIfAbsent(seq, identity);
                if (before != null) {
                    assertEquals("a duplicate is the same event", before, identity);
                    duplicates++;
                } else {
                    assertEquals(product + ": new sequences in order", expected, seq);
                    expected = seq + 1;
                }
            }
            next.put(product, Math.max(expected, b.get("lastSequence").asLong() + 1));
        }
        System.out.printf("StreamsChaosIT: %d duplicate event deliveries, each the same event%n", duplicates);
    }

    private static JsonNode awaitState(
            Api api, String token, String stream, java.util.function.Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        JsonNode s;
        do {
            s = api.get("/api/v1/orgs/" + ORG + "/streams/" + stream, token).json();
            if (condition.test(s)) {
                return s;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("stream state not reached: " + s);
    }

    private static boolean mailMentions(Path outbox, String text) throws IOException {
        try (var files = Files.list(outbox)) {
            for (Path f : files.toList()) {
                if (Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void awaitTrue(String what, DistributionIT.Check check) throws Exception {
        DistributionIT.awaitTrue(what, check);
    }
}
