package org.auditlog.product.apps.internal;

import static org.auditlog.testing.V1Fields.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.auditlog.api.adapter.Actors;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.testing.AdapterCase;
import org.auditlog.testing.AdapterRefusal;
import org.auditlog.testing.AdapterTable;
import org.auditlog.testing.V1Fields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AppsAdapterTest {
    private final AppsAdapter adapter = new AppsAdapter();
    private static final AdapterTable TABLE =
            new AdapterTable(new AppsAdapter(), "/envelope/", ".json", IngestContext.internal());

    static Map<String, Object> canonical() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("space_key", "ACME");
        m.put("date", "2026-11-01T18:30:00+09:00");
        m.put("category", "Member");
        m.put("event", "Invite a member");
        m.put("action", "bob@acme.example was invited");
        m.put("operation_user_id", "u1");
        m.put("operation_user_name", "Ann");
        m.put("operation_user_email", "ann@acme.example");
        return m;
    }

    @Test
    void readsACanonicalRecordAndConvertsItsDateToUtc() throws Exception {
        List<AuditRecord> out =
                adapter.translate(new NativePayload("application/json", canonical(), -1), IngestContext.internal());
        assertEquals(1, out.size());
        AuditRecord r = out.get(0);
        assertEquals("ACME", r.spaceKey());
        assertEquals("Apps", r.product());
        assertEquals(Instant.parse("2026-11-01T09:30:00Z"), r.date());
        assertEquals("Invite a member", r.event());
        assertEquals("Ann", r.operationUserName());
        assertEquals(0, r.id());
    }

    @Test
    void refusesWhatIsNotAV1Record() {
        Map<String, Object> badDate = canonical();
        badDate.put("date", "01/11/2026");
        assertRejected("date", badDate);
        Map<String, Object> typo = canonical();
        typo.put("catgory", "Member");
        assertRejected("catgory", typo);
        Map<String, Object> wrongType = canonical();
        wrongType.put("event", 42);
        assertRejected("event", wrongType);
        Map<String, Object> otherProduct = canonical();
        otherProduct.put("product", "Backlog");
        assertRejected("product", otherProduct);
        Map<String, Object> withId = canonical();
        withId.put("id", "1");
        assertRejected("id", withId);
        assertRejected(null, List.of(canonical()));
    }

    // ---- the Apps envelope ----

    /** Text of the fixtures that must never reach a record: messages, descriptions, payment and SSO secrets. */
    private static final List<String> NEVER_RECORDED = List.of(
            "SECRET-INVITE-NOTE",
            "PRIVATE-REMOVAL-NOTE",
            "TEAM-DESCRIPTION-TEXT",
            "4242",
            "PRIVATE-ADDRESS",
            "MIIC-PRIVATE-CERTIFICATE",
            "CONTRACT-NOTES-TEXT",
            "Welcome aboard");

    private static final String ANN = "u1";

    /** Each native example, as it is or changed, and the V1 fields of the record it becomes. */
    static Stream<AdapterCase> examples() {
        V1Fields teamUpdated = v1(
                "2026-11-06T10:00:00Z",
                "Team",
                "Update a team",
                "Team \"Design\" was renamed to \"Product design\"",
                ANN,
                "Ann Archer",
                "ann@acme.example");
        V1Fields sso = v1(
                "2026-11-09T07:45:00Z",
                "Security",
                "Update single sign-on settings",
                "Single sign-on was enabled",
                ANN,
                "Ann Archer",
                "ann@acme.example");
        V1Fields planEnded = v1(
                "2026-12-15T00:00:00Z",
                "Plan",
                "End a plan",
                "Paid plan \"Enterprise\" ended (terminated after an overdue payment)",
                null,
                "System user",
                null);
        return Stream.of(
                // on the web: the organization is named
                AdapterCase.of(
                        "member.invited",
                        v1(
                                        "2026-11-01T09:30:00Z",
                                        "Member",
                                        "Invite a member",
                                        "bob@acme.example was invited",
                                        ANN,
                                        "Ann Archer",
                                        "ann@acme.example")
                                .inSpace("ACME")),
                // through SCIM provisioning: no operator id or email
                AdapterCase.of(
                        "member.invited.scim",
                        v1(
                                "2026-11-02T08:15:42.123Z",
                                "Member",
                                "Invite a member",
                                "carol@acme.example was invited",
                                null,
                                "user provisioning",
                                null)),
                AdapterCase.of(
                        "member.joined",
                        v1(
                                "2026-11-01T10:02:11Z",
                                "Member",
                                "Join the organization",
                                "bob@acme.example joined the organization",
                                "u2",
                                "Bob Baker",
                                "bob@acme.example")),
                // numeric ids
                AdapterCase.of(
                        "member.removed",
                        v1(
                                "2026-11-03T00:00:00Z",
                                "Member",
                                "Remove a member",
                                "bob@acme.example was removed",
                                "1001",
                                "Ann Archer",
                                "ann@acme.example")),
                // through SCIM, without an actor
                AdapterCase.of(
                        "member.removed.scim",
                        v1(
                                "2026-11-04T00:00:05Z",
                                "Member",
                                "Remove a member",
                                "carol@acme.example was removed",
                                null,
                                "user provisioning",
                                null)),
                AdapterCase.of(
                        "member.role_changed",
                        v1(
                                "2026-11-05T13:20:00Z",
                                "Member",
                                "Change a member's role",
                                "Role of bob@acme.example was changed from member to admin",
                                ANN,
                                "Ann Archer",
                                "ann@acme.example")),
                AdapterCase.of(
                        "team.created",
                        v1(
                                "2026-11-06T09:00:00Z",
                                "Team",
                                "Add a team",
                                "Team \"Design\" was created",
                                ANN,
                                "Ann Archer",
                                "ann@acme.example")),
                AdapterCase.of("team.updated", teamUpdated),
                AdapterCase.changed(
                        "team.updated without a rename",
                        "team.updated",
                        e -> team(e).remove("previousName"),
                        teamUpdated.withAction("Team \"Product design\" was updated")),
                AdapterCase.of(
                        "team.deleted",
                        v1(
                                "2026-11-07T11:30:00Z",
                                "Team",
                                "Delete a team",
                                "Team \"Product design\" was deleted",
                                ANN,
                                "Ann Archer",
                                "ann@acme.example")),
                // carries no payment details
                AdapterCase.of(
                        "billing.payment_updated",
                        v1(
                                "2026-11-08T03:00:00Z",
                                "Billing",
                                "Update payment information",
                                "Payment information was updated",
                                ANN,
                                "Ann Archer",
                                "ann@acme.example")),
                AdapterCase.of(
                        "plan.started",
                        v1(
                                "2026-11-01T00:00:00Z",
                                "Plan",
                                "Start a plan",
                                "Trial plan started",
                                ANN,
                                "Ann Archer",
                                "ann@acme.example")),
                AdapterCase.of("plan.ended", planEnded),
                AdapterCase.changed(
                        "plan.ended, canceled",
                        "plan.ended",
                        e -> object(e, "plan").put("reason", "canceled"),
                        planEnded.withAction("Paid plan \"Enterprise\" ended (subscription canceled)")),
                AdapterCase.changed(
                        "plan.ended, a trial expired",
                        "plan.ended",
                        e -> {
                            object(e, "plan").put("state", "trial");
                            object(e, "plan").remove("name");
                            object(e, "plan").put("reason", "trial_expired");
                        },
                        planEnded.withAction("Trial plan ended (trial expired)")),
                AdapterCase.changed(
                        "plan.ended, a trial downgraded",
                        "plan.ended",
                        e -> {
                            object(e, "plan").put("state", "trial");
                            object(e, "plan").remove("name");
                            object(e, "plan").put("reason", "downgraded");
                        },
                        planEnded.withAction("Trial plan ended (downgraded)")),
                AdapterCase.of("sso.updated", sso),
                AdapterCase.changed(
                        "sso.updated, disabled",
                        "sso.updated",
                        e -> sso(e).put("enabled", false),
                        sso.withAction("Single sign-on was disabled")),
                AdapterCase.changed(
                        "sso.updated without sso",
                        "sso.updated",
                        e -> e.remove("sso"),
                        sso.withAction("Single sign-on settings were updated")),
                // by support: the actor is not named
                AdapterCase.of(
                        "domain.updated",
                        v1(
                                "2026-11-10T08:00:00Z",
                                "Security",
                                "Update domain settings",
                                "Domain settings of acme.example were updated",
                                null,
                                Actors.NULAB_SUPPORT,
                                null)),
                AdapterCase.of(
                        "privilege.granted",
                        v1(
                                "2026-11-11T09:00:00Z",
                                "Privilege",
                                "Grant the Audit Log Admin privilege",
                                "Audit Log Admin privilege was granted to bob@acme.example",
                                ANN,
                                "Ann Archer",
                                "ann@acme.example")),
                AdapterCase.of(
                        "privilege.revoked",
                        v1(
                                "2026-11-12T09:00:00Z",
                                "Privilege",
                                "Revoke the Audit Log Admin privilege",
                                "Audit Log Admin privilege was revoked from bob@acme.example",
                                ANN,
                                "Ann Archer",
                                "ann@acme.example")),
                // an unknown type is still recorded
                AdapterCase.of(
                        "unknown",
                        v1(
                                "2026-11-13T09:00:00Z",
                                "Other",
                                "Apps event contract.renewed",
                                "Apps event \"contract.renewed\" occurred",
                                ANN,
                                "Ann Archer",
                                "ann@acme.example")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void eachExampleBecomesItsV1Record(AdapterCase example) throws Exception {
        AuditRecord r = TABLE.assertRow(example).get(0);
        assertEquals(0, r.id(), "the server numbers records");
        assertNull(r.version(), "the server assigns the version");
    }

    @Test
    void theClientsAddressAndAgentComeFromAWebEventOnly() throws Exception {
        AuditRecord web = one("member.invited");
        assertEquals("203.0.113.5", web.ipAddress());
        assertEquals("Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", web.userAgent());
        AuditRecord scim = one("member.invited.scim");
        assertNull(scim.ipAddress());
        assertNull(scim.userAgent());
        assertEquals("Nulab Support", one("domain.updated").operationUserName());
    }

    @Test
    void supportAndSystemSourcesIgnoreTheActor() throws Exception {
        for (String[] c :
                new String[][] {{"support", "Nulab Support"}, {"system", "System user"}, {"scim", "user provisioning"}
                }) {
            Map<String, Object> e = fixture("member.role_changed");
            e.put("source", c[0]);
            AuditRecord r = translate(e);
            assertEquals(c[1], r.operationUserName(), c[0]);
            assertBlank(r.operationUserId());
            assertBlank(r.operationUserEmail());
            assertBlank(r.ipAddress());
            assertBlank(r.userAgent());
        }
        assertEquals(Actors.SYSTEM_USER, one("plan.ended").operationUserName());
    }

    @Test
    void sourceDefaultsToWeb() throws Exception {
        Map<String, Object> e = fixture("member.role_changed");
        assertFalse(e.containsKey("source"));
        assertEquals("Ann Archer", translate(e).operationUserName());
        e.put("source", null);
        assertEquals("Ann Archer", translate(e).operationUserName());
    }

    @Test
    void memberIsNamedByEmailElseNameElseId() throws Exception {
        Map<String, Object> e = fixture("member.removed");
        member(e).remove("email");
        assertEquals("Bob Baker was removed", translate(e).action());
        member(e).remove("name");
        assertEquals("1002 was removed", translate(e).action());
        member(e).remove("id");
        assertRejected("member.email", e);
    }

    @Test
    void longNamesAreCutWithAnEllipsis() throws Exception {
        Map<String, Object> e = fixture("team.created");
        team(e).put("name", "T".repeat(5000));
        AuditRecord r = translate(e);
        assertTrue(r.action().length() < 300, r.action());
        assertTrue(r.action().contains("T\u2026\""), r.action());
    }

    @Test
    void anUnknownTypeOfAnyLengthFitsTheEventColumn() throws Exception {
        Map<String, Object> e = fixture("unknown");
        e.put("type", "x".repeat(500));
        assertTrue(translate(e).event().length() <= 128);
    }

    @Test
    void catalogListsEveryEnvelopeEvent() throws Exception {
        Map<String, List<String>> catalog = adapter.catalog().eventsByCategory();
        assertEquals(
                List.of("Member", "Team", "Billing", "Plan", "Security", "Privilege"),
                new ArrayList<>(catalog.keySet()));
        Set<String> produced = new LinkedHashSet<>();
        for (String name : FIXTURES) {
            AuditRecord r = one(name);
            if (!"Other".equals(r.category())) {
                assertTrue(
                        catalog.getOrDefault(r.category(), List.of()).contains(r.event()),
                        r.category() + " / " + r.event());
                produced.add(r.event());
            }
        }
        List<String> all = new ArrayList<>();
        catalog.values().forEach(all::addAll);
        assertEquals(Set.copyOf(all), produced, "every catalog event has a fixture and nothing else is produced");
    }

    @Test
    void noFreeTextReachesARecord() throws Exception {
        for (String name : FIXTURES) {
            AuditRecord r = one(name);
            for (String field : new String[] {
                r.spaceKey(),
                r.category(),
                r.event(),
                r.action(),
                r.operationUserId(),
                r.operationUserName(),
                r.operationUserEmail(),
                r.ipAddress(),
                r.userAgent()
            }) {
                for (String secret : NEVER_RECORDED) {
                    assertFalse(field != null && field.contains(secret), name + ": " + field);
                }
            }
        }
    }

    /** Each event the adapter must refuse, and the field the refusal names. */
    static Stream<AdapterRefusal> refusals() {
        return Stream.of(
                // refusesAnEnvelopeItCannotRead
                AdapterRefusal.changed("noDate", "member.invited", e -> e.remove("occurredAt"), "occurredAt"),
                AdapterRefusal.changed(
                        "badDate", "member.invited", e -> e.put("occurredAt", "2026-11-01 18:30"), "occurredAt"),
                AdapterRefusal.changed(
                        "noOffset", "member.invited", e -> e.put("occurredAt", "2026-11-01T18:30:00"), "occurredAt"),
                AdapterRefusal.changed("badSource", "member.invited", e -> e.put("source", "api"), "source"),
                AdapterRefusal.changed("numericSource", "member.invited", e -> e.put("source", 1), "source"),
                AdapterRefusal.changed("noName", "member.invited", e -> actor(e).remove("name"), "actor.name"),
                AdapterRefusal.changed("noActor", "member.invited", e -> e.remove("actor"), "actor"),
                AdapterRefusal.changed("actorText", "member.invited", e -> e.put("actor", "Ann"), "actor"),
                AdapterRefusal.changed(
                        "badEmail",
                        "member.invited",
                        e -> actor(e).put("email", List.of("ann@acme.example")),
                        "actor.email"),
                AdapterRefusal.changed("badId", "member.invited", e -> actor(e).put("id", 1.5), "actor.id"),
                AdapterRefusal.changed("typeNumber", "member.invited", e -> e.put("type", 7), "type"),
                AdapterRefusal.changed("typeBlank", "member.invited", e -> e.put("type", " "), "type"),
                AdapterRefusal.changed("spaceKey", "member.invited", e -> e.put("spaceKey", 5), "spaceKey"),
                // refusesMissingOrWrongTypedItemFields
                AdapterRefusal.changed("noMember", "member.invited", e -> e.remove("member"), "member"),
                AdapterRefusal.changed(
                        "memberEmail", "member.invited", e -> member(e).put("email", 3), "member.email"),
                AdapterRefusal.changed(
                        "noRoleTo",
                        "member.role_changed",
                        e -> object(e, "role").remove("to"),
                        "role.to"),
                AdapterRefusal.changed("roleText", "member.role_changed", e -> e.put("role", "admin"), "role"),
                AdapterRefusal.changed("noTeamName", "team.created", e -> team(e).remove("name"), "team.name"),
                AdapterRefusal.changed("teamId", "team.created", e -> team(e).put("id", Map.of()), "team.id"),
                AdapterRefusal.changed(
                        "planState", "plan.started", e -> object(e, "plan").put("state", "free"), "plan.state"),
                AdapterRefusal.changed("noPlan", "plan.ended", e -> e.remove("plan"), "plan"),
                AdapterRefusal.changed("ssoFlag", "sso.updated", e -> sso(e).put("enabled", "yes"), "sso.enabled"),
                AdapterRefusal.changed(
                        "noDomain", "domain.updated", e -> object(e, "domain").remove("name"), "domain.name"),
                AdapterRefusal.changed(
                        "otherPrivilege", "privilege.granted", e -> e.put("privilege", "Billing Admin"), "privilege"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void eachRefusalNamesTheField(AdapterRefusal refusal) {
        TABLE.assertRefused(refusal);
    }

    @Test
    void anyWrongValueIsARejectionNeverACrash() throws Exception {
        List<Object> odd = new ArrayList<>();
        odd.add(null);
        odd.add(42);
        odd.add(4.2);
        odd.add(true);
        odd.add("");
        odd.add("x");
        odd.add(List.of("x"));
        odd.add(new LinkedHashMap<>(Map.of("k", "v")));
        for (String name : FIXTURES) {
            for (String field : fixture(name).keySet()) {
                for (Object value : odd) {
                    Map<String, Object> e = fixture(name);
                    e.put(field, value);
                    tryIt(name + "." + field + "=" + value, e);
                }
                if (fixture(name).get(field) instanceof Map<?, ?> nested) {
                    for (Object key : nested.keySet()) {
                        for (Object value : odd) {
                            Map<String, Object> e = fixture(name);
                            object(e, field).put(String.valueOf(key), value);
                            tryIt(name + "." + field + "." + key + "=" + value, e);
                        }
                    }
                }
            }
        }
    }

    private void tryIt(String what, Map<String, Object> e) {
        try {
            translate(e);
        } catch (PayloadRejectedException expected) {
            assertNotNull(expected.field(), what);
        } catch (RuntimeException unexpected) {
            throw new AssertionError(what, unexpected);
        }
    }

    @Test
    void canonicalRecordsStillNeedNoType() throws Exception {
        Map<String, Object> canonical = canonical();
        assertEquals("Member", translate(canonical).category());
        Map<String, Object> typed = canonical();
        typed.put("type", "member.invited");
        assertRejected("occurredAt", typed);
    }

    private void assertRejected(String field, Object json) {
        TABLE.assertRejected(field, json);
    }

    // ---- fixtures ----

    private static final List<String> FIXTURES = List.of(
            "member.invited",
            "member.invited.scim",
            "member.joined",
            "member.removed",
            "member.removed.scim",
            "member.role_changed",
            "team.created",
            "team.updated",
            "team.deleted",
            "billing.payment_updated",
            "plan.started",
            "plan.ended",
            "sso.updated",
            "domain.updated",
            "privilege.granted",
            "privilege.revoked",
            "unknown");

    private static Map<String, Object> fixture(String name) {
        return TABLE.example(name);
    }

    private AuditRecord translate(Object json) throws PayloadRejectedException {
        return TABLE.single(json);
    }

    private AuditRecord one(String fixture) throws Exception {
        return translate(fixture(fixture));
    }

    private static void assertBlank(String value) {
        assertTrue(value == null || value.isEmpty(), value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> e, String field) {
        return (Map<String, Object>) e.get(field);
    }

    private static Map<String, Object> actor(Map<String, Object> e) {
        return object(e, "actor");
    }

    private static Map<String, Object> member(Map<String, Object> e) {
        return object(e, "member");
    }

    private static Map<String, Object> team(Map<String, Object> e) {
        return object(e, "team");
    }

    private static Map<String, Object> sso(Map<String, Object> e) {
        return object(e, "sso");
    }
}
