package org.auditlog.stream.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;
import org.auditlog.stream.http.internal.Batches;
import org.auditlog.stream.http.internal.Guard;
import org.auditlog.stream.http.internal.TestCa;
import org.junit.jupiter.api.Test;

/**
 * The signatures of real deliveries, checked by an implementation written elsewhere: the Standard Webhooks reference
 * library for JavaScript (npm package {@code standardwebhooks}, the version of src/test/node/package-lock.json),
 * installed with {@code npm ci} into target/node and run with {@code node}. The deliveries carry the attempt's real
 * time, since the library refuses a timestamp more than five minutes from its own clock.
 *
 * <p>Node.js (18 or later) and npm must be on the PATH, and the npm registry reachable the first time: without
 * them this test fails, saying so.
 */
class StandardWebhooksReferenceTest {
    static final Path SOURCES = Path.of("src", "test", "node");
    static final Path NODE = Path.of("target", "node");

    @Test
    void theReferenceLibraryVerifiesTheDeliveriesAndRefusesThemAltered() throws Exception {
        Path dir = referenceLibrary();
        TestCa ca = new TestCa("Reference CA");
        String secret = Batches.secret(32);
        WebhookDestination destination = new WebhookDestination();
        List<Receiver.Request> requests = new ArrayList<>();
        try (Receiver receiver = Receiver.https(ca.server("receiver.test"))) {
            DestinationSettings settings = destination.check(
                    Map.of(
                            "url",
                            "https://receiver.test:" + receiver.port() + "/hooks",
                            "secret",
                            secret,
                            "ca",
                            ca.pem()),
                    null,
                    Guard.allowingLoopback());
            List<StreamBatch> batches = List.of(
                    Batches.batch(0, 0, 1),
                    Batches.batch(1, 20, 1),
                    new StreamBatch(
                            "s1-ACME-Apps-21-22",
                            "s1",
                            "ACME",
                            "Apps",
                            21,
                            22,
                            List.of(new StreamEvent(
                                    22, Batches.record(1L, Instant.now(), "Änderung ✓ 日本語 😀 \"quoted\"\n\u2028"))),
                            3));
            for (StreamBatch b : batches) {
                Delivery d =
                        destination.deliver(b, settings, Batches.context(Guard.allowingLoopback(), Clock.systemUTC()));
                assertTrue(d.isAccepted(), d.toString());
                requests.add(receiver.next());
            }
        } finally {
            destination.deactivate();
        }

        ObjectMapper json = new ObjectMapper();
        ObjectNode input = json.createObjectNode();
        input.put("secret", secret);
        input.put("otherSecret", Batches.secret(32));
        ArrayNode deliveries = input.putArray("deliveries");
        for (Receiver.Request r : requests) {
            ObjectNode d = deliveries.addObject();
            ObjectNode headers = d.putObject("headers");
            for (String h : List.of("webhook-id", "webhook-timestamp", "webhook-signature", "content-type")) {
                headers.put(h, r.header(h));
            }
            d.put("body", Base64.getEncoder().encodeToString(r.body()));
        }
        Path file = dir.resolve("deliveries.json");
        json.writeValue(file.toFile(), input);

        JsonNode results = json.readTree(
                run(dir, "node", "verify.js", file.toAbsolutePath().toString()));
        assertEquals(3, results.size(), results.toString());
        long[][] sequences = {{0, 0, 1}, {1, 20, 20}, {21, 22, 1}};
        for (int i = 0; i < 3; i++) {
            JsonNode r = results.get(i);
            assertTrue(r.get("verified").asBoolean(), "standardwebhooks verifies delivery " + i + ": " + r);
            assertEquals(sequences[i][0], r.get("firstSequence").asLong());
            assertEquals(sequences[i][1], r.get("lastSequence").asLong());
            assertEquals(sequences[i][2], r.get("events").asLong());
            assertTrue(r.get("tamperedRefused").asBoolean(), "an altered body is refused: " + r);
            assertTrue(r.get("otherSecretRefused").asBoolean(), "another secret is refused: " + r);
        }
        assertEquals(
                "Änderung ✓ 日本語 😀 \"quoted\"\n\u2028",
                results.get(2).get("actions").get(0).asText());
    }

    /** target/node with the reference library installed from the lock file, installing it the first time. */
    static Path referenceLibrary() throws Exception {
        String version = run(Path.of("."), "node", "--version").strip();
        if (!version.matches("v(1[89]|[2-9][0-9])\\..*")) {
            fail("Node.js 18 or later is needed to check the webhook signatures with the reference library; found "
                    + version);
        }
        Files.createDirectories(NODE);
        for (String f : List.of("package.json", "package-lock.json", "verify.js")) {
            Files.copy(SOURCES.resolve(f), NODE.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Path installed = NODE.resolve("node_modules/standardwebhooks/package.json");
        if (!Files.isRegularFile(installed) || !Files.readString(installed).contains("\"version\": \"1.3.0\"")) {
            run(NODE, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        }
        return NODE;
    }

    /** Runs a command in {@code dir} and gives its standard output; fails the test when it cannot run or fails. */
    static String run(Path dir, String... command) throws Exception {
        Process p;
        Path output = Files.createTempFile("webhook-reference", ".out");
        try {
            p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(false)
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(
                            output.resolveSibling(output.getFileName() + ".err").toFile()))
                    .start();
        } catch (IOException e) {
            Files.deleteIfExists(output);
            throw new AssertionError(
                    "'" + command[0] + "' could not be run (" + e.getMessage()
                            + "). The webhook destination's tests check "
                            + "its signatures with the Standard Webhooks reference library, which needs Node.js 18 or "
                            + "later and npm on the PATH (Debian: apt-get install nodejs npm)",
                    e);
        }
        Path errors = output.resolveSibling(output.getFileName() + ".err");
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not end within 5 minutes");
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                String err = Files.exists(errors) ? Files.readString(errors, StandardCharsets.UTF_8) : "";
                fail(String.join(" ", command) + " in " + dir + " exited with " + p.exitValue() + ":\n" + out + err);
            }
            return out;
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }
}
