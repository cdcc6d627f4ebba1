package org.auditlog.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The evidence of files at a realistic size: N events of one organization and product sent through the server
 * (batches of 1,000 from 4 clients, so the tree is appended as in production), every tenth batch late (dated last
 * month); then last month's file (all its rows late: proven in segments) and the current month's export (its rows
 * the month's part of the tree, the late ones passed over as ranges) are built and checked by
 * {@code bin/auditlog-verify}. Printed: the build time of each file, the size of its evidence next to its CSV's
 * compressed size, and the verifier's time next to a baseline measured in the same run, the SHA-256 of the same
 * CSV bytes (what checking a file against a published digest costs).
 *
 * <p>Arguments: distribution folder, events (default 1,000,000).
 */
public final class EvidenceBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG = "PROOF";
    private static final int BATCH = 1000;
    private static final int CLIENTS = 4;

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]).toAbsolutePath();
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path data = Files.createTempDirectory("auditlog-bench-evidence");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        System.out.printf(
                "Evidence benchmark: %,d events (every tenth batch dated last month), %d clients, %d cores%n",
                events, CLIENTS, Runtime.getRuntime().availableProcessors());
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Process server = ExportBenchmark.start(dist, data, port, "evidence");
        try {
            IngestBenchmark.awaitHealthy(http, port);
            String member = ExportBenchmark.memberToken(http, port, ORG);
            String ingest = JSON.readTree(send(
                                    http,
                                    port,
                                    "POST",
                                    "/api/v1/admin/tokens",
                                    ExportBenchmark.TOKEN,
                                    "{\"kind\":\"ingest\",\"product\":\"Apps\"}")
                            .body())
                    .get("token")
                    .asText();
            Instant now = Instant.now();
            YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
            Instant monthStart = current.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Instant lastStart = current.minusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            long span = Math.max(1, now.toEpochMilli() - monthStart.toEpochMilli() - 60_000);
            int batches = (events + BATCH - 1) / BATCH;
            AtomicInteger next = new AtomicInteger();
            AtomicInteger late = new AtomicInteger();
            long ingestStart = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    for (int b; (b = next.getAndIncrement()) < batches; ) {
                        boolean isLate = b % 10 == 9;
                        StringBuilder body = new StringBuilder("[");
                        for (int i = 0; i < BATCH; i++) {
                            long n = (long) b * BATCH + i;
                            Instant date = isLate
                                    ? lastStart.plusMillis(n * 997 % (27L * 86_400_000))
                                    : monthStart.plusMillis(n * 7919 % span);
                            body.append(i == 0 ? "" : ",")
                                    .append("{\"space_key\":\"")
                                    .append(ORG)
                                    .append("\",\"date\":\"")
                                    .append(date)
                                    .append("\",\"category\":\"Member\",\"event\":\"Add a member\","
                                            + "\"action\":\"user ")
                                    .append(n)
                                    .append(" was added, \\\"quoted\\\"\"," + "\"operation_user_id\":\"u")
                                    .append(n % 2000)
                                    .append("\"," + "\"operation_user_name\":\"User ")
                                    .append(n % 2000)
                                    .append("\"," + "\"operation_user_email\":\"u")
                                    .append(n % 2000)
                                    .append("@bench.example\"}");
                        }
                        body.append(']');
                        HttpResponse<String> r =
                                send(http, port, "POST", "/api/v1/products/Apps/events", ingest, body.toString());
                        if (r.statusCode() != 201) {
                            throw new IllegalStateException("ingest answered " + r.statusCode() + ": " + r.body());
                        }
                        if (isLate) {
                            late.addAndGet(BATCH);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
            pool.shutdown();
            double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
            System.out.printf(
                    "ingest: %,d events (%,d of them late) in %.1f s, %,.0f events/s%n",
                    batches * BATCH, late.get(), ingestSeconds, batches * BATCH / ingestSeconds);

            Path files = Files.createDirectories(data.resolve("downloads"));
            // last month: every row late, outside the month's (empty) part of the tree
            String yyyymm = String.format(
                    "%04d%02d",
                    current.minusMonths(1).getYear(), current.minusMonths(1).getMonthValue());
            long t0 = System.nanoTime();
            HttpResponse<Path> past = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/orgs/" + ORG + "/archives/"
                                    + yyyymm + "/Apps"))
                            .header("Authorization", "Bearer " + member)
                            .build(),
                    HttpResponse.BodyHandlers.ofFile(files.resolve("past.zip")));
            double pastSeconds = (System.nanoTime() - t0) / 1e9;
            if (past.statusCode() != 200) {
                throw new IllegalStateException("the past month answered " + past.statusCode());
            }
            // the current month: an export job, its file picked up from the export folder
            t0 = System.nanoTime();
            JsonNode job = JSON.readTree(
                    send(http, port, "POST", "/api/v1/orgs/" + ORG + "/exports", member, "{\"product\":\"Apps\"}")
                            .body());
            long id = job.get("id").asLong();
            while (!"done".equals(job.get("state").asText())) {
                if ("failed".equals(job.get("state").asText())) {
                    throw new IllegalStateException("the export failed: " + job);
                }
                Thread.sleep(200);
                job = JSON.readTree(send(http, port, "GET", "/api/v1/orgs/" + ORG + "/exports/" + id, member, null)
                        .body());
            }
            double currentSeconds = (System.nanoTime() - t0) / 1e9;
            Path built = data.resolve("exports")
                    .resolve(ORG)
                    .resolve("jobs")
                    .resolve(Long.toString(id))
                    .resolve(job.get("fileName").asText());
            Path currentZip = Files.copy(built, files.resolve("current.zip"));

            String key = JSON.readTree(send(http, port, "GET", "/api/v1/evidence/keys", null, null)
                            .body())
                    .get("current")
                    .asText();
            Path keyFile = Files.writeString(files.resolve("server.pub"), key + "\n");
            System.out.println();
            System.out.println("| file | rows | build s | CSV compressed MiB | evidence MiB (of which rows.bin) | "
                    + "verify s | SHA-256 of the CSV s | verify / SHA-256 |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            report(dist, "last month (all rows late)", files.resolve("past.zip"), pastSeconds, keyFile);
            report(dist, "current month (export job)", currentZip, currentSeconds, keyFile);
        } finally {
            ExportBenchmark.stop(server);
        }
    }

    private static void report(Path dist, String name, Path zip, double buildSeconds, Path key) throws Exception {
        long csvCompressed = 0;
        long evidence = 0;
        long rowsBin = 0;
        long rows = 0;
        String csvName = null;
        try (ZipFile z = new ZipFile(zip.toFile(), UTF_8)) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().endsWith(".csv")) {
                    csvCompressed = entry.getCompressedSize();
                    csvName = entry.getName();
                } else {
                    evidence += entry.getCompressedSize();
                    if (entry.getName().equals("rows.bin")) {
                        rowsBin = entry.getCompressedSize();
                        rows = entry.getSize() / 12;
                    }
                }
            }
        }
        // baseline: read the CSV out of the zip and hash it, as checking against a published digest would
        double[] sha = new double[3];
        for (int round = 0; round < sha.length; round++) {
            long t = System.nanoTime();
            try (ZipFile z = new ZipFile(zip.toFile(), UTF_8);
                    InputStream in = z.getInputStream(z.getEntry(csvName))) {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    d.update(buffer, 0, n);
                }
                d.digest();
            }
            sha[round] = (System.nanoTime() - t) / 1e9;
        }
        double[] verify = new double[3];
        for (int round = 0; round < verify.length; round++) {
            ProcessBuilder pb = new ProcessBuilder(
                            dist.resolve("bin/auditlog-verify").toString(),
                            "verify",
                            zip.toString(),
                            "--key",
                            key.toString())
                    .redirectErrorStream(true);
            pb.environment().put("JAVA_OPTS", "-Xmx4g");
            long t = System.nanoTime();
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("the verifier did not verify " + zip + ":\n" + out);
            }
            verify[round] = (System.nanoTime() - t) / 1e9;
            if (round == 0) {
                Stream.of(out.split("\n")).forEach(line -> System.out.println("    " + line));
            }
        }
        double v = median(verify);
        double s = median(sha);
        System.out.printf(
                "| %s | %,d | %.1f | %.1f | %.2f (%.2f) | %.1f | %.2f | %.0f |%n",
                name,
                rows,
                buildSeconds,
                csvCompressed / 1048576.0,
                evidence / 1048576.0,
                rowsBin / 1048576.0,
                v,
                s,
                v / s);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static HttpResponse<String> send(
            HttpClient http, int port, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .timeout(java.time.Duration.ofMinutes(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
