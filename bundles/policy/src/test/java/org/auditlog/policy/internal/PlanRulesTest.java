package org.auditlog.policy.internal;

import static org.auditlog.policy.internal.Fixtures.ANN;
import static org.auditlog.policy.internal.Fixtures.BOB;
import static org.auditlog.policy.internal.Fixtures.CARL;
import static org.auditlog.policy.internal.Fixtures.GUS;
import static org.auditlog.policy.internal.Fixtures.T0;
import static org.auditlog.policy.internal.Fixtures.day;
import static org.auditlog.policy.internal.Fixtures.holders;
import static org.auditlog.policy.internal.Fixtures.lastGrant;
import static org.auditlog.policy.internal.Fixtures.recorded;
import static org.auditlog.policy.internal.Fixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PolicyException.Kind;
import org.auditlog.api.access.PrivilegeGrant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class PlanRulesTest {
    /** The transition table of the README, written out again here so that the rules are checked against it. */
    static final Map<PlanState, Set<PlanState>> ALLOWED = Map.of(
            PlanState.NOT_ACTIVATED, EnumSet.of(PlanState.TRIAL, PlanState.PAID),
            PlanState.TRIAL, EnumSet.of(PlanState.PAID, PlanState.TRIAL_EXPIRED, PlanState.CANCELED),
            PlanState.PAID, EnumSet.of(PlanState.OVERDUE, PlanState.CANCELED),
            PlanState.OVERDUE, EnumSet.of(PlanState.PAID, PlanState.TERMINATED, PlanState.CANCELED),
            PlanState.TERMINATED, EnumSet.of(PlanState.TRIAL, PlanState.PAID),
            PlanState.TRIAL_EXPIRED, EnumSet.of(PlanState.TRIAL, PlanState.PAID),
            PlanState.CANCELED, EnumSet.of(PlanState.TRIAL, PlanState.PAID));

    static Stream<Arguments> everyPairOfStates() {
        List<Arguments> pairs = new ArrayList<>();
        for (PlanState from : PlanState.values()) {
            for (PlanState to : PlanState.values()) {
                pairs.add(Arguments.of(from, to));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPairOfStates")
    void everyTransitionIsAllowedOrRefusedByTheTable(PlanState from, PlanState to) {
        OrganizationSnapshot s = Fixtures.inState(from);
        if (from == to) {
            Outcome same = Rules.changePlan(s, to, ANN.userId(), day(1));
            assertFalse(same.changed(), "asking for the current state changes nothing");
            assertEquals(List.of(), same.changes());
        } else if (ALLOWED.get(from).contains(to)) {
            Outcome o = Rules.changePlan(s, to, ANN.userId(), day(1));
            assertEquals(to, o.snapshot().organization().plan());
            assertFalse(o.changes().isEmpty(), "every transition is recorded");
        } else {
            var e = refused(
                    Kind.CONFLICT, "plan_transition", null, () -> Rules.changePlan(s, to, ANN.userId(), day(1)));
            assertEquals(
                    "The plan of organization ACME cannot move from " + from.wireName() + " to " + to.wireName() + ".",
                    e.getMessage());
        }
    }

    @Test
    void theStateToMoveToIsRequired() {
        refused(Kind.INVALID, "required", "plan", () -> Rules.changePlan(Fixtures.trial(), null, null, day(1)));
    }

    @Test
    void startingAPlanSetsThePlanAdminAndStartAndGivesThemThePrivilege() {
        Outcome o = Rules.changePlan(Fixtures.notActivated(), PlanState.TRIAL, ANN.userId(), day(1));
        Organization org = o.snapshot().organization();
        assertEquals(PlanState.TRIAL, org.plan());
        assertEquals(ANN.userId(), org.planAdmin());
        assertEquals(day(1), org.planStarted());
        assertNull(org.planEnded());
        assertNull(org.graceEnds());
        assertEquals(
                List.of(new PrivilegeGrant(ANN.userId(), null, day(1), null, null, null)),
                o.snapshot().grants());
        assertEquals(
                List.of(
                        "A|Plan|Start a plan|Trial plan started",
                        "S|Privilege|Grant the Audit Log Admin privilege|Audit Log Admin privilege was granted to"
                                + " ann@acme.example (plan admin who applied)"),
                recorded(o));
    }

    @Test
    void aPaidPlanCanStartWithoutATrial() {
        Outcome o = Rules.changePlan(Fixtures.notActivated(), PlanState.PAID, CARL.userId(), day(1));
        assertEquals(PlanState.PAID, o.snapshot().organization().plan());
        assertEquals(List.of(CARL.userId()), holders(o.snapshot()));
        assertEquals("A|Plan|Start a plan|Paid plan started", recorded(o).get(0));
    }

    @ParameterizedTest
    @EnumSource(
            value = PlanState.class,
            names = {"NOT_ACTIVATED", "TERMINATED", "TRIAL_EXPIRED", "CANCELED"})
    void startingAPlanNamesAnAdminAsPlanAdmin(PlanState from) {
        OrganizationSnapshot s = Fixtures.inState(from);
        var missing =
                refused(Kind.INVALID, "required", "planAdmin", () -> Rules.changePlan(s, PlanState.PAID, null, day(1)));
        assertEquals(
                "Starting a plan names the plan admin who applies: the user id of an admin of the organization.",
                missing.getMessage());
        refused(Kind.INVALID, "required", "planAdmin", () -> Rules.changePlan(s, PlanState.PAID, " ", day(1)));
        var member = refused(
                Kind.INVALID,
                "must_be_admin",
                "planAdmin",
                () -> Rules.changePlan(s, PlanState.PAID, BOB.userId(), day(1)));
        assertEquals("The plan admin must be an admin of organization ACME; u-bob is not.", member.getMessage());
        refused(
                Kind.INVALID,
                "must_be_admin",
                "planAdmin",
                () -> Rules.changePlan(s, PlanState.PAID, GUS.userId(), day(1)));
        refused(
                Kind.INVALID,
                "must_be_admin",
                "planAdmin",
                () -> Rules.changePlan(s, PlanState.PAID, "u-nobody", day(1)));
    }

    @Test
    void thePlanAdminIsReadOnlyWhenAPlanStarts() {
        Outcome o = Rules.changePlan(Fixtures.trial(), PlanState.CANCELED, "u-nobody", day(1));
        assertEquals(ANN.userId(), o.snapshot().organization().planAdmin());
    }

    @Test
    void aTrialUpgradedToPaidStartsThePaidPlanAndKeepsTheHolders() {
        Outcome o = Rules.changePlan(Fixtures.trial(), PlanState.PAID, null, day(10));
        assertEquals(PlanState.PAID, o.snapshot().organization().plan());
        assertEquals(day(10), o.snapshot().organization().planStarted());
        assertEquals(List.of(ANN.userId(), BOB.userId()), holders(o.snapshot()));
        assertEquals(List.of("A|Plan|Start a plan|Paid plan started (upgraded from trial)"), recorded(o));
    }

    @Test
    void aFailedPaymentGivesFourteenDaysOfGraceAndKeepsTheHolders() {
        Outcome o = Rules.changePlan(Fixtures.paid(), PlanState.OVERDUE, null, day(3));
        assertEquals(PlanState.OVERDUE, o.snapshot().organization().plan());
        assertEquals(day(17), o.snapshot().organization().graceEnds());
        assertEquals(List.of(ANN.userId(), BOB.userId()), holders(o.snapshot()));
        assertEquals(
                List.of("A|Plan|Mark a plan overdue|Paid plan is overdue (payment failed; the grace period ends"
                        + " 2026-03-19T09:00:00Z)"),
                recorded(o));
    }

    @Test
    void payingWithinTheGraceClearsIt() {
        Outcome o = Rules.changePlan(Fixtures.overdue(), PlanState.PAID, null, day(13));
        assertEquals(PlanState.PAID, o.snapshot().organization().plan());
        assertNull(o.snapshot().organization().graceEnds());
        assertEquals(T0, o.snapshot().organization().planStarted(), "the paid plan goes on, it does not restart");
        assertEquals(
                List.of("A|Plan|Pay an overdue plan|Overdue paid plan was paid within the grace period"), recorded(o));
    }

    @Test
    void onDay13OfTheGraceThePlanIsStillOverdue() {
        OrganizationSnapshot s = Fixtures.overdue();
        assertFalse(Rules.atTime(s, day(13)).changed());
        assertFalse(Rules.atTime(s, day(14).minusNanos(1)).changed());
        assertEquals(
                PlanState.OVERDUE,
                Rules.atTime(s, day(14).minusNanos(1)).snapshot().organization().plan());
    }

    @Test
    void atTheEndOfDay14TheGraceHasRunOutAndThePlanIsTerminatedByTheSystem() {
        Outcome o = Rules.atTime(Fixtures.overdue(), day(14));
        Organization org = o.snapshot().organization();
        assertEquals(PlanState.TERMINATED, org.plan());
        assertEquals(day(14), org.planEnded());
        assertNull(org.graceEnds());
        assertEquals(List.of(), holders(o.snapshot()));
        assertEquals(
                List.of(
                        "S|Plan|End a plan|Paid plan ended (terminated after an overdue payment)",
                        "S|Privilege|Revoke the Audit Log Admin privilege|Audit Log Admin privilege was revoked from"
                                + " ann@acme.example (the plan ended)",
                        "S|Privilege|Revoke the Audit Log Admin privilege|Audit Log Admin privilege was revoked from"
                                + " bob@acme.example (the plan ended)"),
                recorded(o));
    }

    @Test
    void noticedOnDay15TheTerminationStillDatesFromTheEndOfTheGrace() {
        Outcome o = Rules.atTime(Fixtures.overdue(), day(15));
        assertEquals(PlanState.TERMINATED, o.snapshot().organization().plan());
        assertEquals(day(14), o.snapshot().organization().planEnded());
        PrivilegeGrant ann = lastGrant(o.snapshot(), ANN.userId());
        assertEquals(day(14), ann.revoked());
        assertEquals("plan_ended", ann.reason());
        assertFalse(Rules.atTime(o.snapshot(), day(16)).changed(), "time changes a terminated plan only once");
    }

    @Test
    void everyOperationSeesTheTermination() {
        OrganizationSnapshot s = Fixtures.overdue();
        // paying on day 14 is too late: the plan has ended, and paying restarts it, which names a plan admin
        refused(Kind.INVALID, "required", "planAdmin", () -> Rules.changePlan(s, PlanState.PAID, null, day(14)));
        Outcome restart = Rules.changePlan(s, PlanState.PAID, ANN.userId(), day(14));
        assertEquals(
                List.of(
                        "S|Plan|End a plan|Paid plan ended (terminated after an overdue payment)",
                        "S|Privilege|Revoke the Audit Log Admin privilege|Audit Log Admin privilege was revoked"
                                + " from ann@acme.example (the plan ended)",
                        "S|Privilege|Revoke the Audit Log Admin privilege|Audit Log Admin privilege was revoked"
                                + " from bob@acme.example (the plan ended)",
                        "A|Plan|Start a plan|Paid plan started (restarted)",
                        "S|Privilege|Grant the Audit Log Admin privilege|Audit Log Admin privilege was granted"
                                + " to ann@acme.example (restored: the plan restarted within 30 days of its end)",
                        "S|Privilege|Grant the Audit Log Admin privilege|Audit Log Admin privilege was granted"
                                + " to bob@acme.example (restored: the plan restarted within 30 days of its end)"),
                recorded(restart));
        refused(Kind.CONFLICT, "plan_transition", null, () -> Rules.changePlan(s, PlanState.OVERDUE, null, day(14)));
    }

    @Test
    void aPlanThatIsNotOverdueIsNotTouchedByTime() {
        for (PlanState state : PlanState.values()) {
            if (state != PlanState.OVERDUE) {
                assertFalse(Rules.atTime(Fixtures.inState(state), day(400)).changed(), state.name());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = PlanState.class,
            names = {"TRIAL_EXPIRED", "CANCELED"})
    void aTrialEndsByTheActorWithItsReason(PlanState end) {
        Outcome o = Rules.changePlan(Fixtures.trial(), end, null, day(7));
        Organization org = o.snapshot().organization();
        assertEquals(end, org.plan());
        assertEquals(day(7), org.planEnded());
        assertEquals(List.of(), holders(o.snapshot()));
        String reason = end == PlanState.TRIAL_EXPIRED ? "trial expired" : "subscription canceled";
        assertEquals(
                "A|Plan|End a plan|Trial plan ended (" + reason + ")",
                recorded(o).get(0));
        assertEquals(3, recorded(o).size());
        assertTrue(recorded(o).get(1).startsWith("S|Privilege|Revoke the Audit Log Admin privilege|"));
    }

    @Test
    void anOverduePlanTerminatedOnPurposeEndsNow() {
        Outcome o = Rules.changePlan(Fixtures.overdue(), PlanState.TERMINATED, null, day(5));
        assertEquals(day(5), o.snapshot().organization().planEnded());
        assertNull(o.snapshot().organization().graceEnds());
        assertEquals(
                "A|Plan|End a plan|Paid plan ended (terminated after an overdue payment)",
                recorded(o).get(0));
        Outcome canceled = Rules.changePlan(Fixtures.overdue(), PlanState.CANCELED, null, day(5));
        assertEquals(
                "A|Plan|End a plan|Paid plan ended (subscription canceled)",
                recorded(canceled).get(0));
        assertNull(canceled.snapshot().organization().graceEnds());
    }

    @Test
    void aRestartClearsTheEndAndStartsAgain() {
        OrganizationSnapshot ended = Fixtures.inState(PlanState.CANCELED);
        Outcome o = Rules.changePlan(ended, PlanState.TRIAL, CARL.userId(), day(40));
        Organization org = o.snapshot().organization();
        assertEquals(PlanState.TRIAL, org.plan());
        assertEquals(CARL.userId(), org.planAdmin());
        assertEquals(day(40), org.planStarted());
        assertNull(org.planEnded());
        assertEquals(
                "A|Plan|Start a plan|Trial plan started (restarted)",
                recorded(o).get(0));
    }

    @Test
    void anEndedPlanStaysEndedWhenAskedAgain() {
        OrganizationSnapshot ended = Fixtures.inState(PlanState.TERMINATED);
        Outcome o = Rules.changePlan(ended, PlanState.TERMINATED, null, day(3));
        assertFalse(o.changed());
        assertEquals(T0, o.snapshot().organization().planEnded());
    }

    @Test
    void theGraceIsFourteenTimesTwentyFourHours() {
        assertEquals(Duration.ofDays(14), Rules.GRACE_PERIOD);
        Instant lateEvening = Instant.parse("2026-12-31T23:30:00Z");
        OrganizationSnapshot s = Rules.changePlan(Fixtures.paid(), PlanState.OVERDUE, null, lateEvening)
                .snapshot();
        assertEquals(Instant.parse("2027-01-14T23:30:00Z"), s.organization().graceEnds());
    }
}
