package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.auditlog.evidence.NoteKeys;
import org.junit.After;
import org.junit.Test;

/**
 * The tamper-evident log end to end, on the distribution with its clock moved: two consecutive months of events
 * (with late records of the first sent in the second), both months downloaded and checked by
 * {@code bin/auditlog-verify} with the key the server publishes, the second chained to the first; then the first
 * file tampered with in every way a user could (a cell edited, the last row deleted, a row in the middle removed,
 * two rows swapped, another month's manifest swapped in) and the verifier naming each; last a row deleted directly
 * in the database, behind the server's back, found missing by the file built afterwards.
 */
public class EvidenceIT {
    static final String TOKEN = "evidence-test-operator-token";
    static final String ORG = "PROOF";
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    @After
    public void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** What the verifier printed and its exit code. */
    record Run(int exit, String output) {}

    static Run verifier(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ServerOptions.distribution().resolve("bin/auditlog-verify").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("the verifier ended", p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    private ServerProcess start(Path data) throws Exception {
        Path config = MailIT.testConfig(data, "");
        ServerProcess server = ServerProcess.start(
                data,
                ServerOptions.freePort(),
                TOKEN,
                data.resolve("server.log"),
                Map.of(),
                "--config",
                config.toString());
        toClose.add(server);
        server.awaitHealthy();
        return server;
    }

    private static String memberToken(Api api) throws Exception {
        Api.Reply r = api.post(
                "/api/v1/admin/tokens",
                TOKEN,
                "application/json",
                "{\"kind\":\"member\",\"spaceKey\":\"" + ORG + "\",\"userId\":\"owner\",\"ttlHours\":8760}");
        assertEquals(r.toString(), 201, r.status());
        return r.json().get("token").asText();
    }

    private static void post(Api api, String ingest, List<Map<String, Object>> records) throws Exception {
        Api.Reply r = api.post("/api/v1/products/Apps/events", ingest, "application/json", Api.json(records));
        assertEquals(r.toString(), 201, r.status());
    }

    private static Path download(ServerProcess server, String member, YearMonth month, Path to) throws Exception {
        String m = String.format("%04d%02d", month.getYear(), month.getMonthValue());
        HttpResponse<byte[]> r = server.api.sendBytes(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + server.port + "/api/v1/orgs/" + ORG + "/archives/" + m + "/Apps"))
                .header("Authorization", "Bearer " + member)
                .build());
        assertEquals(new String(r.body(), StandardCharsets.UTF_8), 200, r.statusCode());
        Files.write(to, r.body());
        return to;
    }

    /** The entries of a zip, in order. */
    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> all = z.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                try (InputStream in = z.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    static Path write(Path zip, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        Files.write(zip, bytes.toByteArray());
        return zip;
    }

    /** The same zip with its CSV's rows (after the header) changed by {@code edit}. */
    static Path tamper(Path zip, Path to, java.util.function.UnaryOperator<List<String>> edit) throws IOException {
        Map<String, byte[]> entries = entries(zip);
        String csv = entries.keySet().stream()
                .filter(n -> n.endsWith(".csv"))
                .findFirst()
                .orElseThrow();
        String text = new String(entries.get(csv), StandardCharsets.UTF_8);
        List<String> rows = new ArrayList<>(List.of(text.split("\r\n", -1)));
        rows.remove(rows.size() - 1); // after the last CRLF
        String header = rows.remove(0);
        List<String> edited = edit.apply(rows);
        entries.put(
                csv,
                (header + "\r\n" + String.join("\r\n", edited) + (edited.isEmpty() ? "" : "\r\n"))
                        .getBytes(StandardCharsets.UTF_8));
        return write(to, entries);
    }

    @Test
    public void twoMonthsVerifyChainedAndEveryTamperingIsNamed() throws Exception {
        Path data = Files.createTempDirectory("auditlog-evidence-it");
        ServerProcess server = start(data);
        Api api = server.api;
        api.activeOrg(TOKEN, ORG);
        String ingest = api.ingestToken(TOKEN, "Apps", null);
        String member = memberToken(api);
        YearMonth first = YearMonth.now(ZoneOffset.UTC).plusMonths(1);
        YearMonth second = first.plusMonths(1);

        MailIT.moveClock(data, first.atDay(12).atTime(12, 0).toInstant(ZoneOffset.UTC));
        List<Map<String, Object>> firstRecords = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            firstRecords.add(Api.record(
                    ORG,
                    first.atDay(1 + i % 10) + "T0" + i % 10 + ":00:00Z",
                    "first month " + i,
                    i % 3 == 0 ? "Zoë, \"the\" admin" : "Ann"));
        }
        post(api, ingest, firstRecords.subList(0, 25));
        post(api, ingest, firstRecords.subList(25, 40));

        MailIT.moveClock(data, second.atDay(9).atTime(12, 0).toInstant(ZoneOffset.UTC));
        List<Map<String, Object>> secondRecords = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            secondRecords.add(
                    Api.record(ORG, second.atDay(1 + i % 8) + "T1" + i % 10 + ":00:00Z", "second month " + i, "Ann"));
        }
        // late records of the first month, sent in the second: its file lists them as backfill
        secondRecords.add(Api.record(ORG, first.atEndOfMonth() + "T23:00:00Z", "late one", "Ann"));
        secondRecords.add(Api.record(ORG, first.atDay(20) + "T08:00:00Z", "late two", "Ann"));
        post(api, ingest, secondRecords);

        MailIT.moveClock(data, second.plusMonths(1).atDay(2).atTime(3, 0).toInstant(ZoneOffset.UTC));
        Path dir = Files.createDirectories(data.resolve("downloads"));
        Path one = download(server, member, first, dir.resolve("first.zip"));
        Path two = download(server, member, second, dir.resolve("second.zip"));
        JsonNode keys = json.readTree(api.get("/api/v1/evidence/keys", null).body());
        Path key =
                Files.writeString(dir.resolve("server.pub"), keys.get("current").asText() + "\n");

        JsonNode manifest = json.readTree(entries(one).get("manifest.json"));
        assertEquals(42, manifest.get("csv").get("rows").asInt());
        assertEquals(
                "the late records are listed as the month's backfill",
                2,
                manifest.get("backfill").size());
        Run ok = verifier("verify", one.toString(), "--key", key.toString());
        assertEquals(ok.output(), 0, ok.exit());
        assertTrue(ok.output(), ok.output().contains("OK first.zip: 42 rows of PROOF Apps"));
        Run chained = verifier("verify", two.toString(), "--key", key.toString(), "--previous", one.toString());
        assertEquals(chained.output(), 0, chained.exit());
        assertTrue(chained.output(), chained.output().contains("chained to first.zip"));

        Run backwards = verifier("verify", one.toString(), "--key", key.toString(), "--previous", two.toString());
        assertEquals(backwards.output(), 1, backwards.exit());
        assertTrue(backwards.output(), backwards.output().contains("second.zip is not the file before this one"));

        Run edited = verifier(
                "verify",
                tamper(one, dir.resolve("edited.zip"), rows -> {
                            rows.set(5, rows.get(5).replace("first month", "frist month"));
                            return rows;
                        })
                        .toString(),
                "--key",
                key.toString());
        assertEquals(edited.output(), 1, edited.exit());
        assertTrue(edited.output(), edited.output().contains("was changed since it was written"));
        assertTrue(
                edited.output(),
                edited.output()
                        .matches("(?s).*row 6 \\(id \\d+\\) was changed: it is not what sequence \\d+ recorded.*"));

        Run lastGone = verifier(
                "verify",
                tamper(one, dir.resolve("last.zip"), rows -> rows.subList(0, rows.size() - 1))
                        .toString(),
                "--key",
                key.toString());
        assertEquals(lastGone.output(), 1, lastGone.exit());
        assertTrue(lastGone.output(), lastGone.output().contains("holds 41 rows, the manifest 42: rows were removed"));
        assertTrue(
                lastGone.output(),
                lastGone.output().matches("(?s).*the row of sequence \\d+ \\(row 42 as written\\) was removed.*"));

        Run middleGone = verifier(
                "verify",
                tamper(one, dir.resolve("middle.zip"), rows -> {
                            rows.remove(20);
                            return rows;
                        })
                        .toString(),
                "--key",
                key.toString());
        assertEquals(middleGone.output(), 1, middleGone.exit());
        assertTrue(
                middleGone.output(),
                middleGone.output().matches("(?s).*the row of sequence \\d+ \\(row 21 as written\\) was removed.*"));
        assertTrue(middleGone.output(), middleGone.output().contains("no row of the file for sequence"));

        Run swapped = verifier(
                "verify",
                tamper(one, dir.resolve("swapped.zip"), rows -> {
                            String r = rows.get(10);
                            rows.set(10, rows.get(11));
                            rows.set(11, r);
                            return rows;
                        })
                        .toString(),
                "--key",
                key.toString());
        assertEquals(swapped.output(), 1, swapped.exit());
        assertTrue(
                swapped.output(),
                swapped.output()
                        .matches("(?s).*rows 11 and 12 \\(ids \\d+, \\d+\\) are in another order than written.*"));

        Map<String, byte[]> other = entries(one);
        Map<String, byte[]> second2 = entries(two);
        other.put("manifest.json", second2.get("manifest.json"));
        other.put("manifest.sig", second2.get("manifest.sig"));
        Run swappedManifest =
                verifier("verify", write(dir.resolve("manifest.zip"), other).toString(), "--key", key.toString());
        assertEquals(swappedManifest.output(), 1, swappedManifest.exit());
        assertTrue(swappedManifest.output(), swappedManifest.output().contains("the manifest of another file"));

        // a key of the same name that is not the server's, and a key that is not one at all
        Run wrongKey = verifier(
                "verify",
                one.toString(),
                "--key",
                NoteKeys.generate("auditlog").verifier().text());
        assertEquals(wrongKey.output(), 1, wrongKey.exit());
        assertTrue(wrongKey.output(), wrongKey.output().contains("does not verify with the key given"));
        Run badKey = verifier(
                "verify", one.toString(), "--key", "auditlog+00000000+AXnSz33ndz4gwu2VTv9Xbr9fIxyMOEpHasVyO24pI9Q5");
        assertEquals(badKey.output(), 2, badKey.exit());
        assertTrue(badKey.output(), badKey.output().contains("is not the hash of the name and key"));
        assertEquals(
                2,
                verifier("verify", dir.resolve("missing.zip").toString(), "--key", key.toString())
                        .exit());

        // an inclusion proof fetched from the server, checked by the verifier; a changed row in it is not
        String secondCsv = new String(
                entries(two).entrySet().stream()
                        .filter(e -> e.getKey().endsWith(".csv"))
                        .findFirst()
                        .orElseThrow()
                        .getValue(),
                StandardCharsets.UTF_8);
        String event = secondCsv.split("\r\n")[3].split(",")[0];
        Api.Reply inclusion = api.get("/api/v1/orgs/" + ORG + "/evidence/Apps/inclusion?event=" + event, member);
        assertEquals(inclusion.toString(), 200, inclusion.status());
        Path proof = Files.writeString(dir.resolve("proof.json"), inclusion.body());
        Run proven = verifier("prove", "--event", event, "--proof", proof.toString(), "--key", key.toString());
        assertEquals(proven.output(), 0, proven.exit());
        assertTrue(proven.output(), proven.output().startsWith("OK event " + event + ": leaf "));
        Path forged =
                Files.writeString(dir.resolve("forged.json"), inclusion.body().replace("second month", "2nd month"));
        Run refused = verifier("prove", "--event", event, "--proof", forged.toString(), "--key", key.toString());
        assertEquals(refused.output(), 1, refused.exit());
        assertTrue(refused.output(), refused.output().contains("the proof does not hold"));
        assertEquals(
                2,
                verifier("prove", "--event", event, "--proof", key.toString(), "--key", key.toString())
                        .exit());
        // the latest checkpoint and a consistency proof between two sizes; bad sizes and other organizations refused
        JsonNode checkpoint = json.readTree(api.get("/api/v1/orgs/" + ORG + "/evidence/Apps/checkpoint", member)
                .body());
        long size = checkpoint.get("treeSize").asLong();
        assertTrue(checkpoint.get("checkpoint").asText().startsWith("auditlog/" + ORG + "/Apps\n" + size + "\n"));
        Api.Reply consistency =
                api.get("/api/v1/orgs/" + ORG + "/evidence/Apps/consistency?from=40&to=" + size, member);
        assertEquals(consistency.toString(), 200, consistency.status());
        assertEquals(
                checkpoint.get("root").asText(),
                consistency.json().get("toRoot").asText());
        assertTrue(consistency.json().get("proof").size() > 0);
        Api.Reply tooBig =
                api.get("/api/v1/orgs/" + ORG + "/evidence/Apps/consistency?from=40&to=" + (size + 1), member);
        assertEquals(tooBig.toString(), 400, tooBig.status());
        assertEquals("to", tooBig.json().get("field").asText());
        Api.Reply noEvent = api.get("/api/v1/orgs/" + ORG + "/evidence/Apps/inclusion?event=12", member);
        assertEquals(noEvent.toString(), 404, noEvent.status());
        assertEquals(
                404,
                api.get("/api/v1/orgs/OTHER/evidence/Apps/checkpoint", member).status());
        assertEquals(
                401,
                api.deliberatelyInvalid()
                        .get("/api/v1/orgs/" + ORG + "/evidence/Apps/checkpoint", null)
                        .status());

        // a row deleted in the database, behind the server's back: the next file built lacks it, the tree does not
        String firstCsv = new String(
                entries(one).entrySet().stream()
                        .filter(e -> e.getKey().endsWith(".csv"))
                        .findFirst()
                        .orElseThrow()
                        .getValue(),
                StandardCharsets.UTF_8);
        long victim = Long.parseLong(firstCsv.split("\r\n")[8].split(",")[0]);
        server.terminate();
        deleteEvent(data, victim);
        Files.delete(data.resolve("exports")
                .resolve(ORG)
                .resolve(String.format("auditlog-%04d%02d-Apps-csv.zip", first.getYear(), first.getMonthValue())));
        server = start(data);
        Path rebuilt = download(server, member, first, dir.resolve("rebuilt.zip"));
        Run deleted = verifier("verify", rebuilt.toString(), "--key", key.toString());
        assertEquals(deleted.output(), 1, deleted.exit());
        assertTrue(deleted.output(), deleted.output().contains("no row of the file for sequence"));
        Run chainHolds = verifier("verify", two.toString(), "--key", key.toString(), "--previous", rebuilt.toString());
        assertTrue(
                chainHolds.output(),
                chainHolds.output().contains("previous file rebuilt.zip: no row of the file for sequence"));
    }

    /** Deletes one event in the server's database (the server is stopped). */
    static void deleteEvent(Path data, long id) throws Exception {
        String url = Postgres.on()
                ? Postgres.urlFor(data)
                : "jdbc:hsqldb:file:" + data.resolve("db").resolve("auditlog") + ";hsqldb.lock_file=false";
        try (Connection c = DriverManager.getConnection(url, Postgres.on() ? null : "SA", Postgres.on() ? null : "")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_event WHERE id = ?")) {
                ps.setLong(1, id);
                assertEquals(1, ps.executeUpdate());
            }
            if (!Postgres.on()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
        }
    }
}
