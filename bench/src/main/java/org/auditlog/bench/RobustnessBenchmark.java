package org.auditlog.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What other traffic does to ingest and to {@code /health}, measured in one run against its own baselines:
 *
 * <ol>
 * <li>(a) ingest alone: events per second from 4 clients posting batches of 100 for several organizations;</li>
 * <li>(b) the same ingest while 10 clients search the big organization without pause with the searches that
 * once read the whole organization (a {@code user=} nobody is, a {@code category=} no record has; now bounded
 * per page by {@code searchScanRows}); printed
 * as the ratio b/a (goal: at least 80%), with the searches' latencies and their status counts (200, 503);</li>
 * <li>(c) {@code /health} latency percentiles, first alone, then while 200 slow clients trickle ingest bodies
 * (headers, then one byte a second, spread over 13 ingest tokens so that the per-token limit of 16 does not
 * answer them at once; a socket the server closes is counted and opened again). Goal: /health
 * always under 100 ms.</li>
 * <li>(d) untrusted traffic, all at once: an anonymous sign-in announcing a 1 GB body and sending it as fast as it
 * can (again whenever it is answered), 200 anonymous sign-ins trickling their bodies a byte a second, and 3,000
 * connections announcing a 1 MB ingest body under a made-up token that carries a real token's id (each opened
 * again a second after it is answered). Meanwhile: ingest from the real token (printed as a ratio of (a), goal:
 * at least 80%), {@code /health} latency (goal: p99 under 100 ms), and the server's resident memory (its peak
 * against the moment before; the bodies it may hold are bounded by {@code maxBufferedBytes}, 64 MiB).</li>
 * </ol>
 *
 * <p>Setup: a fresh data folder; the distribution starts once to create the database, the organizations (a trial
 * plan each) and a member token for the big organization's plan admin; then, with the server stopped, the big
 * organization gets {@code bigEvents} rows (default 425,000) and three others 2,000 each, with JDBC, as
 * {@link ExportBenchmark} fills its data. Arguments: distribution folder, bigEvents, seconds per phase.
 */
public final class RobustnessBenchmark {
    private static final String TOKEN = "benchmark-operator-token-0123456789";
    private static final String BIG = "BIG";
    private static final List<String> OTHERS = List.of("ORG1", "ORG2", "ORG3");
    private static final int CLIENTS = 4;
    private static final int BATCH = 100;
    private static final int SEARCHERS = 10;
    private static final int SLOW_CLIENTS = 200;

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]).toAbsolutePath();
        int bigEvents = args.length > 1 ? Integer.parseInt(args[1]) : 425_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        if (!Files.isExecutable(dist.resolve("bin/auditlog"))) {
            throw new IllegalStateException("no distribution at " + dist + " (build it with mvn package first)");
        }
        Path data = Files.createTempDirectory("auditlog-bench-robust");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        System.out.printf(
                "Robustness benchmark: %,d events in %s (+ %,d in each of %s), %d s per phase, %d cores, %s, "
                        + "Java %s%n",
                bigEvents,
                BIG,
                2000,
                OTHERS,
                seconds,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.version"));
        System.out.println("data folder: " + data);

        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String member;
        String ingest;
        List<String> slowTokens = new java.util.ArrayList<>();
        Process setup = ExportBenchmark.start(dist, data, port, "setup");
        try {
            IngestBenchmark.awaitHealthy(http, port);
            member = ExportBenchmark.memberToken(http, port, BIG);
            for (String org : OTHERS) {
                IngestBenchmark.activeOrg(http, port, org);
            }
            ingest = IngestBenchmark.ingestToken(http, port);
            // the slow clients spread over tokens, as many products' integrations would: one token may have only
            // 16 requests in flight (maxConcurrentRequestsPerToken), and the point is 200 held connections
            for (int i = 0; i < (SLOW_CLIENTS + 15) / 16; i++) {
                slowTokens.add(IngestBenchmark.ingestToken(http, port));
            }
        } finally {
            ExportBenchmark.stop(setup);
        }
        long t0 = System.nanoTime();
        long rows = fill(data, bigEvents);
        System.out.printf(
                "setup: %,d rows inserted with JDBC in %.1f s (database %.0f MiB)%n",
                rows, (System.nanoTime() - t0) / 1e9, ExportBenchmark.folderSize(data.resolve("db")) / 1048576.0);

        Process server = ExportBenchmark.start(dist, data, port, "run");
        try {
            IngestBenchmark.awaitHealthy(http, port);
            ExportBenchmark.awaitLine(data.resolve("server-run.log"), "Retention at", 300);
            // warm-up: ingest and searches, so neither phase pays for the JIT alone
            ingestFor(http, port, ingest, Duration.ofSeconds(Math.max(3, seconds / 5)));
            searchOnce(http, port, member, 0);

            double alone = ingestFor(http, port, ingest, Duration.ofSeconds(seconds));
            System.out.printf("(a) ingest alone: %,.0f events/s%n", alone);

            AtomicBoolean searching = new AtomicBoolean(true);
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            ExecutorService searchers = Executors.newFixedThreadPool(SEARCHERS);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < SEARCHERS; i++) {
                int n = i;
                running.add(searchers.submit(() -> {
                    int k = 0;
                    while (searching.get()) {
                        long s = System.nanoTime();
                        int status = searchOnce(http, port, member, n * 1000 + k++);
                        latencies.add((System.nanoTime() - s) / 1_000_000);
                        statuses.computeIfAbsent(status, x -> new AtomicInteger())
                                .incrementAndGet();
                    }
                    return null;
                }));
            }
            Thread.sleep(1000); // the searches are under way
            double during = ingestFor(http, port, ingest, Duration.ofSeconds(seconds));
            searching.set(false);
            for (Future<?> f : running) {
                f.get();
            }
            searchers.shutdown();
            System.out.printf(
                    "(b) ingest during %d scanning searches: %,.0f events/s = %.0f%% of (a) (goal >= 80%%)%n",
                    SEARCHERS, during, 100 * during / alone);
            System.out.printf(
                    "    searches: %d done, statuses %s, latency ms %s%n",
                    latencies.size(), new java.util.TreeMap<>(statuses), percentiles(latencies));

            List<Long> healthAlone = healthFor(http, port, Duration.ofSeconds(Math.max(5, seconds / 2)));
            System.out.printf("(c) /health alone: ms %s%n", percentiles(healthAlone));
            try (SlowClients slow = new SlowClients(
                    port, i -> ingestHead(port, slowTokens.get(i % slowTokens.size()), 100_000), true, SLOW_CLIENTS)) {
                slow.start();
                Thread.sleep(2000);
                List<Long> healthSlow = healthFor(http, port, Duration.ofSeconds(seconds));
                System.out.printf(
                        "    /health with %d slow clients trickling ingest bodies: ms %s (goal: max < 100 ms)%n",
                        SLOW_CLIENTS, percentiles(healthSlow));
                System.out.printf(
                        "    slow clients: %d connections opened, %d closed by the server, %d bytes trickled%n",
                        slow.opened.get(), slow.closedByServer.get(), slow.bytes.get());
            }
            untrusted(http, port, server.pid(), ingest, alone, seconds);
        } finally {
            ExportBenchmark.stop(server);
        }
        ExportBenchmark.deleteTree(data);
    }

    static final int MADE_UP = 3000;
    static final int SLOW_SIGN_INS = 200;

    /** (d): the untrusted traffic of the class comment, and what it does to ingest, /health and memory. */
    static void untrusted(HttpClient http, int port, long pid, String ingest, double alone, int seconds)
            throws Exception {
        String id = ingest.substring("alt_".length(), ingest.indexOf('_', "alt_".length()));
        long rssBefore = rssKiB(pid);
        AtomicLong rssPeak = new AtomicLong(rssBefore);
        java.util.concurrent.ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> rssPeak.accumulateAndGet(rssKiB(pid), Math::max),
                0,
                200,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        HugeBody huge = new HugeBody(port, 1L << 30);
        Thread hugeThread = new Thread(huge, "huge-body");
        try (SlowClients signIns = new SlowClients(
                        port,
                        i -> "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                + "\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{",
                        true,
                        SLOW_SIGN_INS);
                SlowClients madeUp = new SlowClients(
                        port, i -> ingestHead(port, "alt_" + id + "_made-up-" + i, 1_000_000), false, MADE_UP)) {
            hugeThread.start();
            signIns.start();
            madeUp.start();
            Thread.sleep(2000);
            double during = ingestFor(http, port, ingest, Duration.ofSeconds(seconds));
            List<Long> health = healthFor(http, port, Duration.ofSeconds(Math.max(5, seconds / 2)));
            System.out.printf(
                    "(d) ingest during untrusted traffic: %,.0f events/s = %.0f%% of (a) (goal >= 80%%)%n",
                    during, 100 * during / alone);
            System.out.printf(
                    "    /health during untrusted traffic: ms %s (goal: p99 < 100 ms)%n", percentiles(health));
            System.out.printf(
                    "    1 GB anonymous bodies: %d sent, %d answered (%s), %,d bytes written before the "
                            + "answer or the close, slowest answer %d ms%n",
                    huge.attempts.get(),
                    huge.answered.get(),
                    new java.util.TreeMap<>(huge.statuses),
                    huge.bytes.get(),
                    huge.slowestMillis.get());
            System.out.printf(
                    "    slow anonymous sign-ins: %d connections opened, %d answered or closed, %d bytes "
                            + "trickled%n",
                    signIns.opened.get(), signIns.closedByServer.get(), signIns.bytes.get());
            System.out.printf(
                    "    made-up ingest tokens: %d connections opened, %d answered or closed%n",
                    madeUp.opened.get(), madeUp.closedByServer.get());
        } finally {
            huge.stop();
            hugeThread.join(10_000);
            sampler.shutdownNow();
        }
        System.out.printf(
                "    server resident memory: %,d MiB before, peak %,d MiB during (heap -Xmx512m; request "
                        + "bodies held: at most maxBufferedBytes, 64 MiB)%n",
                rssBefore / 1024, rssPeak.get() / 1024);
    }

    static String ingestHead(int port, String token, long length) {
        return "POST /api/v1/products/Apps/events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer "
                + token + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n[";
    }

    /** The resident memory of a process in KiB (Linux), or 0 where it cannot be read. */
    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return 0;
    }

    /** Anonymous sign-ins announcing {@code length} bytes, each sent as fast as the server takes them. */
    static final class HugeBody implements Runnable {
        private final int port;
        private final long length;
        private volatile boolean running = true;
        private volatile Socket current;
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong slowestMillis = new AtomicLong();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

        HugeBody(int port, long length) {
            this.port = port;
            this.length = length;
        }

        void stop() {
            running = false;
            Socket s = current;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // gone
                }
            }
        }

        @Override
        public void run() {
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            while (running) {
                attempts.incrementAndGet();
                long start = System.nanoTime();
                try (Socket s = new Socket("127.0.0.1", port)) {
                    current = s;
                    s.setSoTimeout(30_000);
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: "
                                    + "application/json\r\nContent-Length: " + length + "\r\n\r\n{")
                            .getBytes(StandardCharsets.US_ASCII));
                    Thread reader = new Thread(() -> {
                        try {
                            byte[] head = s.getInputStream().readNBytes(12);
                            if (head.length == 12) {
                                statuses.computeIfAbsent(
                                                Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII)),
                                                x -> new AtomicInteger())
                                        .incrementAndGet();
                                answered.incrementAndGet();
                                slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                            }
                        } catch (IOException | RuntimeException e) {
                            // closed without an answer
                        }
                    });
                    reader.start();
                    long sent = 0;
                    try {
                        while (running && sent < length && reader.isAlive()) {
                            out.write(chunk);
                            sent += chunk.length;
                        }
                    } catch (IOException e) {
                        // the server closed the connection: the body is refused
                    }
                    bytes.addAndGet(sent);
                    reader.join(30_000);
                } catch (IOException | InterruptedException e) {
                    // counted as an attempt without an answer
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** 4 clients post batches of 100 for the small organizations in turn for {@code d}; events per second. */
    static double ingestFor(HttpClient http, int port, String token, Duration d) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (String org : OTHERS) {
            bodies.add(body(org));
        }
        long deadline = System.nanoTime() + d.toNanos();
        AtomicLong events = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            done.add(pool.submit(() -> {
                int k = client;
                while (System.nanoTime() < deadline) {
                    HttpRequest request = HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/v1/products/Apps/events"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(120))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(k++ % bodies.size())))
                            .build();
                    HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 201) {
                        throw new IllegalStateException("ingest answered " + r.statusCode());
                    }
                    events.addAndGet(BATCH);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return events.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static byte[] body(String org) throws IOException {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("space_key", org);
            m.put(
                    "date",
                    Instant.now()
                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            .toString());
            m.put("category", "Issue");
            m.put("event", "Update an issue");
            m.put("action", org + "-" + i + " was updated");
            m.put("operation_user_id", "u" + (i % 50));
            m.put("operation_user_name", "User " + (i % 50));
            m.put("operation_user_email", "user" + (i % 50) + "@bench.example");
            m.put("ip_address", "192.0.2." + (i % 250));
            m.put("user_agent", "Mozilla/5.0 Benchmark");
            batch.add(m);
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(batch);
    }

    /** One search of the big organization that reads all of it (nothing matches); its status. */
    static int searchOnce(HttpClient http, int port, String member, int n) throws Exception {
        String query = n % 2 == 0 ? "user=nobody-" + n : "category=NoSuchCategory" + n;
        HttpResponse<Void> r = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + port + "/api/v1/orgs/" + BIG + "/events?limit=100&" + query))
                        .header("Authorization", "Bearer " + member)
                        .timeout(Duration.ofSeconds(300))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode();
    }

    /** {@code GET /health} every 50 ms for {@code d}; each answer's latency in ms (a failure counts as 10 s). */
    static List<Long> healthFor(HttpClient http, int port, Duration d) throws Exception {
        List<Long> out = new ArrayList<>();
        long deadline = System.nanoTime() + d.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(10))
                .build();
        while (System.nanoTime() < deadline) {
            long s = System.nanoTime();
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                out.add(status == 200 ? (System.nanoTime() - s) / 1_000_000 : 10_000);
            } catch (IOException e) {
                out.add(10_000L);
            }
            Thread.sleep(50);
        }
        return out;
    }

    static String percentiles(List<Long> values) {
        if (values.isEmpty()) {
            return "(none)";
        }
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        return String.format(
                "p50 %d, p99 %d, max %d (n=%d)",
                v.get(v.size() / 2),
                v.get(Math.min(v.size() - 1, (int) Math.ceil(v.size() * 0.99) - 1)),
                v.get(v.size() - 1),
                v.size());
    }

    /**
     * Sockets that send a request's head (and the first byte of its body), then, when {@code trickle}, one byte of
     * the body a second; a socket the server answered or closed is counted and opened again, a second later.
     */
    static final class SlowClients implements AutoCloseable {
        private final int port;
        private final java.util.function.IntFunction<String> head;
        private final boolean trickle;
        private final Socket[] sockets;
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closedByServer = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        private final java.util.concurrent.ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor();

        SlowClients(int port, java.util.function.IntFunction<String> head, boolean trickle, int n) {
            this.port = port;
            this.head = head;
            this.trickle = trickle;
            this.sockets = new Socket[n];
        }

        void start() {
            for (int i = 0; i < sockets.length; i++) {
                sockets[i] = open(i);
            }
            timer.scheduleAtFixedRate(this::trickle, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }

        private Socket open(int i) {
            try {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(1);
                s.getOutputStream().write(head.apply(i).getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                opened.incrementAndGet();
                return s;
            } catch (IOException e) {
                return null;
            }
        }

        private void trickle() {
            for (int i = 0; i < sockets.length; i++) {
                Socket s = sockets[i];
                boolean alive = s != null;
                if (alive) {
                    try {
                        // an answer or end of stream means the server gave up on the request
                        try {
                            if (s.getInputStream().read() != -2) {
                                alive = false;
                            }
                        } catch (java.net.SocketTimeoutException nothingYet) {
                            // still waiting for the body, as intended
                        }
                        if (alive && trickle) {
                            OutputStream out = s.getOutputStream();
                            out.write(' ');
                            out.flush();
                            bytes.incrementAndGet();
                        }
                    } catch (IOException e) {
                        alive = false;
                    }
                }
                if (!alive) {
                    if (s != null) {
                        closedByServer.incrementAndGet();
                        try {
                            s.close();
                        } catch (IOException e) {
                            // gone
                        }
                    }
                    sockets[i] = open(i);
                }
            }
        }

        @Override
        public void close() {
            timer.shutdownNow();
            for (Socket s : sockets) {
                try {
                    if (s != null) {
                        s.close();
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        }
    }

    /**
     * The big organization's rows over the last 30 days (50 users, Backlog activities as ExportBenchmark makes
     * them) and 2,000 for each other organization, with JDBC while the server is stopped; ids as the server
     * makes them (node 1), unique and increasing with the dates.
     */
    static long fill(Path data, int bigEvents) throws Exception {
        int total = bigEvents + OTHERS.size() * 2000;
        long end = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        long span = Duration.ofDays(30).toMillis();
        long epoch = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
        Random random = new Random(425_000);
        ExportBenchmark.Rows gen = new ExportBenchmark.Rows(random);
        long n = 0;
        try (Connection c = DriverManager.getConnection(ExportBenchmark.jdbcUrl(data), "SA", "")) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO audit_event (id, space_key, product, event_date, "
                            + "category, event, action, operation_user_id, operation_user_name, operation_user_email, ip_address, "
                            + "user_agent, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (int i = 0; i < total; i++) {
                    long date = end - span + (long) i * span / total;
                    String org = random.nextInt(total) < bigEvents ? BIG : OTHERS.get(i % OTHERS.size());
                    ps.setLong(1, ((date - epoch) << 22) | (1L << 12) | (i & 0xfff));
                    ps.setString(2, org);
                    ps.setString(3, "Backlog");
                    ps.setObject(4, Instant.ofEpochMilli(date).atOffset(ZoneOffset.UTC));
                    gen.fill(ps, "Backlog");
                    ps.setString(13, "V1");
                    ps.addBatch();
                    if (++n % 5000 == 0) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
        return n;
    }

    private RobustnessBenchmark() {}
}
