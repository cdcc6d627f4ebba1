package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.After;
import org.junit.Test;

/**
 * A space key used again after its organization was deleted (docs/rules.md section 7), against the distribution with
 * its clock moved ({@link TestBundles#fileClock}): the new organization sees nothing of the old one (no event, no
 * user, no past-month file, no evidence tree, no inbox entry), its trees start at size 0, keys that differ only in
 * case are refused, and the daily run removes set-aside inbox entries that retention has outlived.
 */
public class TenantReuseIT {
    static final String TOKEN = "tenant-reuse-operator-token-0123456789";
    static final String INBOX = "/api/v1/admin/products/Backlog/inbox";

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @After
    public void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    public void aReCreatedOrganizationInheritsNothingOfTheDeletedOne() throws Exception {
        Path data = Files.createTempDirectory("auditlog-tenant");
        Path config = MailIT.testConfig(data, "");
        ServerProcess server = ServerProcess.start(
                data, ServerOptions.freePort(), TOKEN, data.resolve("server.log"), "--config", config.toString());
        toClose.add(server);
        server.awaitHealthy();
        Api api = server.api;
        awaitClock(api);
        Path jar = data.resolve("deploy/org.auditlog.product.backlog.jar");
        String backlog = api.ingestToken(TOKEN, "Backlog", null);
        String bound = api.ingestToken(TOKEN, "Backlog", "ACME");
        byte[] adapter = Files.readAllBytes(jar);

        // the first ACME: events of last month and this one, a past month's file, its trees
        api.activeOrg(TOKEN, "ACME");
        Instant start = Instant.now();
        YearMonth month = YearMonth.from(start.atOffset(ZoneOffset.UTC));
        YearMonth last = month.minusMonths(1);
        String lastMonth = String.format("%04d%02d", last.getYear(), last.getMonthValue());
        List<Map<String, Object>> old = List.of(
                Api.record("ACME", last.atDay(2) + "T10:00:00Z", "old one", "Wile Coyote"),
                Api.record("ACME", last.atDay(3) + "T10:00:00Z", "old two", "Wile Coyote"),
                Api.record("ACME", month.atDay(1) + "T00:00:00Z", "old three", "Wile Coyote"));
        assertEquals(
                201,
                api.post("/api/v1/products/Backlog/events", backlog, "application/vnd.auditlog.v1+json", Api.json(old))
                        .status());
        assertEquals(List.of("old one", "old two"), pastMonthActions(server, lastMonth));
        assertEquals(
                3,
                api.get("/api/v1/orgs/ACME/evidence/Backlog/checkpoint", TOKEN)
                        .json()
                        .get("treeSize")
                        .asInt());
        assertEquals(
                1,
                api.get("/api/v1/orgs/ACME/events?user=Wile+Coyote&limit=1", TOKEN)
                        .json()
                        .get("events")
                        .size());

        // keys that differ only in case would share an export folder on a case-insensitive file system
        refused(409, "space_key_case_conflict", createOrg(api, "acme"));

        // a payload for ACME waits in the inbox while the adapter is away, and is set aside once ACME is deleted
        removeAdapter(api, jar);
        assertEquals(
                202,
                InboxSetAsideIT.postIssue(api, bound, 7, last.atDay(4) + "T10:00:00Z")
                        .status());
        Api.Reply deleted = api.delete("/api/v1/admin/orgs/ACME", TOKEN);
        assertEquals(deleted.toString(), 204, deleted.status());
        Instant deletedAt = Instant.now();
        putAdapterBack(api, jar, adapter);
        DistributionIT.awaitTrue(
                "the entry of the deleted ACME set aside",
                () -> api.get(INBOX, TOKEN).json().get("entries").size() == 1);
        assertEquals(
                "ACME",
                api.get(
                                INBOX + "/"
                                        + api.get(INBOX, TOKEN)
                                                .json()
                                                .get("entries")
                                                .get(0)
                                                .get("id")
                                                .asText(),
                                TOKEN)
                        .json()
                        .get("spaceKey")
                        .asText());

        // the key is the deleted organization's for 30 days, also in another case
        MailIT.moveClock(data, deletedAt.plus(Duration.ofDays(29)));
        refused(409, "space_key_reserved", createOrg(api, "ACME"));
        refused(409, "space_key_reserved", createOrg(api, "Acme"));

        // 31 days on, no retention run in between: ACME is made again, and its data is gone
        MailIT.moveClock(data, deletedAt.plus(Duration.ofDays(31)));
        Api.Reply again = createOrg(api, "ACME");
        assertEquals(again.toString(), 201, again.status());
        assertEquals(List.of(), api.allEvents(TOKEN, "ACME", 100));
        assertEquals(List.of(), api.allEvents(TOKEN, "ACME", 100, "product=Backlog"));
        assertEquals(
                0,
                api.get("/api/v1/orgs/ACME/events?user=Wile+Coyote&limit=1", TOKEN)
                        .json()
                        .get("events")
                        .size());
        for (JsonNode a : api.get("/api/v1/orgs/ACME/archives", TOKEN).json().get("archives")) {
            assertTrue("no file of the deleted ACME: " + a, a.get("size").isNull());
        }
        assertEquals(List.of(), pastMonthActions(server, lastMonth));
        refused(404, "no_tree", api.get("/api/v1/orgs/ACME/evidence/Backlog/checkpoint", TOKEN));
        assertEquals(0, api.get(INBOX, TOKEN).json().get("entries").size());

        // the new ACME's trees start at size 0: its first Backlog event is leaf 0 of a tree of 1
        assertEquals(
                201,
                api.post(
                                "/api/v1/admin/orgs/ACME/members",
                                TOKEN,
                                "application/json",
                                "{\"userId\":\"owner\",\"name\":\"Olive Owner\",\"email\":\"owner@acme.example\",\"role\":\"admin\"}")
                        .status());
        assertEquals(
                200,
                api.put("/api/v1/admin/orgs/ACME/plan", TOKEN, "{\"state\":\"trial\",\"planAdmin\":\"owner\"}")
                        .status());
        Api.Reply first = api.post(
                "/api/v1/products/Backlog/events",
                backlog,
                "application/vnd.auditlog.v1+json",
                Api.json(List.of(
                        Api.record("ACME", deletedAt.plus(Duration.ofDays(31)).toString(), "new one", "Road Runner"))));
        assertEquals(first.toString(), 201, first.status());
        String id = first.json().get("ids").get(0).asText();
        JsonNode checkpoint =
                api.get("/api/v1/orgs/ACME/evidence/Backlog/checkpoint", TOKEN).json();
        assertEquals(checkpoint.toString(), 1, checkpoint.get("treeSize").asInt());
        JsonNode inclusion = api.get("/api/v1/orgs/ACME/evidence/Backlog/inclusion?event=" + id, TOKEN)
                .json();
        assertEquals(inclusion.toString(), 0, inclusion.get("sequence").asInt());
        assertEquals(1, inclusion.get("treeSize").asInt());
        // its own Apps records too: the oldest of them is leaf 0 of a new tree
        List<JsonNode> apps = api.allEvents(TOKEN, "ACME", 100, "product=Apps");
        String oldest = apps.get(apps.size() - 1).get("id").asText();
        assertEquals(
                0,
                api.get("/api/v1/orgs/ACME/evidence/Apps/inclusion?event=" + oldest, TOKEN)
                        .json()
                        .get("sequence")
                        .asInt());
        assertEquals(
                List.of("new one"),
                api.allEvents(TOKEN, "ACME", 100).stream()
                        .map(e -> e.get("action").asText())
                        .toList());
    }

    @Test
    public void theDailyRunRemovesSetAsideEntriesOlderThanRetention() throws Exception {
        Path data = Files.createTempDirectory("auditlog-tenant-inbox");
        Path config = MailIT.testConfig(data, "");
        ServerProcess server = ServerProcess.start(
                data, ServerOptions.freePort(), TOKEN, data.resolve("server.log"), "--config", config.toString());
        toClose.add(server);
        server.awaitHealthy();
        Api api = server.api;
        awaitClock(api);
        Path jar = data.resolve("deploy/org.auditlog.product.backlog.jar");
        String unbound = api.ingestToken(TOKEN, "Backlog", null);
        byte[] adapter = Files.readAllBytes(jar);

        // a native payload that names no organization is set aside when the adapter reads it
        removeAdapter(api, jar);
        assertEquals(
                202,
                InboxSetAsideIT.postIssue(api, unbound, 1, "2026-11-01T10:00:00Z")
                        .status());
        putAdapterBack(api, jar, adapter);
        DistributionIT.awaitTrue(
                "the entry set aside",
                () -> api.get(INBOX, TOKEN).json().get("entries").size() == 1);
        JsonNode entry = api.get(INBOX, TOKEN).json().get("entries").get(0);
        assertTrue(
                entry.toString(),
                api.get(INBOX + "/" + entry.get("id").asText(), TOKEN)
                        .json()
                        .get("spaceKey")
                        .isNull());
        Instant received = Instant.parse(entry.get("received").asText());

        // a run 12 months on keeps it; one in the 14th month after it removes it
        MailIT.moveClock(
                data,
                YearMonth.from(received.atOffset(ZoneOffset.UTC))
                        .plusMonths(13)
                        .atDay(1)
                        .atStartOfDay()
                        .toInstant(ZoneOffset.UTC)
                        .minusSeconds(60));
        runRetention(config, "03:01");
        awaitLog(data, "Retention at ", 1);
        assertEquals(1, api.get(INBOX, TOKEN).json().get("entries").size());
        MailIT.moveClock(
                data,
                YearMonth.from(received.atOffset(ZoneOffset.UTC))
                        .plusMonths(13)
                        .atDay(1)
                        .atStartOfDay()
                        .toInstant(ZoneOffset.UTC)
                        .plusSeconds(60));
        runRetention(config, "03:02");
        DistributionIT.awaitTrue(
                "the set-aside entry removed by retention",
                () -> api.get(INBOX, TOKEN).json().get("entries").size() == 0);
        assertEquals(
                0,
                api.get("/api/v1/products/Backlog", TOKEN)
                        .json()
                        .get("inbox")
                        .get("failed")
                        .asInt());
    }

    /** Changes the retention job's configuration: the job is started again and runs at once. */
    static void runRetention(Path config, String dailyAtUtc) throws Exception {
        Path cfg = config.resolve("org.auditlog.retention.cfg");
        Path tmp = config.resolve(".retention.tmp");
        Files.writeString(tmp, "dailyAtUtc = " + dailyAtUtc + "\n");
        Files.move(
                tmp,
                cfg,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits (bounded) until the server log has {@code text} at least {@code times} more times than at start. */
    private static void awaitLog(Path data, String text, int times) throws Exception {
        Path log = data.resolve("server.log");
        int before = count(Files.readString(log), text);
        DistributionIT.awaitTrue(
                times + " more lines with '" + text + "'", () -> count(Files.readString(log), text) >= before + times);
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static Api.Reply createOrg(Api api, String spaceKey) throws Exception {
        return api.post(
                "/api/v1/admin/orgs",
                TOKEN,
                "application/json",
                "{\"spaceKey\":\"" + spaceKey + "\",\"name\":\"" + spaceKey + " Inc\",\"licenseCount\":100}");
    }

    private static void refused(int status, String error, Api.Reply r) {
        assertEquals(r.toString(), status, r.status());
        assertEquals(r.toString(), error, r.json().get("error").asText());
        if (status == 409) {
            assertEquals(r.toString(), "spaceKey", r.json().get("field").asText());
        }
    }

    /** The actions of the rows of ACME's past-month Backlog file, downloaded by the operator. */
    private static List<String> pastMonthActions(ServerProcess server, String month) throws Exception {
        HttpResponse<byte[]> zip = server.api.sendBytes(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + server.port + "/api/v1/orgs/ACME/archives/" + month + "/Backlog"))
                .header("Authorization", "Bearer " + TOKEN)
                .build());
        assertEquals(new String(zip.body(), StandardCharsets.UTF_8), 200, zip.statusCode());
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            in.getNextEntry();
            List<CSVRecord> rows = CSVFormat.RFC4180
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .build()
                    .parse(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getRecords();
            return rows.stream().map(r -> r.get("action")).toList();
        }
    }

    private static void removeAdapter(Api api, Path jar) throws Exception {
        Files.delete(jar);
        DistributionIT.awaitTrue(
                "Backlog adapter removed",
                () -> api.get("/api/v1/products/Backlog", TOKEN)
                        .json()
                        .get("adapter")
                        .isNull());
    }

    private static void putAdapterBack(Api api, Path jar, byte[] adapter) throws Exception {
        HotUpgradeIT.replace(jar, adapter);
        DistributionIT.awaitTrue(
                "Backlog adapter back",
                () -> !api.get("/api/v1/products/Backlog", TOKEN)
                        .json()
                        .get("adapter")
                        .isNull());
    }

    private static void awaitClock(Api api) throws Exception {
        DistributionIT.awaitTrue("the clock bundle active", () -> {
            for (JsonNode b : api.get("/api/v1/admin/bundles", TOKEN).json().get("bundles")) {
                if (b.get("symbolicName").asText().equals("org.auditlog.itests.clock")
                        && b.get("state").asText().equals("ACTIVE")) {
                    return true;
                }
            }
            return false;
        });
    }
}
