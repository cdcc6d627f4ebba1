package org.auditlog.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Events per second ingested over HTTP (batches of 100 and 1,000, several concurrent clients) next to raw
 * JDBC batch inserts of the same rows into the same HSQLDB database with the same durable commits, in one
 * run. Prints the figures and the ratio server / JDBC.
 *
 * <p>Arguments: distribution folder, events per measurement, concurrent HTTP clients.
 */
public final class IngestBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "benchmark-operator-token-0123456789";
    private static final int ROUNDS = 3;
    private static final int[] BATCHES = {100, 1000};

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]).toAbsolutePath();
        int events = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        Path data = Files.createTempDirectory("auditlog-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        System.out.printf(
                "Ingest benchmark: %d events per measurement, %d HTTP clients, %d cores, %s, Java %s%n",
                events,
                clients,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.version"));

        // Server and baseline take turns on the same database, ROUNDS times; the median of each is reported,
        // so a burst of noise from other work on the machine does not decide the ratio.
        Map<Integer, List<Double>> server = new LinkedHashMap<>();
        Map<Integer, List<Double>> jdbc = new LinkedHashMap<>();
        long nextJdbcId = 1L << 41;
        for (int round = 1; round <= ROUNDS; round++) {
            Process p = start(dist, data, port);
            try {
                HttpClient http = HttpClient.newHttpClient();
                awaitHealthy(http, port);
                String ingest = ingestToken(http, port);
                activeOrg(http, port, "BENCH");
                // JIT warm-up: the server starts cold each round, the JDBC baseline runs in this warm JVM. A
                // server in service runs compiled code; with only 60,000 events of warm-up, a flight recording
                // showed the JIT compiler threads still busy (up to 40% of a core) through the measurement, so
                // each batch size is warmed with as many events as it is measured with.
                for (int batch : BATCHES) {
                    post(
                            http,
                            port,
                            ingest,
                            batchBody(0, batch, "warmup-" + batch),
                            Math.max(1, events / batch),
                            clients);
                }
                for (int batch : BATCHES) {
                    server.computeIfAbsent(batch, b -> new ArrayList<>())
                            .add(post(
                                    http,
                                    port,
                                    ingest,
                                    batchBody(0, batch, "server-" + batch),
                                    events / batch,
                                    clients));
                }
            } finally {
                p.destroy();
                p.waitFor();
            }
            String url = "jdbc:hsqldb:file:" + data.resolve("db/auditlog") + ";hsqldb.lock_file=false;hsqldb.tx=mvcc";
            try (Connection c = DriverManager.getConnection(url, "SA", "")) {
                c.setAutoCommit(false);
                jdbcInsert(c, 100, 5000, nextJdbcId); // warm-up
                nextJdbcId += 5000;
                for (int batch : BATCHES) {
                    jdbc.computeIfAbsent(batch, b -> new ArrayList<>()).add(jdbcInsert(c, batch, events, nextJdbcId));
                    nextJdbcId += events;
                }
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
            StringBuilder ratios = new StringBuilder();
            for (int batch : BATCHES) {
                List<Double> sv = server.get(batch);
                List<Double> jv = jdbc.get(batch);
                ratios.append(ratios.length() == 0 ? "" : ", ")
                        .append("batch ")
                        .append(batch)
                        .append(' ')
                        .append(Math.round(100 * sv.get(sv.size() - 1) / jv.get(jv.size() - 1)))
                        .append('%');
            }
            System.out.printf(
                    "round %d: server %s, JDBC %s events/s; server / JDBC %s%n",
                    round, last(server), last(jdbc), ratios);
        }

        System.out.println();
        System.out.println("| batch | server over HTTP (events/s) | raw JDBC batch (events/s) | server / JDBC |");
        System.out.println("|------:|----------------------------:|--------------------------:|--------------:|");
        for (int batch : BATCHES) {
            double s = median(server.get(batch));
            double j = median(jdbc.get(batch));
            System.out.printf("| %5d | %27.0f | %25.0f | %12.0f%% |%n", batch, s, j, 100 * s / j);
        }
        System.out.println(
                "(medians of " + ROUNDS + " rounds; goal: batch 1,000 at 80% and batch 100 at 50% of raw JDBC)");
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    static String last(Map<Integer, List<Double>> byBatch) {
        StringBuilder b = new StringBuilder();
        byBatch.forEach((batch, v) -> b.append(b.length() == 0 ? "" : ", ")
                .append("batch ")
                .append(batch)
                .append(": ")
                .append(Math.round(v.get(v.size() - 1))));
        return b.toString();
    }

    static Process start(Path dist, Path data, int port) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                dist.resolve("bin/auditlog").toString(),
                "--port",
                Integer.toString(port),
                "--data",
                data.toString(),
                "--deploy",
                data.resolve("deploy").toString());
        pb.environment().put("AUDITLOG_ADMIN_TOKEN", TOKEN);
        // -Dbench.serverJavaOpts="-XX:StartFlightRecording=filename=/tmp/ingest.jfr,settings=profile" profiles the
        // server
        String javaOpts = System.getProperty("bench.serverJavaOpts", "").trim();
        if (!javaOpts.isEmpty()) {
            pb.environment().put("JAVA_OPTS", javaOpts);
        }
        pb.redirectErrorStream(true);
        pb.redirectOutput(data.resolve("server.log").toFile());
        return pb.start();
    }

    static void awaitHealthy(HttpClient http, int port) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("server not healthy");
    }

    static String ingestToken(HttpClient http, int port) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/admin/tokens"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"ingest\",\"product\":\"Apps\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).get("token").asText();
    }

    /** Creates the organization with a running trial (events of an organization without a plan are refused). */
    static void activeOrg(HttpClient http, int port, String spaceKey) throws Exception {
        String base = "http://127.0.0.1:" + port + "/api/v1/admin/orgs";
        int created = send(
                http,
                HttpRequest.newBuilder(URI.create(base))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"spaceKey\":\"" + spaceKey + "\",\"name\":\"Benchmark\",\"licenseCount\":100}")));
        if (created == 409) {
            return; // exists from an earlier round
        }
        send(
                http,
                HttpRequest.newBuilder(URI.create(base + "/" + spaceKey + "/members"))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"userId\":\"owner\",\"name\":\"Owner\",\"email\":\"owner@bench.example\",\"role\":\"admin\"}")));
        send(
                http,
                HttpRequest.newBuilder(URI.create(base + "/" + spaceKey + "/plan"))
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"state\":\"trial\",\"planAdmin\":\"owner\"}")));
    }

    private static int send(HttpClient http, HttpRequest.Builder b) throws Exception {
        return http.send(
                        b.header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    static byte[] batchBody(int from, int size, String tag) throws IOException {
        List<Map<String, Object>> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("space_key", "BENCH");
            m.put("date", "2026-11-01T09:30:00Z");
            m.put("category", "Issue");
            m.put("event", "Update an issue");
            m.put("action", "BENCH-" + (from + i) + " was updated in BENCH (" + tag + ")");
            m.put("operation_user_id", "u" + (i % 50));
            m.put("operation_user_name", "User " + (i % 50));
            m.put("operation_user_email", "user" + (i % 50) + "@bench.example");
            m.put("ip_address", "192.0.2." + (i % 250));
            m.put("user_agent", "Mozilla/5.0 (X11; Linux x86_64) Benchmark");
            batch.add(m);
        }
        return JSON.writeValueAsBytes(batch);
    }

    /** Posts {@code requests} copies of a body from {@code clients} threads; returns events per second. */
    static double post(HttpClient http, int port, String token, byte[] body, int requests, int clients)
            throws Exception {
        return post(http, port, token, body, requests, clients, "Apps");
    }

    /** Posts {@code requests} copies of a body for a product from {@code clients} threads; returns events per second. */
    static double post(HttpClient http, int port, String token, byte[] body, int requests, int clients, String product)
            throws Exception {
        int perRequest = JSON.readTree(body).size();
        AtomicInteger left = new AtomicInteger(requests);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/products/" + product + "/events"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 201) {
                        throw new IllegalStateException("ingest answered " + r.statusCode());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return requests * perRequest / seconds;
    }

    /** Inserts {@code events} rows in batches of {@code batch}, one commit per batch; returns rows per second. */
    static double jdbcInsert(Connection c, int batch, int events, long firstId) throws Exception {
        OffsetDateTime date = Instant.parse("2026-11-01T09:30:00Z").atOffset(ZoneOffset.UTC);
        long start = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (id, space_key, product, event_date, "
                + "category, event, action, operation_user_id, operation_user_name, operation_user_email, ip_address, "
                + "user_agent, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (int i = 0; i < events; i++) {
                ps.setLong(1, firstId + i);
                ps.setString(2, "BENCH");
                ps.setString(3, "Apps");
                ps.setObject(4, date);
                ps.setString(5, "Issue");
                ps.setString(6, "Update an issue");
                ps.setString(7, "BENCH-" + i + " was updated in BENCH (jdbc-" + batch + ")");
                ps.setString(8, "u" + (i % 50));
                ps.setString(9, "User " + (i % 50));
                ps.setString(10, "user" + (i % 50) + "@bench.example");
                ps.setString(11, "192.0.2." + (i % 250));
                ps.setString(12, "Mozilla/5.0 (X11; Linux x86_64) Benchmark");
                ps.setString(13, "V1");
                ps.addBatch();
                if ((i + 1) % batch == 0) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            if (events % batch != 0) {
                ps.executeBatch();
                c.commit();
            }
        }
        return events / ((System.nanoTime() - start) / 1e9);
    }
}
