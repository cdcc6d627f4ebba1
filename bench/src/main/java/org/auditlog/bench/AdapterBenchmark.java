package org.auditlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two figures about product adapters, each next to a baseline from the same run:
 * <ol>
 * <li>events per second through the Backlog adapter (webhook bodies as Backlog sends them) next to the
 * canonical V1 path (records already in the stored shape), same server, same batch size and clients;</li>
 * <li>the time from an adapter's jar landing in deploy/ to the adapter serving (an event for its product
 * answered 201), with FileInstall polling every second.</li>
 * </ol>
 * Arguments: distribution folder, events per measurement, concurrent HTTP clients.
 */
public final class AdapterBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "benchmark-operator-token-0123456789";
    private static final int ROUNDS = 3;
    private static final int BATCH = 1000;
    private static final int DEPLOYS = 5;

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]).toAbsolutePath();
        int events = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        Path data = Files.createTempDirectory("auditlog-bench-adapters");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        System.out.printf(
                "Adapter benchmark: %d events per measurement in batches of %d, %d HTTP clients, %d cores%n",
                events, BATCH, clients, Runtime.getRuntime().availableProcessors());
        Process p = IngestBenchmark.start(dist, data, port);
        try {
            HttpClient http = HttpClient.newHttpClient();
            IngestBenchmark.awaitHealthy(http, port);
            awaitAdapter(http, port, "Backlog");
            awaitAdapter(http, port, "Cacoo");
            IngestBenchmark.activeOrg(http, port, "BENCH");
            String backlog = token(http, port, "{\"kind\":\"ingest\",\"product\":\"Backlog\",\"spaceKey\":\"BENCH\"}");
            String apps = token(http, port, "{\"kind\":\"ingest\",\"product\":\"Apps\"}");
            byte[] webhooks = backlogBodies(BATCH);
            byte[] canonical = IngestBenchmark.batchBody(0, BATCH, "canonical");
            IngestBenchmark.post(http, port, backlog, webhooks, 60, clients, "Backlog"); // JIT warm-up
            IngestBenchmark.post(http, port, apps, canonical, 60, clients, "Apps");
            List<Double> adapter = new ArrayList<>();
            List<Double> direct = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                adapter.add(IngestBenchmark.post(http, port, backlog, webhooks, events / BATCH, clients, "Backlog"));
                direct.add(IngestBenchmark.post(http, port, apps, canonical, events / BATCH, clients, "Apps"));
                System.out.printf(
                        "round %d: Backlog webhooks %.0f events/s, canonical V1 %.0f events/s%n",
                        round, adapter.get(round - 1), direct.get(round - 1));
            }
            double a = IngestBenchmark.median(adapter);
            double c = IngestBenchmark.median(direct);

            List<Long> deployMillis = new ArrayList<>();
            Path jar = data.resolve("deploy/org.auditlog.product.cacoo.jar");
            byte[] cacooJar = Files.readAllBytes(jar);
            String cacoo = token(http, port, "{\"kind\":\"ingest\",\"product\":\"Cacoo\",\"spaceKey\":\"BENCH\"}");
            for (int i = 0; i < DEPLOYS; i++) {
                Files.delete(jar);
                while (adapterInstalled(http, port, "Cacoo")) {
                    Thread.sleep(20);
                }
                Path tmp = jar.resolveSibling(".cacoo.tmp");
                Files.write(tmp, cacooJar);
                long start = System.nanoTime();
                Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE);
                // served = an event for Cacoo is translated and stored (201), not just queued (202)
                while (postCacoo(http, port, cacoo) != 201) {
                    Thread.sleep(20);
                }
                deployMillis.add((System.nanoTime() - start) / 1_000_000);
            }
            deployMillis.sort(null);

            System.out.println();
            System.out.println("| path | events/s (median of " + ROUNDS + ") |");
            System.out.println("|---|---:|");
            System.out.printf("| Backlog adapter (webhook bodies) | %.0f |%n", a);
            System.out.printf("| canonical V1 records (baseline) | %.0f |%n", c);
            System.out.printf("| adapter / canonical | %.0f%% |%n", 100 * a / c);
            System.out.println();
            System.out.println("Jar in deploy/ to adapter serving (FileInstall polls every 1 s), " + DEPLOYS
                    + " drops: "
                    + "min " + deployMillis.get(0) + " ms, median " + deployMillis.get(DEPLOYS / 2) + " ms, max "
                    + deployMillis.get(DEPLOYS - 1) + " ms");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    static byte[] backlogBodies(int n) throws Exception {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",")
                    .append("{\"id\":")
                    .append(i)
                    .append(",\"project\":{\"id\":92,\"projectKey\":\"BENCH\","
                            + "\"name\":\"Benchmark\",\"archived\":false},\"type\":2,\"content\":{\"id\":")
                    .append(4800 + i)
                    .append(",\"key_id\":")
                    .append(i)
                    .append(",\"summary\":\"Benchmark issue\",\"description\":\"\","
                            + "\"comment\":{\"id\":7237,\"content\":\"\"},\"changes\":[{\"field\":\"status\",\"new_value\":\"4\","
                            + "\"old_value\":\"1\",\"type\":\"standard\"}]},\"notifications\":[],\"createdUser\":{\"id\":1,"
                            + "\"userId\":\"admin\",\"name\":\"admin\",\"roleType\":1,\"lang\":\"ja\",\"nulabAccount\":{"
                            + "\"nulabId\":\"Prm9ZD9DQD5snNW\",\"name\":\"admin\",\"uniqueId\":\"admin\"},"
                            + "\"mailAddress\":\"admin@bench.example\"},\"created\":\"2026-11-01T09:30:00Z\"}");
        }
        return b.append("]").toString().getBytes(StandardCharsets.UTF_8);
    }

    static String token(HttpClient http, int port, String body) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/admin/tokens"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).get("token").asText();
    }

    static boolean adapterInstalled(HttpClient http, int port, String product) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/products/" + product))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode status = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        return status != null && !status.get("adapter").isNull();
    }

    static void awaitAdapter(HttpClient http, int port, String product) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!adapterInstalled(http, port, product)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + product + " adapter");
            }
            Thread.sleep(50);
        }
    }

    static int postCacoo(HttpClient http, int port, String token) throws Exception {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "diagram.accessed");
        e.put("diagram", Map.of("diagramId", "D1", "title", "Plan"));
        e.put("actor", Map.of("id", "u1", "name", "Ann"));
        e.put("occurredAt", "2026-11-01T09:30:00Z");
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/products/Cacoo/events"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(e)))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
