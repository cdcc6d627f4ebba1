package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The logging configuration an operator edits (config/org.ops4j.pax.logging.cfg), against the distribution: the
 * JSON switch gives one JSON object per line, a forged record inside a request stays inside its line's message,
 * and a level set for one package (here one class) silences it while its neighbours still log.
 */
public class LoggingIT {
    static final String TOKEN = "logging-test-operator-token";
    static final String LOGGING_CFG = "org.ops4j.pax.logging.cfg";
    static final String QUIET = "org.auditlog.capture.internal.AdapterRoutes";

    @Test
    public void theJsonSwitchGivesOneJsonObjectPerLineAndLevelsApplyPerPackage() throws Exception {
        Path data = Files.createTempDirectory("auditlog-logging");
        Path config = Files.createDirectories(data.resolve("config"));
        try (Stream<Path> shipped = Files.list(ServerOptions.distribution().resolve("config"))) {
            for (Path cfg : shipped.toList()) {
                Files.copy(cfg, config.resolve(cfg.getFileName()));
            }
        }
        String logging = Files.readString(config.resolve(LOGGING_CFG));
        assertTrue(logging, logging.contains("\nlog4j2.rootLogger.appenderRef.out.ref = text\n"));
        assertTrue(logging, logging.contains("\n#log4j2.rootLogger.appenderRef.out.ref = json\n"));
        Files.writeString(
                config.resolve(LOGGING_CFG),
                logging.replace("\nlog4j2.rootLogger.appenderRef.out.ref = text\n", "\n")
                                .replace(
                                        "\n#log4j2.rootLogger.appenderRef.out.ref = json\n",
                                        "\nlog4j2.rootLogger.appenderRef.out.ref = json\n")
                        + "log4j2.logger.quiet.name = " + QUIET + "\nlog4j2.logger.quiet.level = WARN\n");

        Path log = Files.createTempFile("auditlog-logging", ".log");
        try (ServerProcess server = ServerProcess.start(
                        data, ServerOptions.freePort(), TOKEN, log, "--config", config.toString())
                .awaitHealthy()) {
            String ingest = server.api.ingestToken(TOKEN, "Apps", null);
            server.api.activeOrg(TOKEN, "ACME");
            DistributionIT.awaitTrue(
                    "the Apps adapter takes events",
                    () -> server.api
                                    .post(
                                            "/api/v1/products/Apps/events",
                                            ingest,
                                            "application/json",
                                            "{\"space_key\":\"ACME\"," + LogInjectionIT.V1 + "}")
                                    .status()
                            == 201);
            Api.Reply r = server.api.post(
                    "/api/v1/products/Apps/events",
                    ingest,
                    "application/json",
                    "{\"space_key\":\"ACME\"," + LogInjectionIT.V1 + ",\"field\\r\\n" + LogInjectionIT.FORGED
                            + " name\":1}");
            assertEquals(r.toString(), 400, r.status());
            DistributionIT.awaitTrue(
                    "the refusal logged", () -> Files.readString(log).contains(" name"));
        }

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            assertFalse("a blank line in the log", line.isBlank());
            JsonNode record = json.readTree(line); // fails on a line that is not JSON
            assertTrue(
                    line,
                    record.isObject()
                            && record.hasNonNull("@timestamp")
                            && record.hasNonNull("log.level")
                            && record.hasNonNull("log.logger")
                            && record.hasNonNull("message"));
            records.add(record);
        }
        assertTrue(
                "the forged record stays inside one message",
                records.stream()
                        .anyMatch(rec ->
                                rec.get("message").asText().contains("field\r\n" + LogInjectionIT.FORGED + " name")));
        assertTrue(
                "the launcher's lines are records too",
                records.stream()
                        .anyMatch(rec -> rec.get("log.logger").asText().equals("org.auditlog.launcher")
                                && rec.get("message").asText().startsWith("Auditlog ready at ")));
        // the class set to WARN says nothing at INFO (it says "Adapter for Apps is available" by default), while
        // the rest of its bundle still does
        assertFalse(
                "a record of " + QUIET,
                records.stream().anyMatch(rec -> rec.get("log.logger").asText().equals(QUIET)));
        assertTrue(
                "INFO records of the capture bundle",
                records.stream()
                        .anyMatch(rec -> rec.get("log.logger").asText().startsWith("org.auditlog.capture.")
                                && rec.get("log.level").asText().equals("INFO")));
    }
}
