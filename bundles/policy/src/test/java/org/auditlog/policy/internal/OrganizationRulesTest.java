package org.auditlog.policy.internal;

import static org.auditlog.policy.internal.Fixtures.ANN;
import static org.auditlog.policy.internal.Fixtures.BOB;
import static org.auditlog.policy.internal.Fixtures.KEY;
import static org.auditlog.policy.internal.Fixtures.T0;
import static org.auditlog.policy.internal.Fixtures.as;
import static org.auditlog.policy.internal.Fixtures.day;
import static org.auditlog.policy.internal.Fixtures.holders;
import static org.auditlog.policy.internal.Fixtures.lastGrant;
import static org.auditlog.policy.internal.Fixtures.recorded;
import static org.auditlog.policy.internal.Fixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PolicyException.Kind;
import org.auditlog.api.access.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OrganizationRulesTest {

    @Test
    void aNewOrganizationHasNoPlanYetAndRecordsNothing() {
        Outcome o = Rules.create(null, List.of(), KEY, "Acme", 10, T0);
        assertTrue(o.changed());
        assertEquals(List.of(), o.changes());
        assertEquals(
                new Organization(KEY, "Acme", 10, PlanState.NOT_ACTIVATED, null, null, null, null, T0, null, 0),
                o.snapshot().organization());
        assertEquals(List.of(), o.snapshot().members());
        assertEquals(List.of(), o.snapshot().grants());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"A", "acme", "a-b_c", "0rg", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"})
    void spaceKeysOfTheColumnPatternAreAccepted(String spaceKey) {
        assertEquals(
                spaceKey,
                Rules.create(null, List.of(), spaceKey, "Acme", 1, T0)
                        .snapshot()
                        .organization()
                        .spaceKey());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-ACME",
                "_ACME",
                "AC ME",
                "AC.ME",
                "ÄCME",
                "ACME/1",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-X"
            })
    void otherSpaceKeysAreInvalid(String spaceKey) {
        var e = refused(
                Kind.INVALID,
                "invalid_format",
                "spaceKey",
                () -> Rules.create(null, List.of(), spaceKey, "Acme", 1, T0));
        assertTrue(e.getMessage().contains("1 to 64 letters, digits, '_' or '-'"), e.getMessage());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" "})
    void theSpaceKeyIsRequired(String spaceKey) {
        refused(Kind.INVALID, "required", "spaceKey", () -> Rules.create(null, List.of(), spaceKey, "Acme", 1, T0));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void theNameIsRequired(String name) {
        refused(Kind.INVALID, "required", "name", () -> Rules.create(null, List.of(), KEY, name, 1, T0));
    }

    @Test
    void theNameHasAtMost255Characters() {
        assertEquals(
                255,
                Rules.create(null, List.of(), KEY, "n".repeat(255), 1, T0)
                        .snapshot()
                        .organization()
                        .name()
                        .length());
        var e = refused(
                Kind.INVALID, "too_long", "name", () -> Rules.create(null, List.of(), KEY, "n".repeat(256), 1, T0));
        assertEquals("The organization name may have at most 255 characters; it has 256.", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void theLicenseCountIsAtLeastOne(int licenseCount) {
        var e = refused(
                Kind.INVALID,
                "out_of_range",
                "licenseCount",
                () -> Rules.create(null, List.of(), KEY, "Acme", licenseCount, T0));
        assertEquals(
                "The license count must be a whole number of 1 or more; it was " + licenseCount + ".", e.getMessage());
        assertEquals(
                1,
                Rules.create(null, List.of(), KEY, "Acme", 1, T0)
                        .snapshot()
                        .organization()
                        .licenseCount());
    }

    @Test
    void aSpaceKeyInUseIsAConflict() {
        OrganizationSnapshot existing = Fixtures.trial();
        var e = refused(
                Kind.CONFLICT,
                "organization_exists",
                "spaceKey",
                () -> Rules.create(existing, List.of(), KEY, "Other", 5, day(1)));
        assertEquals("An organization with space key ACME already exists.", e.getMessage());
    }

    @Test
    void aSpaceKeyThatDiffersOnlyInCaseFromOneInUseIsAConflict() {
        OrganizationSnapshot existing = Fixtures.trial();
        var e = refused(
                Kind.CONFLICT,
                "space_key_case_conflict",
                "spaceKey",
                () -> Rules.create(null, List.of(existing), "acme", "Other", 5, day(1)));
        assertEquals(
                "The space key acme differs only in case from ACME, the key of an existing organization; keys "
                        + "that differ only in case are refused, since a case-insensitive file system would give them one "
                        + "export folder.",
                e.getMessage());
    }

    @Test
    void theSpaceKeyOfADeletedOrganizationIsTakenFor30DaysInAnyCase() {
        OrganizationSnapshot deleted = Rules.delete(Fixtures.trial(), day(1)).snapshot();
        Instant lastMoment = day(31).minusMillis(1);
        var e = refused(
                Kind.CONFLICT,
                "space_key_reserved",
                "spaceKey",
                () -> Rules.create(deleted, List.of(), KEY, "New", 5, lastMoment));
        assertEquals(
                "The space key ACME belongs to an organization deleted on 2026-03-03T09:00:00Z; it can be used"
                        + " again from 2026-04-02T09:00:00Z.",
                e.getMessage());
        refused(
                Kind.CONFLICT,
                "space_key_reserved",
                "spaceKey",
                () -> Rules.create(deleted, List.of(), KEY, "New", 5, day(2)));
        var other = refused(
                Kind.CONFLICT,
                "space_key_reserved",
                "spaceKey",
                () -> Rules.create(null, List.of(deleted), "Acme", "New", 5, lastMoment));
        assertEquals(
                "The space key Acme differs only in case from ACME, the key of an organization deleted on "
                        + "2026-03-03T09:00:00Z; it can be used again from 2026-04-02T09:00:00Z.",
                other.getMessage());
    }

    @Test
    void after30DaysTheKeyOfADeletedOrganizationStillStoredIsRefusedUntilItIsPurged() {
        OrganizationSnapshot deleted = Rules.delete(Fixtures.trial(), day(1)).snapshot();
        var e = refused(
                Kind.CONFLICT,
                "space_key_being_purged",
                "spaceKey",
                () -> Rules.create(deleted, List.of(), KEY, "New", 5, day(31)));
        assertEquals(
                "The space key ACME is still held by organization ACME, deleted on 2026-03-03T09:00:00Z: it is "
                        + "free once that organization's data is purged, and its data is not deleted yet.",
                e.getMessage());
        refused(
                Kind.CONFLICT,
                "space_key_being_purged",
                "spaceKey",
                () -> Rules.create(null, List.of(deleted), "acme", "New", 5, day(400)));
    }

    @Test
    void aFreeKeyMakesAFreshOrganizationOfRevisionZero() {
        Outcome o = Rules.create(null, List.of(), KEY, "New Acme", 3, day(31));
        assertEquals(
                new Organization(KEY, "New Acme", 3, PlanState.NOT_ACTIVATED, null, null, null, null, day(31), null, 0),
                o.snapshot().organization());
        assertEquals(List.of(), o.snapshot().members());
        assertEquals(List.of(), o.snapshot().grants());
        assertEquals(List.of(), o.changes());
    }

    @Test
    void aDeletedOrganizationIsNotFoundForEveryOperation() {
        OrganizationSnapshot deleted = Rules.delete(Fixtures.trial(), day(1)).snapshot();
        Map<String, Consumer<OrganizationSnapshot>> operations = Map.of(
                "update", s -> Rules.update(s, "X", null, day(2)),
                "delete", s -> Rules.delete(s, day(2)),
                "addMember",
                        s -> Rules.addMember(s, new Member("u-new", "New", "new@acme.example", Role.MEMBER), day(2)),
                "updateMember", s -> Rules.updateMember(s, BOB.userId(), "B", null, null, day(2)),
                "removeMember", s -> Rules.removeMember(s, BOB.userId(), day(2)),
                "changePlan", s -> Rules.changePlan(s, PlanState.PAID, ANN.userId(), day(2)),
                "grant", s -> Rules.grant(s, BOB.userId(), as(ANN), day(2)),
                "revoke", s -> Rules.revoke(s, BOB.userId(), as(ANN), day(2)),
                "holders", s -> Rules.holders(s, day(2)));
        operations.forEach((name, op) -> {
            var e = refused(Kind.NOT_FOUND, "no_such_organization", null, () -> op.accept(deleted));
            assertEquals("There is no organization ACME.", e.getMessage(), name);
        });
    }

    @Test
    void updatingTheNameAndLicenseCountIsRecordedWhileThePlanRuns() {
        Outcome o = Rules.update(Fixtures.trial(), "Acme Corp", 25, day(1));
        assertEquals("Acme Corp", o.snapshot().organization().name());
        assertEquals(25, o.snapshot().organization().licenseCount());
        assertEquals(
                List.of("A|Organization|Update the organization|Name was changed from \"Acme\" to \"Acme Corp\";"
                        + " License count was changed from 10 to 25"),
                recorded(o));
    }

    @Test
    void nullKeepsAValueAndTheSameValueChangesNothing() {
        OrganizationSnapshot trial = Fixtures.trial();
        Outcome licenseOnly = Rules.update(trial, null, 12, day(1));
        assertEquals("Acme", licenseOnly.snapshot().organization().name());
        assertEquals(
                List.of("A|Organization|Update the organization|License count was changed from 10 to 12"),
                recorded(licenseOnly));
        Outcome same = Rules.update(trial, "Acme", 10, day(1));
        assertFalse(same.changed());
        assertEquals(trial, same.snapshot());
        assertFalse(Rules.update(trial, null, null, day(1)).changed());
    }

    @Test
    void updatesAreCheckedLikeNewOrganizations() {
        OrganizationSnapshot trial = Fixtures.trial();
        refused(Kind.INVALID, "required", "name", () -> Rules.update(trial, " ", null, day(1)));
        refused(Kind.INVALID, "too_long", "name", () -> Rules.update(trial, "n".repeat(256), null, day(1)));
        refused(Kind.INVALID, "out_of_range", "licenseCount", () -> Rules.update(trial, null, 0, day(1)));
    }

    @Test
    void changesOfAnOrganizationWhosePlanDoesNotRunAreNotRecorded() {
        Outcome notActivated = Rules.update(Fixtures.notActivated(), "Acme Corp", null, day(1));
        assertTrue(notActivated.changed());
        assertEquals(List.of(), notActivated.changes());
        Outcome ended = Rules.update(Fixtures.inState(PlanState.CANCELED), "Acme Corp", null, day(1));
        assertTrue(ended.changed());
        assertEquals(List.of(), ended.changes());
    }

    @Test
    void deletingCancelsARunningPlanAndRemovesThePrivilegeFromEverybody() {
        Outcome o = Rules.delete(Fixtures.trial(), day(3));
        Organization org = o.snapshot().organization();
        assertEquals(day(3), org.deleted());
        assertEquals(PlanState.CANCELED, org.plan());
        assertEquals(day(3), org.planEnded());
        assertEquals(List.of(), holders(o.snapshot()));
        assertEquals("plan_ended", lastGrant(o.snapshot(), ANN.userId()).reason());
        assertEquals(day(3), lastGrant(o.snapshot(), BOB.userId()).revoked());
        assertNull(lastGrant(o.snapshot(), BOB.userId()).revokedBy());
        assertEquals(
                List.of(
                        "A|Organization|Delete the organization|Organization ACME was deleted",
                        "S|Plan|End a plan|Trial plan ended (organization deleted)",
                        "S|Privilege|Revoke the Audit Log Admin privilege|Audit Log Admin privilege was revoked"
                                + " from ann@acme.example (the plan ended)",
                        "S|Privilege|Revoke the Audit Log Admin privilege|Audit Log Admin privilege was revoked"
                                + " from bob@acme.example (the plan ended)"),
                recorded(o));
    }

    @Test
    void deletingAnOverduePlanEndsThePaidPlanAndClearsTheGrace() {
        Outcome o = Rules.delete(Fixtures.overdue(), day(5));
        assertEquals(PlanState.CANCELED, o.snapshot().organization().plan());
        assertNull(o.snapshot().organization().graceEnds());
        assertEquals(
                "S|Plan|End a plan|Paid plan ended (organization deleted)",
                recorded(o).get(1));
    }

    @Test
    void deletingAnOrganizationWithoutARunningPlanKeepsItsPlanAndRecordsNothing() {
        Outcome never = Rules.delete(Fixtures.notActivated(), day(1));
        assertEquals(PlanState.NOT_ACTIVATED, never.snapshot().organization().plan());
        assertEquals(day(1), never.snapshot().organization().deleted());
        assertEquals(List.of(), never.changes());
        Outcome ended = Rules.delete(Fixtures.inState(PlanState.TRIAL_EXPIRED), day(1));
        assertEquals(PlanState.TRIAL_EXPIRED, ended.snapshot().organization().plan());
        assertEquals(T0, ended.snapshot().organization().planEnded());
        assertEquals(List.of(), ended.changes());
    }

    @Test
    void deletingAnOverduePlanPastItsGraceTerminatesItFirstAsOfTheGraceEnd() {
        Outcome o = Rules.delete(Fixtures.overdue(), day(20));
        Organization org = o.snapshot().organization();
        assertEquals(PlanState.TERMINATED, org.plan());
        assertEquals(day(14), org.planEnded());
        assertEquals(day(20), org.deleted());
        assertEquals(
                "S|Plan|End a plan|Paid plan ended (terminated after an overdue payment)",
                recorded(o).get(0));
        assertEquals(
                3, recorded(o).size(), "the end and two revocations; the deletion of an ended plan is not recorded");
    }

    @Test
    void spaceKeysThatCannotExistAreRecognised() {
        assertTrue(Rules.isSpaceKey("ACME"));
        assertFalse(Rules.isSpaceKey(null));
        assertFalse(Rules.isSpaceKey("../etc"));
        refused(Kind.NOT_FOUND, "no_such_organization", null, () -> Rules.existing("NOPE", null));
    }

    static Organization withRevision(Organization o, long revision) {
        return new Organization(
                o.spaceKey(),
                o.name(),
                o.licenseCount(),
                o.plan(),
                o.planAdmin(),
                o.planStarted(),
                o.planEnded(),
                o.graceEnds(),
                o.created(),
                o.deleted(),
                revision);
    }
}
