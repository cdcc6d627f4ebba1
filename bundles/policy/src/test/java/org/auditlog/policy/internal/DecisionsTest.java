package org.auditlog.policy.internal;

import static org.auditlog.policy.internal.Fixtures.ANN;
import static org.auditlog.policy.internal.Fixtures.BOB;
import static org.auditlog.policy.internal.Fixtures.CARL;
import static org.auditlog.policy.internal.Fixtures.DAN;
import static org.auditlog.policy.internal.Fixtures.GUS;
import static org.auditlog.policy.internal.Fixtures.KEY;
import static org.auditlog.policy.internal.Fixtures.T0;
import static org.auditlog.policy.internal.Fixtures.as;
import static org.auditlog.policy.internal.Fixtures.day;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class DecisionsTest {
    static final String STRANGER = "u-stranger";
    /** Who asks, in the column order of the tables below. */
    static final List<String> WHO =
            List.of(ANN.userId(), BOB.userId(), CARL.userId(), DAN.userId(), GUS.userId(), STRANGER);

    static final String OK = "allowed";
    static final String NALA = "not_audit_log_admin";
    static final String PNA = "plan_not_activated";
    static final String ENDED = "plan_ended";
    static final String OVERDUE = "plan_overdue";

    // columns: Ann (admin, holder), Bob (member, holder), Carl (admin), Dan (member), Gus (guest), a stranger
    static final Map<PlanState, List<String>> USE = Map.of(
            PlanState.NOT_ACTIVATED, List.of(PNA, PNA, PNA, PNA, PNA, NALA),
            PlanState.TRIAL, List.of(OK, OK, NALA, NALA, NALA, NALA),
            PlanState.PAID, List.of(OK, OK, NALA, NALA, NALA, NALA),
            PlanState.OVERDUE, List.of(OK, OK, NALA, NALA, NALA, NALA),
            PlanState.TERMINATED, List.of(ENDED, ENDED, ENDED, ENDED, ENDED, NALA),
            PlanState.TRIAL_EXPIRED, List.of(ENDED, ENDED, ENDED, ENDED, ENDED, NALA),
            PlanState.CANCELED, List.of(ENDED, ENDED, ENDED, ENDED, ENDED, NALA));

    static final Map<PlanState, List<String>> EXPORT = Map.of(
            PlanState.NOT_ACTIVATED, List.of(PNA, PNA, PNA, PNA, PNA, NALA),
            PlanState.TRIAL, List.of(OK, OK, NALA, NALA, NALA, NALA),
            PlanState.PAID, List.of(OK, OK, NALA, NALA, NALA, NALA),
            PlanState.OVERDUE, List.of(OVERDUE, OVERDUE, NALA, NALA, NALA, NALA),
            PlanState.TERMINATED, List.of(ENDED, ENDED, ENDED, ENDED, ENDED, NALA),
            PlanState.TRIAL_EXPIRED, List.of(ENDED, ENDED, ENDED, ENDED, ENDED, NALA),
            PlanState.CANCELED, List.of(ENDED, ENDED, ENDED, ENDED, ENDED, NALA));

    static final Map<PlanState, String> RECORD = Map.of(
            PlanState.NOT_ACTIVATED,
            PNA,
            PlanState.TRIAL,
            OK,
            PlanState.PAID,
            OK,
            PlanState.OVERDUE,
            OK,
            PlanState.TERMINATED,
            ENDED,
            PlanState.TRIAL_EXPIRED,
            ENDED,
            PlanState.CANCELED,
            ENDED);

    static Stream<Arguments> everyStateAndPerson() {
        List<Arguments> out = new ArrayList<>();
        for (PlanState state : PlanState.values()) {
            for (int i = 0; i < WHO.size(); i++) {
                out.add(Arguments.of(
                        state,
                        WHO.get(i),
                        USE.get(state).get(i),
                        EXPORT.get(state).get(i)));
            }
        }
        return out.stream();
    }

    static String ruleOf(Decision d) {
        return d.allowed() ? OK : d.rule();
    }

    @ParameterizedTest(name = "{0}, {1}: use {2}, export {3}")
    @MethodSource("everyStateAndPerson")
    void everyRoleInEveryState(PlanState state, String userId, String use, String export) {
        OrganizationSnapshot s = Fixtures.inState(state);
        assertEquals(use, ruleOf(Decisions.mayUse(KEY, s, userId, day(1))), "mayUse");
        assertEquals(export, ruleOf(Decisions.mayExport(KEY, s, userId, day(1))), "mayExport");
    }

    @ParameterizedTest
    @EnumSource(PlanState.class)
    void recordingFollowsThePlan(PlanState state) {
        assertEquals(RECORD.get(state), ruleOf(Decisions.mayRecord(KEY, Fixtures.inState(state), day(1))));
    }

    @Test
    void refusalsSayWhichStateAndWhichRule() {
        assertEquals(
                Decision.refused(
                        PNA,
                        "The plan of organization ACME has not been activated: audit logs are"
                                + " recorded from the start of a trial or paid plan."),
                Decisions.mayRecord(KEY, Fixtures.notActivated(), day(1)));
        assertEquals(
                Decision.refused(
                        ENDED,
                        "The plan of organization ACME has ended (trial expired, on"
                                + " 2026-03-02T09:00:00Z): audit logs are not recorded."),
                Decisions.mayRecord(KEY, Fixtures.inState(PlanState.TRIAL_EXPIRED), day(1)));
        assertEquals(
                Decision.refused(
                        NALA, "Only admins or members holding the Audit Log Admin privilege may use audit" + " logs."),
                Decisions.mayUse(KEY, Fixtures.trial(), CARL.userId(), day(1)));
        assertEquals(
                Decision.refused(
                        PNA,
                        "The plan of organization ACME has not been activated: nobody holds the"
                                + " Audit Log Admin privilege before a trial or paid plan starts."),
                Decisions.mayUse(KEY, Fixtures.notActivated(), ANN.userId(), day(1)));
        assertEquals(
                Decision.refused(
                        ENDED,
                        "The plan of organization ACME has ended (subscription canceled, on"
                                + " 2026-03-02T09:00:00Z): the Audit Log Admin privilege was removed from everybody."),
                Decisions.mayExport(KEY, Fixtures.inState(PlanState.CANCELED), ANN.userId(), day(1)));
        assertEquals(
                Decision.refused(
                        OVERDUE,
                        "The payment of organization ACME is overdue: export and download are"
                                + " unavailable until it is paid within the grace period, which ends 2026-03-16T09:00:00Z."),
                Decisions.mayExport(KEY, Fixtures.overdue(), ANN.userId(), day(1)));
    }

    @Test
    void strangersLearnNothingAboutTheOrganization() {
        for (PlanState state : PlanState.values()) {
            Decision d = Decisions.mayExport(KEY, Fixtures.inState(state), STRANGER, day(1));
            assertEquals(Decision.refused(NALA, Decisions.ONLY_HOLDERS), d, state.name());
        }
        assertEquals(NALA, ruleOf(Decisions.mayUse(KEY, Fixtures.trial(), null, day(1))));
    }

    @Test
    void anUnknownOrDeletedOrganizationIsNotThere() {
        Decision none = Decision.refused("no_such_organization", "There is no organization ACME.");
        assertEquals(none, Decisions.mayRecord(KEY, null, T0));
        assertEquals(none, Decisions.mayUse(KEY, null, ANN.userId(), T0));
        assertEquals(none, Decisions.mayExport(KEY, null, ANN.userId(), T0));
        OrganizationSnapshot deleted = Rules.delete(Fixtures.trial(), day(1)).snapshot();
        assertEquals(none, Decisions.mayRecord(KEY, deleted, day(2)));
        assertEquals(none, Decisions.mayUse(KEY, deleted, ANN.userId(), day(2)));
        assertEquals(none, Decisions.mayExport(KEY, deleted, ANN.userId(), day(2)));
    }

    @Test
    void decisionsAreTakenAtTheStateTimeHasMade() {
        OrganizationSnapshot overdue = Fixtures.overdue(); // grace ends day 14
        assertEquals(OK, ruleOf(Decisions.mayRecord(KEY, overdue, day(14).minusMillis(1))));
        assertEquals(OVERDUE, ruleOf(Decisions.mayExport(KEY, overdue, ANN.userId(), day(14).minusMillis(1))));
        assertEquals(
                Decision.refused(
                        ENDED,
                        "The plan of organization ACME has ended (terminated after an overdue"
                                + " payment, on 2026-03-16T09:00:00Z): audit logs are not recorded."),
                Decisions.mayRecord(KEY, overdue, day(14)));
        assertEquals(ENDED, ruleOf(Decisions.mayUse(KEY, overdue, ANN.userId(), day(15))));
    }

    /** Paid, license for {@code licenses}; users: Ann, Carl (admins), Bob, Dan (members); Gus is a guest. */
    static OrganizationSnapshot paidWithLicenses(PlanState plan, int licenses) {
        OrganizationSnapshot s =
                Rules.update(Fixtures.notActivated(), null, licenses, T0).snapshot();
        return Rules.changePlan(s, plan, ANN.userId(), T0).snapshot();
    }

    @Test
    void aPaidPlanWithMoreUsersThanLicensesMayNotExport() {
        OrganizationSnapshot s = paidWithLicenses(PlanState.PAID, 3);
        assertEquals(
                Decision.refused(
                        "license_exceeded",
                        "Organization ACME has 4 users, but its license is for 3:"
                                + " export and download are unavailable until users are removed or licenses added."),
                Decisions.mayExport(KEY, s, ANN.userId(), day(1)));
        assertEquals(Decision.ALLOWED, Decisions.mayRecord(KEY, s, day(1)), "recording goes on");
        assertEquals(Decision.ALLOWED, Decisions.mayUse(KEY, s, ANN.userId(), day(1)), "searching goes on");
    }

    /** A stream delivers an organization's log when the plan lets files leave: the export rule without the member. */
    @Test
    void theLogLeavesTheServerInStreamsWhenThePlanWouldLetItBeDownloaded() {
        Map<PlanState, String> stream = Map.of(
                PlanState.NOT_ACTIVATED, PNA,
                PlanState.TRIAL, OK,
                PlanState.PAID, OK,
                PlanState.OVERDUE, OVERDUE,
                PlanState.TERMINATED, ENDED,
                PlanState.TRIAL_EXPIRED, ENDED,
                PlanState.CANCELED, ENDED);
        for (Map.Entry<PlanState, String> e : stream.entrySet()) {
            assertEquals(
                    e.getValue(),
                    ruleOf(Decisions.mayStream(KEY, Fixtures.inState(e.getKey()), day(1))),
                    e.getKey().name());
            // the same as an Audit Log Admin's export, whoever asks
            assertEquals(EXPORT.get(e.getKey()).get(0), e.getValue(), e.getKey().name());
        }
        assertEquals("license_exceeded", ruleOf(Decisions.mayStream(KEY, paidWithLicenses(PlanState.PAID, 3), day(1))));
        assertEquals(OK, ruleOf(Decisions.mayStream(KEY, paidWithLicenses(PlanState.PAID, 4), day(1))));
        assertEquals("no_such_organization", ruleOf(Decisions.mayStream(KEY, null, T0)));
        OrganizationSnapshot deleted = Rules.delete(Fixtures.trial(), day(1)).snapshot();
        assertEquals("no_such_organization", ruleOf(Decisions.mayStream(KEY, deleted, day(2))));
    }

    @Test
    void guestsAreNotCountedAgainstTheLicense() {
        OrganizationSnapshot exact = paidWithLicenses(PlanState.PAID, 4);
        assertEquals(4, Decisions.users(exact));
        assertEquals(Decision.ALLOWED, Decisions.mayExport(KEY, exact, ANN.userId(), day(1)));
        OrganizationSnapshot moreGuests = Rules.addMember(
                        exact, new Member("u-g2", "G2", "g2@acme.example", Role.GUEST), day(1))
                .snapshot();
        assertEquals(Decision.ALLOWED, Decisions.mayExport(KEY, moreGuests, ANN.userId(), day(1)));
        OrganizationSnapshot oneMore = Rules.addMember(
                        exact, new Member("u-m5", "M5", "m5@acme.example", Role.MEMBER), day(1))
                .snapshot();
        assertEquals("license_exceeded", ruleOf(Decisions.mayExport(KEY, oneMore, ANN.userId(), day(1))));
    }

    @Test
    void aTrialIsNotLimitedByTheLicenseAndAnOverduePlanSaysItIsOverdue() {
        assertEquals(
                Decision.ALLOWED, Decisions.mayExport(KEY, paidWithLicenses(PlanState.TRIAL, 1), ANN.userId(), day(1)));
        OrganizationSnapshot overdue = Rules.changePlan(
                        paidWithLicenses(PlanState.PAID, 1), PlanState.OVERDUE, null, T0)
                .snapshot();
        assertEquals(OVERDUE, ruleOf(Decisions.mayExport(KEY, overdue, ANN.userId(), day(1))));
    }

    @Test
    void aGrantedOrRevokedPrivilegeShowsInTheNextDecision() {
        OrganizationSnapshot s =
                Rules.grant(Fixtures.trial(), CARL.userId(), as(ANN), day(1)).snapshot();
        assertEquals(Decision.ALLOWED, Decisions.mayExport(KEY, s, CARL.userId(), day(1)));
        s = Rules.revoke(s, CARL.userId(), as(ANN), day(2)).snapshot();
        assertEquals(NALA, ruleOf(Decisions.mayExport(KEY, s, CARL.userId(), day(2))));
    }
}
