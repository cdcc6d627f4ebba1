package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import org.auditlog.api.capture.EventCapture;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The first slice end to end in a real OSGi framework: a product posts events over HTTP with its ingest
 * token, they are stored in HSQLDB, and the operator reads them back; bad input is refused with a JSON
 * error that names the field, and nothing of it is stored.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IngestAndQueryIT {

    @Inject
    BundleContext context;

    /** Waiting for the capture service makes the test start only once the server's services are up. */
    @Inject
    EventCapture capture;

    Api api;
    String operator;
    String apps;

    @Configuration
    public Option[] config() throws Exception {
        Path data = Files.createTempDirectory("auditlog-it");
        return ServerOptions.server(ServerOptions.freePort(), data).toArray(new Option[0]);
    }

    @Before
    public void connect() throws Exception {
        api = new Api(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        api.awaitHealthy(Duration.ofSeconds(60));
        operator = Api.operatorToken(Path.of(context.getProperty("auditlog.data")));
        apps = api.ingestToken(operator, "Apps", null);
        for (String org : List.of("ING1", "BULK", "BAD", "BOUND", "PAGE", "EDGE", "IPS")) {
            api.activeOrg(operator, org);
        }
    }

    @Test
    public void healthReportsEveryPartUp() throws Exception {
        Api.Reply anonymous = api.get("/health", null);
        assertEquals(200, anonymous.status());
        assertEquals("anyone gets the status alone", "{\"status\":\"UP\"}", anonymous.body());
        Api.Reply r = api.get("/health", operator);
        assertEquals(200, r.status());
        JsonNode h = r.json();
        assertEquals("UP", h.get("status").asText());
        assertEquals("UP", h.get("store").asText());
        assertEquals("Apps", h.get("products").get(0).asText());
        for (JsonNode b : h.get("bundles")) {
            assertTrue(
                    b.toString(),
                    Set.of("ACTIVE", "RESOLVED").contains(b.get("state").asText()));
        }
    }

    @Test
    public void anEventIsStoredNormalisedAndReadBack() throws Exception {
        Map<String, Object> ann = Api.record("ING1", "2026-11-01T18:30:00.250+09:00", "bob was invited", "Ann");
        Map<String, Object> system = Api.record("ING1", "2026-11-01T09:00:00Z", "trial started", "System user");
        system.put("ip_address", "198.51.100.7");
        Api.Reply posted = api.post(
                "/api/v1/products/Apps/events",
                apps,
                "application/json",
                Api.json(List.of(ann, system)),
                "X-Auditlog-Client-Ip",
                "203.0.113.5",
                "X-Auditlog-Client-User-Agent",
                "Mozilla/5.0 (X11; Linux)");
        assertEquals(posted.toString(), 201, posted.status());
        assertEquals(2, posted.json().get("count").asInt());
        String annId = posted.json().get("ids").get(0).asText();

        List<JsonNode> events = api.allEvents(operator, "ING1", 10);
        assertEquals(2, events.size());
        JsonNode newest = events.get(0);
        assertEquals(annId, newest.get("id").asText());
        assertEquals("2026-11-01T09:30:00.250Z", newest.get("date").asText());
        assertEquals("Apps", newest.get("product").asText());
        assertEquals("u1", newest.get("operation_user_id").asText());
        assertEquals("Ann", newest.get("operation_user_name").asText());
        assertEquals("203.0.113.5", newest.get("ip_address").asText());
        assertEquals("Mozilla/5.0 (X11; Linux)", newest.get("user_agent").asText());
        assertEquals("V1", newest.get("version").asText());
        JsonNode sys = events.get(1);
        assertEquals("System user", sys.get("operation_user_name").asText());
        assertEquals("", sys.get("operation_user_id").asText());
        assertEquals("", sys.get("operation_user_email").asText());
        assertEquals("", sys.get("ip_address").asText());
        assertEquals("", sys.get("user_agent").asText());
        assertEquals(
                List.of(
                        "id",
                        "space_key",
                        "product",
                        "date",
                        "category",
                        "event",
                        "action",
                        "operation_user_id",
                        "operation_user_name",
                        "operation_user_email",
                        "ip_address",
                        "user_agent",
                        "version"),
                fieldNames(newest));
    }

    @Test
    public void aThousandEventsInOneCallAndNotOneMore() throws Exception {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(Api.record("BULK", "2026-11-02T00:00:00Z", "event " + i, "Ann"));
        }
        Api.Reply ok = api.post("/api/v1/products/Apps/events", apps, "application/json", Api.json(batch));
        assertEquals(ok.toString(), 201, ok.status());
        assertEquals(1000, new HashSet<>(ids(ok.json())).size());
        batch.add(Api.record("BULK", "2026-11-02T00:00:00Z", "event 1000", "Ann"));
        Api.Reply tooMany = api.deliberatelyInvalid()
                .post("/api/v1/products/Apps/events", apps, "application/json", Api.json(batch));
        assertEquals(413, tooMany.status());
        assertEquals("too_many_events", tooMany.json().get("error").asText());
        assertEquals(1000, api.allEvents(operator, "BULK", 1000).size());
    }

    @Test
    public void datesAreAcceptedFromTheEpochToTheEndOfYear9999UtcAndStoredExactly() throws Exception {
        // accepted: the edges, written in UTC and with the offsets furthest from it; stored in UTC, exactly
        Map<String, String> inside = new java.util.LinkedHashMap<>();
        inside.put("1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00.000Z");
        inside.put("1970-01-01T14:00:00+14:00", "1970-01-01T00:00:00.000Z");
        inside.put("1969-12-31T12:00:00-12:00", "1970-01-01T00:00:00.000Z");
        inside.put("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z");
        inside.put("9999-12-31T11:59:59.999-12:00", "9999-12-31T23:59:59.999Z");
        inside.put("+10000-01-01T13:59:59.999+14:00", "9999-12-31T23:59:59.999Z");
        List<String> sent = new ArrayList<>(inside.keySet());
        for (String date : sent) {
            Api.Reply r = api.post(
                    "/api/v1/products/Apps/events",
                    apps,
                    "application/json",
                    Api.json(Api.record("EDGE", date, "sent as " + date, "Ann")));
            assertEquals(date + ": " + r, 201, r.status());
        }
        Map<String, String> stored = new java.util.HashMap<>();
        for (JsonNode e : api.allEvents(operator, "EDGE", 100)) {
            stored.put(
                    e.get("action").asText().substring("sent as ".length()),
                    e.get("date").asText());
        }
        for (String date : sent) {
            assertEquals(date, inside.get(date), stored.get(date));
        }
        // read back through the range filter too
        assertEquals(
                3,
                api.get("/api/v1/orgs/EDGE/events?category=Test&to=1970-01-01T00:00:00.001Z", operator)
                        .json()
                        .get("events")
                        .size());

        // refused, naming date and the range: just outside each edge, before the Gregorian cutover, year 10000 UTC
        for (String date : List.of(
                "1969-12-31T23:59:59.999Z",
                "1970-01-01T13:59:59.999+14:00",
                "1582-10-04T12:00:00Z",
                "1000-01-01T00:00:00Z",
                "9999-12-31T12:00:00-12:00",
                "+10000-01-01T00:00:00Z",
                "+99999-01-01T00:00:00Z")) {
            Api.Reply r = api.post(
                    "/api/v1/products/Apps/events",
                    apps,
                    "application/json",
                    Api.json(List.of(
                            Api.record("EDGE", "2026-11-01T00:00:00Z", "fine", "Ann"),
                            Api.record("EDGE", date, "refused " + date, "Ann"))));
            assertEquals(date + ": " + r, 400, r.status());
            assertEquals(r.toString(), "invalid_field", r.json().get("error").asText());
            assertEquals(r.toString(), "[1].date", r.json().get("field").asText());
            String detail = r.json().get("detail").asText();
            assertTrue(
                    detail, detail.contains("1970-01-01T00:00:00.000Z") && detail.contains("9999-12-31T23:59:59.999Z"));
            assertFalse(
                    "no Retry-After on a refusal",
                    r.raw().headers().firstValue("Retry-After").isPresent());
        }
        assertEquals(
                "nothing of a refused request is stored",
                sent.size(),
                api.allEvents(operator, "EDGE", 100).size());
    }

    @Test
    public void anIpAddressMustBeAnAddress() throws Exception {
        for (String ip : List.of("203.0.113.5", "2001:db8::1", "::1", "::", "::ffff:192.0.2.1", "")) {
            Map<String, Object> r = Api.record("IPS", "2026-11-01T00:00:00Z", "from " + ip, "Ann");
            r.put("ip_address", ip);
            Api.Reply posted = api.post("/api/v1/products/Apps/events", apps, "application/json", Api.json(r));
            assertEquals(ip + ": " + posted, 201, posted.status());
        }
        for (String ip : List.of(
                "01.2.3.4",
                "256.1.1.1",
                "1:2:3:4:5:6:7:8:9",
                "localhost",
                "host.acme.example",
                "203.0.113.5, 198.51.100.7",
                "fe80::1%eth0")) {
            Map<String, Object> r = Api.record("IPS", "2026-11-01T00:00:00Z", "from " + ip, "Ann");
            r.put("ip_address", ip);
            assertRefused(400, "invalid_field", "ip_address", "application/json", Api.json(r));
            Api.Reply header = api.post(
                    "/api/v1/products/Apps/events",
                    apps,
                    "application/json",
                    Api.json(Api.record("IPS", "2026-11-01T00:00:00Z", "header " + ip, "Ann")),
                    "X-Auditlog-Client-Ip",
                    ip);
            assertEquals(ip + ": " + header, 400, header.status());
            assertEquals(
                    header.toString(),
                    "X-Auditlog-Client-Ip",
                    header.json().get("field").asText());
        }
        List<JsonNode> stored = api.allEvents(operator, "IPS", 100);
        assertEquals(6, stored.size());
        assertTrue(stored.stream().anyMatch(e -> e.get("ip_address").asText().equals("::ffff:192.0.2.1")));
    }

    @Test
    public void badInputIsRefusedWithTheFieldAndNothingIsStored() throws Exception {
        String good = Api.json(Api.record("BAD", "2026-11-01T00:00:00Z", "fine", "Ann"));
        Map<String, Object> notIso = Api.record("BAD", "2026/11/01 10:00", "x", "Ann");
        Map<String, Object> wrongType = Api.record("BAD", "2026-11-01T00:00:00Z", "x", "Ann");
        wrongType.put("category", 12);
        Map<String, Object> missing = Api.record("BAD", "2026-11-01T00:00:00Z", "x", "Ann");
        missing.remove("event");
        Map<String, Object> tooLong = Api.record("BAD", "2026-11-01T00:00:00Z", "x".repeat(1025), "Ann");
        Map<String, Object> noOffset = Api.record("BAD", "2026-11-01T10:00:00", "x", "Ann");

        assertRefused(400, "malformed_json", null, "application/json", "{\"space_key\": \"BAD\",");
        assertRefused(400, "malformed_json", null, "application/json", "{\"a\":1} {\"b\":2}");
        assertRefused(400, "invalid_field", null, "application/json", "\"just a string\"");
        assertRefused(400, "invalid_field", null, "application/json", "[]");
        assertRefused(
                400,
                "invalid_field",
                "[1].date",
                "application/json",
                Api.json(List.of(Api.record("BAD", "2026-11-01T00:00:00Z", "ok", "Ann"), notIso)));
        assertRefused(400, "invalid_field", "date", "application/json", Api.json(noOffset));
        assertRefused(400, "invalid_field", "category", "application/json", Api.json(wrongType));
        assertRefused(400, "invalid_field", "event", "application/json", Api.json(missing));
        assertRefused(400, "invalid_field", "action", "application/json", Api.json(tooLong));
        assertRefused(415, "unsupported_media_type", null, "text/plain", good);
        byte[] huge = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '[';
        huge[huge.length - 1] = ']';
        Api.Reply big = api.deliberatelyInvalid().post("/api/v1/products/Apps/events", apps, "application/json", huge);
        assertEquals(big.toString(), 413, big.status());
        assertEquals("body_too_large", big.json().get("error").asText());

        String backlog = "/api/v1/products/Backlog/events";
        Api.Reply unknown = api.post(backlog, apps, "application/json", good);
        assertEquals(unknown.toString(), 403, unknown.status());

        assertEquals(0, api.allEvents(operator, "BAD", 100).size());
        assertEquals(200, api.get("/health", null).status());
        // and the server still takes good input
        assertEquals(
                201,
                api.post("/api/v1/products/Apps/events", apps, "application/json", good)
                        .status());
    }

    @Test
    public void aProductWithoutAnAdapterIsUnknown() throws Exception {
        Api.Reply r = api.post(
                "/api/v1/admin/tokens", operator, "application/json", "{\"kind\":\"ingest\",\"product\":\"Nonesuch\"}");
        assertEquals(400, r.status());
        assertEquals("product", r.json().get("field").asText());
    }

    @Test
    public void tokensAuthenticateAndAuthorise() throws Exception {
        String path = "/api/v1/orgs/ACME/events";
        assertEquals(401, api.deliberatelyInvalid().get(path, null).status());
        Api.Reply forged = api.get(path, "alt_0123456789abcdef_forged");
        assertEquals(401, forged.status());
        assertEquals("unauthorized", forged.json().get("error").asText());
        assertNotNull(forged.raw().headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(
                "an ingest token learns nothing about organizations",
                404,
                api.get(path, apps).status());
        assertEquals(403, api.get("/api/v1/admin/tokens", apps).status());

        String bound = api.ingestToken(operator, "Apps", "BOUND");
        Map<String, Object> noKey = Api.record(null, "2026-11-01T00:00:00Z", "bound", "Ann");
        noKey.remove("space_key");
        assertEquals(
                201,
                api.post("/api/v1/products/Apps/events", bound, "application/json", Api.json(noKey))
                        .status());
        assertEquals(1, api.allEvents(operator, "BOUND", 10).size());
        Api.Reply other = api.post(
                "/api/v1/products/Apps/events",
                bound,
                "application/json",
                Api.json(Api.record("OTHER", "2026-11-01T00:00:00Z", "x", "Ann")));
        assertEquals(400, other.status());
        assertEquals("space_key", other.json().get("field").asText());

        JsonNode list = api.get("/api/v1/admin/tokens", operator).json();
        String boundId = null;
        for (JsonNode t : list.get("tokens")) {
            assertFalse("a listing never shows secrets", t.has("token"));
            if ("BOUND".equals(t.get("spaceKey").asText())) {
                boundId = t.get("id").asText();
            }
        }
        assertEquals(
                204, api.delete("/api/v1/admin/tokens/" + boundId, operator).status());
        assertEquals(
                401,
                api.post("/api/v1/products/Apps/events", bound, "application/json", Api.json(noKey))
                        .status());
    }

    @Test
    public void pagesStayStableWhileEventsArrive() throws Exception {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            batch.add(Api.record("PAGE", String.format("2026-11-03T00:%02d:%02dZ", i / 60, i % 60), "e" + i, "Ann"));
        }
        assertEquals(
                201,
                api.post("/api/v1/products/Apps/events", apps, "application/json", Api.json(batch))
                        .status());
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int page = 0;
        do {
            Api.Reply r = api.get(
                    "/api/v1/orgs/PAGE/events?category=Test&limit=100" + (cursor == null ? "" : "&cursor=" + cursor),
                    operator);
            assertEquals(200, r.status());
            r.json().get("events").forEach(e -> seen.add(e.get("action").asText()));
            cursor = r.json().get("nextCursor").isNull()
                    ? null
                    : r.json().get("nextCursor").asText();
            // newer events arrive between pages
            api.post(
                    "/api/v1/products/Apps/events",
                    apps,
                    "application/json",
                    Api.json(Api.record("PAGE", "2026-11-04T00:00:0" + page++ + "Z", "late", "Ann")));
        } while (cursor != null);
        List<String> expected = new ArrayList<>();
        for (int i = 249; i >= 0; i--) {
            expected.add("e" + i);
        }
        assertEquals(expected, seen);
        Api.Reply bad = api.get("/api/v1/orgs/PAGE/events?cursor=garbage!", operator);
        assertEquals(400, bad.status());
        assertEquals("cursor", bad.json().get("field").asText());
        Api.Reply filtered = api.get("/api/v1/orgs/PAGE/events?category=Test&from=2026-11-04&limit=1000", operator);
        assertEquals(page, filtered.json().get("events").size());
        Api.Reply badDate = api.get("/api/v1/orgs/PAGE/events?from=yesterday", operator);
        assertEquals(400, badDate.status());
        assertEquals("from", badDate.json().get("field").asText());
    }

    private void assertRefused(int status, String error, String field, String contentType, String body)
            throws Exception {
        Api.Reply r = api.deliberatelyInvalid().post("/api/v1/products/Apps/events", apps, contentType, body);
        assertEquals(body.length() > 200 ? body.substring(0, 200) : body, status, r.status());
        JsonNode e = r.json();
        assertEquals(r.toString(), error, e.get("error").asText());
        if (field == null) {
            assertTrue(r.toString(), e.get("field").isNull());
        } else {
            assertEquals(r.toString(), field, e.get("field").asText());
        }
        assertFalse(r.toString(), e.get("detail").asText().isBlank());
    }

    private static List<String> ids(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.get("ids").forEach(i -> out.add(i.asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
