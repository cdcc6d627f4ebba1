package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Log injection, against the distribution started as an operator starts it: requests carry a line break
 * followed by a forged log record (in a JSON field name, a refused value, a product path segment, a space key,
 * a forwarded header) and the server's log, read afterwards, holds no line starting with the forged record,
 * while the escaped form stands where the value was logged.
 */
public class LogInjectionIT {
    static final String TOKEN = "log-injection-test-operator-token";
    /** What a record line of the server log starts with (the layout of config/org.ops4j.pax.logging.cfg). */
    static final String FORGED = "2026-12-01T10:00:00.000+0000 [main] INFO  org.auditlog.Forged - FORGED";

    static final String V1 =
            "\"date\":\"2026-11-01T18:30:00+09:00\",\"category\":\"Member\",\"event\":\"Invite a member\","
                    + "\"action\":\"x\",\"operation_user_id\":\"u1\",\"operation_user_name\":\"Ann\","
                    + "\"operation_user_email\":\"ann@acme.example\"";

    static Path data;
    static Path log;
    static ServerProcess server;
    static String ingest;

    @BeforeClass
    public static void start() throws Exception {
        data = Files.createTempDirectory("auditlog-loginjection");
        log = Files.createTempFile("auditlog-loginjection", ".log");
        server = ServerProcess.start(data, ServerOptions.freePort(), TOKEN, log).awaitHealthy();
        ingest = server.api.ingestToken(TOKEN, "Apps", null);
        server.api.activeOrg(TOKEN, "ACME");
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void noRequestCanForgeALineOfTheServerLog() throws Exception {
        Api api = server.api;
        String events = "/api/v1/products/Apps/events";

        // 1. a JSON field name, refused at once (400)
        Api.Reply r = api.post(
                events,
                ingest,
                "application/json",
                "{\"space_key\":\"ACME\"," + V1 + ",\"field\\r\\n" + FORGED + " name\":1}");
        assertEquals(r.toString(), 400, r.status());

        // 2. a field value that gets refused (400)
        r = api.post(
                events,
                ingest,
                "application/json",
                "{\"space_key\":\"ACME\","
                        + V1.replace(
                                "\"action\":\"x\"",
                                "\"action\":\"x\",\"ip_address\":\"203.0.113.5\\r\\n" + FORGED + " value\"")
                        + "}");
        assertEquals(r.toString(), 400, r.status());

        // 3. a product path segment: CR LF encoded (the HTTP layer refuses it), then U+2028 encoded (it gets through)
        r = api.post(
                "/api/v1/products/" + encoded("Apps\r\n" + FORGED + " path") + "/events",
                ingest,
                "application/json",
                "{}");
        assertEquals(r.toString(), 400, r.status());
        r = api.post(
                "/api/v1/products/" + encoded("Apps\u2028" + FORGED + " path") + "/events",
                ingest,
                "application/json",
                "{}");
        assertTrue(r.toString(), r.status() == 404 || r.status() == 403);

        // 4. a forwarded header (the HTTP client refuses CR LF in a header; NEL U+0085 is what passes)
        r = api.post(
                events,
                ingest,
                "application/json",
                "{\"space_key\":\"ACME\"," + V1 + "}",
                "X-Auditlog-Client-User-Agent",
                "agent\u0085" + FORGED + " header");
        assertTrue(r.toString(), r.status() == 201 || r.status() == 400);

        // 5. an ingest for an unknown space key
        r = api.post(
                events, ingest, "application/json", "{\"space_key\":\"NOPE\\r\\n" + FORGED + " space\"," + V1 + "}");
        assertEquals(r.toString(), 400, r.status());
        r = api.post(events, ingest, "application/json", "{\"space_key\":\"NOPE\"," + V1 + "}");
        assertTrue(r.toString(), r.status() >= 400);

        // 6. a field name in events kept in the inbox while the adapter is away, refused when they are drained
        Path jar = data.resolve("deploy/org.auditlog.product.apps.jar");
        byte[] adapter = Files.readAllBytes(jar);
        Files.delete(jar);
        DistributionIT.awaitTrue(
                "Apps adapter removed",
                () -> api.get("/api/v1/products/Apps", TOKEN)
                        .json()
                        .get("adapter")
                        .isNull());
        r = api.post(
                events,
                ingest,
                "application/json",
                "{\"space_key\":\"ACME\"," + V1 + ",\"inbox\\r\\n" + FORGED + " drained\":1}");
        assertEquals(r.toString(), 202, r.status());
        HotUpgradeIT.replace(jar, adapter);
        DistributionIT.awaitTrue(
                "the queued entry set aside",
                () -> api.get("/api/v1/products/Apps", TOKEN)
                                .json()
                                .get("inbox")
                                .get("failed")
                                .asLong()
                        > 0);
        DistributionIT.awaitTrue("the drain refusal logged", () -> read().contains(" drained"));

        // read byte by byte (ISO-8859-1): whatever the server's output encoding, nothing is lost or refused
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        for (String line : lines) {
            assertTrue("a forged line in the log:\n" + line, !line.startsWith(FORGED) && !line.startsWith("FORGED"));
            // a line break of any kind inside a record is gone: nothing of a forged record begins a line
            assertTrue(
                    "a forged line in the log:\n" + line,
                    !line.contains("\u0085" + FORGED) && !line.contains("\u00e2\u0080\u00a8" + FORGED));
        }
        String text = read();
        assertTrue(text, text.contains("inbox\\r\\n" + FORGED + " drained"));
        assertTrue(text, text.contains("field\\r\\n" + FORGED + " name"));
        assertTrue(text, text.contains("Apps\\u2028" + FORGED + " path"));
    }

    static String encoded(String segment) {
        return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String read() throws Exception {
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }
}
