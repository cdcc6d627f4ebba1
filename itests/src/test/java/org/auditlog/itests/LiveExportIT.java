package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import javax.mail.internet.MimeMessage;
import org.junit.After;
import org.junit.Test;

/**
 * Files handed out while events keep arriving, on the distribution: one thread sends events without pause (dated
 * now, a few of the month before, sent late, and a few dated a day ahead) while current-month exports are asked
 * for, mailed and downloaded, and last month's file is downloaded (and built again for its late records); every
 * file must verify with {@code bin/auditlog-verify} and the key the server publishes.
 */
public class LiveExportIT {
    static final String TOKEN = "live-export-operator-token";
    static final String ORG = "LIVE";
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** Milliseconds the server's clock is ahead of this one ({@link MailIT#moveClock}). */
    private volatile long offset;

    @After
    public void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private GreenMail greenMail(int port) {
        GreenMail g = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        toClose.add(g::stop);
        return g;
    }

    private ServerProcess start(Path data, int smtpPort, String exportSettings) throws Exception {
        Path config = MailIT.testConfig(data, exportSettings);
        ServerProcess server = ServerProcess.start(
                data,
                ServerOptions.freePort(),
                TOKEN,
                data.resolve("server.log"),
                Map.of(
                        "AUDITLOG_SMTP_HOST",
                        "127.0.0.1",
                        "AUDITLOG_SMTP_PORT",
                        Integer.toString(smtpPort),
                        "AUDITLOG_SMTP_TLS",
                        "none",
                        "AUDITLOG_MAIL_FROM",
                        "audit@example.test",
                        "AUDITLOG_BASE_URL",
                        "https://audit.example.test"),
                "--config",
                config.toString());
        toClose.add(server);
        server.awaitHealthy();
        awaitBundle(server.api, "org.auditlog.itests.clock");
        return server;
    }

    private static void awaitBundle(Api api, String symbolicName) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (JsonNode b : api.get("/api/v1/admin/bundles", TOKEN).json().get("bundles")) {
                if (b.get("symbolicName").asText().equals(symbolicName)
                        && b.get("state").asText().equals("ACTIVE")) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(symbolicName + " not active within 30 s");
    }

    private void moveClock(Path data, Instant to) throws Exception {
        offset = to.toEpochMilli() - System.currentTimeMillis();
        MailIT.moveClock(data, to);
    }

    private Instant serverNow() {
        return Instant.now().plusMillis(offset);
    }

    private static String memberToken(Api api, String userId) throws Exception {
        Api.Reply r = api.post(
                "/api/v1/admin/tokens",
                TOKEN,
                "application/json",
                "{\"kind\":\"member\",\"spaceKey\":\"" + ORG + "\",\"userId\":\"" + userId + "\",\"ttlHours\":8760}");
        assertEquals(r.toString(), 201, r.status());
        return r.json().get("token").asText();
    }

    private static JsonNode awaitJob(Api api, String member, String id) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            Api.Reply r = api.get("/api/v1/orgs/" + ORG + "/exports/" + id, member);
            assertEquals(r.toString(), 200, r.status());
            job = r.json();
            if (job.get("state").asText().equals("done")
                    || job.get("state").asText().equals("failed")) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("export job not finished within 120 s: " + job);
    }

    /** The download token of the next export mail not seen yet (bounded wait). */
    private static String nextLink(GreenMail smtp, Set<String> seen) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                Matcher link = MailIT.LINK.matcher(MailIT.parts(m).get("text/plain"));
                if (link.find()) {
                    String token = URLDecoder.decode(link.group(2), StandardCharsets.UTF_8);
                    if (seen.add(token)) {
                        return token;
                    }
                }
            }
            smtp.waitForIncomingEmail(1_000, smtp.getReceivedMessages().length + 1);
        }
        throw new AssertionError("no new export mail within 60 s");
    }

    private static Path archive(ServerProcess server, String member, YearMonth month, Path to) throws Exception {
        String m = String.format("%04d%02d", month.getYear(), month.getMonthValue());
        HttpResponse<byte[]> r = server.api.sendBytes(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + server.port + "/api/v1/orgs/" + ORG + "/archives/" + m + "/Apps"))
                .header("Authorization", "Bearer " + member)
                .build());
        assertEquals(new String(r.body(), StandardCharsets.UTF_8), 200, r.statusCode());
        return Files.write(to, r.body());
    }

    private static void assertVerifies(Path file, Path key) throws Exception {
        EvidenceIT.Run run = EvidenceIT.verifier("verify", file.toString(), "--key", key.toString());
        assertEquals(file.getFileName() + ":\n" + run.output(), 0, run.exit());
    }

    @Test
    public void aFailedExportNamesAnIncidentAndRequestsAreBoundedPerMemberADay() throws Exception {
        GreenMail smtp = greenMail(ServerOptions.freePort());
        Path data = Files.createTempDirectory("auditlog-export-bounds");
        ServerProcess server = start(data, smtp.getSmtp().getPort(), "exportsPerMemberPerDay = 2\n");
        Api api = server.api;
        api.activeOrg(TOKEN, ORG);
        String ingest = api.ingestToken(TOKEN, "Apps", null);
        String owner = memberToken(api, "owner");
        assertEquals(
                201,
                api.post(
                                "/api/v1/products/Apps/events",
                                ingest,
                                "application/json",
                                Api.json(List.of(Api.record(ORG, Instant.now().toString(), "one", "Ann"))))
                        .status());

        // the organization's export folder cannot be made: a file is in its way
        Path inTheWay = Files.createDirectories(data.resolve("exports")).resolve(ORG);
        Files.writeString(inTheWay, "not a folder");
        Api.Reply asked =
                api.post("/api/v1/orgs/" + ORG + "/exports", owner, "application/json", "{\"product\":\"Apps\"}");
        assertEquals(asked.toString(), 202, asked.status());
        JsonNode failed = awaitJob(api, owner, asked.json().get("id").asText());
        assertEquals(failed.toString(), "failed", failed.get("state").asText());
        String reason = failed.get("failure").asText();
        Matcher incident = java.util.regex.Pattern.compile("^The file could not be written on the server \\(incident "
                        + "([0-9a-f]{12})\\)\\. Ask for the export again later")
                .matcher(reason);
        assertTrue(reason, incident.find());
        assertTrue(reason, !reason.contains(data.toString()) && !reason.contains("directory"));
        MimeMessage mail = awaitMail(smtp, "Audit log export failed");
        String text = MailIT.parts(mail).get("text/plain");
        assertTrue(text, text.contains(reason) && !text.contains(data.toString()));
        String log = Files.readString(data.resolve("server.log"));
        int at = log.indexOf("(incident " + incident.group(1) + ")");
        assertTrue("the log has the incident", at >= 0);
        assertTrue("the log has the cause under it", log.indexOf(inTheWay.toString(), at) > at);

        Files.delete(inTheWay);
        asked = api.post("/api/v1/orgs/" + ORG + "/exports", owner, "application/json", "{\"product\":\"Apps\"}");
        assertEquals(asked.toString(), 202, asked.status());
        assertEquals(
                "done",
                awaitJob(api, owner, asked.json().get("id").asText())
                        .get("state")
                        .asText());

        // a third request of the day: 429, Retry-After until midnight UTC, the body naming the rule; not recorded
        Api.Reply third =
                api.post("/api/v1/orgs/" + ORG + "/exports", owner, "application/json", "{\"product\":\"Apps\"}");
        assertEquals(third.toString(), 429, third.status());
        assertEquals("exports_per_member_per_day", third.json().get("error").asText());
        assertTrue(third.toString(), third.json().get("detail").asText().startsWith("you asked for 2 exports"));
        long retryAfter =
                Long.parseLong(third.raw().headers().firstValue("Retry-After").orElseThrow());
        assertTrue("Retry-After " + retryAfter, retryAfter >= 1 && retryAfter <= 86_400);
        assertEquals(
                2,
                api.get("/api/v1/orgs/" + ORG + "/exports", owner)
                        .json()
                        .get("exports")
                        .size());
        assertEquals(
                "the two requests taken are in the organization's log, the refused one is not",
                2,
                api.allEvents(TOKEN, ORG, 100, "event=Export%20audit%20logs").size());
    }

    /** The first mail whose subject starts with {@code subject} (bounded wait). */
    private static MimeMessage awaitMail(GreenMail smtp, String subject) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (m.getSubject().startsWith(subject)) {
                    return m;
                }
            }
            smtp.waitForIncomingEmail(1_000, smtp.getReceivedMessages().length + 1);
        }
        throw new AssertionError("no mail '" + subject + "…' within 60 s");
    }

    @Test
    public void everyFileHandedOutWhileEventsArriveVerifies() throws Exception {
        GreenMail smtp = greenMail(ServerOptions.freePort());
        Path data = Files.createTempDirectory("auditlog-live-export");
        ServerProcess server = start(data, smtp.getSmtp().getPort(), "");
        Api api = server.api;
        api.activeOrg(TOKEN, ORG);
        String ingest = api.ingestToken(TOKEN, "Apps", null);
        String owner = memberToken(api, "owner");

        // last month: its own part of the tree
        YearMonth last = YearMonth.now(ZoneOffset.UTC).plusMonths(1);
        YearMonth current = last.plusMonths(1);
        moveClock(data, last.atDay(20).atTime(12, 0).toInstant(ZoneOffset.UTC));
        List<Map<String, Object>> before = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            before.add(Api.record(ORG, serverNow().minusSeconds(i).toString(), "last month " + i, "Ann"));
        }
        assertEquals(
                201,
                api.post("/api/v1/products/Apps/events", ingest, "application/json", Api.json(before))
                        .status());

        moveClock(data, current.atDay(3).atTime(12, 0).toInstant(ZoneOffset.UTC));
        Path dir = Files.createDirectories(data.resolve("downloads"));
        Path key = Files.writeString(
                dir.resolve("server.pub"),
                api.get("/api/v1/evidence/keys", null).json().get("current").asText() + "\n");

        // events without pause: dated now, late ones of last month, and one a day ahead in each request
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        AtomicReference<String> refused = new AtomicReference<>();
        Thread sender = new Thread(
                () -> {
                    Api client = new Api(server.port);
                    try {
                        for (int batch = 0; !stop.get(); batch++) {
                            List<Map<String, Object>> records = new ArrayList<>();
                            Instant now = serverNow();
                            for (int i = 0; i < 40; i++) {
                                records.add(Api.record(
                                        ORG, now.minusMillis(i).toString(), "live " + batch + "/" + i, "Ann"));
                            }
                            records.add(Api.record(
                                    ORG,
                                    last.atDay(25)
                                            .atTime(9, 0)
                                            .plusSeconds(batch)
                                            .toInstant(ZoneOffset.UTC)
                                            .toString(),
                                    "late " + batch,
                                    "Ann"));
                            records.add(Api.record(ORG, now.plusSeconds(86_400).toString(), "ahead " + batch, "Ann"));
                            Api.Reply r = client.post(
                                    "/api/v1/products/Apps/events", ingest, "application/json", Api.json(records));
                            if (r.status() != 201) {
                                refused.set(r.toString());
                                return;
                            }
                            sent.addAndGet(records.size());
                        }
                    } catch (Exception e) {
                        refused.set(e.toString());
                    }
                },
                "live-export-sender");
        sender.start();
        try {
            Set<String> seen = new HashSet<>();
            for (int round = 1; round <= 4; round++) {
                long sentBefore = sent.get();
                Api.Reply asked = api.post(
                        "/api/v1/orgs/" + ORG + "/exports", owner, "application/json", "{\"product\":\"Apps\"}");
                assertEquals(asked.toString(), 202, asked.status());
                JsonNode job = awaitJob(api, owner, asked.json().get("id").asText());
                assertEquals(job.toString(), "done", job.get("state").asText());
                HttpResponse<byte[]> zip = MailIT.download(server.port, nextLink(smtp, seen), owner);
                assertEquals(200, zip.statusCode());
                Path file = Files.write(dir.resolve("current-" + round + ".zip"), zip.body());
                assertVerifies(file, key);
                JsonNode manifest = Api.JSON.readTree(EvidenceIT.entries(file).get("manifest.json"));
                long others = 0;
                for (JsonNode range : manifest.get("otherRanges")) {
                    others += range.get("to").asLong() - range.get("from").asLong();
                }
                System.out.printf(
                        "LiveExportIT: current-month file %d: %,d rows, leaves %,d to %,d, %,d of them "
                                + "other rows (dated after the request or in another month)%n",
                        round,
                        manifest.get("csv").get("rows").asLong(),
                        manifest.get("tree").get("start").get("size").asLong(),
                        manifest.get("tree").get("end").get("size").asLong(),
                        others);

                assertVerifies(archive(server, owner, last, dir.resolve("last-" + round + ".zip")), key);
                assertTrue("events arrived while the files were built", sent.get() > sentBefore);
                assertNull(refused.get());
            }
        } finally {
            stop.set(true);
            sender.join(60_000);
        }
        assertNull(refused.get());

        // an event's inclusion proof: its id a string (a JavaScript number loses digits above 2^53), checked by prove
        String csv = new String(
                EvidenceIT.entries(dir.resolve("current-4.zip")).entrySet().stream()
                        .filter(e -> e.getKey().endsWith(".csv"))
                        .findFirst()
                        .orElseThrow()
                        .getValue(),
                StandardCharsets.UTF_8);
        String event = csv.split("\r\n")[1].split(",")[0];
        Api.Reply inclusion = api.get("/api/v1/orgs/" + ORG + "/evidence/Apps/inclusion?event=" + event, owner);
        assertEquals(inclusion.toString(), 200, inclusion.status());
        assertTrue(inclusion.body(), inclusion.json().get("eventId").isTextual());
        assertEquals(event, inclusion.json().get("eventId").asText());
        assertTrue(event + " is above 2^53", Long.parseLong(event) > 1L << 53);
        Path proof = Files.writeString(dir.resolve("proof.json"), inclusion.body());
        EvidenceIT.Run proven =
                EvidenceIT.verifier("prove", "--event", event, "--proof", proof.toString(), "--key", key.toString());
        assertEquals(proven.output(), 0, proven.exit());
        System.out.printf(
                "LiveExportIT: %,d events sent while 4 current-month and 4 past-month files were built%n", sent.get());
    }
}
