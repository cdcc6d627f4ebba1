package org.auditlog.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Rows per second of a past month's export ({@code GET /api/v1/orgs/{spaceKey}/archives/{YYYYMM}/Backlog},
 * built on demand) next to a baseline in the same run: the same rows read with plain JDBC from the same
 * HSQLDB database and written with commons-csv (same format, same cell rules) into a {@link ZipOutputStream}
 * on a temporary file that is forced and moved into place, as the server does. Also the server's heap
 * during the export, sampled from outside through the Attach API and JMX, next to a control export of a
 * quarter of the rows: an export whose memory does not grow with its rows shows similar figures for both.
 *
 * <p>Setup: a fresh data folder; the distribution starts once to create its database and the organizations
 * (trial plan, the plan admin holding the Audit Log Admin privilege, a member token for them); then, with
 * the server stopped, N events of {@code BENCH}/{@code Backlog}, N/4 of {@code SMALL}/{@code Backlog}
 * (the control) and a few hundred of another organization and of another product, all in the previous
 * month (UTC), are inserted with plain JDBC batches, plus a few of {@code BENCH}/{@code Backlog} just
 * outside that month.
 *
 * <p>Rounds, {@value #ROUNDS} times, alternating: the server (started with a fixed heap), exporting first the
 * control and then the N-row month, each timed from request to last byte received, the built files deleted
 * afterwards so the next round builds them again; then, with the server stopped, the baseline exporting the
 * same two months. Medians are reported. The first round also downloads both files again (outside the
 * timing) and checks them: one CSV entry, header plus one record per row, and the same CSV bytes as the
 * baseline's.
 *
 * <p>Arguments: distribution folder, events of the N-row month (default 1,000,000).
 */
public final class ExportBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "benchmark-operator-token-0123456789";
    private static final int ROUNDS = 3;
    /** The server's JVM options: a fixed heap, so the heap figures of all rounds compare. */
    private static final String SERVER_HEAP = "-Xms512m -Xmx512m";

    private static final String PRODUCT = "Backlog";
    private static final String MAIN = "BENCH";
    private static final String SMALL = "SMALL";
    private static final String OTHER = "OTHER";
    private static final int NOISE = 300;
    private static final long SAMPLE_MILLIS = 100;

    /** The V1 columns in file order (org.auditlog.api.adapter.Column.header()). */
    static final List<String> HEADER = List.of(
            "id",
            "space_key",
            "product",
            "date",
            "category",
            "event",
            "action",
            "operation_user_id",
            "operation_user_name",
            "operation_user_email",
            "ip_address",
            "user_agent",
            "version");
    /** As org.auditlog.export.internal.CsvZipWriter. */
    static final CSVFormat FORMAT = CSVFormat.RFC4180;

    static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int BYTES_BUFFER = 64 * 1024;
    private static final int CHARS_BUFFER = 16 * 1024;

    /** The statement of org.auditlog.storage (MyBatisAuditStore.STREAM_SQL): same columns, filter and order. */
    static final String STREAM_SQL = "SELECT id, space_key, product, event_date, category, event, action, "
            + "operation_user_id, operation_user_name, operation_user_email, ip_address, user_agent, version "
            + "FROM audit_event WHERE space_key = ? AND product = ? AND event_date >= ? AND event_date < ? "
            + "ORDER BY space_key, product, event_date, id";

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]).toAbsolutePath();
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int small = Math.max(1, events / 4);
        if (!Files.isExecutable(dist.resolve("bin/auditlog"))) {
            throw new IllegalStateException("no distribution at " + dist + " (build it with mvn package first)");
        }
        Path data = Files.createTempDirectory("auditlog-bench-export");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        String yyyymm = String.format("%04d%02d", month.getYear(), month.getMonthValue());
        System.out.printf(
                "Export benchmark: %,d events of %s/%s in %s (control: %,d of %s), %d cores, %s, Java %s (%s)%n",
                events,
                MAIN,
                PRODUCT,
                month,
                small,
                SMALL,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
        System.out.println("data folder: " + data + "; server JVM options: " + SERVER_HEAP);

        // Setup: the server creates its database and the organizations, then stops; the rows go in with JDBC.
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, String> tokens = new java.util.HashMap<>();
        Process setup = start(dist, data, port, "setup");
        try {
            IngestBenchmark.awaitHealthy(http, port);
            for (String org : List.of(MAIN, SMALL, OTHER)) {
                tokens.put(org, memberToken(http, port, org));
            }
        } finally {
            stop(setup);
        }
        long insertStart = System.nanoTime();
        long inserted = insert(data, month, events, small);
        System.out.printf(
                "setup: %,d rows inserted with JDBC in %.1f s (database %.0f MiB)%n",
                inserted, (System.nanoTime() - insertStart) / 1e9, folderSize(data.resolve("db")) / 1048576.0);

        List<ServerExport> serverMain = new ArrayList<>();
        List<ServerExport> serverSmall = new ArrayList<>();
        List<BaselineExport> baseMain = new ArrayList<>();
        List<BaselineExport> baseSmall = new ArrayList<>();
        Path checked = data.resolve("checked");
        Files.createDirectories(checked);
        Path baselineDir = data.resolve("baseline");
        for (int round = 1; round <= ROUNDS; round++) {
            // (a) the server
            Path log = data.resolve("server-round-" + round + ".log");
            Process p = start(dist, data, port, "round-" + round);
            try {
                IngestBenchmark.awaitHealthy(http, port);
                // The retention job runs once at start in the background (a scan of the events table):
                // wait for it, so it does not run during the timed export.
                awaitLine(log, "Retention at", 300);
                try (HeapProbe probe = HeapProbe.attach(p.pid())) {
                    // the control first: it also warms up the server's JIT, as the baseline's control does
                    serverSmall.add(serverExport(http, port, SMALL, tokens.get(SMALL), yyyymm, small, probe));
                    serverMain.add(serverExport(http, port, MAIN, tokens.get(MAIN), yyyymm, events, probe));
                }
                if (round == 1) {
                    // Checked once, outside the timing: the file is built now, so this GET only transfers it.
                    for (String org : List.of(SMALL, MAIN)) {
                        Path copy = checked.resolve(org + "-" + fileName(yyyymm));
                        download(http, port, org, tokens.get(org), yyyymm, copy);
                        checkZip(copy, entryName(yyyymm), org.equals(MAIN) ? events : small);
                    }
                }
                for (String org : List.of(SMALL, MAIN)) {
                    Path built = data.resolve("exports").resolve(org).resolve(fileName(yyyymm));
                    if (!Files.deleteIfExists(built)) {
                        throw new IllegalStateException("the server did not keep " + built);
                    }
                }
            } finally {
                stop(p);
            }
            // (b) the baseline, the server stopped
            try (Connection c = DriverManager.getConnection(jdbcUrl(data), "SA", "")) {
                baseSmall.add(baselineExport(c, SMALL, month, baselineDir, small));
                baseMain.add(baselineExport(c, MAIN, month, baselineDir, events));
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
            if (round == 1) {
                for (String org : List.of(SMALL, MAIN)) {
                    compareCsv(
                            checked.resolve(org + "-" + fileName(yyyymm)),
                            baselineDir.resolve(org).resolve(fileName(yyyymm)),
                            entryName(yyyymm));
                }
            }
            ServerExport s = serverMain.get(round - 1);
            BaselineExport b = baseMain.get(round - 1);
            System.out.printf(
                    "round %d: %s %,d rows: server %,.0f rows/s (%.2f s: build %.2f s + transfer %.2f s), "
                            + "baseline %,.0f rows/s (%.2f s); control %,d rows: server %,.0f, baseline %,.0f rows/s%n",
                    round,
                    MAIN,
                    events,
                    s.rowsPerSecond(),
                    s.seconds(),
                    s.buildSeconds(),
                    s.seconds() - s.buildSeconds(),
                    b.rowsPerSecond(),
                    b.seconds,
                    small,
                    serverSmall.get(round - 1).rowsPerSecond(),
                    baseSmall.get(round - 1).rowsPerSecond());
        }

        report(events, small, yyyymm, serverMain, serverSmall, baseMain, baseSmall);
        deleteTree(data);
    }

    // ------------------------------------------------------------------------------------------------ report

    private static void report(
            int events,
            int small,
            String yyyymm,
            List<ServerExport> serverMain,
            List<ServerExport> serverSmall,
            List<BaselineExport> baseMain,
            List<BaselineExport> baseSmall) {
        System.out.println();
        System.out.println("| export | rows | server over HTTP (rows/s) | server build only (rows/s) | "
                + "baseline JDBC + commons-csv (rows/s) | server / baseline |");
        System.out.println("|--------|-----:|--------------------------:|---------------------------:|"
                + "-------------------------------------:|------------------:|");
        row(MAIN + "/" + PRODUCT + " " + yyyymm, events, serverMain, baseMain);
        row(SMALL + "/" + PRODUCT + " " + yyyymm + " (control)", small, serverSmall, baseSmall);
        System.out.println(
                "(medians of " + ROUNDS + " rounds. The server's time runs from the request to the last byte "
                        + "received, so it includes the HTTP transfer of the built file over loopback (and the request's "
                        + "authorization and self-audit record); the baseline's does not, nothing is subtracted. \"build only\" "
                        + "is the time to the response headers, which the server sends once the file is built and in place. "
                        + "Goal: the export reaches at least 80% of the baseline. The control runs first in each round, on a "
                        + "freshly started server and a freshly opened database, so its rate includes that warm-up: it is "
                        + "there for the heap comparison below, not for the goal.)");
        System.out.printf(
                "file sizes: server %,d bytes, baseline %,d bytes (%s, round 1)%n",
                serverMain.get(0).bytes, baseMain.get(0).bytes, fileName(yyyymm));

        System.out.println();
        System.out.println("Server heap during the export (" + SERVER_HEAP + ", " + serverMain.get(0).collectors
                + "), MiB. \"after GC\" is the heap in use right after the most recent collection (young or full), "
                + "from GcInfo.getMemoryUsageAfterGc of the server's GarbageCollectorMXBeans, summed over the heap "
                + "pools: what survived, without the garbage of the young generation. It is read every "
                + SAMPLE_MILLIS + " ms during the request, at 25/50/75/100% of the build (the time to the response "
                + "headers); \"max\" over the whole request. \"used max\" is the largest whole-heap used sampled "
                + "(garbage included). \"before\" is after a forced full GC just before the request; no GC is forced "
                + "during it.");
        System.out.println(
                "| export | round | rows | before | after GC 25% | 50% | 75% | 100% | after GC max | used max "
                        + "| GCs during |");
        System.out.println(
                "|--------|------:|-----:|-------:|-------------:|----:|----:|-----:|-------------:|---------:"
                        + "|-----------:|");
        for (int i = 0; i < serverMain.size(); i++) {
            heapRow(MAIN, i + 1, events, serverMain.get(i));
            heapRow(SMALL + " (control)", i + 1, small, serverSmall.get(i));
        }
        double mainMax =
                median(serverMain.stream().map(e -> mib(e.afterGcMax())).toList());
        double smallMax =
                median(serverSmall.stream().map(e -> mib(e.afterGcMax())).toList());
        System.out.printf(
                "median heap after GC, max during the export: %,d rows %.1f MiB, %,d rows %.1f MiB "
                        + "(goal: the heap does not grow with the number of rows)%n",
                events, mainMax, small, smallMax);
    }

    private static void row(String name, int rows, List<ServerExport> server, List<BaselineExport> base) {
        double s = median(server.stream().map(ServerExport::rowsPerSecond).toList());
        double sb = median(server.stream().map(e -> e.rows / e.buildSeconds()).toList());
        double b = median(base.stream().map(BaselineExport::rowsPerSecond).toList());
        System.out.printf("| %s | %,d | %,.0f | %,.0f | %,.0f | %.0f%% |%n", name, rows, s, sb, b, 100 * s / b);
    }

    private static void heapRow(String name, int round, int rows, ServerExport e) {
        System.out.printf(
                "| %s | %d | %,d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d |%n",
                name,
                round,
                rows,
                mib(e.before),
                mib(e.afterGcAt(0.25)),
                mib(e.afterGcAt(0.5)),
                mib(e.afterGcAt(0.75)),
                mib(e.afterGcAt(1.0)),
                mib(e.afterGcMax()),
                mib(e.usedMax()),
                e.gcsDuring());
    }

    static double median(List<Double> values) {
        return IngestBenchmark.median(values);
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    // ------------------------------------------------------------------------------------------------ server

    static Process start(Path dist, Path data, int port, String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                dist.resolve("bin/auditlog").toString(),
                "--port",
                Integer.toString(port),
                "--data",
                data.toString(),
                "--deploy",
                data.resolve("deploy").toString());
        pb.environment().put("AUDITLOG_ADMIN_TOKEN", TOKEN);
        pb.environment().put("JAVA_OPTS", SERVER_HEAP);
        // -Dbench.jdbcUrl=jdbc:postgresql://...: the server on that database instead of its embedded HSQLDB
        String url = System.getProperty("bench.jdbcUrl", "").strip();
        if (!url.isEmpty()) {
            pb.environment().put("AUDITLOG_JDBC_URL", url);
        }
        pb.redirectErrorStream(true);
        pb.redirectOutput(data.resolve("server-" + name + ".log").toFile());
        return pb.start();
    }

    /** SIGTERM, as an operator stops the server; it exits 0 once its database is shut down. */
    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            System.out.println("WARNING: the server did not stop within 120 s of SIGTERM; killed");
            p.destroyForcibly().waitFor();
        } else if (p.exitValue() != 0) {
            System.out.println("WARNING: the server exited " + p.exitValue() + " on SIGTERM (expected 0)");
        }
    }

    static void awaitLine(Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)
                    && Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1)
                            .contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no \"" + text + "\" in " + log + " within " + seconds + " s");
    }

    /** Creates the organization with a trial plan whose plan admin holds the privilege; a member token for them. */
    static String memberToken(HttpClient http, int port, String spaceKey) throws Exception {
        String base = "http://127.0.0.1:" + port + "/api/v1/admin/orgs";
        expect(
                201,
                send(
                        http,
                        base,
                        "POST",
                        "{\"spaceKey\":\"" + spaceKey + "\",\"name\":\"Benchmark " + spaceKey
                                + "\",\"licenseCount\":100}"));
        expect(
                201,
                send(
                        http,
                        base + "/" + spaceKey + "/members",
                        "POST",
                        "{\"userId\":\"owner\",\"name\":\"Owner\",\"email\":\"owner@bench.example\",\"role\":\"admin\"}"));
        expect(
                200,
                send(http, base + "/" + spaceKey + "/plan", "PUT", "{\"state\":\"trial\",\"planAdmin\":\"owner\"}"));
        return newMemberToken(http, port, spaceKey);
    }

    /** A new member token for the owner of an organization {@link #memberToken} made in an earlier run. */
    static String newMemberToken(HttpClient http, int port, String spaceKey) throws Exception {
        HttpResponse<String> r = send(
                http,
                "http://127.0.0.1:" + port + "/api/v1/admin/tokens",
                "POST",
                "{\"kind\":\"member\",\"spaceKey\":\"" + spaceKey + "\",\"userId\":\"owner\"}");
        expect(201, r);
        return JSON.readTree(r.body()).get("token").asText();
    }

    private static HttpResponse<String> send(HttpClient http, String url, String method, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(int status, HttpResponse<String> r) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().method() + " "
                    + r.request().uri() + " answered " + r.statusCode() + " (expected " + status + "): " + r.body());
        }
    }

    private static HttpRequest archive(int port, String spaceKey, String token, String yyyymm) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/orgs/" + spaceKey + "/archives/"
                        + yyyymm + "/" + PRODUCT))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
    }

    /** One timed export through the server: request to last byte, the body counted and discarded. */
    static ServerExport serverExport(
            HttpClient http, int port, String spaceKey, String token, String yyyymm, int rows, HeapProbe probe)
            throws Exception {
        long before = probe.forcedGcHeap(); // outside the timing
        HttpRequest request = archive(port, spaceKey, token, yyyymm);
        byte[] buffer = new byte[64 * 1024];
        probe.startSampling();
        long start = System.nanoTime();
        long headers;
        long bytes = 0;
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        headers = System.nanoTime();
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                probe.stopSampling();
                throw new IllegalStateException("GET " + request.uri() + " answered " + r.statusCode() + ": "
                        + new String(in.readAllBytes(), UTF_8));
            }
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes += n;
            }
        }
        long end = System.nanoTime();
        List<Sample> samples = probe.stopSampling();
        long declared = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared != bytes) {
            throw new IllegalStateException(
                    "GET " + request.uri() + " gave " + bytes + " bytes, Content-Length " + declared);
        }
        return new ServerExport(rows, bytes, start, headers, end, before, samples, probe.collectorNames());
    }

    /** An untimed download of an already built file, kept for the checks. */
    static void download(HttpClient http, int port, String spaceKey, String token, String yyyymm, Path to)
            throws Exception {
        HttpResponse<Path> r = http.send(archive(port, spaceKey, token, yyyymm), HttpResponse.BodyHandlers.ofFile(to));
        if (r.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET " + r.uri() + " answered " + r.statusCode() + ": " + Files.readString(to));
        }
    }

    record Sample(long nanos, long heapUsed, long afterGc, long gcCount) {}

    record ServerExport(
            int rows,
            long bytes,
            long start,
            long headers,
            long end,
            long before,
            List<Sample> samples,
            String collectors) {
        double seconds() {
            return (end - start) / 1e9;
        }

        double buildSeconds() {
            return (headers - start) / 1e9;
        }

        double rowsPerSecond() {
            return rows / seconds();
        }

        /** The heap after the most recent GC at this fraction of the build (the time to the response headers). */
        long afterGcAt(double fraction) {
            long at = start + (long) ((headers - start) * fraction);
            long value = before;
            for (Sample s : samples) {
                if (s.nanos > at) {
                    break;
                }
                value = s.afterGc;
            }
            return value;
        }

        long afterGcMax() {
            return samples.stream().mapToLong(Sample::afterGc).max().orElse(before);
        }

        long usedMax() {
            return samples.stream().mapToLong(Sample::heapUsed).max().orElse(0);
        }

        long gcsDuring() {
            return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).gcCount - samples.get(0).gcCount;
        }
    }

    /**
     * The server JVM's memory, read from this process: the Attach API starts the server's local management
     * agent, and the platform MXBeans are read over its JMX connection.
     */
    static final class HeapProbe implements AutoCloseable {
        private final JMXConnector connector;
        private final MemoryMXBean memory;
        private final List<GarbageCollectorMXBean> collectors;
        private final Set<String> heapPools = new HashSet<>();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heap-probe");
            t.setDaemon(true);
            return t;
        });
        private final List<Sample> samples = new ArrayList<>();
        private java.util.concurrent.ScheduledFuture<?> task;
        private long[] lastCounts;
        private long lastEnd = -1;
        private long afterGc;

        private HeapProbe(JMXConnector connector) throws IOException {
            this.connector = connector;
            MBeanServerConnection c = connector.getMBeanServerConnection();
            this.memory = ManagementFactory.getPlatformMXBean(c, MemoryMXBean.class);
            this.collectors = ManagementFactory.getPlatformMXBeans(c, GarbageCollectorMXBean.class);
            for (MemoryPoolMXBean pool : ManagementFactory.getPlatformMXBeans(c, MemoryPoolMXBean.class)) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
        }

        static HeapProbe attach(long pid) throws Exception {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            return new HeapProbe(JMXConnectorFactory.connect(new JMXServiceURL(address)));
        }

        String collectorNames() {
            return String.join(
                    " + ",
                    collectors.stream().map(GarbageCollectorMXBean::getName).toList());
        }

        /** Forces a full GC (never during a timed export) and answers the heap in use after it. */
        long forcedGcHeap() throws InterruptedException {
            memory.gc();
            Thread.sleep(200);
            readGcs();
            return afterGc;
        }

        synchronized void startSampling() {
            samples.clear();
            sample();
            task = timer.scheduleAtFixedRate(this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        }

        List<Sample> stopSampling() throws InterruptedException {
            task.cancel(false);
            try {
                timer.submit(() -> {}).get(); // a sample still running has finished
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
            synchronized (this) {
                sample();
                return List.copyOf(samples);
            }
        }

        private synchronized void sample() {
            try {
                long now = System.nanoTime();
                long used = memory.getHeapMemoryUsage().getUsed();
                long count = readGcs();
                samples.add(new Sample(now, used, afterGc, count));
            } catch (RuntimeException e) {
                System.out.println("WARNING: heap sample failed: " + e);
            }
        }

        /** Updates {@link #afterGc} from the most recent collection; answers the collections so far. */
        private long readGcs() {
            long total = 0;
            if (lastCounts == null) {
                lastCounts = new long[collectors.size()];
                java.util.Arrays.fill(lastCounts, -1);
            }
            for (int i = 0; i < collectors.size(); i++) {
                GarbageCollectorMXBean gc = collectors.get(i);
                long count = gc.getCollectionCount();
                total += count;
                if (count != lastCounts[i]) {
                    lastCounts[i] = count;
                    GcInfo info = gc.getLastGcInfo();
                    if (info != null && info.getEndTime() >= lastEnd) {
                        lastEnd = info.getEndTime();
                        long sum = 0;
                        for (Map.Entry<String, MemoryUsage> e :
                                info.getMemoryUsageAfterGc().entrySet()) {
                            if (heapPools.contains(e.getKey())) {
                                sum += e.getValue().getUsed();
                            }
                        }
                        afterGc = sum;
                    }
                }
            }
            return total;
        }

        @Override
        public void close() throws IOException {
            timer.shutdownNow();
            connector.close();
        }
    }

    // ---------------------------------------------------------------------------------------------- baseline

    static String jdbcUrl(Path data) {
        // as org.auditlog.storage's Database.openEmbedded
        return "jdbc:hsqldb:file:" + data.resolve("db/auditlog").toAbsolutePath()
                + ";hsqldb.lock_file=false;hsqldb.tx=mvcc;sql.syntax_pgs=false";
    }

    record BaselineExport(int rows, long bytes, double seconds) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /**
     * The server's export without the server: the stream statement with plain JDBC (auto-commit, forward
     * only, fetch size 1,000, as the mapper), each row written with commons-csv in the format CsvRows writes
     * (same buffers, cell rules and date format) into a zip on a temporary file, forced, moved into place.
     */
    static BaselineExport baselineExport(Connection c, String spaceKey, YearMonth month, Path dir, int expected)
            throws Exception {
        String yyyymm = String.format("%04d%02d", month.getYear(), month.getMonthValue());
        Path folder = dir.resolve(spaceKey);
        Files.createDirectories(folder);
        Path target = folder.resolve(fileName(yyyymm));
        Files.deleteIfExists(target);
        c.setAutoCommit(true);
        long start = System.nanoTime();
        long rows = 0;
        Path temporary = Files.createTempFile(folder, "." + target.getFileName() + ".", ".tmp");
        try (PreparedStatement ps =
                c.prepareStatement(STREAM_SQL, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(1000);
            ps.setString(1, spaceKey);
            ps.setString(2, PRODUCT);
            ps.setObject(3, month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            ps.setObject(4, month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery();
                    FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                    ZipOutputStream zip = new ZipOutputStream(
                            new BufferedOutputStream(Channels.newOutputStream(channel), BYTES_BUFFER), UTF_8)) {
                zip.putNextEntry(new ZipEntry(entryName(yyyymm)));
                Writer text = new BufferedWriter(new OutputStreamWriter(zip, UTF_8), CHARS_BUFFER);
                CSVPrinter csv = new CSVPrinter(text, FORMAT);
                csv.printRecord(HEADER);
                while (rs.next()) {
                    csv.print(Long.toString(rs.getLong(1)));
                    csv.print(neutralise(rs.getString(2)));
                    csv.print(neutralise(rs.getString(3)));
                    csv.print(DATE.format(rs.getObject(4, OffsetDateTime.class).toInstant()));
                    for (int col = 5; col <= 12; col++) {
                        csv.print(neutralise(rs.getString(col)));
                    }
                    String version = rs.getString(13);
                    csv.print(version == null ? "" : version);
                    csv.println();
                    rows++;
                }
                csv.flush();
                zip.closeEntry();
                zip.finish();
                zip.flush();
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel f = FileChannel.open(folder, StandardOpenOption.READ)) {
                f.force(true);
            } catch (IOException notSupported) {
                // as the server: best effort
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (rows != expected) {
            throw new IllegalStateException(
                    "the baseline read " + rows + " rows of " + spaceKey + ", expected " + expected);
        }
        return new BaselineExport((int) rows, Files.size(target), seconds);
    }

    /** The neutralising rule of org.auditlog.evidence.CsvRows, written again for the baseline. */
    static String neutralise(String value) {
        if (value == null) {
            return "";
        }
        if (!value.isEmpty()) {
            switch (value.charAt(0)) {
                case '=', '+', '-', '@', '\t', '\r' -> {
                    return '\'' + value;
                }
                default -> {}
            }
        }
        return value;
    }

    // ------------------------------------------------------------------------------------------------ checks

    static String fileName(String yyyymm) {
        return "auditlog-" + yyyymm + "-" + PRODUCT + "-csv.zip";
    }

    static String entryName(String yyyymm) {
        return "auditlog-" + yyyymm + "-" + PRODUCT + ".csv";
    }

    /** One CSV entry of that name, the header, then exactly {@code rows} records of the organization. */
    static void checkZip(Path zip, String entry, int rows) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile(), UTF_8)) {
            List<String> names = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                names.add(e.nextElement().getName());
            }
            // the CSV, then the evidence of a server that keeps it (docs/evidence.md)
            if (!names.equals(List.of(entry))
                    && !names.equals(List.of(entry, "rows.bin", "manifest.json", "manifest.sig", "checkpoint.txt"))) {
                throw new IllegalStateException(
                        zip + " holds " + names + ", expected [" + entry + "] and the evidence");
            }
            long records = 0;
            try (Reader in = new InputStreamReader(z.getInputStream(z.getEntry(entry)), UTF_8);
                    CSVParser parser = FORMAT.parse(in)) {
                for (CSVRecord r : parser) {
                    if (records == 0 && !r.toList().equals(HEADER)) {
                        throw new IllegalStateException(zip + ": header " + r.toList());
                    }
                    records++;
                }
            }
            if (records != rows + 1L) {
                throw new IllegalStateException(zip + ": " + records + " CSV records, expected " + (rows + 1L)
                        + " (header and " + rows + " rows)");
            }
            System.out.printf(
                    "checked %s: %s, %,d CSV records (header + %,d rows), %d more entries%n",
                    zip.getFileName(), entry, records, rows, names.size() - 1);
        }
    }

    /** Whether the server's CSV and the baseline's are the same bytes; the first differing record if not. */
    static void compareCsv(Path server, Path baseline, String entry) throws IOException {
        try (ZipFile a = new ZipFile(server.toFile(), UTF_8);
                ZipFile b = new ZipFile(baseline.toFile(), UTF_8)) {
            ZipEntry ea = a.getEntry(entry);
            ZipEntry eb = b.getEntry(entry);
            if (ea.getCrc() == eb.getCrc() && ea.getSize() == eb.getSize()) {
                System.out.printf(
                        "checked: the server's and the baseline's CSV are the same %,d bytes (CRC-32 %08x)%n",
                        ea.getSize(), ea.getCrc());
                return;
            }
            try (CSVParser pa = FORMAT.parse(new InputStreamReader(a.getInputStream(ea), UTF_8));
                    CSVParser pb = FORMAT.parse(new InputStreamReader(b.getInputStream(eb), UTF_8))) {
                Iterator<CSVRecord> ia = pa.iterator();
                Iterator<CSVRecord> ib = pb.iterator();
                long n = 0;
                while (ia.hasNext() || ib.hasNext()) {
                    List<String> ra = ia.hasNext() ? ia.next().toList() : null;
                    List<String> rb = ib.hasNext() ? ib.next().toList() : null;
                    if (!java.util.Objects.equals(ra, rb)) {
                        System.out.printf(
                                "WARNING: %s: the server's and the baseline's CSV differ at record %d:%n"
                                        + "  server:   %s%n  baseline: %s%n",
                                entry, n, ra, rb);
                        return;
                    }
                    n++;
                }
                System.out.printf(
                        "WARNING: %s: same records but different bytes (server %d bytes, baseline %d)%n",
                        entry, ea.getSize(), eb.getSize());
            }
        }
    }

    // -------------------------------------------------------------------------------------------------- data

    /**
     * Inserts the rows with plain JDBC batches, the server stopped: {@code events} of BENCH/Backlog,
     * {@code small} of SMALL/Backlog, {@value #NOISE} of OTHER/Backlog and {@value #NOISE} of
     * BENCH/Typetalk, interleaved in time order through the month, then three BENCH/Backlog events just
     * before the month and three at the first instant of the next. Ids follow the server's scheme
     * (milliseconds since 2020, node, sequence; node 1 here), unique and increasing with the dates.
     */
    static long insert(Path data, YearMonth month, int events, int small) throws Exception {
        int total = events + small + 2 * NOISE;
        byte[] kind = new byte[total]; // 0 BENCH/Backlog, 1 SMALL/Backlog, 2 OTHER/Backlog, 3 BENCH/Typetalk
        java.util.Arrays.fill(kind, events, events + small, (byte) 1);
        java.util.Arrays.fill(kind, events + small, events + small + NOISE, (byte) 2);
        java.util.Arrays.fill(kind, events + small + NOISE, total, (byte) 3);
        Random random = new Random(20261101);
        for (int i = total - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            byte t = kind[i];
            kind[i] = kind[j];
            kind[j] = t;
        }
        long monthStart =
                month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        long monthEnd = month.plusMonths(1)
                .atDay(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC)
                .toEpochMilli();
        long span = monthEnd - monthStart;
        Rows gen = new Rows(random);
        long n = 0;
        try (Connection c = DriverManager.getConnection(jdbcUrl(data), "SA", "")) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO audit_event (id, space_key, product, event_date, "
                            + "category, event, action, operation_user_id, operation_user_name, operation_user_email, ip_address, "
                            + "user_agent, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (int k = 3; k >= 1; k--) { // just before the month: not exported
                    n = add(ps, c, n, monthStart - k, 0, MAIN, PRODUCT, gen);
                }
                for (int i = 0; i < total; i++) {
                    // every 50th event shares the millisecond of the one before it: the order falls back to the id
                    boolean tie = i % 50 == 49;
                    long date = monthStart + (long) (tie ? i - 1 : i) * span / total;
                    String org = switch (kind[i]) {
                        case 1 -> SMALL;
                        case 2 -> OTHER;
                        default -> MAIN;
                    };
                    n = add(ps, c, n, date, tie ? 1 : 0, org, kind[i] == 3 ? "Typetalk" : PRODUCT, gen);
                }
                for (int k = 0; k < 3; k++) { // the first instant of the next month: not exported
                    n = add(ps, c, n, monthEnd + k, 0, MAIN, PRODUCT, gen);
                }
                ps.executeBatch();
                c.commit();
            }
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN"); // a checkpoint: the server then starts without replaying the log
            }
        }
        return n;
    }

    private static final long EPOCH_MILLIS =
            Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
    private static final int BATCH = 5000;

    private static long add(
            PreparedStatement ps,
            Connection c,
            long n,
            long dateMillis,
            int sequence,
            String spaceKey,
            String product,
            Rows gen)
            throws Exception {
        long id = ((dateMillis - EPOCH_MILLIS) << 22) | (1L << 12) | sequence;
        ps.setLong(1, id);
        ps.setString(2, spaceKey);
        ps.setString(3, product);
        ps.setObject(4, Instant.ofEpochMilli(dateMillis).atOffset(ZoneOffset.UTC));
        gen.fill(ps, product);
        ps.setString(13, "V1");
        ps.addBatch();
        if ((n + 1) % BATCH == 0) {
            ps.executeBatch();
            c.commit();
        }
        return n + 1;
    }

    /** Realistic values: Backlog activities of a few hundred users, some Japanese, some awkward for CSV. */
    static final class Rows {
        private static final String[] FAMILY_JA = {"山田", "鈴木", "佐藤", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "江口"};
        private static final String[] GIVEN_JA = {"太郎", "花子", "健太", "陽菜", "翔", "美咲", "大輔", "さくら"};
        private static final String[] FAMILY = {
            "Yamada",
            "Suzuki",
            "Sato",
            "Takahashi",
            "Tanaka",
            "Smith",
            "Garcia",
            "Müller",
            "O'Brien",
            "Nguyen",
            "Kowalski",
            "Eguchi"
        };
        private static final String[] GIVEN = {
            "Hanako", "Taro", "Kenta", "Ann", "Bob", "María", "Jessica", "Wei", "Olga", "Sean"
        };
        private static final String[] AGENTS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
            "Backlog/4.12.0 (Android 14; Pixel 8)",
            "git/2.47.0",
            ""
        };
        private static final String[] PROJECTS = {
            "SUB", "APP", "WEB", "MOBILE", "INFRA", "DESIGN", "OPS", "QA", "HR", "SALES", "API", "DOCS"
        };
        private static final String[] PAGES = {
            "Release checklist",
            "リリース手順",
            "Meeting notes, 2026-10",
            "Spec \"v2\" draft",
            "On-call rota",
            "障害報告 2026/10/14",
            "Home",
            "Onboarding, first week",
            "Release checklist\nhotfix",
            "=HYPERLINK(\"http://x.example\")"
        };
        private static final String[] FILES = {
            "/design/mockups/login-v2.png",
            "/資料/見積書_2026.xlsx",
            "/contracts/NDA, signed.pdf",
            "/logs/app.log",
            "/design/\"final\" final.sketch"
        };
        private static final String[] MILESTONES = {"Release 2.5", "v3.0-beta", "2026年11月リリース", "Sprint 42, part 2"};
        private static final String[] REPOS = {"app", "mobile-app", "infra", "web-frontend"};

        private final Random random;
        private final String[][] users; // id, name, email, ip, agent

        Rows(Random random) {
            this.random = random;
            this.users = new String[300][];
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            for (int u = 0; u < users.length; u++) {
                StringBuilder nulabId = new StringBuilder();
                for (int k = 0; k < 15; k++) {
                    nulabId.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String family = FAMILY[u % FAMILY.length];
                String given = GIVEN[(u / 3) % GIVEN.length];
                String name;
                if (u % 3 == 0) {
                    name = FAMILY_JA[u % FAMILY_JA.length] + " " + GIVEN_JA[(u / 7) % GIVEN_JA.length];
                } else if (u % 17 == 0) {
                    name = family + ", " + given; // a comma in a name
                } else if (u == 5) {
                    name = "@deploy-bot"; // neutralised in the export
                } else if (u == 10) {
                    name = "-" + given + "-";
                } else {
                    name = given + " " + family;
                }
                String email = u % 11 == 0
                        ? ""
                        : (given + "." + family + u)
                                        .toLowerCase(java.util.Locale.ROOT)
                                        .replace("'", "")
                                        .replace("ü", "u")
                                        .replace("í", "i")
                                + "@acme.example";
                String ip = u % 9 == 0
                        ? "2001:db8:" + Integer.toHexString(u) + "::" + Integer.toHexString(u * 7 + 1)
                        : (u % 2 == 0 ? "203.0.113." : "198.51.100.") + (u % 250 + 1);
                users[u] = new String[] {nulabId.toString(), name, email, ip, AGENTS[u % AGENTS.length]};
            }
        }

        void fill(PreparedStatement ps, String product) throws java.sql.SQLException {
            String[] user = users[random.nextInt(users.length)];
            String project = PROJECTS[random.nextInt(PROJECTS.length)];
            String category;
            String event;
            String action;
            if (product.equals("Typetalk")) {
                category = "Message";
                event = "Post a message";
                action = "Message " + (100000 + random.nextInt(900000)) + " was posted in topic \"IT Peeps\"";
            } else {
                int issue = 1 + random.nextInt(4000);
                int pick = random.nextInt(100);
                if (pick < 40) {
                    category = "Issue";
                    event = "Update an issue";
                    action = project + "-" + issue + " was updated in " + project;
                } else if (pick < 50) {
                    category = "Issue";
                    event = "Add an issue";
                    action = project + "-" + issue + " was created in " + project;
                } else if (pick < 68) {
                    category = "Issue";
                    event = "Comment on an issue";
                    action = project + "-" + issue + " was commented on in " + project;
                } else if (pick < 70) {
                    category = "Issue";
                    event = "Add a comment notification";
                    action = "A comment notification was added to " + project + "-" + issue + " in " + project;
                } else if (pick < 78) {
                    category = "Wiki";
                    event = "Update a wiki page";
                    action = "Wiki page \"" + PAGES[random.nextInt(PAGES.length)] + "\" was updated in " + project;
                } else if (pick < 83) {
                    category = "File";
                    event = "Add a file";
                    action = "File \"" + FILES[random.nextInt(FILES.length)] + "\" was added to " + project;
                } else if (pick < 88) {
                    category = "Git";
                    event = "Push to a Git repository";
                    action = (1 + random.nextInt(9)) + " revisions were pushed to "
                            + REPOS[random.nextInt(REPOS.length)] + " (refs/heads/main) in " + project;
                } else if (pick < 95) {
                    category = "Pull Request";
                    event = "Merge a pull request";
                    action = "Pull request #" + (1 + random.nextInt(500)) + " was merged in "
                            + REPOS[random.nextInt(REPOS.length)] + " in " + project;
                } else if (pick < 97) {
                    category = "Project";
                    event = "Add a user to the project";
                    action = users[random.nextInt(users.length)][1] + ", " + users[random.nextInt(users.length)][1]
                            + " joined " + project;
                } else if (pick < 99) {
                    category = "Milestone";
                    event = "Update a milestone";
                    action = "Milestone \"" + MILESTONES[random.nextInt(MILESTONES.length)] + "\" was updated in "
                            + project;
                } else {
                    category = "Other";
                    event = "Activity type 27";
                    action = "Activity type 27 in " + project;
                }
            }
            ps.setString(5, category);
            ps.setString(6, event);
            ps.setString(7, action);
            ps.setString(8, user[0]);
            ps.setString(9, user[1]);
            ps.setString(10, user[2]);
            ps.setString(11, user[3]);
            ps.setString(12, user[4]);
        }
    }

    // ----------------------------------------------------------------------------------------------- helpers

    static long folderSize(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private ExportBenchmark() {}
}
