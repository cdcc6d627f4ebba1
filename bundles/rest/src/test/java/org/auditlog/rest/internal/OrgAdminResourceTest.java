package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.PolicyException;
import org.junit.jupiter.api.Test;

/** The operator's (billing system's) organization endpoints under {@code /api/v1/admin/orgs}. */
class OrgAdminResourceTest {
    final FakeOrgs orgs = new FakeOrgs();
    final FakeTokens tokens = new FakeTokens();
    final OrgAdminResource resource = new OrgAdminResource(orgs, tokens);

    static FakeRequest operator(String method, String path) {
        return new FakeRequest(method, path).caller(Fixtures.operator());
    }

    static FakeRequest support(String method, String path) {
        return operator(method, path).header("X-Auditlog-Support", "true");
    }

    Answer create(String body) {
        return Answer.of(
                () -> resource.create(body, operator("POST", "v1/admin/orgs"), FakeHttp.request("203.0.113.5", false)));
    }

    Answer addMember(String body) {
        return Answer.of(() -> resource.addMember(
                "ACME", body, operator("POST", "v1/admin/orgs/ACME/members"), FakeHttp.request("203.0.113.5", false)));
    }

    Answer plan(String body) {
        return Answer.of(() -> resource.plan(
                "ACME", body, operator("PUT", "v1/admin/orgs/ACME/plan"), FakeHttp.request("203.0.113.5", false)));
    }

    @Test
    void anOrganizationIsCreated201AndShownWithItsPlan() {
        Answer a = create("{\"spaceKey\":\"NEW\",\"name\":\"New Co\",\"licenseCount\":10}");
        assertEquals(201, a.status());
        JsonNode b = a.json();
        assertEquals(List.of("spaceKey", "name", "licenseCount", "plan", "created"), EventsResourceTest.names(b));
        assertEquals("NEW", b.get("spaceKey").asText());
        assertEquals("New Co", b.get("name").asText());
        assertEquals(10, b.get("licenseCount").asInt());
        JsonNode plan = b.get("plan");
        assertEquals(List.of("state", "planAdmin", "started", "ended", "graceEnds"), EventsResourceTest.names(plan));
        assertEquals("not_activated", plan.get("state").asText());
        assertTrue(plan.get("planAdmin").isNull());
        assertTrue(plan.get("started").isNull());
        assertEquals("2026-11-20T10:00:00.000Z", b.get("created").asText());
        assertEquals(List.of("create NEW New Co 10"), orgs.changes);
        assertEquals(Actor.system(), orgs.actors.get(0), "the operator acts as the system");
    }

    @Test
    void everyFieldOfACreationIsRequired() {
        create("{\"name\":\"New Co\",\"licenseCount\":10}")
                .assertError(400, "invalid_field", "spaceKey", "is required");
        create("{\"spaceKey\":\"NEW\",\"licenseCount\":10}").assertError(400, "invalid_field", "name", "is required");
        create("{\"spaceKey\":\"NEW\",\"name\":\"New Co\"}")
                .assertError(400, "invalid_field", "licenseCount", "is required");
        create("{\"spaceKey\":\"NEW\",\"name\":\"New Co\",\"licenseCount\":\"10\"}")
                .assertError(400, "invalid_field", "licenseCount", "must be a whole number");
        create("{\"spaceKey\":\"NEW\",\"name\":\"New Co\",\"licenseCount\":10,\"plan\":\"trial\"}")
                .assertError(400, "invalid_field", "plan", "unknown field; expected spaceKey, name, licenseCount");
        assertEquals(List.of(), orgs.changes);
    }

    @Test
    void theServicesRefusalsAreAnsweredWithTheirRule() {
        orgs.refusal = new PolicyException(
                PolicyException.Kind.CONFLICT, "organization_exists", "spaceKey", "ACME exists already");
        create("{\"spaceKey\":\"ACME\",\"name\":\"Acme\",\"licenseCount\":10}")
                .assertError(409, "organization_exists", "spaceKey", "ACME exists already");
        orgs.refusal =
                new PolicyException(PolicyException.Kind.INVALID, "invalid_field", "licenseCount", "must be 1 or more");
        create("{\"spaceKey\":\"NEW\",\"name\":\"New\",\"licenseCount\":0}")
                .assertError(400, "invalid_field", "licenseCount", "must be 1 or more");
    }

    @Test
    void theSupportHeaderMakesTheSupportTeamTheActor() {
        Answer a = Answer.of(() -> resource.create(
                "{\"spaceKey\":\"NEW\",\"name\":\"New\",\"licenseCount\":1}",
                support("POST", "v1/admin/orgs"),
                FakeHttp.request("203.0.113.5", false)));
        assertEquals(201, a.status());
        assertEquals(Actor.support(), orgs.actors.get(0));
        FakeRequest notTrue = operator("DELETE", "v1/admin/orgs/ACME").header("X-Auditlog-Support", "yes");
        Answer.of(() -> resource.delete("ACME", notTrue, FakeHttp.request("203.0.113.5", false)));
        assertEquals(Actor.system(), orgs.actors.get(1), "only 'true' says support");
    }

    @Test
    void anOrganizationIsShownWithItsMembersAndPrivilegeHistory() {
        Answer a = Answer.of(() -> resource.get("ACME"));
        assertEquals(200, a.status());
        JsonNode b = a.json();
        assertEquals(
                List.of(
                        "spaceKey",
                        "name",
                        "licenseCount",
                        "plan",
                        "created",
                        "userCount",
                        "members",
                        "privilegeHistory"),
                EventsResourceTest.names(b));
        assertEquals("trial", b.get("plan").get("state").asText());
        assertEquals("u1", b.get("plan").get("planAdmin").asText());
        assertEquals(2, b.get("userCount").asInt());
        JsonNode ann = b.get("members").get(0);
        assertEquals(List.of("userId", "name", "email", "role", "auditLogAdmin"), EventsResourceTest.names(ann));
        assertTrue(ann.get("auditLogAdmin").asBoolean());
        assertEquals("admin", ann.get("role").asText());
        assertTrue(!b.get("members").get(1).get("auditLogAdmin").asBoolean(), "Bob does not hold it");
        JsonNode grant = b.get("privilegeHistory").get(0);
        assertEquals(
                List.of("userId", "grantedBy", "granted", "revokedBy", "revoked", "reason"),
                EventsResourceTest.names(grant));
        assertTrue(grant.get("revoked").isNull());
        assertEquals("2026-10-01T08:00:00.000Z", grant.get("granted").asText());
    }

    @Test
    void aMissingOrganizationIs404() {
        Answer.of(() -> resource.get("NOPE"))
                .assertError(404, "no_such_organization", null, "there is no organization NOPE");
    }

    @Test
    void anUpdateChangesOnlyNameAndLicenseCount() {
        Answer a = Answer.of(() -> resource.update(
                "ACME",
                "{\"licenseCount\":25}",
                operator("PATCH", "v1/admin/orgs/ACME"),
                FakeHttp.request("203.0.113.5", false)));
        assertEquals(200, a.status());
        assertEquals(25, a.json().get("licenseCount").asInt());
        assertEquals("Acme", a.json().get("name").asText());
        assertEquals(List.of("update ACME null 25"), orgs.changes);
        Answer.of(() -> resource.update(
                        "ACME",
                        "{\"spaceKey\":\"ACME2\"}",
                        operator("PATCH", "v1/admin/orgs/ACME"),
                        FakeHttp.request("203.0.113.5", false)))
                .assertError(400, "invalid_field", "spaceKey", "unknown field; expected name, licenseCount");
    }

    @Test
    void deletingAnOrganizationRevokesAllItsTokens() {
        Answer a = Answer.of(() -> resource.delete(
                "ACME", operator("DELETE", "v1/admin/orgs/ACME"), FakeHttp.request("203.0.113.5", false)));
        assertEquals(204, a.status());
        assertEquals(List.of("ACME null"), tokens.revokedAll);
        assertTrue(tokens.verify("alt_t-ann_secret").isEmpty());
        assertTrue(tokens.verify("alt_t-ap_secret").isEmpty(), "the ingest token bound to it too");
        assertTrue(tokens.verify("alt_t-bl_secret").isPresent(), "an unbound ingest token stays");
    }

    @Test
    void aMemberIsAdded201WithoutThePrivilege() {
        Answer a = addMember("{\"userId\":\"u3\",\"name\":\"Cy\",\"email\":\"cy@acme.example\",\"role\":\"guest\"}");
        assertEquals(201, a.status());
        JsonNode b = a.json();
        assertEquals("u3", b.get("userId").asText());
        assertEquals("guest", b.get("role").asText());
        assertTrue(!b.get("auditLogAdmin").asBoolean());
    }

    @Test
    void aMembersFieldsAreRequiredAndTheRoleIsOneOfThree() {
        addMember("{\"userId\":\"u3\",\"name\":\"Cy\",\"role\":\"member\"}")
                .assertError(400, "invalid_field", "email", "is required");
        addMember("{\"userId\":\"u3\",\"name\":\"Cy\",\"email\":\"cy@acme.example\",\"role\":\"owner\"}")
                .assertError(400, "invalid_field", "role", "must be admin, member or guest");
        addMember("{\"userId\":\"u3\",\"name\":\"Cy\",\"email\":\"cy@acme.example\",\"role\":\"Admin\"}")
                .assertError(400, "invalid_field", "role", "must be admin, member or guest");
        addMember("{\"userId\":\"u3\",\"name\":\"Cy\",\"email\":\"c@a\",\"role\":\"member\",\"team\":\"x\"}")
                .assertError(400, "invalid_field", "team", "unknown field; expected userId, name, email, role");
        assertEquals(List.of(), orgs.changes);
    }

    @Test
    void anUpdatedMemberSaysWhetherTheyHoldThePrivilege() {
        Answer a = Answer.of(() -> resource.updateMember(
                "ACME",
                "u1",
                "{\"name\":\"Ann B.\"}",
                operator("PATCH", "v1/admin/orgs/ACME/members/u1"),
                FakeHttp.request("203.0.113.5", false)));
        assertEquals(200, a.status());
        assertEquals("Ann B.", a.json().get("name").asText());
        assertTrue(a.json().get("auditLogAdmin").asBoolean());
        assertEquals(List.of("updateMember ACME u1 Ann B. null null"), orgs.changes);
        Answer.of(() -> resource.updateMember(
                        "ACME",
                        "u1",
                        "{\"role\":\"boss\"}",
                        operator("PATCH", "v1/admin/orgs/ACME/members/u1"),
                        FakeHttp.request("203.0.113.5", false)))
                .assertError(400, "invalid_field", "role", "must be admin, member or guest");
    }

    @Test
    void theLastAdminHolderCannotBeRemoved() {
        orgs.refusal = new PolicyException(
                PolicyException.Kind.CONFLICT,
                "last_admin_holder",
                "userId",
                "u1 is the last admin holding the Audit Log Admin privilege");
        Answer.of(() -> resource.removeMember(
                        "ACME",
                        "u1",
                        operator("DELETE", "v1/admin/orgs/ACME/members/u1"),
                        FakeHttp.request("203.0.113.5", false)))
                .assertError(
                        409,
                        "last_admin_holder",
                        "userId",
                        "u1 is the last admin holding the Audit Log Admin privilege");
        assertEquals(List.of(), tokens.revokedAll, "nothing is revoked when the removal is refused");
    }

    @Test
    void removingAMemberRevokesTheirTokens() {
        Answer a = Answer.of(() -> resource.removeMember(
                "ACME",
                "u2",
                operator("DELETE", "v1/admin/orgs/ACME/members/u2"),
                FakeHttp.request("203.0.113.5", false)));
        assertEquals(204, a.status());
        assertEquals(List.of("ACME u2"), tokens.revokedAll);
        assertTrue(tokens.verify("alt_t-bob_secret").isEmpty());
        assertTrue(tokens.verify("alt_t-ann_secret").isPresent());
    }

    @Test
    void thePlanStateIsOneOfTheSevenWireNames() {
        Answer a = plan("{\"state\":\"paid\",\"planAdmin\":\"u1\"}");
        assertEquals(200, a.status());
        assertEquals("paid", a.json().get("plan").get("state").asText());
        assertEquals(List.of("changePlan ACME PAID u1"), orgs.changes);
        assertEquals(200, plan("{\"state\":\"trial_expired\"}").status());
        String states = "must be one of not_activated, trial, paid, overdue, terminated, trial_expired, canceled";
        plan("{\"state\":\"active\"}").assertError(400, "invalid_field", "state", states);
        plan("{\"state\":\"PAID\"}").assertError(400, "invalid_field", "state", states);
        plan("{\"planAdmin\":\"u1\"}").assertError(400, "invalid_field", "state", "is required");
        plan("{\"state\":\"paid\",\"licenseCount\":3}")
                .assertError(400, "invalid_field", "licenseCount", "unknown field; expected state, planAdmin");
    }

    @Test
    void aPlanTransitionTheRulesRefuseIs409() {
        orgs.refusal = new PolicyException(
                PolicyException.Kind.CONFLICT, "plan_transition", "state", "a trial cannot go back to not_activated");
        plan("{\"state\":\"not_activated\"}")
                .assertError(409, "plan_transition", "state", "a trial cannot go back to not_activated");
    }
}
