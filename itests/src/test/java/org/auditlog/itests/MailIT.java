package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.mail.BodyPart;
import javax.mail.Message;
import javax.mail.Multipart;
import javax.mail.internet.MimeMessage;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.auditlog.api.adapter.Column;
import org.junit.After;
import org.junit.Test;

/**
 * Exports and mail end to end, as an operator runs the server: the distribution in its own process, configured
 * through the environment ({@code AUDITLOG_SMTP_HOST}, {@code AUDITLOG_SMTP_PORT}, {@code AUDITLOG_MAIL_FROM},
 * {@code AUDITLOG_BASE_URL}), mailing a real SMTP server (GreenMail) in this JVM. Time is moved with a clock
 * bundle dropped in deploy/ ({@link TestBundles#fileClock}), never by waiting.
 */
public class MailIT {
    static final String TOKEN = "mail-test-operator-token";
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd");
    static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuuMM");
    static final Pattern LINK = Pattern.compile(
            "https://audit\\.example\\.test/orgs/([A-Z0-9]+)/settings/" + "audit-log\\?download=([A-Za-z0-9_%-]+)");

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @After
    public void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    public void theRequesterIsMailedALinkThatDownloadsTheExportFor24Hours() throws Exception {
        int smtpPort = ServerOptions.freePort();
        GreenMail smtp = greenMail(smtpPort);
        Path data = Files.createTempDirectory("auditlog-mail");
        ServerProcess server = start(data, smtpPort);
        Api api = server.api;
        api.activeOrg(TOKEN, "MAIL");
        api.activeOrg(TOKEN, "OTHER");
        member(api, "MAIL", "carol", "Carol Member", "carol@mail.example", "admin");
        String owner = memberToken(api, "MAIL", "owner");
        String carol = memberToken(api, "MAIL", "carol");
        String otherOwner = memberToken(api, "OTHER", "owner");
        String backlog = api.ingestToken(TOKEN, "Backlog", null);

        Instant now = Instant.now();
        YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        Map<String, Object> known =
                Api.record("MAIL", month.atDay(1) + "T00:00:00Z", "Issue \"ABC-1\" was created, then\nclosed", "渡辺 太郎");
        known.put("category", "Issue");
        known.put("event", "Add issue");
        known.put("operation_user_id", "u-42");
        known.put("operation_user_email", "watanabe@mail.example");
        known.put("ip_address", "203.0.113.7");
        known.put("user_agent", "Mozilla/5.0 (X11; Linux x86_64), \"quoted\"");
        List<Map<String, Object>> records = new ArrayList<>(List.of(known));
        for (int i = 0; i < 250; i++) {
            records.add(
                    Api.record("MAIL", thisMonth(now, 60_000L + 1000L * i).toString(), "row " + i + ", plain", "Ann"));
        }
        records.add(
                Api.record("MAIL", month.minusMonths(1).atDay(3) + "T00:00:00Z", "last month: not exported", "Ann"));
        records.add(Api.record("OTHER", thisMonth(now, 30_000).toString(), "another organization", "Ann"));
        assertEquals(
                201,
                api.post(
                                "/api/v1/products/Backlog/events",
                                backlog,
                                "application/vnd.auditlog.v1+json",
                                Api.json(records))
                        .status());

        // Asking wrongly: each refusal names the field or the rule.
        Api wrong = api.deliberatelyInvalid();
        assertError(wrong.post("/api/v1/orgs/MAIL/exports", owner, "application/json", "{}"), 400, "product");
        assertError(
                api.post("/api/v1/orgs/MAIL/exports", owner, "application/json", "{\"product\":\"Nope\"}"),
                400,
                "product");
        assertError(
                wrong.post(
                        "/api/v1/orgs/MAIL/exports",
                        owner,
                        "application/json",
                        "{\"product\":\"Backlog\",\"month\":\"202601\"}"),
                400,
                "month");
        assertError(wrong.post("/api/v1/orgs/MAIL/exports", owner, "application/json", "{\"product\":"), 400, null);
        assertEquals(
                "member_required",
                api.post("/api/v1/orgs/MAIL/exports", TOKEN, "application/json", "{\"product\":\"Backlog\"}")
                        .json()
                        .get("error")
                        .asText());
        assertEquals(
                "not_audit_log_admin",
                api.post("/api/v1/orgs/MAIL/exports", carol, "application/json", "{\"product\":\"Backlog\"}")
                        .json()
                        .get("error")
                        .asText());
        assertEquals(
                0,
                api.get("/api/v1/orgs/MAIL/exports", owner)
                        .json()
                        .get("exports")
                        .size());

        Api.Reply asked = api.post("/api/v1/orgs/MAIL/exports", owner, "application/json", "{\"product\":\"Backlog\"}");
        assertEquals(asked.toString(), 202, asked.status());
        long id = asked.json().get("id").asLong();
        assertEquals(
                "/api/v1/orgs/MAIL/exports/" + id,
                URI.create(asked.raw().headers().firstValue("Location").orElseThrow())
                        .getPath());
        JsonNode job = awaitJob(api, owner, "MAIL", id);
        String fileName = "auditlog-" + month.atDay(1).format(DAY) + "-"
                + now.atOffset(ZoneOffset.UTC).toLocalDate().format(DAY) + "-Backlog-csv.zip";
        assertEquals(job.toString(), "done", job.get("state").asText());
        assertEquals(251, job.get("rows").asLong());
        assertEquals(fileName, job.get("fileName").asText());
        assertEquals(
                404, api.get("/api/v1/orgs/OTHER/exports/" + id, otherOwner).status());
        assertEquals(404, api.get("/api/v1/orgs/MAIL/exports/" + id, otherOwner).status());
        assertEquals(
                id,
                api.get("/api/v1/orgs/MAIL/exports", owner)
                        .json()
                        .get("exports")
                        .get(0)
                        .get("id")
                        .asLong());

        // The mail: to the requester, from the configured sender, naming organization, product and period.
        assertTrue("no mail arrived", smtp.waitForIncomingEmail(30_000, 1));
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertEquals("owner@mail.example", mail.getRecipients(Message.RecipientType.TO)[0].toString());
        assertTrue(mail.getFrom()[0].toString(), mail.getFrom()[0].toString().contains("audit@example.test"));
        assertTrue(
                mail.getSubject(),
                mail.getSubject().contains("Backlog")
                        && mail.getSubject().contains("MAIL Inc (MAIL)")
                        && mail.getSubject().contains(month.atDay(1).toString()));
        Map<String, String> parts = parts(mail);
        assertTrue(parts.keySet().toString(), parts.containsKey("text/plain") && parts.containsKey("text/html"));
        assertTrue(parts.get("text/plain").contains("251"));
        Matcher link = LINK.matcher(parts.get("text/plain"));
        assertTrue(parts.get("text/plain"), link.find());
        assertEquals("MAIL", link.group(1));
        String token = URLDecoder.decode(link.group(2), StandardCharsets.UTF_8);
        assertTrue(parts.get("text/html").contains("href=\"" + link.group()));

        // Following the link: the signed-in Audit Log Admin downloads the zip; the CSV holds every column.
        HttpResponse<byte[]> zip = download(server.port, token, owner);
        assertEquals(200, zip.statusCode());
        assertEquals(
                "attachment; filename=\"" + fileName + "\"",
                zip.headers().firstValue("Content-Disposition").orElse(""));
        List<CSVRecord> rows = csv(zip.body(), fileName.replace("-csv.zip", ".csv"));
        assertEquals(Column.header(), rows.get(0).toList());
        assertEquals(252, rows.size());
        CSVRecord row = rows.stream()
                .filter(r -> r.get(6).startsWith("Issue \"ABC-1\""))
                .findFirst()
                .orElseThrow();
        List<JsonNode> stored = api.allEvents(TOKEN, "MAIL", 500, "category=Issue");
        assertEquals(1, stored.size());
        assertEquals(
                List.of(
                        stored.get(0).get("id").asText(),
                        "MAIL",
                        "Backlog",
                        month.atDay(1) + "T00:00:00.000Z",
                        "Issue",
                        "Add issue",
                        "Issue \"ABC-1\" was created, then\nclosed",
                        "u-42",
                        "渡辺 太郎",
                        "watanabe@mail.example",
                        "203.0.113.7",
                        "Mozilla/5.0 (X11; Linux x86_64), \"quoted\"",
                        "V1"),
                row.toList());
        assertFalse(rows.stream()
                .anyMatch(r -> r.get(6).contains("not exported") || r.get(6).contains("another")));

        // Refusals, each with its reason.
        assertEquals(401, download(server.port, token, null).statusCode());
        assertRefused(download(server.port, token, TOKEN), 403, "member_required");
        assertRefused(download(server.port, token, otherOwner), 403, "foreign_download_link");
        assertRefused(download(server.port, token, carol), 403, "not_audit_log_admin");
        assertRefused(
                download(server.port, token.substring(0, token.length() - 2) + "xx", owner),
                404,
                "unknown_download_link");
        assertRefused(download(server.port, "not-a-token", owner), 404, "unknown_download_link");

        // 24 hours after the mail was sent the link is gone; a minute before, it still works. (The Date header
        // is when the mail was queued, to the second; the server took it moments later.)
        Instant sent = mail.getSentDate().toInstant();
        moveClock(data, sent.plus(Duration.ofHours(24)).minusSeconds(60));
        assertEquals(200, download(server.port, token, owner).statusCode());
        moveClock(data, sent.plus(Duration.ofHours(24)).plusSeconds(15));
        assertRefused(download(server.port, token, owner), 410, "download_link_expired");

        // The export and the downloads are in the organization's own log.
        List<JsonNode> own = api.allEvents(TOKEN, "MAIL", 500, "category=Audit%20log");
        assertTrue(
                own.toString(),
                own.stream()
                        .anyMatch(e -> e.get("event").asText().equals("Export audit logs")
                                && e.get("operation_user_id").asText().equals("owner")));
        assertEquals(
                2,
                own.stream()
                        .filter(e -> e.get("event").asText().equals("Download audit logs"))
                        .count());
        // one export mail (moving the clock a day on may cross the 1st, and the monthly run mails too)
        assertEquals(
                1,
                subjectsByRecipient(smtp).values().stream()
                        .flatMap(List::stream)
                        .filter(subject -> subject.startsWith("Audit log export ready"))
                        .count());
    }

    @Test
    public void mailsQueuedWhileTheMailServerIsDownArriveOnceEachAfterACrash() throws Exception {
        int smtpPort = ServerOptions.freePort(); // nothing listens there yet
        Path data = Files.createTempDirectory("auditlog-mail-down");
        ServerProcess server = start(data, smtpPort);
        Api api = server.api;
        api.activeOrg(TOKEN, "DOWN");
        member(api, "DOWN", "bob", "Bob Admin", "bob@down.example", "member");
        String owner = memberToken(api, "DOWN", "owner");
        assertEquals(
                200, api.put("/api/v1/orgs/DOWN/audit-admins/bob", owner, "").status()); // the call takes no body
        String bob = memberToken(api, "DOWN", "bob");
        String backlog = api.ingestToken(TOKEN, "Backlog", null);
        Instant now = Instant.now();
        YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(Api.record("DOWN", thisMonth(now, 100_000L + 1000L * i).toString(), "row, " + i, "Ann"));
        }
        assertEquals(
                201,
                api.post(
                                "/api/v1/products/Backlog/events",
                                backlog,
                                "application/vnd.auditlog.v1+json",
                                Api.json(records))
                        .status());

        // An export while the mail server is down: the file is written, the mail waits and is retried.
        long id = api.post("/api/v1/orgs/DOWN/exports", owner, "application/json", "{\"product\":\"Backlog\"}")
                .json()
                .get("id")
                .asLong();
        assertEquals("done", awaitJob(api, owner, "DOWN", id).get("state").asText());
        JsonNode outbox = awaitOutbox(
                api,
                o -> o.get("pending").asInt() == 1
                        && o.get("oldest").get(0).get("attempts").asInt() >= 1);
        assertFalse(outbox.get("oldest").get(0).get("lastError").isNull());

        // The 1st of next month at 02:00 UTC passes while the mail server is still down: the monthly run
        // queues one mail per Audit Log Admin.
        YearMonth next = month.plusMonths(1);
        moveClock(data, next.atDay(1).atTime(2, 0, 30).toInstant(ZoneOffset.UTC));
        awaitOutbox(api, o -> o.get("pending").asInt() == 3);

        // The server dies; the mail server comes back; the server restarts: every mail arrives, once.
        server.kill();
        GreenMail smtp = greenMail(smtpPort);
        server = start(data, smtpPort);
        api = server.api;
        assertTrue("mails did not arrive", smtp.waitForIncomingEmail(30_000, 3));
        awaitOutbox(api, o -> o.get("pending").asInt() == 0);
        Map<String, List<String>> subjects = subjectsByRecipient(smtp);
        assertEquals(subjects.toString(), 2, subjects.get("owner@down.example").size());
        assertEquals(subjects.toString(), 1, subjects.get("bob@down.example").size());
        String monthly = "Audit logs of DOWN Inc (DOWN) for "
                + month.getMonth().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH) + " "
                + month.getYear();
        assertTrue(subjects.toString(), subjects.get("bob@down.example").get(0).startsWith(monthly));
        assertTrue(
                subjects.toString(), subjects.get("owner@down.example").stream().anyMatch(s -> s.startsWith(monthly)));

        // The monthly mail's links lead to last month's files; bob downloads Backlog's.
        MimeMessage toBob = received(smtp, "bob@down.example").get(0);
        String text = parts(toBob).get("text/plain");
        String archive = "https://audit.example.test/orgs/DOWN/settings/audit-log?archive=" + month.format(MONTH)
                + "&product=Backlog";
        assertTrue(text, text.contains(archive));
        HttpResponse<byte[]> file = server.api.sendBytes(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.port + "/api/v1/orgs/DOWN/archives/" + month.format(MONTH) + "/Backlog"))
                .header("Authorization", "Bearer " + bob)
                .build());
        assertEquals(200, file.statusCode());
        assertEquals(
                41,
                csv(file.body(), "auditlog-" + month.format(MONTH) + "-Backlog.csv")
                        .size());
        // the mail carries the month's root in the tamper-evident log: the one the file's manifest ends at
        JsonNode end = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(EvidenceIT.entries(Files.write(data.resolve("mailed.zip"), file.body()))
                        .get("manifest.json"))
                .get("tree")
                .get("end");
        assertTrue(
                text,
                text.contains(
                        "Evidence: auditlog/DOWN/Backlog at " + end.get("size").asLong() + " leaves, root "
                                + end.get("root").asText()));

        // Restarting does not run the month again; a month missed while the server was down runs at start.
        server.terminate();
        server = start(data, smtpPort);
        awaitMonthlyLooks(server);
        assertEquals(3, smtp.getReceivedMessages().length);
        server.terminate();
        moveClock(data, next.plusMonths(1).atDay(1).atTime(3, 0).toInstant(ZoneOffset.UTC));
        server = start(data, smtpPort);
        assertTrue("the missed month was not mailed", smtp.waitForIncomingEmail(30_000, 5));
        awaitMonthlyLooks(server);
        assertEquals(5, smtp.getReceivedMessages().length);
        assertTrue(subjectsByRecipient(smtp)
                .get("bob@down.example")
                .get(1)
                .contains(next.getMonth().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH)
                        + " " + next.getYear()));
    }

    @Test
    public void anExportRunningWhenTheServerDiesRunsAgainAtStartAndMailsOnce() throws Exception {
        int smtpPort = ServerOptions.freePort();
        GreenMail smtp = greenMail(smtpPort);
        Path data = Files.createTempDirectory("auditlog-mail-crash");
        ServerProcess server = start(data, smtpPort);
        Api api = server.api;
        api.activeOrg(TOKEN, "CRASH");
        String owner = memberToken(api, "CRASH", "owner");
        String backlog = api.ingestToken(TOKEN, "Backlog", null);
        Instant now = Instant.now();
        // Enough rows that writing them takes a second or more (about 45,000 rows/s here): the kill lands as soon
        // as the job is seen running, while the file is being written.
        int batches = 60;
        for (int b = 0; b < batches; b++) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                records.add(
                        Api.record("CRASH", thisMonth(now, b * 1000L + i + 1).toString(), "row " + b + "/" + i, "Ann"));
            }
            assertEquals(
                    201,
                    api.post(
                                    "/api/v1/products/Backlog/events",
                                    backlog,
                                    "application/vnd.auditlog.v1+json",
                                    Api.json(records))
                            .status());
        }
        long id = api.post("/api/v1/orgs/CRASH/exports", owner, "application/json", "{\"product\":\"Backlog\"}")
                .json()
                .get("id")
                .asLong();

        // Killed while the job is writing: as soon as a worker has claimed it.
        long deadline = System.nanoTime() + 60_000_000_000L;
        JsonNode job;
        do {
            job = api.get("/api/v1/orgs/CRASH/exports/" + id, owner).json();
            assertTrue(
                    "the job ended before it could be interrupted: " + job,
                    !job.get("state").asText().equals("done"));
            if (!job.get("state").asText().equals("running")) {
                Thread.sleep(5);
            }
        } while (!job.get("state").asText().equals("running") && System.nanoTime() < deadline);
        assertEquals("running", job.get("state").asText());
        server.kill();
        System.out.printf(
                "MailIT: server killed with the export job at %,d of %,d rows%n",
                job.get("rows").asLong(), batches * 1000L);
        if (Files.exists(data.resolve("exports"))) { // killed before the job made its folder
            try (var files = Files.walk(data.resolve("exports"))) {
                assertFalse(
                        "no complete file yet", files.anyMatch(p -> p.toString().endsWith("-csv.zip")));
            }
        }

        server = start(data, smtpPort);
        job = awaitJob(server.api, owner, "CRASH", id);
        assertEquals(job.toString(), "done", job.get("state").asText());
        assertEquals(batches * 1000L, job.get("rows").asLong());
        assertEquals(2, job.get("attempts").asInt());
        assertTrue(smtp.waitForIncomingEmail(30_000, 1));
        Matcher link = LINK.matcher(parts(smtp.getReceivedMessages()[0]).get("text/plain"));
        assertTrue(link.find());
        HttpResponse<byte[]> zip =
                download(server.port, URLDecoder.decode(link.group(2), StandardCharsets.UTF_8), owner);
        assertEquals(200, zip.statusCode());
        assertEquals(
                batches * 1000 + 1,
                csv(zip.body(), job.get("fileName").asText().replace("-csv.zip", ".csv"))
                        .size());
        awaitOutbox(server.api, o -> o.get("pending").asInt() == 0);
        assertEquals(1, smtp.getReceivedMessages().length);
    }

    // ---------------------------------------------------------------------------------------------------------

    private GreenMail greenMail(int port) {
        GreenMail g = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        toClose.add(g::stop);
        return g;
    }

    /**
     * Starts the distribution mailing 127.0.0.1:smtpPort, configured through the environment as a container
     * would be, with a clock bundle in deploy/ and retries and monthly looks every second.
     */
    private ServerProcess start(Path data, int smtpPort) throws Exception {
        Path config = testConfig(data, "");
        Path log = data.resolve("server.log");
        ServerProcess server = ServerProcess.start(
                data,
                ServerOptions.freePort(),
                TOKEN,
                log,
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
        server.api.awaitAdapter(TOKEN, "Backlog");
        return server;
    }

    /**
     * The config folder of a test server that mails (made the first time): the distribution's files, with mail
     * retries and monthly looks every second and {@code exportSettings} added to the export's; the movable clock
     * bundle in deploy/ ({@link #moveClock}).
     */
    static Path testConfig(Path data, String exportSettings) throws IOException {
        Path config = data.resolve("test-config");
        if (!Files.isDirectory(config)) {
            Files.createDirectories(config);
            try (var files = Files.list(ServerOptions.distribution().resolve("config"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, config.resolve(f.getFileName()));
                }
            }
            Files.writeString(
                    config.resolve("org.auditlog.mail.cfg"),
                    "retryInitialSeconds = 1\nretryMaxSeconds = 2\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(
                    config.resolve("org.auditlog.export.cfg"),
                    "checkSeconds = 1\n" + exportSettings,
                    java.nio.file.StandardOpenOption.APPEND);
            Files.createDirectories(data.resolve("deploy"));
            Files.write(data.resolve("deploy/org.auditlog.itests.clock.jar"), TestBundles.fileClock());
        }
        return config;
    }

    private static void awaitBundle(Api api, String symbolicName) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Api.Reply r = api.get("/api/v1/admin/bundles", TOKEN);
            for (JsonNode b : r.json().get("bundles")) {
                if (b.get("symbolicName").asText().equals(symbolicName)
                        && b.get("state").asText().equals("ACTIVE")) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(symbolicName + " not active within 30 s");
    }

    /** Waits until the monthly schedule has looked at the (moved) clock at least twice since this start. */
    private static void awaitMonthlyLooks(ServerProcess server) throws Exception {
        // checkSeconds is 1: three seconds after the clock bundle is active, the schedule has looked twice.
        long until = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < until) {
            assertTrue(server.isAlive());
            Thread.sleep(200);
        }
    }

    /** Moves the server's clock so that it reads {@code to} now. */
    static void moveClock(Path data, Instant to) throws IOException {
        Path tmp = data.resolve("test-clock-offset.tmp");
        Files.writeString(tmp, Long.toString(to.toEpochMilli() - System.currentTimeMillis()));
        Files.move(
                tmp,
                data.resolve("test-clock-offset"),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static void member(Api api, String spaceKey, String userId, String name, String email, String role)
            throws Exception {
        Api.Reply r = api.post(
                "/api/v1/admin/orgs/" + spaceKey + "/members",
                TOKEN,
                "application/json",
                "{\"userId\":\"" + userId + "\",\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"role\":\""
                        + role + "\"}");
        assertEquals(r.toString(), 201, r.status());
    }

    private static String memberToken(Api api, String spaceKey, String userId) throws Exception {
        Api.Reply r = api.post(
                "/api/v1/admin/tokens",
                TOKEN,
                "application/json",
                "{\"kind\":\"member\",\"spaceKey\":\"" + spaceKey + "\",\"userId\":\"" + userId
                        + "\",\"ttlHours\":8760}"); // a year: the tests move the clock by months
        assertEquals(r.toString(), 201, r.status());
        return r.json().get("token").asText();
    }

    private static JsonNode awaitJob(Api api, String token, String spaceKey, long id) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            Api.Reply r = api.get("/api/v1/orgs/" + spaceKey + "/exports/" + id, token);
            assertEquals(r.toString(), 200, r.status());
            job = r.json();
            String state = job.get("state").asText();
            if (state.equals("done") || state.equals("failed")) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("export job not finished within 60 s: " + job);
    }

    private static JsonNode awaitOutbox(Api api, java.util.function.Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Api.Reply r = api.get("/api/v1/admin/mail", TOKEN);
            assertEquals(r.toString(), 200, r.status());
            last = r.json();
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("outbox not as expected within 30 s: " + last);
    }

    static HttpResponse<byte[]> download(int port, String token, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/downloads/"
                + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8)));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        // The mail reaches the SMTP server a moment before the server marks it sent; until then the link answers
        // 409 link_not_mailed_yet, as documented. Wait out that moment (bounded), nothing else.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        Api api = bearer == null ? new Api(port).deliberatelyInvalid() : new Api(port); // no token: refused on purpose
        while (true) {
            HttpResponse<byte[]> r = api.sendBytes(b.build());
            if (r.statusCode() != 409
                    || System.nanoTime() > deadline
                    || !new String(r.body(), StandardCharsets.UTF_8).contains("link_not_mailed_yet")) {
                return r;
            }
            Thread.sleep(100);
        }
    }

    private static void assertRefused(HttpResponse<byte[]> r, int status, String error) throws IOException {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(body, status, r.statusCode());
        JsonNode json = Api.JSON.readTree(body);
        assertEquals(body, error, json.get("error").asText());
        assertFalse(body, json.get("detail").asText().isBlank());
    }

    /**
     * {@code millisBack} before {@code now}, but not before the 1st of now's month, 00:00 UTC: records meant for
     * the current month stay in it when the test runs in the first minutes of a month.
     */
    static Instant thisMonth(Instant now, long millisBack) {
        Instant start = YearMonth.from(now.atOffset(ZoneOffset.UTC))
                .atDay(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        Instant t = now.minusMillis(millisBack);
        return t.isBefore(start) ? start : t;
    }

    private static void assertError(Api.Reply r, int status, String field) {
        assertEquals(r.toString(), status, r.status());
        JsonNode json = r.json();
        assertEquals(
                r.toString(),
                field,
                json.get("field").isNull() ? null : json.get("field").asText());
        assertFalse(r.toString(), json.get("detail").asText().isBlank());
    }

    /** The zip's CSV, its first entry, named {@code entry}, parsed as CSV; the evidence entries follow it. */
    static List<CSVRecord> csv(byte[] zip, String entry) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            ZipEntry e = in.getNextEntry();
            assertNotNull(e);
            assertEquals(entry, e.getName());
            byte[] csv = in.readAllBytes();
            assertEquals(Zips.EVIDENCE, Zips.rest(in));
            return CSVFormat.RFC4180
                    .parse(new InputStreamReader(new ByteArrayInputStream(csv), StandardCharsets.UTF_8))
                    .getRecords();
        }
    }

    /** The text parts of a mail by media type. */
    static Map<String, String> parts(MimeMessage m) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        Object content = m.getContent();
        assertTrue(m.getContentType(), m.getContentType().startsWith("multipart/alternative"));
        Multipart mp = (Multipart) content;
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart p = mp.getBodyPart(i);
            out.put(p.getContentType().split(";")[0].trim().toLowerCase(java.util.Locale.ROOT), (String)
                    p.getContent());
        }
        return out;
    }

    private static Map<String, List<String>> subjectsByRecipient(GreenMail smtp) throws Exception {
        Map<String, List<String>> out = new HashMap<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            out.computeIfAbsent(m.getRecipients(Message.RecipientType.TO)[0].toString(), k -> new ArrayList<>())
                    .add(m.getSubject());
        }
        return out;
    }

    private static List<MimeMessage> received(GreenMail smtp, String to) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (m.getRecipients(Message.RecipientType.TO)[0].toString().equals(to)) {
                out.add(m);
            }
        }
        return out;
    }
}
