package org.auditlog.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Adobe S3Mock, an S3-compatible server, run from its executable jar (copied from Maven Central into
 * {@code target/s3mock/s3mock.jar} by the build of the module whose tests use it) on a free loopback port in plain
 * HTTP, with the buckets given. It stores objects in a folder of its own and checks no signature: what it checks is
 * that the requests are S3's. Started with the JVM's C1 compiler only: it starts in about half the time.
 */
public final class S3MockServer implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(180);

    private final Process process;
    private final Path log;
    public final int port;

    private S3MockServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts S3Mock from {@code target/s3mock/s3mock.jar} with the buckets given; returns once it answers. */
    public static S3MockServer start(String... buckets) throws IOException, InterruptedException {
        return launch(buckets).awaitReady();
    }

    /**
     * Starts S3Mock without waiting for it (it takes several seconds, which a test may spend starting something
     * else); {@link #awaitReady} waits.
     */
    public static S3MockServer launch(String... buckets) throws IOException {
        Path jar = Path.of("target", "s3mock", "s3mock.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the build copies it (mvn process-test-resources)");
        }
        int http = freePort();
        int https = freePort();
        Path root = Files.createTempDirectory("s3mock");
        Path log = Files.createTempFile("s3mock", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(
                        java,
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-jar",
                        jar.toString(),
                        "--server.port=" + https,
                        "--com.adobe.testing.s3mock.httpPort=" + http,
                        "--server.address=127.0.0.1",
                        "--com.adobe.testing.s3mock.store.root=" + root,
                        "--com.adobe.testing.s3mock.store.initialBuckets=" + String.join(",", buckets)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new S3MockServer(p, log, http);
    }

    /** Returns once S3Mock answers; fails when it stopped or did not answer within three minutes. */
    public S3MockServer awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock stopped: " + Files.readString(log));
            }
            if (answers()) {
                return this;
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("S3Mock did not answer within " + START + ": " + Files.readString(log));
    }

    /** {@code http://127.0.0.1:<port>}: buckets are addressed in the path. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint().toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int status = c.getResponseCode();
            c.disconnect();
            return status == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Downloads every object of a bucket under a prefix, as {@code aws s3 sync} would, into {@code folder} (each at
     * its key's path); returns the keys in S3's order. S3Mock checks no signature, so plain requests do.
     */
    public java.util.List<String> download(String bucket, String prefix, Path folder)
            throws IOException, InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.List<String> keys = new java.util.ArrayList<>();
        String token = null;
        do {
            String query =
                    "list-type=2&prefix=" + enc(prefix) + (token == null ? "" : "&continuation-token=" + enc(token));
            String xml = http.send(
                            java.net.http.HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket + "?" + query))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("<Key>([^<]*)</Key>").matcher(xml);
            while (m.find()) {
                keys.add(m.group(1).replace("&amp;", "&"));
            }
            java.util.regex.Matcher next = java.util.regex.Pattern.compile(
                            "<NextContinuationToken>([^<]*)</NextContinuationToken>")
                    .matcher(xml);
            token = xml.contains("<IsTruncated>true</IsTruncated>") && next.find() ? next.group(1) : null;
        } while (token != null);
        for (String key : keys) {
            Path target = folder.resolve(key).normalize();
            if (!target.startsWith(folder)) {
                throw new IOException("a key outside the folder: " + key);
            }
            Files.createDirectories(target.getParent());
            java.net.http.HttpResponse<Path> got = http.send(
                    java.net.http.HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket + "/" + key))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofFile(target));
            if (got.statusCode() != 200) {
                throw new IOException("GET " + key + " answered " + got.statusCode());
            }
        }
        return keys;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temporary file
        }
    }
}
