package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.inject.Inject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.auditlog.api.adapter.Column;
import org.auditlog.api.capture.EventCapture;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Past-month downloads over HTTP: the zip of last month's Apps records, built on demand, unzipped and
 * parsed with a CSV parser; who may download; bad months and names refused; the download recorded.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ArchivesIT {

    @Inject
    BundleContext context;

    @Inject
    EventCapture capture;

    @Configuration
    public Option[] config() throws Exception {
        List<Option> options = ServerOptions.server(ServerOptions.freePort(), Files.createTempDirectory("auditlog-it"));
        // the test reads the files back with commons-csv, which the server itself no longer ships
        options.add(CoreOptions.mavenBundle(
                "commons-codec", "commons-codec", System.getProperty("it.commons-codec.version")));
        options.add(CoreOptions.mavenBundle(
                "org.apache.commons", "commons-csv", System.getProperty("it.commons-csv.version")));
        return options.toArray(new Option[0]);
    }

    @Test
    public void lastMonthDownloadsAsAZippedCsvForAnAuditLogAdmin() throws Exception {
        Api api = new Api(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        api.awaitHealthy(Duration.ofSeconds(60));
        String operator = Api.operatorToken(Path.of(context.getProperty("auditlog.data")));
        String apps = api.ingestToken(operator, "Apps", null);
        api.activeOrg(operator, "ARCH");
        YearMonth last = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        String tricky = "Zoë said \"hi\", then\nleft";
        Map<String, Object> first = Api.record("ARCH", last.atDay(1) + "T00:00:00Z", "first", "Ann");
        Map<String, Object> second = Api.record("ARCH", last.atDay(15) + "T12:00:00+09:00", tricky, "渡辺");
        Map<String, Object> formula =
                Api.record("ARCH", last.atEndOfMonth() + "T23:59:59.999Z", "=HYPERLINK(1)", "Ann");
        Map<String, Object> thisMonth =
                Api.record("ARCH", YearMonth.now(ZoneOffset.UTC).atDay(1) + "T00:00:00Z", "not last month", "Ann");
        assertEquals(
                201,
                api.post(
                                "/api/v1/products/Apps/events",
                                apps,
                                "application/json",
                                Api.json(List.of(first, second, formula, thisMonth)))
                        .status());
        String owner = api.post(
                        "/api/v1/admin/tokens",
                        operator,
                        "application/json",
                        "{\"kind\":\"member\",\"spaceKey\":\"ARCH\",\"userId\":\"owner\"}")
                .json()
                .get("token")
                .asText();
        String month = String.format("%04d%02d", last.getYear(), last.getMonthValue());

        HttpResponse<byte[]> zip = api.sendBytes(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port")
                                + "/api/v1/orgs/ARCH/archives/" + month + "/Apps"))
                .header("Authorization", "Bearer " + owner)
                .build());
        assertEquals(new String(zip.body(), StandardCharsets.UTF_8), 200, zip.statusCode());
        String name = "auditlog-" + month + "-Apps-csv.zip";
        assertEquals(
                "attachment; filename=\"" + name + "\"",
                zip.headers().firstValue("Content-Disposition").orElse(null));
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            ZipEntry entry = in.getNextEntry();
            assertEquals("auditlog-" + month + "-Apps.csv", entry.getName());
            List<CSVRecord> rows = CSVFormat.RFC4180
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .build()
                    .parse(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getRecords();
            assertEquals(Column.header(), rows.get(0).getParser().getHeaderNames());
            // the organization's own Apps records are dated now, in this month: only the three test records
            assertEquals(3, rows.size());
            assertEquals("first", rows.get(0).get("action"));
            assertEquals(tricky, rows.get(1).get("action"));
            assertEquals("渡辺", rows.get(1).get("operation_user_name"));
            assertEquals(last.atDay(15) + "T03:00:00.000Z", rows.get(1).get("date"));
            assertEquals("'=HYPERLINK(1)", rows.get(2).get("action"));
            assertEquals("ARCH", rows.get(2).get("space_key"));
            assertEquals("V1", rows.get(2).get("version"));
            assertEquals(Zips.EVIDENCE, Zips.rest(in));
        }
        // the listing begins with the month of the organization's oldest record (it was created this month, its
        // records are of last month): last month per product, with the size of the file just built and the number
        // of records
        var archives = api.get("/api/v1/orgs/ARCH/archives", owner).json().get("archives");
        assertEquals(api.get("/api/v1/products", owner).json().get("products").size(), archives.size());
        var newest = archives.get(0);
        assertEquals(month, newest.get("month").asText());
        for (var a : archives) {
            assertEquals(month, a.get("month").asText());
            if (a.get("fileName").asText().equals(name)) {
                assertEquals(zip.body().length, a.get("size").asLong());
                assertEquals(3, a.get("events").asLong());
            } else {
                assertTrue(a.toString(), a.get("size").isNull());
                assertEquals(a.toString(), 0, a.get("events").asLong());
            }
        }
        // a record of last month that arrives late is in the next download: the file is built again
        assertEquals(
                201,
                api.post(
                                "/api/v1/products/Apps/events",
                                apps,
                                "application/json",
                                Api.json(List.of(
                                        Api.record("ARCH", last.atDay(20) + "T08:00:00Z", "arrived late", "Ann"))))
                        .status());
        HttpResponse<byte[]> again = api.sendBytes(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port")
                                + "/api/v1/orgs/ARCH/archives/" + month + "/Apps"))
                .header("Authorization", "Bearer " + owner)
                .build());
        assertEquals(200, again.statusCode());
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(again.body()))) {
            in.getNextEntry();
            List<CSVRecord> rows = CSVFormat.RFC4180
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .build()
                    .parse(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getRecords();
            assertEquals(
                    List.of("first", tricky, "arrived late", "'=HYPERLINK(1)"),
                    rows.stream().map(r -> r.get("action")).toList());
        }

        // the downloads are in the organization's own log, by the member who downloaded
        var downloads = api.get("/api/v1/orgs/ARCH/events?event=Download+audit+logs", owner)
                .json()
                .get("events");
        assertEquals(2, downloads.size());
        assertEquals("owner", downloads.get(0).get("operation_user_id").asText());
        assertTrue(downloads.get(0).get("action").asText().startsWith(name));
    }

    @Test
    public void refusalsSayWhy() throws Exception {
        Api api = new Api(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        api.awaitHealthy(Duration.ofSeconds(60));
        String operator = Api.operatorToken(Path.of(context.getProperty("auditlog.data")));
        api.activeOrg(operator, "ARCH2");
        assertEquals(
                201,
                api.post(
                                "/api/v1/admin/orgs/ARCH2/members",
                                operator,
                                "application/json",
                                "{\"userId\":\"bob\",\"name\":\"Bob\",\"email\":\"bob@arch2.example\",\"role\":\"member\"}")
                        .status());
        String bob = api.post(
                        "/api/v1/admin/tokens",
                        operator,
                        "application/json",
                        "{\"kind\":\"member\",\"spaceKey\":\"ARCH2\",\"userId\":\"bob\"}")
                .json()
                .get("token")
                .asText();
        YearMonth last = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        String month = String.format("%04d%02d", last.getYear(), last.getMonthValue());
        String base = "/api/v1/orgs/ARCH2/archives/";
        Api.Reply noPrivilege = api.get(base + month + "/Apps", bob);
        assertEquals(403, noPrivilege.status());
        assertEquals("not_audit_log_admin", noPrivilege.json().get("error").asText());
        Api.Reply badMonth = api.get(base + "202613/Apps", operator);
        assertEquals(400, badMonth.status());
        assertEquals("month", badMonth.json().get("field").asText());
        Api.Reply badProduct = api.get(base + month + "/Back-log", operator);
        assertEquals(400, badProduct.status());
        assertEquals("product", badProduct.json().get("field").asText());
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        Api.Reply current =
                api.get(base + String.format("%04d%02d", now.getYear(), now.getMonthValue()) + "/Apps", operator);
        assertEquals(400, current.status());
        assertEquals("not_a_past_month", current.json().get("error").asText());
        assertEquals(
                404,
                api.get("/api/v1/orgs/NOPE/archives/" + month + "/Apps", operator)
                        .status());
    }

    @Test
    public void anUnknownProductIsA404AndCreatesNoFile() throws Exception {
        Api api = new Api(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        api.awaitHealthy(Duration.ofSeconds(60));
        Path data = Path.of(context.getProperty("auditlog.data"));
        String operator = Api.operatorToken(data);
        api.awaitAdapter(operator, "Apps");
        api.activeOrg(operator, "ARCH3");
        String owner = api.post(
                        "/api/v1/admin/tokens",
                        operator,
                        "application/json",
                        "{\"kind\":\"member\",\"spaceKey\":\"ARCH3\",\"userId\":\"owner\"}")
                .json()
                .get("token")
                .asText();
        YearMonth last = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        String month = String.format("%04d%02d", last.getYear(), last.getMonthValue());
        Path folder = data.resolve("exports").resolve("ARCH3");
        for (String product : List.of("Nosuchproduct", "Madeup1", "Madeup2")) {
            for (String token : List.of(owner, operator)) {
                Api.Reply r = api.get("/api/v1/orgs/ARCH3/archives/" + month + "/" + product, token);
                assertEquals(r.toString(), 404, r.status());
                assertEquals(
                        r.toString(), "unknown_product", r.json().get("error").asText());
                assertEquals(r.toString(), "product", r.json().get("field").asText());
            }
        }
        List<Path> files = new java.util.ArrayList<>();
        if (Files.exists(data.resolve("exports"))) {
            try (var walk = Files.walk(data.resolve("exports"))) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> p.startsWith(folder))
                        .forEach(files::add);
            }
        }
        assertEquals("no file made for an unknown product: " + files, List.of(), files);
        Api.Reply known = api.get("/api/v1/orgs/ARCH3/archives/" + month + "/Apps", owner);
        assertEquals(known.toString(), 200, known.status());
    }
}
