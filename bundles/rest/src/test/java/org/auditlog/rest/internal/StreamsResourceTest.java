package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import org.apache.sling.testing.mock.osgi.MockOsgi;
import org.apache.sling.testing.mock.osgi.junit5.OsgiContext;
import org.apache.sling.testing.mock.osgi.junit5.OsgiContextExtension;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PrivilegeGrant;
import org.auditlog.api.access.Role;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.store.StoreException;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.StreamService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * An organization's streams ({@code /api/v1/orgs/{spaceKey}/streams}) and the server-wide ones
 * ({@code /api/v1/admin/streams}), as a client sees them: each request passes the {@link AuthFilter} with the access
 * its resource method declares, then reaches the resource, which Declarative Services built (osgi-mock) with the
 * streams bundle's service (a {@link FakeStreams}) registered, or not.
 */
@ExtendWith(OsgiContextExtension.class)
class StreamsResourceTest {
    static final String ANN = "alt_t-ann_secret";
    static final String BOB = "alt_t-bob_secret";
    static final String ZED = "alt_t-zed_secret";
    static final String OPERATOR = Fixtures.OPERATOR_SECRET;
    /** The destination's secret: no answer and no record may ever hold it. */
    static final String SECRET = "hunter2-never-shown";

    static final String SIEM = "{\"name\":\"SIEM\",\"destination\":{\"type\":\"webhook\","
            + "\"url\":\"https://siem.example/in\",\"secret\":\"" + SECRET + "\"},\"products\":[\"Backlog\"],"
            + "\"categories\":[\"Issue\"]}";

    final OsgiContext context = new OsgiContext();
    final FakePolicy policy = new FakePolicy();
    final FakeOrgs orgs = new FakeOrgs();
    final FakeCapture capture = new FakeCapture();
    final FakeStreams streams = new FakeStreams();
    /** Every answer a test received, to look for the secret in. */
    final List<Answer> answers = new ArrayList<>();

    ServiceRegistration<StreamService> registration;
    StreamsResource resource;
    StreamsAdminResource admin;
    AuthFilter filter;

    @BeforeEach
    void components(@TempDir Path data) throws Exception {
        Organization other = new Organization(
                "OTHER", "Other", 5, PlanState.TRIAL, "z1", Fixtures.CREATED, null, null, null, null, 1);
        orgs.orgs.put(
                "OTHER",
                new OrganizationSnapshot(
                        other,
                        List.of(new Member("z1", "Zed", "zed@other.example", Role.ADMIN)),
                        List.of(new PrivilegeGrant("z1", "System user", Fixtures.CREATED, null, null, "plan admin"))));
        context.registerService(AccessPolicy.class, policy);
        context.registerService(OrganizationService.class, orgs);
        context.registerService(EventCapture.class, capture);
        context.registerService(ServerClock.class, () -> Fixtures.CLOCK);
        context.registerInjectActivateService(SelfAudit.class);
        registration = context.bundleContext().registerService(StreamService.class, streams, null);
        resource = context.registerInjectActivateService(StreamsResource.class);
        admin = context.registerInjectActivateService(StreamsAdminResource.class);
        filter = new AuthFilter(
                Components.authenticator(
                        OperatorToken.load(OPERATOR, data),
                        new FakeTokens(),
                        policy,
                        Components.sessions(Fixtures.CLOCK, "maxSessions", 10)),
                Fixtures.ROUTES);
    }

    /** A request as the API receives it: through the filter, with the access of its method, then to the resource. */
    Answer send(String token, String method, String path, String body, String... headers) {
        FakeRequest r = new FakeRequest(method, path).header("User-Agent", "UA");
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        Routes.Match match = Fixtures.ROUTES.find(method, "/" + path);
        r.pathParameters.putAll(match.parameters());
        HttpServletRequest http = FakeHttp.request(method, "198.51.100.7", false, Map.of());
        Answer a = Answer.of(() -> {
            filter.filter(r, match.access());
            return dispatch(r, http, path, body);
        });
        answers.add(a);
        return a;
    }

    /** The resource method Jersey would call for the request's method and path. */
    Object dispatch(FakeRequest r, HttpServletRequest http, String path, String body) {
        String[] p = path.split("/");
        boolean org = p[1].equals("orgs");
        String spaceKey = org ? p[2] : null;
        int at = org ? 4 : 3;
        String id = p.length > at ? p[at] : null;
        String action = p.length > at + 1 ? p[at + 1] : null;
        String call = r.getMethod() + " " + (id == null ? "" : "{id}") + (action == null ? "" : "/" + action);
        if (org) {
            return switch (call) {
                case "POST " -> resource.create(spaceKey, body, r, http);
                case "GET " -> resource.list(spaceKey, r, http);
                case "GET {id}" -> resource.get(spaceKey, id, r, http);
                case "PUT {id}" -> resource.update(spaceKey, id, body, r, http);
                case "DELETE {id}" -> resource.delete(spaceKey, id, r, http);
                case "POST {id}/pause" -> resource.pause(spaceKey, id, r, http);
                case "POST {id}/resume" -> resource.resume(spaceKey, id, r, http);
                case "POST {id}/test" -> resource.test(spaceKey, id, r, http);
                case "POST {id}/replay" -> resource.replay(spaceKey, id, body, r, http);
                default -> throw new AssertionError(call);
            };
        }
        return switch (call) {
            case "POST " -> admin.create(body);
            case "GET " -> admin.list();
            case "GET {id}" -> admin.get(id);
            case "PUT {id}" -> admin.update(id, body);
            case "DELETE {id}" -> admin.delete(id);
            case "POST {id}/pause" -> admin.pause(id);
            case "POST {id}/resume" -> admin.resume(id);
            case "POST {id}/test" -> admin.test(id);
            case "POST {id}/replay" -> admin.replay(id, body);
            default -> throw new AssertionError(call);
        };
    }

    Answer ann(String method, String path, String body) {
        return send(ANN, method, path, body);
    }

    /** ACME's stream SIEM, made by Ann: st-1. */
    String siem() {
        Answer a = ann("POST", "v1/orgs/ACME/streams", SIEM);
        assertEquals(201, a.status(), a::text);
        return a.json().get("id").asText();
    }

    List<String> events() {
        return capture.recorded.stream().map(AuditRecord::event).toList();
    }

    // --- creating and reading

    @Test
    void aStreamIsCreated201WithItsLocationAndShownWithTheNamesOfItsSecretsOnly() {
        Answer a = ann("POST", "v1/orgs/ACME/streams", SIEM);
        assertEquals(201, a.status(), a::text);
        assertEquals("/api/v1/orgs/ACME/streams/st-1", a.header("Location"));
        JsonNode s = a.json();
        assertEquals(
                List.of(
                        "id",
                        "organization",
                        "name",
                        "destination",
                        "products",
                        "categories",
                        "state",
                        "pausedBy",
                        "created",
                        "updated",
                        "logs"),
                EventsResourceTest.names(s));
        assertEquals("st-1", s.get("id").asText());
        assertEquals("ACME", s.get("organization").asText());
        assertEquals("SIEM", s.get("name").asText());
        assertEquals(
                "{\"type\":\"webhook\",\"url\":\"https://siem.example/in\",\"secrets\":[\"secret\"]}",
                s.get("destination").toString());
        assertEquals("[\"Backlog\"]", s.get("products").toString());
        assertEquals("[\"Issue\"]", s.get("categories").toString());
        assertEquals("active", s.get("state").asText());
        assertTrue(s.get("pausedBy").isNull());
        assertEquals("2026-11-20T10:00:00.000Z", s.get("created").asText());
        assertEquals("2026-11-20T10:00:00.000Z", s.get("updated").asText());
        assertFalse(a.text().contains(SECRET), a.text());
        assertEquals(List.of("create ACME SIEM"), streams.calls);
    }

    @Test
    void eachLogAStreamCoversShowsItsPlaceItsLastErrorAndItsGap() {
        siem();
        JsonNode logs = ann("GET", "v1/orgs/ACME/streams/st-1", null).json().get("logs");
        assertEquals(2, logs.size());
        JsonNode apps = logs.get(0);
        assertEquals(
                List.of(
                        "organization",
                        "product",
                        "delivered",
                        "backlog",
                        "lagMillis",
                        "lastSuccess",
                        "lastError",
                        "failingSince",
                        "gap"),
                EventsResourceTest.names(apps));
        assertEquals("ACME", apps.get("organization").asText());
        assertEquals("Apps", apps.get("product").asText());
        assertEquals(41, apps.get("delivered").asLong());
        assertEquals(0, apps.get("backlog").asLong());
        assertEquals(120, apps.get("lagMillis").asLong());
        assertEquals("2026-11-20T10:00:00.000Z", apps.get("lastSuccess").asText());
        assertTrue(apps.get("lastError").isNull());
        assertTrue(apps.get("failingSince").isNull());
        assertTrue(apps.get("gap").isNull(), "no gap: -1 in the view");

        JsonNode backlog = logs.get(1);
        assertEquals(-1, backlog.get("delivered").asLong());
        assertTrue(backlog.get("lastSuccess").isNull());
        assertEquals(
                "{\"at\":\"2026-11-20T10:00:00.000Z\",\"category\":\"auth\","
                        + "\"message\":\"401 Unauthorized from siem.example\"}",
                backlog.get("lastError").toString());
        assertEquals("2026-10-01T08:00:00.000Z", backlog.get("failingSince").asText());
        assertEquals("{\"from\":0,\"to\":11}", backlog.get("gap").toString());
    }

    @Test
    void theStreamsAreListedAndOneIsReadByItsId() {
        siem();
        ann("POST", "v1/orgs/ACME/streams", SIEM.replace("SIEM", "Archive"));
        Answer list = ann("GET", "v1/orgs/ACME/streams", null);
        assertEquals(200, list.status());
        assertEquals(List.of("streams"), EventsResourceTest.names(list.json()));
        JsonNode all = list.json().get("streams");
        assertEquals(2, all.size());
        assertEquals("Archive", all.get(0).get("name").asText(), "by name, as the service gives them");
        assertEquals("SIEM", all.get(1).get("name").asText());

        Answer one = ann("GET", "v1/orgs/ACME/streams/st-1", null);
        assertEquals(200, one.status());
        assertEquals("SIEM", one.json().get("name").asText());
        assertEquals(List.of("Create a stream", "Create a stream"), events(), "reading is not recorded");
    }

    @Test
    void anUnknownStreamIs404() {
        ann("GET", "v1/orgs/ACME/streams/st-9", null)
                .assertError(404, "not_found", null, "no stream st-9 in this organization");
        for (String[] call : new String[][] {
            {"PUT", "v1/orgs/ACME/streams/st-9", SIEM},
            {"DELETE", "v1/orgs/ACME/streams/st-9", null},
            {"POST", "v1/orgs/ACME/streams/st-9/pause", null},
            {"POST", "v1/orgs/ACME/streams/st-9/resume", null},
            {"POST", "v1/orgs/ACME/streams/st-9/test", null},
            {"POST", "v1/orgs/ACME/streams/st-9/replay", "{\"from\":\"2026-11-01T00:00:00Z\"}"}
        }) {
            ann(call[0], call[1], call[2]).assertError(404, "not_found", null, "no stream st-9 in this organization");
        }
        assertEquals(List.of(), capture.recorded);
    }

    // --- who may

    @Test
    void withoutATokenTheAnswerIs401() {
        siem();
        send(null, "GET", "v1/orgs/ACME/streams", null)
                .assertError(
                        401, "unauthorized", "Authorization", "send a bearer token: 'Authorization: Bearer <token>'");
        send(null, "POST", "v1/orgs/ACME/streams/st-1/pause", null).assertError(401, "unauthorized", "Authorization");
        send(null, "GET", "v1/admin/streams", null).assertError(401, "unauthorized", "Authorization");
        assertEquals(List.of("create ACME SIEM"), streams.calls);
    }

    @Test
    void aMemberWithoutThePrivilegeIsRefused403WithTheRuleAndNothingIsDone() {
        siem();
        policy.use = Decision.refused("not_audit_log_admin", "Bob does not hold the Audit Log Admin privilege");
        for (String[] call : new String[][] {
            {"GET", "v1/orgs/ACME/streams", null},
            {"POST", "v1/orgs/ACME/streams", SIEM.replace("SIEM", "Bob's")},
            {"GET", "v1/orgs/ACME/streams/st-1", null},
            {"PUT", "v1/orgs/ACME/streams/st-1", SIEM},
            {"DELETE", "v1/orgs/ACME/streams/st-1", null},
            {"POST", "v1/orgs/ACME/streams/st-1/pause", null},
            {"POST", "v1/orgs/ACME/streams/st-1/test", null},
            {"POST", "v1/orgs/ACME/streams/st-1/replay", "{\"from\":\"2026-11-01T00:00:00Z\"}"}
        }) {
            send(BOB, call[0], call[1], call[2])
                    .assertError(403, "not_audit_log_admin", null, "Bob does not hold the Audit Log Admin privilege");
        }
        assertEquals(List.of("create ACME SIEM"), streams.calls);
        assertEquals(List.of("Create a stream"), events());
    }

    @Test
    void anotherOrganizationsAdminNeverSeesAcmesStreams() {
        siem();
        // in ACME's path: the same 404 as an organization that does not exist
        send(ZED, "GET", "v1/orgs/ACME/streams/st-1", null).assertError(404, "not_found", null, "no such organization");
        send(ZED, "POST", "v1/orgs/ACME/streams/st-1/pause", null)
                .assertError(404, "not_found", null, "no such organization");
        // in their own: ACME's stream id is no stream of theirs
        send(ZED, "GET", "v1/orgs/OTHER/streams/st-1", null)
                .assertError(404, "not_found", null, "no stream st-1 in this organization");
        send(ZED, "DELETE", "v1/orgs/OTHER/streams/st-1", null)
                .assertError(404, "not_found", null, "no stream st-1 in this organization");
        send(ZED, "POST", "v1/orgs/OTHER/streams/st-1/test", null)
                .assertError(404, "not_found", null, "no stream st-1 in this organization");
        assertEquals(
                0,
                send(ZED, "GET", "v1/orgs/OTHER/streams", null)
                        .json()
                        .get("streams")
                        .size());
        assertEquals(
                "active",
                ann("GET", "v1/orgs/ACME/streams/st-1", null)
                        .json()
                        .get("state")
                        .asText());
        assertEquals(List.of("Create a stream"), events());
    }

    @Test
    void theOperatorManagesAnOrganizationsStreamsRecordedAsTheSystemOrTheSupportTeam() {
        siem();
        Answer paused = send(OPERATOR, "POST", "v1/orgs/ACME/streams/st-1/pause", null);
        assertEquals(200, paused.status(), paused::text);
        assertEquals("operator", paused.json().get("pausedBy").asText());
        send(OPERATOR, "POST", "v1/orgs/ACME/streams/st-1/resume", null, "X-Auditlog-Support", "true");
        AuditRecord pause = capture.recorded.get(1);
        assertEquals("Pause a stream", pause.event());
        assertEquals("System user", pause.operationUserName());
        AuditRecord resume = capture.recorded.get(2);
        assertEquals("Resume a stream", resume.event());
        assertEquals("Nulab Support", resume.operationUserName());

        send(OPERATOR, "GET", "v1/orgs/NOPE/streams", null)
                .assertError(404, "no_such_organization", null, "there is no organization NOPE");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "POST v1/orgs/ACME/streams",
                "PUT v1/orgs/ACME/streams/st-1",
                "POST v1/orgs/ACME/streams/st-1/replay",
                "POST v1/admin/streams",
                "PUT v1/admin/streams/st-1",
                "POST v1/admin/streams/st-1/replay"
            })
    void aStreamsBodyIsBoundAsEveryOtherCallWithCredentials(String call) {
        String[] c = call.split(" ");
        Access access = Fixtures.ROUTES.match(c[0], "/" + c[1]);
        assertEquals(
                c[1].startsWith("v1/admin") ? Access.Who.OPERATOR : Access.Who.ORGANIZATION_MEMBER, access.value());
        assertEquals(Access.BodyBound.CONTROL, access.value().body(), "maxControlBodyBytes, 64 KiB by default");
    }

    // --- changes and their records

    @Test
    void eachChangeIsRecordedInTheOrganizationsLogByTheMemberNamingTheStreamAndItsType() {
        siem();
        ann("PUT", "v1/orgs/ACME/streams/st-1", SIEM.replace("\"SIEM\"", "\"Splunk\""));
        ann("POST", "v1/orgs/ACME/streams/st-1/pause", null);
        ann("POST", "v1/orgs/ACME/streams/st-1/resume", null);
        ann("POST", "v1/orgs/ACME/streams/st-1/test", null);
        ann("POST", "v1/orgs/ACME/streams/st-1/replay", "{\"from\":\"2026-11-01T09:00:00+09:00\"}");
        ann("POST", "v1/orgs/ACME/streams/st-1/replay", "{\"sequences\":{\"Backlog\":1200,\"Apps\":0}}");
        assertEquals(204, ann("DELETE", "v1/orgs/ACME/streams/st-1", null).status());

        assertEquals(
                List.of(
                        "Create a stream",
                        "Change a stream",
                        "Pause a stream",
                        "Resume a stream",
                        "Test a stream",
                        "Replay a stream",
                        "Replay a stream",
                        "Delete a stream"),
                events());
        assertEquals(
                List.of(
                        "The stream 'SIEM' (webhook) was created",
                        "The stream 'SIEM' (webhook) was changed: now 'Splunk' (webhook)",
                        "The stream 'Splunk' (webhook) was paused",
                        "The stream 'Splunk' (webhook) was resumed",
                        "The stream 'Splunk' (webhook) was sent a test event",
                        "The stream 'Splunk' (webhook) was set to deliver again from 2026-11-01T00:00:00.000Z",
                        "The stream 'Splunk' (webhook) was set to deliver again from the sequences 1200 of Backlog, "
                                + "0 of Apps",
                        "The stream 'Splunk' (webhook) was deleted"),
                capture.recorded.stream().map(AuditRecord::action).toList());
        for (AuditRecord r : capture.recorded) {
            assertEquals("ACME", r.spaceKey());
            assertEquals("Apps", r.product());
            assertEquals("Audit log", r.category());
            assertEquals("u1", r.operationUserId());
            assertEquals("Ann", r.operationUserName());
            assertEquals("198.51.100.7", r.ipAddress());
            assertEquals("UA", r.userAgent());
        }
        ann("GET", "v1/orgs/ACME/streams/st-1", null)
                .assertError(404, "not_found", null, "no stream st-1 in this organization");
    }

    @Test
    void aChangeReplacesTheStreamAndASecretLeftOutKeepsItsValue() {
        siem();
        Answer a = ann(
                "PUT",
                "v1/orgs/ACME/streams/st-1",
                "{\"name\":\"SIEM\",\"destination\":{\"type\":\"webhook\",\"url\":\"https://siem.example/v2\"}}");
        assertEquals(200, a.status(), a::text);
        assertEquals(
                "{\"type\":\"webhook\",\"url\":\"https://siem.example/v2\",\"secrets\":[\"secret\"]}",
                a.json().get("destination").toString());
        assertEquals("[]", a.json().get("products").toString(), "left out: every product");
        assertEquals(
                "The stream 'SIEM' (webhook) was changed",
                capture.recorded.get(1).action());
    }

    @Test
    void aPauseNamesTheMemberAndAResumeClearsIt() {
        siem();
        Answer paused = ann("POST", "v1/orgs/ACME/streams/st-1/pause", null);
        assertEquals(200, paused.status());
        assertEquals("paused", paused.json().get("state").asText());
        assertEquals("user:u1", paused.json().get("pausedBy").asText());
        Answer resumed = ann("POST", "v1/orgs/ACME/streams/st-1/resume", null);
        assertEquals(200, resumed.status());
        assertEquals("active", resumed.json().get("state").asText());
        assertTrue(resumed.json().get("pausedBy").isNull());
        assertTrue(streams.calls.contains("pause ACME st-1 user:u1"), streams.calls::toString);
    }

    @Test
    void aTestSaysHowTheDestinationAnswered() {
        siem();
        Answer accepted = ann("POST", "v1/orgs/ACME/streams/st-1/test", null);
        assertEquals(200, accepted.status());
        assertEquals(
                "{\"outcome\":\"accepted\",\"category\":null,\"message\":null,\"retryAfterSeconds\":null}",
                accepted.text());

        streams.testAnswer = Delivery.retry(Duration.ofMillis(1500), "throttled", "429 Too Many Requests");
        assertEquals(
                "{\"outcome\":\"retry\",\"category\":\"throttled\",\"message\":\"429 Too Many Requests\","
                        + "\"retryAfterSeconds\":2}",
                ann("POST", "v1/orgs/ACME/streams/st-1/test", null).text());

        streams.testAnswer = Delivery.refused("auth", "401 Unauthorized from siem.example");
        assertEquals(
                "{\"outcome\":\"refused\",\"category\":\"auth\",\"message\":\"401 Unauthorized from siem.example\","
                        + "\"retryAfterSeconds\":null}",
                ann("POST", "v1/orgs/ACME/streams/st-1/test", null).text());
        assertEquals(
                "active",
                ann("GET", "v1/orgs/ACME/streams/st-1", null)
                        .json()
                        .get("state")
                        .asText());
    }

    @Test
    void aReplayStartsFromAnInstantOrFromASequencePerProductNeverBoth() {
        siem();
        Answer from = ann("POST", "v1/orgs/ACME/streams/st-1/replay", "{\"from\":\"2026-11-01T00:00:00Z\"}");
        assertEquals(200, from.status(), from::text);
        assertEquals("st-1", from.json().get("id").asText());
        assertEquals(
                200,
                ann("POST", "v1/orgs/ACME/streams/st-1/replay", "{\"sequences\":{\"Backlog\":12}}")
                        .status());
        assertEquals(
                List.of("replay ACME st-1 2026-11-01T00:00:00Z", "replay ACME st-1 {Backlog=12}"),
                streams.calls.stream().filter(c -> c.startsWith("replay")).toList());

        String path = "v1/orgs/ACME/streams/st-1/replay";
        ann("POST", path, "{\"from\":\"2026-11-01T00:00:00Z\",\"sequences\":{\"Backlog\":12}}")
                .assertError(400, "invalid_field", "sequences", "give from or sequences, not both");
        assertTrue(ann("POST", path, "{}")
                .assertError(400, "invalid_field", "from")
                .startsWith("is required"));
        ann("POST", path, "{\"from\":\"2026-11-01\"}")
                .assertError(
                        400,
                        "invalid_field",
                        "from",
                        "must be an ISO-8601 date-time with an offset, e.g. 2026-11-01T00:00:00Z");
        ann("POST", path, "{\"from\":1762000000}").assertError(400, "invalid_field", "from");
        ann("POST", path, "{\"sequences\":{}}").assertError(400, "invalid_field", "sequences");
        ann("POST", path, "{\"sequences\":[12]}").assertError(400, "invalid_field", "sequences");
        ann("POST", path, "{\"sequences\":{\"Backlog\":-1}}")
                .assertError(400, "invalid_field", "sequences.Backlog", "must be a whole number, 0 or more");
        ann("POST", path, "{\"sequences\":{\"Backlog\":1.5}}")
                .assertError(400, "invalid_field", "sequences.Backlog", "must be a whole number, 0 or more");
        ann("POST", path, "{\"sequences\":{\"Backlog\":\"12\"}}")
                .assertError(400, "invalid_field", "sequences.Backlog", "must be a whole number, 0 or more");
        ann("POST", path, "{\"sequences\":{\"Backlog\":99999999999999999999}}")
                .assertError(
                        400,
                        "invalid_field",
                        "sequences.Backlog",
                        "must be a whole number from 0 to 9223372036854775807");
        ann("POST", path, "{\"to\":\"2026-11-01T00:00:00Z\"}")
                .assertError(400, "invalid_field", "to", "unknown field; expected from, sequences");
        // refused by the streams bundle: out of retention, a product it does not cover
        ann("POST", path, "{\"from\":\"2020-01-01T00:00:00Z\"}")
                .assertError(400, "invalid_field", "from", "is before the oldest event kept, 2025-11-20T00:00:00Z");
        ann("POST", path, "{\"sequences\":{\"Cacoo\":3}}")
                .assertError(400, "invalid_field", "sequences.Cacoo", "is not a product of this stream");
        assertEquals(List.of("Create a stream", "Replay a stream", "Replay a stream"), events());
    }

    // --- refusals of the body and of the streams bundle

    @Test
    void aBodyThatIsNoStreamIsRefusedNamingTheField() {
        String path = "v1/orgs/ACME/streams";
        assertTrue(ann("POST", path, "{\"name\":")
                .assertError(400, "malformed_json", null)
                .startsWith("the body"));
        ann("POST", path, "[]").assertError(400, "invalid_field", null, "the body must be a JSON object");
        ann("POST", path, "").assertError(400, "invalid_field", null, "the body must be a JSON object");
        ann("POST", path, "{\"name\":\"SIEM\",\"destination\":{\"type\":\"webhook\"},\"filter\":1}")
                .assertError(
                        400,
                        "invalid_field",
                        "filter",
                        "unknown field; expected name, destination, products, categories");
        ann("POST", path, "{\"destination\":{\"type\":\"webhook\"}}")
                .assertError(400, "invalid_field", "name", "is required");
        ann("POST", path, "{\"name\":7,\"destination\":{\"type\":\"webhook\"}}")
                .assertError(400, "invalid_field", "name", "must be a non-empty string");
        assertTrue(ann("POST", path, "{\"name\":\"SIEM\"}")
                .assertError(400, "invalid_field", "destination")
                .startsWith("is required"));
        assertTrue(ann("POST", path, "{\"name\":\"SIEM\",\"destination\":\"https://siem.example\"}")
                .assertError(400, "invalid_field", "destination")
                .startsWith("must be a JSON object"));
        ann("POST", path, "{\"name\":\"SIEM\",\"destination\":{\"url\":\"https://siem.example\"}}")
                .assertError(400, "invalid_field", "destination.type", "is required");
        ann("POST", path, "{\"name\":\"SIEM\",\"destination\":{\"type\":[\"webhook\"]}}")
                .assertError(400, "invalid_field", "destination.type", "must be a non-empty string");
        ann("POST", path, "{\"name\":\"SIEM\",\"destination\":{\"type\":\"webhook\"},\"products\":\"Backlog\"}")
                .assertError(400, "invalid_field", "products", "must be an array of strings (empty for all)");
        ann("POST", path, "{\"name\":\"SIEM\",\"destination\":{\"type\":\"webhook\"},\"categories\":[\"Issue\",3]}")
                .assertError(400, "invalid_field", "categories[1]", "must be a non-empty string");
        assertEquals(List.of(), streams.calls, "nothing reached the streams bundle");
        assertEquals(List.of(), capture.recorded);
    }

    @Test
    void whatTheStreamsBundleRefusesIs400NamingItsMemberAndNothingIsRecorded() {
        String path = "v1/orgs/ACME/streams";
        ann("POST", path, SIEM.replace("https://siem.example/in", "http://10.0.0.1/in"))
                .assertError(400, "invalid_field", "destination.url", "must be an https:// URL");
        ann("POST", path, SIEM.replace("\"webhook\"", "\"splunk-hec\""))
                .assertError(400, "invalid_field", "destination.type", "must be one of webhook");
        ann("POST", path, SIEM.replace("[\"Backlog\"]", "[\"Backlog\",\"Typetalk\"]"))
                .assertError(400, "invalid_field", "products[1]", "must be one of Apps, Backlog");
        siem();
        ann("PUT", "v1/orgs/ACME/streams/st-1", SIEM.replace("https://siem.example/in", "ftp://siem.example"))
                .assertError(400, "invalid_field", "destination.url", "must be an https:// URL");
        assertEquals(List.of("Create a stream"), events());
    }

    @Test
    void aNameAnotherStreamHasIs409() {
        siem();
        ann("POST", "v1/orgs/ACME/streams", SIEM)
                .assertError(409, "stream_exists", "name", "already the name of another stream: SIEM");
        ann("POST", "v1/orgs/ACME/streams", SIEM.replace("SIEM", "Archive"));
        ann("PUT", "v1/orgs/ACME/streams/st-2", SIEM)
                .assertError(409, "stream_exists", "name", "already the name of another stream: SIEM");
        assertEquals(201, send(ZED, "POST", "v1/orgs/OTHER/streams", SIEM).status(), "names are per organization");
        assertEquals(List.of("Create a stream", "Create a stream", "Create a stream"), events());
    }

    @Test
    void noAnswerAndNoRecordEverHoldsASecret() {
        siem();
        ann("GET", "v1/orgs/ACME/streams", null);
        ann("GET", "v1/orgs/ACME/streams/st-1", null);
        ann("PUT", "v1/orgs/ACME/streams/st-1", SIEM.replace(SECRET, SECRET + "-2"));
        ann("PUT", "v1/orgs/ACME/streams/st-1", SIEM.replace("https://siem.example/in", "http://siem.example"));
        ann("POST", "v1/orgs/ACME/streams/st-1/pause", null);
        ann("POST", "v1/orgs/ACME/streams/st-1/test", null);
        ann("POST", "v1/orgs/ACME/streams/st-1/replay", "{\"from\":\"2026-11-01T00:00:00Z\"}");
        ann("POST", "v1/orgs/ACME/streams", SIEM);
        send(OPERATOR, "POST", "v1/admin/streams", SIEM);
        send(OPERATOR, "GET", "v1/admin/streams", null);
        send(OPERATOR, "POST", "v1/admin/streams/st-2/pause", null);
        ann("DELETE", "v1/orgs/ACME/streams/st-1", null);
        assertEquals(13, answers.size());
        for (Answer a : answers) {
            assertTrue(a.status() < 500, a::text);
            assertFalse(a.text().contains("hunter2"), a::text);
            assertFalse(String.valueOf(a.response().getHeaders()).contains("hunter2"));
        }
        assertEquals(6, capture.recorded.size(), "create, change, pause, test, replay, delete");
        for (AuditRecord r : capture.recorded) {
            assertFalse(r.toString().contains("hunter2"), r::toString);
            assertFalse(r.action().contains("siem.example"), "no setting either: " + r.action());
        }
    }

    // --- a record that cannot be written

    @Test
    void aStreamWhoseRecordCannotBeWrittenIsNotCreated() {
        capture.recordFailure = new StoreException("the store is down", null);
        Answer a = ann("POST", "v1/orgs/ACME/streams", SIEM);
        assertTrue(a.assertError(503, "audit_unavailable", null).startsWith("'Create a stream' was not done"));
        assertEquals(List.of("create ACME SIEM", "delete ACME st-1"), streams.calls);
        assertTrue(streams.streams.isEmpty());
    }

    @Test
    void aPauseATestOrADeletionWhoseRecordCannotBeWrittenIsNotDone() {
        siem();
        capture.recordFailure = new StoreException("the store is down", null);
        assertTrue(ann("POST", "v1/orgs/ACME/streams/st-1/pause", null)
                .assertError(503, "audit_unavailable", null)
                .startsWith("'Pause a stream' was not done"));
        ann("POST", "v1/orgs/ACME/streams/st-1/test", null).assertError(503, "audit_unavailable", null);
        ann("DELETE", "v1/orgs/ACME/streams/st-1", null).assertError(503, "audit_unavailable", null);
        assertEquals(List.of("create ACME SIEM", "find ACME st-1", "find ACME st-1", "find ACME st-1"), streams.calls);
        assertEquals(
                "active",
                ann("GET", "v1/orgs/ACME/streams/st-1", null)
                        .json()
                        .get("state")
                        .asText());
    }

    @Test
    void aChangeWhoseRecordCannotBeWrittenStandsAndTheAnswerSaysToSendItAgain() {
        siem();
        capture.recordFailure = new StoreException("the store is down", null);
        String renamed = SIEM.replace("\"SIEM\"", "\"Splunk\"");
        String detail = ann("PUT", "v1/orgs/ACME/streams/st-1", renamed).assertError(503, "audit_unavailable", null);
        assertTrue(
                detail.startsWith("'Change a stream' was done, but its record could not be written")
                        && detail.contains("the same request sent again writes it"),
                detail);
        assertEquals("Splunk", streams.find("ACME", "st-1").orElseThrow().name(), "the change stands");
        capture.recordFailure = null;
        assertEquals(200, ann("PUT", "v1/orgs/ACME/streams/st-1", renamed).status(), "sent again");
        assertEquals(
                List.of("Create a stream", "Change a stream"),
                events(),
                "the change is recorded once it is sent again");
    }

    // --- without the streams bundle

    @Test
    void withoutTheStreamsBundleEveryCallIs503AndTheResourcesStay() {
        siem();
        registration.unregister();
        for (String[] call : new String[][] {
            {ANN, "GET", "v1/orgs/ACME/streams", null},
            {ANN, "POST", "v1/orgs/ACME/streams", SIEM},
            {ANN, "GET", "v1/orgs/ACME/streams/st-1", null},
            {ANN, "PUT", "v1/orgs/ACME/streams/st-1", SIEM},
            {ANN, "DELETE", "v1/orgs/ACME/streams/st-1", null},
            {ANN, "POST", "v1/orgs/ACME/streams/st-1/pause", null},
            {ANN, "POST", "v1/orgs/ACME/streams/st-1/resume", null},
            {ANN, "POST", "v1/orgs/ACME/streams/st-1/test", null},
            {ANN, "POST", "v1/orgs/ACME/streams/st-1/replay", "{\"from\":\"2026-11-01T00:00:00Z\"}"},
            {OPERATOR, "GET", "v1/admin/streams", null},
            {OPERATOR, "POST", "v1/admin/streams", SIEM},
            {OPERATOR, "POST", "v1/admin/streams/st-1/test", null}
        }) {
            send(call[0], call[1], call[2], call[3])
                    .assertError(
                            503,
                            "streams_unavailable",
                            null,
                            "streams are not available: the streams bundle is not running on this server");
        }
        // the access rules come first: a member without the privilege learns nothing more
        policy.use = Decision.refused("not_audit_log_admin", "no");
        send(BOB, "GET", "v1/orgs/ACME/streams", null).assertError(403, "not_audit_log_admin", null);
        policy.use = Decision.ALLOWED;

        context.bundleContext().registerService(StreamService.class, streams, null);
        assertEquals(200, ann("GET", "v1/orgs/ACME/streams/st-1", null).status(), "the service is back");
        assertEquals(List.of("Create a stream"), events());
    }

    @Test
    void theResourcesActivateWithoutAStreamService() {
        BundleContext bare = MockOsgi.newBundleContext();
        bare.registerService(AccessPolicy.class, policy, null);
        bare.registerService(OrganizationService.class, orgs, null);
        bare.registerService(SelfAudit.class, new SelfAudit(policy, capture, () -> Fixtures.CLOCK), null);
        StreamsResource alone = MockOsgi.registerInjectActivateService(StreamsResource.class, bare);
        StreamsAdminResource adminAlone = MockOsgi.registerInjectActivateService(StreamsAdminResource.class, bare);
        FakeRequest r = FakeRequest.get("v1/orgs/ACME/streams").caller(Fixtures.member(Fixtures.ANN_TOKEN));
        Answer.of(() -> alone.list("ACME", r, FakeHttp.request("198.51.100.7", false)))
                .assertError(503, "streams_unavailable", null);
        Answer.of(adminAlone::list).assertError(503, "streams_unavailable", null);
    }

    // --- the server-wide streams

    @Test
    void theOperatorManagesTheServerWideStreamsWhichNoOrganizationSees() {
        Answer a = send(OPERATOR, "POST", "v1/admin/streams", SIEM);
        assertEquals(201, a.status(), a::text);
        assertEquals("/api/v1/admin/streams/st-1", a.header("Location"));
        assertTrue(a.json().get("organization").isNull());
        assertEquals("[\"secret\"]", a.json().get("destination").get("secrets").toString());
        assertEquals(
                "operator",
                send(OPERATOR, "POST", "v1/admin/streams/st-1/pause", null)
                        .json()
                        .get("pausedBy")
                        .asText());
        assertEquals(
                1,
                send(OPERATOR, "GET", "v1/admin/streams", null)
                        .json()
                        .get("streams")
                        .size());
        assertEquals(
                200,
                send(OPERATOR, "POST", "v1/admin/streams/st-1/replay", "{\"sequences\":{\"Apps\":3}}")
                        .status());
        assertEquals(
                "{\"outcome\":\"accepted\",\"category\":null,\"message\":null,\"retryAfterSeconds\":null}",
                send(OPERATOR, "POST", "v1/admin/streams/st-1/test", null).text());

        ann("GET", "v1/orgs/ACME/streams/st-1", null)
                .assertError(404, "not_found", null, "no stream st-1 in this organization");
        assertEquals(
                0,
                ann("GET", "v1/orgs/ACME/streams", null).json().get("streams").size());
        send(ANN, "GET", "v1/admin/streams", null)
                .assertError(403, "forbidden", null, "this resource needs the operator token");
        send(ANN, "POST", "v1/admin/streams/st-1/pause", null).assertError(403, "forbidden", null);

        assertEquals(
                204, send(OPERATOR, "DELETE", "v1/admin/streams/st-1", null).status());
        send(OPERATOR, "GET", "v1/admin/streams/st-1", null)
                .assertError(404, "not_found", null, "no stream st-1 among the server-wide streams");
        assertEquals(List.of(), capture.recorded, "no organization's log records a server-wide stream");
    }

    @Test
    void theOperatorsChangesOfServerWideStreamsGoToTheServerLogWithoutASecret() {
        PrintStream previous = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            send(OPERATOR, "POST", "v1/admin/streams", SIEM);
            send(OPERATOR, "GET", "v1/admin/streams/st-1", null);
            send(OPERATOR, "PUT", "v1/admin/streams/st-1", SIEM.replace("\"SIEM\"", "\"All\""));
            send(OPERATOR, "POST", "v1/admin/streams/st-1/pause", null);
            send(OPERATOR, "DELETE", "v1/admin/streams/st-1", null);
        } finally {
            System.setErr(previous);
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(
                List.of(
                        "Create a stream (server-wide), by the operator: The stream 'SIEM' (webhook) was created",
                        "Change a stream (server-wide), by the operator: The stream 'SIEM' (webhook) was changed: "
                                + "now 'All' (webhook)",
                        "Pause a stream (server-wide), by the operator: The stream 'All' (webhook) was paused",
                        "Delete a stream (server-wide), by the operator: The stream 'All' (webhook) was deleted"),
                lines.stream().map(l -> l.substring(l.indexOf(" - ") + 3)).toList(),
                lines::toString);
        assertTrue(lines.stream().allMatch(l -> l.contains("INFO") && !l.contains("hunter2")), lines::toString);
    }

    @Test
    void anOrganizationsStreamIsNoServerWideOne() {
        siem();
        send(OPERATOR, "GET", "v1/admin/streams/st-1", null)
                .assertError(404, "not_found", null, "no stream st-1 among the server-wide streams");
        send(OPERATOR, "DELETE", "v1/admin/streams/st-1", null).assertError(404, "not_found", null);
        assertEquals(
                0,
                send(OPERATOR, "GET", "v1/admin/streams", null)
                        .json()
                        .get("streams")
                        .size());
        assertEquals(
                "ACME",
                ann("GET", "v1/orgs/ACME/streams/st-1", null)
                        .json()
                        .get("organization")
                        .asText());
    }
}
