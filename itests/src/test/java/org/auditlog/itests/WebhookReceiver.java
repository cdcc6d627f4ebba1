package org.auditlog.itests;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver nobody here wrote the checks of: {@code src/test/node/receiver.js} run by Node.js, verifying
 * every delivery with the Standard Webhooks reference library (npm package {@code standardwebhooks}, the version of
 * {@code src/test/node/package-lock.json}, installed with {@code npm ci} into {@code target/node} the first time).
 * Each delivery it gets is a line of its out file. Node.js 18 or later and npm must be on the PATH.
 */
final class WebhookReceiver implements AutoCloseable {
    static final Path SOURCES = Path.of("src", "test", "node");
    static final Path NODE = Path.of("target", "node");

    final int port;
    final String secret;
    private final Path out;
    private final Process process;

    private WebhookReceiver(int port, String secret, Path out, Process process) {
        this.port = port;
        this.secret = secret;
        this.out = out;
        this.process = process;
    }

    static WebhookReceiver start(String secret, Path folder) throws Exception {
        Path dir = installed();
        int port = ServerOptions.freePort();
        Path out = folder.resolve("deliveries.jsonl");
        Files.writeString(out, "");
        Process p = new ProcessBuilder(
                        "node",
                        "receiver.js",
                        Integer.toString(port),
                        secret,
                        out.toAbsolutePath().toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = lines.readLine();
        if (first == null || !first.startsWith("listening")) {
            p.destroyForcibly();
            throw new AssertionError("the webhook receiver did not start: " + first);
        }
        return new WebhookReceiver(port, secret, out, p);
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    /** Every delivery so far: {@code id}, {@code verified}, {@code status} and, when accepted, the batch as {@code body}. */
    List<JsonNode> deliveries() throws IOException {
        List<JsonNode> all = new ArrayList<>();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        // a line the receiver is writing now is not whole yet: up to the last line break only
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (!line.isBlank()) {
                all.add(Api.JSON.readTree(line));
            }
        }
        return all;
    }

    /** The next {@code count} deliveries are answered {@code status} (with Retry-After when given). */
    void failNext(int count, int status, String retryAfter) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + port + "/control"))
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"fail\":" + count
                                        + ",\"status\":" + status
                                        + (retryAfter == null ? "" : ",\"retryAfter\":\"" + retryAfter + "\"") + "}"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 204) {
            throw new AssertionError("control: " + r.statusCode());
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** target/node with receiver.js and the reference library installed from the lock file. */
    private static synchronized Path installed() throws Exception {
        run(Path.of("."), "node", "--version");
        Files.createDirectories(NODE);
        for (String f : List.of("package.json", "package-lock.json", "receiver.js")) {
            Files.copy(SOURCES.resolve(f), NODE.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(NODE.resolve("node_modules/standardwebhooks/package.json"))) {
            run(NODE, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        }
        return NODE;
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "the stream tests need Node.js 18 or later and npm on the PATH (Debian: apt-get install nodejs "
                            + "npm): " + e.getMessage(),
                    e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
