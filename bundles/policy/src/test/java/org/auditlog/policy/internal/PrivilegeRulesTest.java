package org.auditlog.policy.internal;

import static org.auditlog.policy.internal.Fixtures.ANN;
import static org.auditlog.policy.internal.Fixtures.BOB;
import static org.auditlog.policy.internal.Fixtures.CARL;
import static org.auditlog.policy.internal.Fixtures.DAN;
import static org.auditlog.policy.internal.Fixtures.GUS;
import static org.auditlog.policy.internal.Fixtures.SUPPORT;
import static org.auditlog.policy.internal.Fixtures.SYSTEM;
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

import java.time.Instant;
import java.util.List;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PolicyException.Kind;
import org.auditlog.api.access.PrivilegeGrant;
import org.auditlog.api.access.Role;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PrivilegeRulesTest {

    /** Trial started by Ann; only Ann holds the privilege. */
    static OrganizationSnapshot annAlone() {
        return Rules.changePlan(Fixtures.notActivated(), PlanState.TRIAL, ANN.userId(), T0)
                .snapshot();
    }

    @Nested
    class Granting {
        @Test
        void theFirstHolderIsThePlanAdminWhoApplied() {
            assertEquals(
                    List.of(new PrivilegeGrant(ANN.userId(), null, T0, null, null, null)),
                    annAlone().grants());
            assertEquals(List.of(ANN), Rules.holders(annAlone(), T0));
        }

        @Test
        void aHolderGrantsItToAMemberAndTheHistorySaysWho() {
            Outcome o = Rules.grant(annAlone(), BOB.userId(), as(ANN), day(1));
            assertEquals(
                    new PrivilegeGrant(BOB.userId(), ANN.userId(), day(1), null, null, null),
                    lastGrant(o.snapshot(), BOB.userId()));
            assertEquals(
                    List.of("A|Privilege|Grant the Audit Log Admin privilege|Audit Log Admin privilege was"
                            + " granted to bob@acme.example"),
                    recorded(o));
            assertEquals(List.of(ANN, BOB), Rules.holders(o.snapshot(), day(1)));
        }

        @Test
        void aMemberWhoHoldsItMayGrantItToo() {
            OrganizationSnapshot s =
                    Rules.grant(annAlone(), BOB.userId(), as(ANN), day(1)).snapshot();
            Outcome o = Rules.grant(s, CARL.userId(), as(BOB), day(2));
            assertEquals(BOB.userId(), lastGrant(o.snapshot(), CARL.userId()).grantedBy());
        }

        @Test
        void onlyHoldersGrant() {
            OrganizationSnapshot s = annAlone();
            var admin = refused(
                    Kind.FORBIDDEN, "not_audit_log_admin", null, () -> Rules.grant(s, DAN.userId(), as(CARL), day(1)));
            assertEquals("Only a holder of the Audit Log Admin privilege may grant it.", admin.getMessage());
            refused(Kind.FORBIDDEN, "not_audit_log_admin", null, () -> Rules.grant(s, CARL.userId(), as(CARL), day(1)));
            refused(Kind.FORBIDDEN, "not_audit_log_admin", null, () -> Rules.grant(s, DAN.userId(), as(GUS), day(1)));
            Actor stranger = new Actor("u-stranger", "Stranger", "s@elsewhere.example", null, null);
            refused(Kind.FORBIDDEN, "not_audit_log_admin", null, () -> Rules.grant(s, DAN.userId(), stranger, day(1)));
        }

        @Test
        void theSupportTeamMayGrantAndIsNamedAsGranter() {
            Outcome o = Rules.grant(annAlone(), CARL.userId(), SUPPORT, day(1));
            assertEquals("Nulab Support", lastGrant(o.snapshot(), CARL.userId()).grantedBy());
            assertEquals(
                    List.of("A|Privilege|Grant the Audit Log Admin privilege|Audit Log Admin privilege was"
                            + " granted to carl@acme.example"),
                    recorded(o));
        }

        @Test
        void theSystemNeverGrantsOnItsOwn() {
            var e = refused(
                    Kind.FORBIDDEN,
                    "not_audit_log_admin",
                    null,
                    () -> Rules.grant(annAlone(), CARL.userId(), SYSTEM, day(1)));
            assertEquals(
                    "Only a holder of the Audit Log Admin privilege or Nulab Support may grant it;"
                            + " System user may not.",
                    e.getMessage());
            refused(
                    Kind.FORBIDDEN,
                    "not_audit_log_admin",
                    null,
                    () -> Rules.revoke(Fixtures.trial(), BOB.userId(), SYSTEM, day(1)));
        }

        @Test
        void aGuestCanNeverHoldIt() {
            var e = refused(
                    Kind.CONFLICT,
                    "guest_cannot_hold",
                    null,
                    () -> Rules.grant(annAlone(), GUS.userId(), as(ANN), day(1)));
            assertEquals(
                    "A guest cannot hold the Audit Log Admin privilege; gus@acme.example is a guest of ACME.",
                    e.getMessage());
            refused(
                    Kind.CONFLICT,
                    "guest_cannot_hold",
                    null,
                    () -> Rules.grant(annAlone(), GUS.userId(), SUPPORT, day(1)));
        }

        @Test
        void grantingItToAHolderChangesNothing() {
            OrganizationSnapshot s = Fixtures.trial();
            Outcome o = Rules.grant(s, BOB.userId(), as(ANN), day(1));
            assertFalse(o.changed());
            assertEquals(List.of(), o.changes());
            assertEquals(s, o.snapshot());
            assertFalse(Rules.grant(s, ANN.userId(), as(ANN), day(1)).changed());
        }

        @Test
        void nobodyHoldsItBeforeThePlanStartsSoOnlySupportIsToldAboutThePlan() {
            OrganizationSnapshot s = Fixtures.notActivated();
            var support = refused(
                    Kind.CONFLICT, "plan_not_activated", null, () -> Rules.grant(s, ANN.userId(), SUPPORT, day(1)));
            assertEquals(
                    "The Audit Log Admin privilege cannot be granted while the plan of ACME is not activated.",
                    support.getMessage());
            var member = refused(
                    Kind.FORBIDDEN, "not_audit_log_admin", null, () -> Rules.grant(s, BOB.userId(), as(ANN), day(1)));
            assertEquals(
                    "Only a holder of the Audit Log Admin privilege may grant it. Nobody holds it while the plan of"
                            + " ACME is not activated.",
                    member.getMessage());
        }

        @Test
        void nobodyHoldsItAfterThePlanEnded() {
            OrganizationSnapshot s = Fixtures.inState(PlanState.CANCELED);
            var support =
                    refused(Kind.CONFLICT, "plan_ended", null, () -> Rules.grant(s, ANN.userId(), SUPPORT, day(1)));
            assertEquals(
                    "The Audit Log Admin privilege cannot be granted while the plan of ACME is subscription canceled"
                            + " (it ended on 2026-03-02T09:00:00Z).",
                    support.getMessage());
            refused(Kind.FORBIDDEN, "not_audit_log_admin", null, () -> Rules.grant(s, BOB.userId(), as(ANN), day(1)));
        }
    }

    @Nested
    class Revoking {
        @Test
        void aHolderRevokesItAndTheHistorySaysWhoAndWhy() {
            Outcome o = Rules.revoke(Fixtures.trial(), BOB.userId(), as(ANN), day(2));
            assertEquals(
                    new PrivilegeGrant(BOB.userId(), ANN.userId(), T0, ANN.userId(), day(2), "revoked"),
                    lastGrant(o.snapshot(), BOB.userId()));
            assertEquals(List.of(ANN.userId()), holders(o.snapshot()));
            assertEquals(
                    List.of("A|Privilege|Revoke the Audit Log Admin privilege|Audit Log Admin privilege was"
                            + " revoked from bob@acme.example"),
                    recorded(o));
        }

        @Test
        void aMemberMayGiveItUp() {
            Outcome o = Rules.revoke(Fixtures.trial(), BOB.userId(), as(BOB), day(2));
            assertEquals(BOB.userId(), lastGrant(o.snapshot(), BOB.userId()).revokedBy());
        }

        @Test
        void theSupportTeamMayRevoke() {
            Outcome o = Rules.revoke(Fixtures.trial(), BOB.userId(), SUPPORT, day(2));
            assertEquals("Nulab Support", lastGrant(o.snapshot(), BOB.userId()).revokedBy());
        }

        @Test
        void onlyHoldersRevoke() {
            refused(
                    Kind.FORBIDDEN,
                    "not_audit_log_admin",
                    null,
                    () -> Rules.revoke(Fixtures.trial(), BOB.userId(), as(CARL), day(1)));
            refused(
                    Kind.FORBIDDEN,
                    "not_audit_log_admin",
                    null,
                    () -> Rules.revoke(Fixtures.trial(), BOB.userId(), as(DAN), day(1)));
        }

        @Test
        void revokingItFromSomeoneWhoDoesNotHoldItChangesNothing() {
            OrganizationSnapshot s = Fixtures.trial();
            Outcome o = Rules.revoke(s, DAN.userId(), as(ANN), day(1));
            assertFalse(o.changed());
            assertEquals(List.of(), o.changes());
            assertFalse(Rules.revoke(s, GUS.userId(), SUPPORT, day(1)).changed());
        }
    }

    @Nested
    class LastAdminHolder {
        static final String DETAIL = "ann@acme.example is the last admin holding the Audit Log Admin privilege in ACME"
                + " and cannot be %s: at least one admin must hold it. Grant it to another admin first.";

        /** Ann is the only admin holding it, though Bob (a member) holds it too. */
        OrganizationSnapshot s = Fixtures.trial();

        void refusedAsLastAdminHolder(String what, Executable call) {
            var e = refused(Kind.CONFLICT, "last_admin_holder", null, call);
            assertEquals(String.format(DETAIL, what), e.getMessage());
        }

        @Test
        void revokingItFromTheLastAdminHolderIsRefused() {
            refusedAsLastAdminHolder("stripped of it", () -> Rules.revoke(s, ANN.userId(), as(BOB), day(1)));
            refusedAsLastAdminHolder("stripped of it", () -> Rules.revoke(s, ANN.userId(), as(ANN), day(1)));
            refusedAsLastAdminHolder("stripped of it", () -> Rules.revoke(s, ANN.userId(), SUPPORT, day(1)));
        }

        @Test
        void demotingTheLastAdminHolderIsRefused() {
            refusedAsLastAdminHolder(
                    "demoted to member", () -> Rules.updateMember(s, ANN.userId(), null, null, Role.MEMBER, day(1)));
            refusedAsLastAdminHolder(
                    "demoted to guest", () -> Rules.updateMember(s, ANN.userId(), null, null, Role.GUEST, day(1)));
        }

        @Test
        void removingTheLastAdminHolderIsRefused() {
            refusedAsLastAdminHolder("removed", () -> Rules.removeMember(s, ANN.userId(), day(1)));
        }

        @Test
        void withASecondAdminHolderAllThreeAreAllowed() {
            OrganizationSnapshot two =
                    Rules.grant(s, CARL.userId(), as(ANN), day(1)).snapshot();
            assertEquals(
                    List.of(BOB.userId(), CARL.userId()),
                    holders(Rules.revoke(two, ANN.userId(), as(CARL), day(2)).snapshot()));
            assertEquals(
                    List.of(ANN.userId(), BOB.userId(), CARL.userId()),
                    holders(Rules.updateMember(two, ANN.userId(), null, null, Role.MEMBER, day(2))
                            .snapshot()),
                    "an admin demoted to member keeps the privilege");
            assertEquals(
                    List.of(BOB.userId(), CARL.userId()),
                    holders(Rules.removeMember(two, ANN.userId(), day(2)).snapshot()));
        }

        @Test
        void anAdminWhoDoesNotHoldItMayBeDemotedOrRemoved() {
            assertEquals(
                    Role.GUEST,
                    Fixtures.member(
                                    Rules.updateMember(s, CARL.userId(), null, null, Role.GUEST, day(1))
                                            .snapshot(),
                                    CARL.userId())
                            .role());
            Rules.removeMember(s, CARL.userId(), day(1));
        }

        @Test
        void whileThePlanHasEndedNobodyHoldsItSoNothingIsProtected() {
            OrganizationSnapshot ended = Fixtures.inState(PlanState.CANCELED);
            Outcome removed = Rules.removeMember(ended, ANN.userId(), day(1));
            assertFalse(removed.snapshot().members().contains(ANN));
        }
    }

    @Nested
    class Consequences {
        @Test
        void aHolderWhoBecomesAGuestLosesIt() {
            Outcome o = Rules.updateMember(Fixtures.trial(), BOB.userId(), null, null, Role.GUEST, day(3));
            PrivilegeGrant bob = lastGrant(o.snapshot(), BOB.userId());
            assertEquals(day(3), bob.revoked());
            assertEquals("role_changed", bob.reason());
            assertNull(bob.revokedBy());
            assertEquals(
                    List.of(
                            "A|Member|Change a member's role|Role of bob@acme.example was changed from member to guest",
                            "S|Privilege|Revoke the Audit Log Admin privilege|Audit Log Admin privilege was revoked from"
                                    + " bob@acme.example (role changed to guest)"),
                    recorded(o));
        }

        @Test
        void aHolderPromotedToAdminKeepsIt() {
            Outcome o = Rules.updateMember(Fixtures.trial(), BOB.userId(), null, null, Role.ADMIN, day(3));
            assertEquals(List.of(ANN.userId(), BOB.userId()), holders(o.snapshot()));
            assertEquals(1, recorded(o).size());
        }

        @Test
        void aRemovedHolderLosesIt() {
            Outcome o = Rules.removeMember(Fixtures.trial(), BOB.userId(), day(3));
            assertEquals("member_removed", lastGrant(o.snapshot(), BOB.userId()).reason());
            assertEquals(List.of(ANN.userId()), holders(o.snapshot()));
            assertEquals(
                    List.of(
                            "A|Member|Remove a member|bob@acme.example was removed",
                            "S|Privilege|Revoke the Audit Log Admin privilege|Audit Log Admin privilege was revoked from"
                                    + " bob@acme.example (member removed)"),
                    recorded(o));
        }

        @ParameterizedTest
        @EnumSource(
                value = PlanState.class,
                names = {"TERMINATED", "TRIAL_EXPIRED", "CANCELED"})
        void whenThePlanEndsEveryHoldingEnds(PlanState ended) {
            OrganizationSnapshot s = Fixtures.inState(ended);
            assertEquals(List.of(), holders(s));
            for (String userId : List.of(ANN.userId(), BOB.userId())) {
                PrivilegeGrant g = lastGrant(s, userId);
                assertEquals(T0, g.revoked());
                assertEquals("plan_ended", g.reason());
                assertNull(g.revokedBy());
            }
            assertEquals(List.of(), Rules.holders(s, day(1)));
        }
    }

    @Nested
    class Restart {
        /** Trial with Ann (plan admin), Bob (granted by Ann) and Carl (granted by Bob); canceled at T0. */
        OrganizationSnapshot ended() {
            OrganizationSnapshot s = Fixtures.trial();
            s = Rules.grant(s, CARL.userId(), as(BOB), T0).snapshot();
            return Rules.changePlan(s, PlanState.CANCELED, null, T0).snapshot();
        }

        Outcome restartAt(OrganizationSnapshot s, Instant when) {
            return Rules.changePlan(s, PlanState.PAID, ANN.userId(), when);
        }

        @Test
        void withinThirtyDaysEveryPreviousHolderGetsItBackFromTheirOriginalGranter() {
            Outcome o = restartAt(ended(), day(29));
            assertEquals(List.of(ANN.userId(), BOB.userId(), CARL.userId()), holders(o.snapshot()));
            assertEquals(
                    new PrivilegeGrant(BOB.userId(), ANN.userId(), day(29), null, null, null),
                    lastGrant(o.snapshot(), BOB.userId()));
            assertEquals(BOB.userId(), lastGrant(o.snapshot(), CARL.userId()).grantedBy());
            assertNull(lastGrant(o.snapshot(), ANN.userId()).grantedBy());
            assertEquals(
                    List.of(
                            "A|Plan|Start a plan|Paid plan started (restarted)",
                            "S|Privilege|Grant the Audit Log Admin privilege|Audit Log Admin privilege was"
                                    + " granted to ann@acme.example (restored: the plan restarted within 30 days of its end)",
                            "S|Privilege|Grant the Audit Log Admin privilege|Audit Log Admin privilege was"
                                    + " granted to bob@acme.example (restored: the plan restarted within 30 days of its end)",
                            "S|Privilege|Grant the Audit Log Admin privilege|Audit Log Admin privilege was"
                                    + " granted to carl@acme.example (restored: the plan restarted within 30 days of its end)"),
                    recorded(o));
        }

        @Test
        void theLastMomentOfTheWindowStillRestores() {
            assertEquals(
                    3,
                    holders(restartAt(ended(), day(30).minusNanos(1)).snapshot())
                            .size());
        }

        @Test
        void atExactlyThirtyDaysTheWindowHasClosedAndOnlyThePlanAdminHoldsIt() {
            Outcome o = restartAt(ended(), day(30));
            assertEquals(List.of(ANN.userId()), holders(o.snapshot()));
            assertEquals(
                    List.of(
                            "A|Plan|Start a plan|Paid plan started (restarted)",
                            "S|Privilege|Grant the Audit Log Admin privilege|Audit Log Admin privilege was granted to"
                                    + " ann@acme.example (plan admin who applied)"),
                    recorded(o));
        }

        @Test
        void laterStillOnlyTheRestartingPlanAdminHoldsIt() {
            Outcome o = Rules.changePlan(ended(), PlanState.TRIAL, CARL.userId(), day(31));
            assertEquals(List.of(CARL.userId()), holders(o.snapshot()));
            assertNull(lastGrant(o.snapshot(), CARL.userId()).grantedBy());
        }

        @Test
        void aDifferentPlanAdminWithinTheWindowJoinsTheRestoredHolders() {
            OrganizationSnapshot s = Fixtures.trial(); // Ann and Bob; Carl never held it
            s = Rules.changePlan(s, PlanState.CANCELED, null, T0).snapshot();
            Outcome o = Rules.changePlan(s, PlanState.TRIAL, CARL.userId(), day(10));
            assertEquals(List.of(ANN.userId(), BOB.userId(), CARL.userId()), holders(o.snapshot()));
            assertEquals(
                    "S|Privilege|Grant the Audit Log Admin privilege|Audit Log Admin privilege was granted to"
                            + " carl@acme.example (plan admin who applied)",
                    recorded(o).get(3));
        }

        @Test
        void membersWhoLeftOrBecameGuestsAreNotRestored() {
            OrganizationSnapshot s = ended();
            s = Rules.removeMember(s, BOB.userId(), day(1)).snapshot();
            s = Rules.updateMember(s, CARL.userId(), null, null, Role.GUEST, day(1))
                    .snapshot();
            assertEquals(List.of(ANN.userId()), holders(restartAt(s, day(5)).snapshot()));
        }

        @Test
        void aRestoredMemberMayHaveChangedRoleInBetween() {
            OrganizationSnapshot s = Rules.updateMember(ended(), BOB.userId(), null, null, Role.ADMIN, day(1))
                    .snapshot();
            assertEquals(
                    List.of(ANN.userId(), BOB.userId(), CARL.userId()),
                    holders(restartAt(s, day(5)).snapshot()));
        }

        @Test
        void holdingsThatEndedForAnotherReasonAreNotRestored() {
            OrganizationSnapshot s =
                    Rules.revoke(Fixtures.trial(), BOB.userId(), as(ANN), T0).snapshot();
            s = Rules.changePlan(s, PlanState.CANCELED, null, day(1)).snapshot();
            assertEquals(
                    List.of(ANN.userId()),
                    holders(Rules.changePlan(s, PlanState.PAID, ANN.userId(), day(2))
                            .snapshot()));
        }

        @Test
        void onlyTheHoldingsOfTheLastEndAreRestored() {
            // first end at T0 with Ann and Bob; restart late (Ann alone); Dan granted; second end at day 40
            OrganizationSnapshot s = Rules.changePlan(ended(), PlanState.PAID, ANN.userId(), day(35))
                    .snapshot();
            s = Rules.grant(s, DAN.userId(), as(ANN), day(36)).snapshot();
            s = Rules.changePlan(s, PlanState.CANCELED, null, day(40)).snapshot();
            assertEquals(
                    List.of(ANN.userId(), DAN.userId()),
                    holders(restartAt(s, day(41)).snapshot()));
        }

        @Test
        void afterTheGraceRanOutTheWindowCountsFromTheEndOfTheGrace() {
            OrganizationSnapshot overdue = Fixtures.overdue(); // grace ends day 14
            assertEquals(
                    List.of(ANN.userId(), BOB.userId()),
                    holders(restartAt(overdue, day(14 + 30).minusNanos(1)).snapshot()));
            assertEquals(
                    List.of(ANN.userId()),
                    holders(restartAt(overdue, day(14 + 30)).snapshot()));
        }

        @Test
        void aUserWhoLeftAndCameBackWithinTheWindowIsRestored() {
            OrganizationSnapshot s =
                    Rules.removeMember(ended(), BOB.userId(), day(1)).snapshot();
            s = Rules.addMember(s, new Member(BOB.userId(), "Bob Again", "bob2@acme.example", Role.MEMBER), day(2))
                    .snapshot();
            // same user id, back as a member within the window: the earlier holding ended with the plan, so it returns
            assertEquals(
                    List.of(ANN.userId(), BOB.userId(), CARL.userId()),
                    holders(restartAt(s, day(3)).snapshot()));
        }
    }
}
