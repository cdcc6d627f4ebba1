package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PolicyException;
import org.junit.jupiter.api.Test;

/** What a member sees of their organization under {@code /api/v1/orgs/{spaceKey}}. */
class OrgResourceTest {
    final FakeOrgs orgs = new FakeOrgs();
    final FakePolicy policy = new FakePolicy();
    final OrgResource resource = new OrgResource(orgs, policy);

    static FakeRequest as(Caller caller) {
        return FakeRequest.get("v1/orgs/ACME").caller(caller).header("User-Agent", "Browser/3");
    }

    @Test
    void aMemberSeesThePlanWhatItAllowsThemAndThemselves() {
        policy.export = Decision.refused("plan_overdue", "the plan is overdue since 2026-11-10");
        Answer a = Answer.of(() -> resource.get("ACME", as(Fixtures.member(Fixtures.ANN_TOKEN))));
        assertEquals(200, a.status());
        JsonNode b = a.json();
        assertEquals(
                List.of("spaceKey", "name", "licenseCount", "plan", "created", "you", "allows"),
                EventsResourceTest.names(b));
        JsonNode allows = b.get("allows");
        assertEquals(List.of("recording", "auditLog", "export"), EventsResourceTest.names(allows));
        assertEquals(List.of("allowed", "rule", "detail"), EventsResourceTest.names(allows.get("recording")));
        assertTrue(allows.get("recording").get("allowed").asBoolean());
        assertTrue(allows.get("recording").get("rule").isNull());
        assertTrue(allows.get("auditLog").get("allowed").asBoolean());
        assertFalse(allows.get("export").get("allowed").asBoolean());
        assertEquals("plan_overdue", allows.get("export").get("rule").asText());
        assertEquals(
                "the plan is overdue since 2026-11-10",
                allows.get("export").get("detail").asText());
        assertEquals("u1", b.get("you").get("userId").asText());
        assertTrue(b.get("you").get("auditLogAdmin").asBoolean());
        assertEquals(List.of("mayRecord ACME", "mayUse ACME u1", "mayExport ACME u1"), policy.asked);
    }

    @Test
    void aMemberWithoutThePrivilegeMaySeeThePlanAndWhy() {
        policy.use = Decision.refused("not_audit_log_admin", "Bob does not hold the privilege");
        policy.export = policy.use;
        JsonNode b = Answer.of(() -> resource.get("ACME", as(Fixtures.member(Fixtures.BOB_TOKEN))))
                .json();
        assertEquals(
                "not_audit_log_admin",
                b.get("allows").get("auditLog").get("rule").asText());
        assertFalse(b.get("you").get("auditLogAdmin").asBoolean());
    }

    @Test
    void theOperatorSeesOnlyWhetherTheOrganizationRecords() {
        policy.record = Decision.refused("plan_ended", "the trial expired");
        JsonNode b =
                Answer.of(() -> resource.get("ACME", as(Fixtures.operator()))).json();
        assertFalse(b.has("you"));
        assertEquals(List.of("recording"), EventsResourceTest.names(b.get("allows")));
        assertEquals("plan_ended", b.get("allows").get("recording").get("rule").asText());
    }

    @Test
    void theHoldersAndTheMembersNeedThePrivilege() {
        Answer holders = Answer.of(() -> resource.auditAdmins("ACME", as(Fixtures.member(Fixtures.ANN_TOKEN))));
        assertEquals(200, holders.status());
        JsonNode list = holders.json().get("auditAdmins");
        assertEquals(1, list.size());
        assertEquals("u1", list.get(0).get("userId").asText());
        assertTrue(list.get(0).get("auditLogAdmin").asBoolean());

        JsonNode members = Answer.of(() -> resource.members("ACME", as(Fixtures.member(Fixtures.ANN_TOKEN))))
                .json()
                .get("members");
        assertEquals(2, members.size());
        assertEquals("u2", members.get(1).get("userId").asText());
        assertFalse(members.get(1).get("auditLogAdmin").asBoolean());

        policy.use = Decision.refused("not_audit_log_admin", "Bob does not hold the privilege");
        Answer.of(() -> resource.auditAdmins("ACME", as(Fixtures.member(Fixtures.BOB_TOKEN))))
                .assertError(403, "not_audit_log_admin", null, "Bob does not hold the privilege");
        Answer.of(() -> resource.members("ACME", as(Fixtures.member(Fixtures.BOB_TOKEN))))
                .assertError(403, "not_audit_log_admin", null, "Bob does not hold the privilege");
    }

    @Test
    void aRefusalForAMissingOrganizationIsThe404OfAnyOrganizationOutOfReach() {
        policy.use = Decision.refused("no_such_organization", "there is no organization ACME");
        Answer.of(() -> resource.members("ACME", as(Fixtures.member(Fixtures.ANN_TOKEN))))
                .assertError(404, "not_found", null, "no such organization");
    }

    @Test
    void grantingIsDoneByTheMemberWithTheirAddressAndAnswersTheHolders() {
        Answer a = Answer.of(() -> resource.grant(
                "ACME", "u2", as(Fixtures.member(Fixtures.ANN_TOKEN)), FakeHttp.request("[2001:db8::7]", false)));
        assertEquals(200, a.status());
        assertEquals(List.of("grant ACME u2"), orgs.changes);
        assertEquals(new Actor("u1", "Ann", "ann@acme.example", "2001:db8::7", "Browser/3"), orgs.actors.get(0));
        JsonNode holders = a.json().get("auditAdmins");
        assertEquals(2, holders.size());
        assertEquals("u2", holders.get(1).get("userId").asText());
    }

    @Test
    void revokingAnswersTheHoldersLeft() {
        orgs.grant("ACME", "u2", Actor.system());
        Answer a = Answer.of(() -> resource.revoke(
                "ACME", "u2", as(Fixtures.member(Fixtures.ANN_TOKEN)), FakeHttp.request("203.0.113.5", false)));
        assertEquals(200, a.status());
        assertEquals(1, a.json().get("auditAdmins").size());
    }

    @Test
    void theOperatorChangesThePrivilegeAsSupportWhenTheRequestSaysSo() {
        FakeRequest r = as(Fixtures.operator()).header("X-Auditlog-Support", "TRUE");
        Answer.of(() -> resource.grant("ACME", "u2", r, FakeHttp.request("203.0.113.5", false)));
        assertEquals(Actor.support(), orgs.actors.get(0));
    }

    @Test
    void theLastAdminsPrivilegeCannotBeRevoked() {
        orgs.refusal = new PolicyException(
                PolicyException.Kind.CONFLICT,
                "last_admin_holder",
                "userId",
                "u1 is the last admin holding the privilege");
        Answer.of(() -> resource.revoke(
                        "ACME", "u1", as(Fixtures.member(Fixtures.ANN_TOKEN)), FakeHttp.request("203.0.113.5", false)))
                .assertError(409, "last_admin_holder", "userId", "u1 is the last admin holding the privilege");
    }

    @Test
    void aTokenWhoseUserLeftBetweenTheFilterAndTheChangeIsRefused() {
        OrganizationSnapshot s = orgs.orgs.get("ACME");
        orgs.orgs.put("ACME", new OrganizationSnapshot(s.organization(), List.of(Fixtures.BOB), s.grants()));
        Answer.of(() -> resource.grant(
                        "ACME", "u2", as(Fixtures.member(Fixtures.ANN_TOKEN)), FakeHttp.request("203.0.113.5", false)))
                .assertError(403, "not_a_member", null, "the token's user is no longer a member of this organization");
        assertEquals(List.of(), orgs.changes);
    }
}
