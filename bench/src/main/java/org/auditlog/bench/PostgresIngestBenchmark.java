package org.auditlog.bench;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Events per second ingested over HTTP into PostgreSQL, through one server node and then two on the same
 * database, for each way the store writes ({@code postgresqlIngest}: {@code insert}, JDBC batches rewritten into
 * multi-row INSERTs, and {@code copy}), next to raw {@code COPY} of the same rows (batches of 1,000, one commit
 * each, as many connections as HTTP clients) into the same table in the same run. Prints the ratios
 * server / raw COPY (goal: one node at 50%, two nodes faster than one).
 *
 * <p>Arguments: distribution folder, events per measurement, concurrent HTTP clients. System property
 * {@code bench.postgresql}: JDBC URL of a database to make the benchmark's database with.
 */
public final class PostgresIngestBenchmark {
    private static final String TOKEN = "benchmark-operator-token-0123456789";
    private static final int BATCH = 1000;
    private static final String DATABASE = "auditlog_bench_ingest";

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]).toAbsolutePath();
        int events = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        String admin = System.getProperty("bench.postgresql", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String url = admin.substring(0, admin.indexOf('/', "jdbc:postgresql://".length()) + 1) + DATABASE;
        System.out.printf(
                "PostgreSQL ingest benchmark: %d events per measurement, batches of %d, %d HTTP clients, "
                        + "%d cores, Java %s%n",
                events, BATCH, clients, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try (Connection c = DriverManager.getConnection(admin);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        List<String> table = new ArrayList<>();
        long nextId = 1L << 50;
        for (String mode : List.of("insert", "copy")) {
            for (int nodes = 1; nodes <= 2; nodes++) {
                double server = server(dist, url, mode, nodes, events, clients);
                double raw = rawCopy(url, events, clients, nextId);
                nextId += events + BATCH;
                System.out.printf(
                        "%s, %d node(s): server %.0f events/s, raw COPY %.0f rows/s: %.0f%%%n",
                        mode, nodes, server, raw, 100 * server / raw);
                table.add(String.format(
                        "| %-6s | %d | %14.0f | %14.0f | %5.0f%% |", mode, nodes, server, raw, 100 * server / raw));
            }
        }
        System.out.println();
        System.out.println("| ingest | nodes | server (events/s) | raw COPY (rows/s) | server / COPY |");
        System.out.println("|--------|------:|------------------:|------------------:|--------------:|");
        table.forEach(System.out::println);
        System.out.println("(raw COPY measured right after each server run, on the same table; goal: one node at 50%)");
    }

    /** Starts {@code nodes} servers on the database, posts to them round-robin; returns events per second. */
    static double server(Path dist, String url, String mode, int nodes, int events, int clients) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int n = 0; n < nodes; n++) {
                Path data = Files.createTempDirectory("auditlog-pg-bench");
                Path config = Files.createDirectories(data.resolve("config"));
                Files.writeString(
                        config.resolve("org.auditlog.storage.cfg"),
                        "url = " + url + "\npostgresqlIngest = " + mode + "\n",
                        StandardCharsets.UTF_8);
                Files.writeString(config.resolve("org.auditlog.capture.cfg"), "nodeId = " + (n + 1) + "\n");
                int port;
                try (ServerSocket s = new ServerSocket(0)) {
                    port = s.getLocalPort();
                }
                ProcessBuilder pb = new ProcessBuilder(
                        dist.resolve("bin/auditlog").toString(),
                        "--port",
                        Integer.toString(port),
                        "--data",
                        data.toString(),
                        "--deploy",
                        data.resolve("deploy").toString(),
                        "--config",
                        config.toString());
                pb.environment().put("AUDITLOG_ADMIN_TOKEN", TOKEN);
                pb.redirectErrorStream(true);
                pb.redirectOutput(data.resolve("server.log").toFile());
                processes.add(pb.start());
                ports.add(port);
            }
            HttpClient http = HttpClient.newHttpClient();
            List<String> tokens = new ArrayList<>();
            for (int port : ports) {
                IngestBenchmark.awaitHealthy(http, port);
            }
            IngestBenchmark.activeOrg(http, ports.get(0), "BENCH");
            for (int port : ports) {
                tokens.add(IngestBenchmark.ingestToken(http, port));
            }
            byte[] body = IngestBenchmark.batchBody(0, BATCH, mode + "-" + nodes);
            // warm-up: as many events as measured, spread over the nodes
            post(http, ports, tokens, body, events / BATCH, clients);
            return post(http, ports, tokens, body, events / BATCH, clients);
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                p.waitFor();
            }
        }
    }

    /** {@code requests} posts from {@code clients} threads, each thread to one node in turn; events per second. */
    static double post(
            HttpClient http, List<Integer> ports, List<String> tokens, byte[] body, int requests, int clients)
            throws Exception {
        List<Future<Double>> parts = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(ports.size());
        long start = System.nanoTime();
        int each = Math.max(1, clients / ports.size());
        for (int n = 0; n < ports.size(); n++) {
            int node = n;
            int share = requests / ports.size() + (n < requests % ports.size() ? 1 : 0);
            parts.add(pool.submit(
                    () -> IngestBenchmark.post(http, ports.get(node), tokens.get(node), body, share, each)));
        }
        for (Future<Double> f : parts) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return (double) requests * BATCH / seconds;
    }

    /** The same rows by COPY from {@code clients} connections, one commit per batch; rows per second. */
    static double rawCopy(String url, int events, int clients, long firstId) throws Exception {
        AtomicInteger left = new AtomicInteger(events / BATCH);
        AtomicLong ids = new AtomicLong(firstId);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> done = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            done.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(url)) {
                    c.setAutoCommit(false);
                    while (left.getAndDecrement() > 0) {
                        StringBuilder text = new StringBuilder(BATCH * 256);
                        for (int i = 0; i < BATCH; i++) {
                            text.append(ids.getAndIncrement())
                                    .append("\tBENCH\tApps\t2026-11-01 09:30:00.000+00:00\t"
                                            + "Issue\tUpdate an issue\tBENCH-")
                                    .append(i)
                                    .append(" was updated in BENCH (raw)\tu")
                                    .append(i % 50)
                                    .append("\tUser ")
                                    .append(i % 50)
                                    .append("\tuser")
                                    .append(i % 50)
                                    .append("@bench.example\t192.0.2.")
                                    .append(i % 250)
                                    .append("\tMozilla/5.0 (X11; Linux x86_64) Benchmark\tV1\n");
                        }
                        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                        CopyIn in = c.unwrap(PGConnection.class)
                                .getCopyAPI()
                                .copyIn("COPY audit_event (id, space_key, "
                                        + "product, event_date, category, event, action, operation_user_id, operation_user_name, "
                                        + "operation_user_email, ip_address, user_agent, version) FROM STDIN");
                        in.writeToCopy(bytes, 0, bytes.length);
                        in.endCopy();
                        c.commit();
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
        return (events / BATCH) * (double) BATCH / seconds;
    }

    private PostgresIngestBenchmark() {}
}
