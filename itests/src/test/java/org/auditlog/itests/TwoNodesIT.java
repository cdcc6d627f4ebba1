package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import javax.mail.internet.MimeMessage;
import org.junit.After;
import org.junit.Test;

/**
 * Two servers on one PostgreSQL database (the suite's PostgreSQL run only: an embedded HSQLDB database admits one
 * server): node numbers 1 and 2, one shared export folder, one SMTP server, each started as an operator starts
 * it. Both take events from several threads; one is killed with {@code kill -9} in the middle of the stream and
 * again in the middle of an export; afterwards every acknowledged event is stored exactly once, the export is
 * finished by the other server and mailed once, and a clock moved to the 1st runs the monthly mailing once for
 * both.
 */
public class TwoNodesIT {
    private static final String TOKEN = "two-nodes-it-operator-token";
    private static final String ORG = "PAIR";
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path shared;
    private String url;
    private int smtpPort;

    @After
    public void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    public void twoServersShareIngestExportsAndTheMonthlyMailing() throws Exception {
        assertTrue("run by the profile postgresql (" + Postgres.PROPERTY + ")", Postgres.on());
        shared = Files.createTempDirectory("auditlog-two-nodes");
        url = Postgres.urlFor(shared.resolve("database"));
        smtpPort = ServerOptions.freePort();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        toClose.add(smtp::stop);

        Path dataA = shared.resolve("node-a");
        Path dataB = shared.resolve("node-b");
        ServerProcess a = start(dataA, 1);
        ServerProcess b = start(dataB, 2);
        a.api.activeOrg(TOKEN, ORG);
        String apps = a.api.ingestToken(TOKEN, "Apps", null);
        String backlog = b.api.ingestToken(TOKEN, "Backlog", null); // made on b, used on both
        String owner = memberToken(a.api, "owner");

        // --- ingest from four threads, two per server; a is killed in the middle of the stream -------------------
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger unanswered = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ServerProcess[] target = {a, b};
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> writers = new ArrayList<>();
        Instant monthStart =
                YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            writers.add(threads.submit(() -> {
                for (int batch = 0; !stop.get() && batch < 10_000; batch++) {
                    List<Map<String, Object>> records = new ArrayList<>();
                    List<String> actions = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        String action = "t" + thread + "-" + batch + "-" + i;
                        actions.add(action);
                        records.add(Api.record(
                                ORG,
                                monthStart
                                        .plusMillis(thread * 1_000_000L + batch * 100L + i)
                                        .toString(),
                                action,
                                "Ann"));
                    }
                    // threads 0 and 1 post to a until it is gone, then to b, as a load balancer would
                    ServerProcess to = thread < 2 && target[0].isAlive() ? target[0] : target[1];
                    try {
                        Api.Reply r = to.api.post(
                                "/api/v1/products/Apps/events",
                                apps,
                                "application/vnd.auditlog.v1+json",
                                Api.json(records));
                        if (r.status() == 201) {
                            actions.forEach(x -> acknowledged.merge(x, 1, Integer::sum));
                        } else {
                            unanswered.addAndGet(records.size());
                        }
                    } catch (IOException e) {
                        unanswered.addAndGet(records.size()); // the connection died with the server: not acknowledged
                    }
                }
                return null;
            }));
        }
        awaitAtLeast(acknowledged, 8_000);
        a.kill();
        int atKill = acknowledged.size();
        awaitAtLeast(acknowledged, atKill + 8_000);
        stop.set(true);
        for (Future<?> f : writers) {
            f.get(120, TimeUnit.SECONDS);
        }
        threads.shutdown();
        System.out.printf(
                "TwoNodesIT: %,d events acknowledged (%,d when a was killed), %,d not%n",
                acknowledged.size(), atKill, unanswered.get());

        // every acknowledged event exactly once, nothing twice (an unanswered batch may or may not be there)
        Map<String, Integer> stored = new HashMap<>();
        for (JsonNode e : b.api.allEvents(TOKEN, ORG, 1000)) {
            stored.merge(e.get("action").asText(), 1, Integer::sum);
        }
        for (String action : acknowledged.keySet()) {
            assertEquals("acknowledged " + action, Integer.valueOf(1), stored.get(action));
        }
        for (Map.Entry<String, Integer> e : stored.entrySet()) {
            assertEquals("stored twice: " + e.getKey(), Integer.valueOf(1), e.getValue());
        }
        assertTrue(stored.size() - acknowledged.size() <= unanswered.get());

        // --- an export a claims, a killed in its middle: b finishes it, one mail ----------------------------------
        a = start(dataA, 1);
        // enough rows that writing them takes a second or more: a is killed as soon as it is seen running the job
        int batches = 60;
        for (int batch = 0; batch < batches; batch++) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                records.add(Api.record(
                        ORG, monthStart.plusMillis(batch * 1000L + i).toString(), "export " + batch + "/" + i, "Ann"));
            }
            assertEquals(
                    201,
                    (batch % 2 == 0 ? a : b)
                            .api
                            .post(
                                    "/api/v1/products/Backlog/events",
                                    backlog,
                                    "application/vnd.auditlog.v1+json",
                                    Api.json(records))
                            .status());
        }
        b.terminate(); // a is the only server to claim the job
        long id = a.api.post("/api/v1/orgs/" + ORG + "/exports", owner, "application/json", "{\"product\":\"Backlog\"}")
                .json()
                .get("id")
                .asLong();
        JsonNode job;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        do {
            job = a.api.get("/api/v1/orgs/" + ORG + "/exports/" + id, owner).json();
            assertNotEquals(
                    "the job ended before a could be killed: " + job,
                    "done",
                    job.get("state").asText());
            if (!job.get("state").asText().equals("running")) {
                Thread.sleep(5);
            }
        } while (!job.get("state").asText().equals("running") && System.nanoTime() < deadline);
        assertEquals(job.toString(), "running", job.get("state").asText());
        a.kill();
        System.out.printf(
                "TwoNodesIT: a killed with the export at %,d of %,d rows%n",
                job.get("rows").asLong(), batches * 1000L);
        b = start(dataB, 2);
        job = awaitJob(b.api, owner, id);
        assertEquals(job.toString(), "done", job.get("state").asText());
        assertEquals(batches * 1000L, job.get("rows").asLong());
        assertEquals(2, job.get("attempts").asInt());
        assertTrue("the export mail did not arrive", smtp.waitForIncomingEmail(30_000, 1));
        assertTrue(Files.readString(dataB.resolve("server.log"))
                .contains("Export job " + id + " was left running by a stopped server; it runs again here"));
        // the file is in the shared folder: a, started again, serves the mailed link's download too
        a = start(dataA, 1);
        List<MimeMessage> ready = received(smtp, "Audit log export ready");
        assertEquals(1, ready.size());
        Matcher link = MailIT.LINK.matcher(MailIT.parts(ready.get(0)).get("text/plain"));
        assertTrue(link.find());
        HttpResponse<byte[]> zip =
                MailIT.download(a.port, URLDecoder.decode(link.group(2), StandardCharsets.UTF_8), owner);
        assertEquals(200, zip.statusCode());
        assertTrue(zip.body().length > 1000);

        // --- the clock moves to the 1st on both: the monthly mailing runs once --------------------------------------
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        Instant first = month.plusMonths(1).atDay(1).atTime(2, 0, 30).toInstant(ZoneOffset.UTC);
        MailIT.moveClock(dataA, first);
        MailIT.moveClock(dataB, first);
        assertTrue("the monthly mail did not arrive", smtp.waitForIncomingEmail(60_000, 2));
        Thread.sleep(5_000); // both servers look every second: a second run would have mailed by now
        assertEquals(1, received(smtp, "Audit logs of").size());
        assertEquals(2, smtp.getReceivedMessages().length);
        String started = "Monthly mailing of " + month + " started";
        int runs = count(Files.readString(dataA.resolve("server.log")), started)
                + count(Files.readString(dataB.resolve("server.log")), started);
        assertEquals("runs of the monthly mailing of " + month + " on both servers", 1, runs);
    }

    /**
     * Starts one node: the distribution's configuration, with retries and monthly looks every second, short
     * export claims, the movable clock bundle; the shared database, export folder and SMTP server.
     */
    private ServerProcess start(Path data, int node) throws Exception {
        Path config = MailIT.testConfig(data, "claimSeconds = 10\n");
        ServerProcess server = ServerProcess.start(
                data,
                ServerOptions.freePort(),
                TOKEN,
                data.resolve("server.log"),
                Map.of(
                        "AUDITLOG_JDBC_URL",
                        url,
                        "AUDITLOG_NODE_ID",
                        Integer.toString(node),
                        "AUDITLOG_EXPORTS_FOLDER",
                        shared.resolve("exports").toString(),
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
        server.api.awaitAdapter(TOKEN, "Backlog");
        return server;
    }

    private String memberToken(Api api, String userId) throws Exception {
        Api.Reply r = api.post(
                "/api/v1/admin/tokens",
                TOKEN,
                "application/json",
                "{\"kind\":\"member\",\"spaceKey\":\"" + ORG + "\",\"userId\":\"" + userId + "\",\"ttlHours\":8760}");
        assertEquals(r.toString(), 201, r.status());
        return r.json().get("token").asText();
    }

    /** Waits (at most 2 minutes) until {@code n} events are acknowledged. */
    static void awaitAtLeast(Map<String, Integer> acknowledged, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (acknowledged.size() < n) {
            assertTrue("only " + acknowledged.size() + " events acknowledged", System.nanoTime() < deadline);
            Thread.sleep(20);
        }
    }

    private static JsonNode awaitJob(Api api, String token, long id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        JsonNode job;
        do {
            job = api.get("/api/v1/orgs/" + ORG + "/exports/" + id, token).json();
            Thread.sleep(200);
        } while (!Set.of("done", "failed").contains(job.get("state").asText()) && System.nanoTime() < deadline);
        return job;
    }

    private static List<MimeMessage> received(GreenMail smtp, String subject) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (m.getSubject().contains(subject)) {
                out.add(m);
            }
        }
        return out;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
