package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.OrganizationService;
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
 * Organizations, plans and the Audit Log Admin privilege over HTTP: who may see and export what in each
 * plan state, the privilege rules, the log auditing its own use, and one organization never reaching
 * another's data. The tests share a server; each has its own organizations.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OrganizationsIT {

    @Inject
    BundleContext context;

    @Inject
    EventCapture capture;

    @Inject
    OrganizationService organizations;

    static final java.util.concurrent.atomic.AtomicInteger RUN = new java.util.concurrent.atomic.AtomicInteger();

    Api api;
    String operator;
    /** This test's ACME. */
    String acme;
    /** This test's OTHER organization. */
    String other;

    final Map<String, String> tokens = new HashMap<>();

    @Configuration
    public Option[] config() throws Exception {
        return ServerOptions.server(ServerOptions.freePort(), Files.createTempDirectory("auditlog-it"))
                .toArray(new Option[0]);
    }

    /** ACME (license for 3 users): ann and bob admins, carl member, gina guest; a trial applied for by ann. */
    @Before
    public void acme() throws Exception {
        api = new Api(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        api.awaitHealthy(Duration.ofSeconds(60));
        operator = Api.operatorToken(Path.of(context.getProperty("auditlog.data")));
        int run = RUN.incrementAndGet();
        acme = "ACME" + run;
        other = "OTHER" + run;
        expect(
                201,
                api.post(
                        "/api/v1/admin/orgs",
                        operator,
                        "application/json",
                        "{\"spaceKey\":\"" + acme + "\",\"name\":\"Acme\",\"licenseCount\":3}"));
        for (String[] m : new String[][] {{"ann", "admin"}, {"bob", "admin"}, {"carl", "member"}, {"gina", "guest"}}) {
            addMember(acme, m[0], m[1]);
        }
        plan(acme, "{\"state\":\"trial\",\"planAdmin\":\"ann\"}", 200);
    }

    @Test
    public void thePlanAdminWhoAppliedHoldsThePrivilegeAndOnlyHoldersGrantIt() throws Exception {
        assertEquals(List.of("ann"), auditAdmins("ann"));
        refused(403, "not_audit_log_admin", api.get("/api/v1/orgs/" + acme + "/audit-admins", token("bob")));
        refused(403, "not_audit_log_admin", api.put("/api/v1/orgs/" + acme + "/audit-admins/bob", token("bob"), ""));
        expect(200, api.put("/api/v1/orgs/" + acme + "/audit-admins/bob", token("ann"), ""));
        expect(200, api.put("/api/v1/orgs/" + acme + "/audit-admins/carl", token("bob"), ""));
        assertEquals(List.of("ann", "bob", "carl"), auditAdmins("carl"));
        refused(409, "guest_cannot_hold", api.put("/api/v1/orgs/" + acme + "/audit-admins/gina", token("ann"), ""));

        // at least one admin must keep it: revoke, demote and remove are all refused for the last one
        expect(200, api.delete("/api/v1/orgs/" + acme + "/audit-admins/ann", token("bob")));
        refused(409, "last_admin_holder", api.delete("/api/v1/orgs/" + acme + "/audit-admins/bob", token("carl")));
        refused(
                409,
                "last_admin_holder",
                api.patch("/api/v1/admin/orgs/" + acme + "/members/bob", operator, "{\"role\":\"member\"}"));
        refused(409, "last_admin_holder", api.delete("/api/v1/admin/orgs/" + acme + "/members/bob", operator));
        // carl is a member, not an admin: losing him is fine
        expect(200, api.delete("/api/v1/orgs/" + acme + "/audit-admins/carl", token("bob")));
        assertEquals(List.of("bob"), auditAdmins("bob"));
    }

    @Test
    public void eachPlanStateAllowsWhatTheSpecSays() throws Exception {
        expect(200, api.put("/api/v1/orgs/" + acme + "/audit-admins/carl", token("ann"), ""));
        String apps = api.ingestToken(operator, "Apps", null);
        // trial: recording, using and exporting
        assertState("trial", true, "ann", 200, null);
        assertState("trial", true, "carl", 200, null);
        assertState("trial", true, "bob", 403, "not_audit_log_admin");
        assertState("trial", true, "gina", 403, "not_audit_log_admin");
        assertRecording(apps, 201, null);

        plan(acme, "{\"state\":\"paid\"}", 200);
        assertState("paid", true, "ann", 200, null);
        addMember(acme, "dave", "member"); // 4 users on a licence for 3
        assertState("paid", true, "ann", 200, "license_exceeded");
        assertRecording(apps, 201, null);
        expect(200, api.patch("/api/v1/admin/orgs/" + acme, operator, "{\"licenseCount\":10}"));
        assertState("paid", true, "ann", 200, null);

        plan(acme, "{\"state\":\"overdue\"}", 200);
        assertState("overdue", true, "ann", 200, "plan_overdue");
        assertRecording(apps, 201, null);

        plan(acme, "{\"state\":\"canceled\"}", 200);
        assertState("canceled", false, "ann", 403, "plan_ended");
        assertState("canceled", false, "carl", 403, "plan_ended");
        assertRecording(apps, 409, "plan_ended");
        JsonNode history =
                api.get("/api/v1/admin/orgs/" + acme, operator).json().get("privilegeHistory");
        for (JsonNode g : history) {
            assertEquals(g.toString(), "plan_ended", g.get("reason").asText());
        }

        // restarted within 30 days: every previous holder has it again, and so does bob, who applied
        plan(acme, "{\"state\":\"trial\",\"planAdmin\":\"bob\"}", 200);
        assertEquals(List.of("ann", "bob", "carl"), auditAdmins("ann"));
        assertState("trial", true, "carl", 200, null);
    }

    @Test
    public void refusalsNameTheRule() throws Exception {
        refused(
                409,
                "plan_transition",
                api.put("/api/v1/admin/orgs/" + acme + "/plan", operator, "{\"state\":\"overdue\"}"));
        refused(
                400,
                "invalid_field",
                api.deliberatelyInvalid()
                        .put("/api/v1/admin/orgs/" + acme + "/plan", operator, "{\"state\":\"gold\"}"));
        refused(
                409,
                "organization_exists",
                api.post(
                        "/api/v1/admin/orgs",
                        operator,
                        "application/json",
                        "{\"spaceKey\":\"" + acme + "\",\"name\":\"Again\",\"licenseCount\":3}"));
        refused(
                409,
                "member_exists",
                api.post(
                        "/api/v1/admin/orgs/" + acme + "/members",
                        operator,
                        "application/json",
                        "{\"userId\":\"ann\",\"name\":\"Ann\",\"email\":\"ann@acme.example\",\"role\":\"admin\"}"));
        refused(
                400,
                "invalid_field",
                api.deliberatelyInvalid()
                        .post(
                                "/api/v1/admin/orgs/" + acme + "/members",
                                operator,
                                "application/json",
                                "{\"userId\":\"zed\",\"name\":\"Zed\",\"email\":\"zed@acme.example\",\"role\":\"owner\"}"));
        refused(404, "no_such_organization", api.get("/api/v1/admin/orgs/NOPE", operator));
        // events of an organization without a running plan are refused, and say why
        expect(
                201,
                api.post(
                        "/api/v1/admin/orgs",
                        operator,
                        "application/json",
                        "{\"spaceKey\":\"IDLE" + acme + "\",\"name\":\"Idle\",\"licenseCount\":3}"));
        String apps = api.ingestToken(operator, "Apps", null);
        refused(
                409,
                "plan_not_activated",
                api.post(
                        "/api/v1/products/Apps/events",
                        apps,
                        "application/json",
                        Api.json(Api.record("IDLE" + acme, "2026-11-01T00:00:00Z", "x", "Ann"))));
        refused(
                409,
                "no_such_organization",
                api.post(
                        "/api/v1/products/Apps/events",
                        apps,
                        "application/json",
                        Api.json(Api.record("NOPE", "2026-11-01T00:00:00Z", "x", "Ann"))));
    }

    @Test
    public void theLogAuditsItsOwnUse() throws Exception {
        expect(200, api.put("/api/v1/orgs/" + acme + "/audit-admins/bob", token("ann"), ""));
        JsonNode events = api.get("/api/v1/orgs/" + acme + "/events?product=Apps&limit=100", token("ann"))
                .json()
                .get("events");
        Map<String, JsonNode> byEvent = new HashMap<>();
        events.forEach(e -> byEvent.putIfAbsent(e.get("event").asText(), e));
        JsonNode grant = byEvent.get("Grant the Audit Log Admin privilege");
        assertTrue(events.toString(), grant != null);
        assertEquals("ann", grant.get("operation_user_id").asText());
        assertEquals(
                "ann", grant.get("operation_user_name").asText().toLowerCase().split(" ")[0]);
        JsonNode start = byEvent.get("Start a plan");
        assertTrue(events.toString(), start != null);
        assertEquals("System user", start.get("operation_user_name").asText());
        assertEquals("", start.get("operation_user_id").asText());
        // a change the operator makes for the support team is recorded as Nulab Support
        Api.Reply support = api.post(
                "/api/v1/admin/orgs/" + acme + "/members",
                operator,
                "application/json",
                "{\"userId\":\"hal\",\"name\":\"Hal\",\"email\":\"hal@acme.example\",\"role\":\"member\"}",
                "X-Auditlog-Support",
                "true");
        expect(201, support);
        JsonNode latest = api.get("/api/v1/orgs/" + acme + "/events?product=Apps&category=Member&limit=1", token("ann"))
                .json()
                .get("events")
                .get(0);
        assertEquals("Nulab Support", latest.get("operation_user_name").asText());
        // and searches are recorded too, by the member who searched
        JsonNode search = api.get("/api/v1/orgs/" + acme + "/events?event=Search+audit+logs&limit=1", token("ann"))
                .json()
                .get("events")
                .get(0);
        assertEquals("Audit log", search.get("category").asText());
        assertEquals("ann", search.get("operation_user_id").asText());
        assertTrue(search.get("action").asText(), search.get("action").asText().contains("category: Member"));
    }

    /**
     * A member whose browser sends a user agent longer than the column can still act, and every action is in the
     * log with the user agent shortened and marked: an action and its record never part.
     */
    @Test
    public void aUserAgentTooLongForItsColumnIsShortenedNotAReasonToLoseTheRecord() throws Exception {
        String agent = "Mozilla/5.0 (X11; Linux x86_64) " + "A".repeat(5000);
        String ann = token("ann");
        String[] ua = {"User-Agent", agent};
        expect(200, api.request("PUT", "/api/v1/orgs/" + acme + "/audit-admins/bob", ann, ua));
        expect(200, api.request("GET", "/api/v1/orgs/" + acme + "/events?category=Member", ann, ua));
        expect(200, api.request("DELETE", "/api/v1/orgs/" + acme + "/audit-admins/bob", ann, ua));
        String lastMonth = java.time.YearMonth.now(java.time.ZoneOffset.UTC)
                .minusMonths(1)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMM"));
        expect(200, api.request("GET", "/api/v1/orgs/" + acme + "/archives/" + lastMonth + "/Apps", ann, ua));
        JsonNode events = api.get("/api/v1/orgs/" + acme + "/events?user=ann&product=Apps&limit=100", ann)
                .json()
                .get("events");
        Map<String, JsonNode> byEvent = new HashMap<>();
        events.forEach(e -> {
            if (e.get("user_agent").asText().startsWith("Mozilla/5.0 (X11; Linux x86_64) AAA")) {
                byEvent.putIfAbsent(e.get("event").asText(), e);
            }
        });
        for (String event : List.of(
                "Grant the Audit Log Admin privilege",
                "Revoke the Audit Log Admin privilege",
                "Search audit logs",
                "Download audit logs")) {
            JsonNode e = byEvent.get(event);
            assertTrue(event + " is recorded: " + byEvent.keySet(), e != null);
            String recorded = e.get("user_agent").asText();
            assertEquals(512, recorded.length());
            assertTrue(recorded, recorded.endsWith("\u2026(shortened from " + agent.length() + ")"));
            assertEquals("ann", e.get("operation_user_id").asText());
        }
    }

    @Test
    public void oneOrganizationNeverReachesAnother() throws Exception {
        expect(
                201,
                api.post(
                        "/api/v1/admin/orgs",
                        operator,
                        "application/json",
                        "{\"spaceKey\":\"" + other + "\",\"name\":\"Other\",\"licenseCount\":3}"));
        addMember(other, "olga", "admin");
        plan(other, "{\"state\":\"trial\",\"planAdmin\":\"olga\"}", 200);
        String olga = memberToken(other, "olga");
        String apps = api.ingestToken(operator, "Apps", null);
        String ingestForAcme = api.ingestToken(operator, "Apps", acme);
        List<String[]> endpoints = List.of(
                new String[] {"GET", ""},
                new String[] {"GET", "/events"},
                new String[] {"GET", "/audit-admins"},
                new String[] {"PUT", "/audit-admins/olga"},
                new String[] {"DELETE", "/audit-admins/ann"});
        List<String> answers = new ArrayList<>();
        for (String[] e : endpoints) {
            for (String org : List.of(acme, "NOPE")) {
                String path = "/api/v1/orgs/" + org + e[1];
                Api.Reply foreign = call(e[0], path, olga);
                assertEquals(e[0] + " " + path + " " + foreign, 404, foreign.status());
                answers.add(foreign.body());
                assertEquals(
                        e[0] + " " + path, 404, call(e[0], path, ingestForAcme).status());
                assertEquals(
                        e[0] + " " + path,
                        401,
                        call(e[0], path, "alt_0123456789abcdef_forged").status());
                assertEquals(e[0] + " " + path, 401, call(e[0], path, null).status());
            }
        }
        assertEquals(
                "an existing and a missing organization answer alike",
                1,
                answers.stream().distinct().count());
        // a revoked member token stops at once
        String ann = memberToken(acme, "ann");
        expect(200, api.get("/api/v1/orgs/" + acme + "/events", ann));
        for (JsonNode t : api.get("/api/v1/admin/tokens", operator).json().get("tokens")) {
            if ("ann".equals(t.get("userId").asText(null))) {
                expect(204, api.delete("/api/v1/admin/tokens/" + t.get("id").asText(), operator));
            }
        }
        assertEquals(401, api.get("/api/v1/orgs/" + acme + "/events", ann).status());
        assertEquals(
                201,
                api.post(
                                "/api/v1/products/Apps/events",
                                apps,
                                "application/json",
                                Api.json(Api.record(other, "2026-11-01T00:00:00Z", "olga's", "Olga")))
                        .status());
        JsonNode acmeEvents = api.get("/api/v1/orgs/" + acme + "/events?limit=1000", token("ann"))
                .json()
                .get("events");
        acmeEvents.forEach(e -> assertEquals(acme, e.get("space_key").asText()));
    }

    /** A clock tests move, registered above the system clock while a test needs it. */
    static final class MovableClock extends java.time.Clock {
        volatile java.time.Instant now = java.time.Instant.now();

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    public void timeEndsGracePeriodsAndMemberTokens() throws Exception {
        MovableClock clock = new MovableClock();
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put(org.osgi.framework.Constants.SERVICE_RANKING, 1000);
        org.osgi.framework.ServiceRegistration<java.time.Clock> registration =
                context.registerService(java.time.Clock.class, clock, props);
        try {
            String ann = memberToken(acme, "ann"); // valid 30 days by default
            Api.Reply shortLived = expect(
                    201,
                    api.post(
                            "/api/v1/admin/tokens",
                            operator,
                            "application/json",
                            "{\"kind\":\"member\",\"spaceKey\":\"" + acme + "\",\"userId\":\"ann\",\"ttlHours\":1}"));
            String hour = shortLived.json().get("token").asText();
            expect(200, api.get("/api/v1/orgs/" + acme + "/events", hour));
            plan(acme, "{\"state\":\"paid\"}", 200);
            plan(acme, "{\"state\":\"overdue\"}", 200);

            clock.now = clock.now.plus(Duration.ofMinutes(61));
            refused(401, "unauthorized", api.get("/api/v1/orgs/" + acme + "/events", hour));
            JsonNode org = expect(200, api.get("/api/v1/orgs/" + acme, ann)).json();
            assertEquals("overdue", org.get("plan").get("state").asText());
            assertEquals(
                    "plan_overdue", org.get("allows").get("export").get("rule").asText());

            clock.now = clock.now.plus(Duration.ofDays(14));
            org = expect(200, api.get("/api/v1/admin/orgs/" + acme, operator)).json();
            assertEquals(
                    "the grace ran out",
                    "terminated",
                    org.get("plan").get("state").asText());
            refused(403, "plan_ended", api.get("/api/v1/orgs/" + acme + "/events", ann));
        } finally {
            registration.unregister();
        }
    }

    /**
     * Every role in every plan state, over HTTP: reading events (needs the privilege and a plan that is not
     * ended or never started), what the organization page says about export, and whether events are recorded.
     */
    @Test
    public void everyRoleInEveryPlanState() throws Exception {
        String apps = api.ingestToken(operator, "Apps", null);
        Map<String, String[]> paths = new java.util.LinkedHashMap<>();
        paths.put("not_activated", new String[] {});
        paths.put("trial", new String[] {"trial"});
        paths.put("paid", new String[] {"paid"});
        paths.put("paid_over_license", new String[] {"paid", "+license"});
        paths.put("overdue", new String[] {"paid", "overdue"});
        paths.put("terminated", new String[] {"paid", "overdue", "terminated"});
        paths.put("trial_expired", new String[] {"trial", "trial_expired"});
        paths.put("canceled", new String[] {"paid", "canceled"});
        // role -> holds the privilege while the plan runs
        String[][] people = {
            {"ann", "admin", "holder"},
            {"bob", "admin", "-"},
            {"carl", "member", "holder"},
            {"dora", "member", "-"},
            {"gina", "guest", "-"}
        };
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, String[]> p : paths.entrySet()) {
            String org = "M" + RUN.get() + "X" + n++;
            expect(
                    201,
                    api.post(
                            "/api/v1/admin/orgs",
                            operator,
                            "application/json",
                            "{\"spaceKey\":\"" + org + "\",\"name\":\"Matrix\",\"licenseCount\":4}"));
            for (String[] person : people) {
                addMember(org, person[0], person[1]);
            }
            boolean started = false;
            for (String step : p.getValue()) {
                if (step.equals("+license")) {
                    addMember(org, "extra", "member"); // 5 admins and members on a licence for 4
                    continue;
                }
                plan(
                        org,
                        started ? "{\"state\":\"" + step + "\"}" : "{\"state\":\"" + step + "\",\"planAdmin\":\"ann\"}",
                        200);
                if (!started) {
                    expect(200, api.put("/api/v1/orgs/" + org + "/audit-admins/carl", memberToken(org, "ann"), ""));
                    started = true;
                }
            }
            String state = p.getKey();
            boolean records =
                    List.of("trial", "paid", "paid_over_license", "overdue").contains(state);
            Api.Reply ingest = api.post(
                    "/api/v1/products/Apps/events",
                    apps,
                    "application/json",
                    Api.json(Api.record(org, "2026-11-01T00:00:00Z", "x", "Ann")));
            check(failures, state + " recording", records ? 201 : 409, ingest.status());
            for (String[] person : people) {
                String token = memberToken(org, person[0]);
                boolean holder = person[2].equals("holder") && records;
                // any member, guests included, is first told the plan state when no plan runs
                String expectedUse = holder
                        ? null
                        : state.equals("not_activated")
                                ? "plan_not_activated"
                                : !records ? "plan_ended" : "not_audit_log_admin";
                String expectedExport = expectedUse != null
                        ? expectedUse
                        : state.equals("overdue")
                                ? "plan_overdue"
                                : state.equals("paid_over_license") ? "license_exceeded" : null;
                Api.Reply events = api.get("/api/v1/orgs/" + org + "/events", token);
                check(failures, state + " " + person[0] + " events", expectedUse == null ? 200 : 403, events.status());
                if (expectedUse != null && events.status() == 403) {
                    check(
                            failures,
                            state + " " + person[0] + " events rule",
                            expectedUse,
                            events.json().get("error").asText());
                }
                Api.Reply admins = api.get("/api/v1/orgs/" + org + "/audit-admins", token);
                check(
                        failures,
                        state + " " + person[0] + " audit-admins",
                        expectedUse == null ? 200 : 403,
                        admins.status());
                JsonNode export = api.get("/api/v1/orgs/" + org, token)
                        .json()
                        .get("allows")
                        .get("export");
                check(
                        failures,
                        state + " " + person[0] + " export",
                        expectedExport,
                        export.get("allowed").asBoolean()
                                ? null
                                : export.get("rule").asText());
            }
        }
        assertEquals("answers that differ from docs/rules.md section 4", List.of(), failures);
    }

    @Test
    public void tokensOfMembersWhoAreGoneAndOfADeletedOrganizationStopWorking() throws Exception {
        String carl = token("carl");
        String gina = token("gina");
        String ann = token("ann");
        String ingest = api.ingestToken(operator, "Apps", acme);
        expect(200, api.get("/api/v1/orgs/" + acme, carl));

        // removed through the API: the member's tokens are revoked
        expect(204, api.delete("/api/v1/admin/orgs/" + acme + "/members/carl", operator));
        refused(401, "unauthorized", api.get("/api/v1/orgs/" + acme, carl));
        for (JsonNode t : api.get("/api/v1/admin/tokens", operator).json().get("tokens")) {
            assertTrue(
                    "carl's token is revoked: " + t,
                    !(acme.equals(t.path("spaceKey").asText())
                            && "carl".equals(t.path("userId").asText())));
        }

        // a token that was not revoked (issued before tokens were revoked with their member): still refused
        organizations.removeMember(acme, "gina", Actor.system());
        Api.Reply gone = api.get("/api/v1/orgs/" + acme, gina);
        refused(401, "unauthorized", gone);
        assertTrue(gone.toString(), gone.json().get("detail").asText().contains("no longer in the organization"));
        refused(401, "unauthorized", api.get("/api/v1/orgs/" + acme + "/events", gina));
        expect(200, api.get("/api/v1/orgs/" + acme, ann));

        // deleting the organization revokes all of its tokens, member and bound ingest tokens alike
        expect(
                201,
                api.post(
                        "/api/v1/products/Apps/events",
                        ingest,
                        "application/json",
                        Api.json(Api.record(acme, "2026-11-01T10:00:00Z", "before the deletion", "Ann"))));
        expect(204, api.delete("/api/v1/admin/orgs/" + acme, operator));
        refused(401, "unauthorized", api.get("/api/v1/orgs/" + acme, ann));
        refused(
                401,
                "unauthorized",
                api.post(
                        "/api/v1/products/Apps/events",
                        ingest,
                        "application/json",
                        Api.json(Api.record(acme, "2026-11-01T10:00:00Z", "after the deletion", "Ann"))));
        for (JsonNode t : api.get("/api/v1/admin/tokens", operator).json().get("tokens")) {
            assertTrue(
                    "no token of the deleted organization is left: " + t,
                    !acme.equals(t.path("spaceKey").asText()));
        }
    }

    private static void check(List<String> failures, String what, Object expected, Object actual) {
        if (!java.util.Objects.equals(expected, actual)) {
            failures.add(what + ": expected " + expected + ", got " + actual);
        }
    }

    private void assertState(String state, boolean recording, String user, int eventsStatus, String exportRule)
            throws Exception {
        JsonNode org = api.get("/api/v1/orgs/" + acme, token(user)).json();
        assertEquals(state, org.get("plan").get("state").asText());
        assertEquals(
                state + " recording",
                recording,
                org.get("allows").get("recording").get("allowed").asBoolean());
        Api.Reply events = api.get("/api/v1/orgs/" + acme + "/events", token(user));
        assertEquals(state + " " + user + " events " + events, eventsStatus, events.status());
        JsonNode export = org.get("allows").get("export");
        if (eventsStatus == 200 && exportRule == null) {
            assertTrue(
                    state + " " + user + " export " + export,
                    export.get("allowed").asBoolean());
        } else {
            String rule =
                    exportRule != null ? exportRule : events.json().get("error").asText();
            assertEquals(
                    state + " " + user + " export " + export,
                    rule,
                    export.get("rule").asText());
            assertTrue(export.get("detail").asText().length() > 10);
        }
    }

    private void assertRecording(String apps, int status, String rule) throws Exception {
        Api.Reply r = api.post(
                "/api/v1/products/Apps/events",
                apps,
                "application/json",
                Api.json(Api.record(acme, "2026-11-01T00:00:00Z", "x", "Ann")));
        assertEquals(r.toString(), status, r.status());
        if (rule != null) {
            assertEquals(rule, r.json().get("error").asText());
        }
    }

    private List<String> auditAdmins(String asUser) throws Exception {
        List<String> out = new ArrayList<>();
        Api.Reply r = expect(200, api.get("/api/v1/orgs/" + acme + "/audit-admins", token(asUser)));
        r.json().get("auditAdmins").forEach(m -> out.add(m.get("userId").asText()));
        out.sort(null);
        return out;
    }

    private void addMember(String org, String userId, String role) throws Exception {
        String name = Character.toUpperCase(userId.charAt(0)) + userId.substring(1);
        expect(
                201,
                api.post(
                        "/api/v1/admin/orgs/" + org + "/members",
                        operator,
                        "application/json",
                        "{\"userId\":\"" + userId + "\",\"name\":\"" + name + "\",\"email\":\"" + userId + "@"
                                + org.toLowerCase() + ".example\",\"role\":\"" + role + "\"}"));
    }

    private void plan(String org, String body, int status) throws Exception {
        expect(status, api.put("/api/v1/admin/orgs/" + org + "/plan", operator, body));
    }

    private String token(String user) throws Exception {
        return tokens.computeIfAbsent(user, u -> {
            try {
                return memberToken(acme, u);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private String memberToken(String org, String user) throws Exception {
        Api.Reply r = expect(
                201,
                api.post(
                        "/api/v1/admin/tokens",
                        operator,
                        "application/json",
                        "{\"kind\":\"member\",\"spaceKey\":\"" + org + "\",\"userId\":\"" + user + "\"}"));
        return r.json().get("token").asText();
    }

    private Api.Reply call(String method, String path, String token) throws Exception {
        Api client = token == null ? api.deliberatelyInvalid() : api; // no credentials: refused on purpose
        return switch (method) {
            case "GET" -> client.get(path, token);
            case "PUT" -> client.put(path, token, "");
            default -> client.delete(path, token);
        };
    }

    private static Api.Reply expect(int status, Api.Reply r) {
        assertEquals(r.toString(), status, r.status());
        return r;
    }

    private static void refused(int status, String error, Api.Reply r) {
        assertEquals(r.toString(), status, r.status());
        assertEquals(r.toString(), error, r.json().get("error").asText());
        assertTrue(r.toString(), r.json().get("detail").asText().length() > 10);
    }
}
