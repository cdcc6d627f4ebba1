package org.auditlog.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.access.PrivilegeGrant;
import org.auditlog.api.access.Role;
import org.auditlog.testing.MemoryAuditStore;
import org.auditlog.testing.MemoryLeases;
import org.auditlog.testing.MemoryStreams;
import org.auditlog.work.internal.Work;
import org.junit.jupiter.api.function.Executable;

/** One organization, ACME, its people, and the plan states the tests start from, built with the rules. */
final class Fixtures {
    /** The BackgroundWork service the components are given in the framework. */
    static final Work WORK = new Work(new MemoryLeases());

    static final String KEY = "ACME";
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    /** Admin; the plan admin who applies, so the first holder. */
    static final Member ANN = new Member("u-ann", "Ann Archer", "ann@acme.example", Role.ADMIN);
    /** Admin who does not hold the privilege unless a test grants it. */
    static final Member CARL = new Member("u-carl", "Carl Cole", "carl@acme.example", Role.ADMIN);
    /** Member holding the privilege once the plan runs (granted by Ann). */
    static final Member BOB = new Member("u-bob", "Bob Baker", "bob@acme.example", Role.MEMBER);
    /** Member who never holds the privilege. */
    static final Member DAN = new Member("u-dan", "Dan Drake", "dan@acme.example", Role.MEMBER);

    static final Member GUS = new Member("u-gus", "Gus Green", "gus@acme.example", Role.GUEST);

    static final Actor SUPPORT = Actor.support();
    static final Actor SYSTEM = Actor.system();

    private Fixtures() {}

    /** A purge over in-memory stores holding nothing, with export files that only note what is deleted. */
    static OrganizationPurge purge(FakeOrganizationStore store) {
        OrganizationPurge purge = new OrganizationPurge(
                store, new MemoryAuditStore(), new MemoryInbox(), new MemoryStreams(), new MemoryLeases());
        purge.exports = new RecordingFiles();
        return purge;
    }

    static Actor as(Member m) {
        return Actor.member(m, "203.0.113.5", "Mozilla/5.0 (X11)");
    }

    static Instant day(long n) {
        return T0.plus(Duration.ofDays(n));
    }

    /** ACME with its five people, plan not activated, license for 10. */
    static OrganizationSnapshot notActivated() {
        OrganizationSnapshot s =
                Rules.create(null, List.of(), KEY, "Acme", 10, T0).snapshot();
        for (Member m : List.of(ANN, CARL, BOB, DAN, GUS)) {
            s = Rules.addMember(s, m, T0).snapshot();
        }
        return s;
    }

    /** Started from not activated at T0 by plan admin Ann; Ann then grants Bob. Holders: Ann, Bob. */
    static OrganizationSnapshot running(PlanState plan) {
        OrganizationSnapshot s =
                Rules.changePlan(notActivated(), plan, ANN.userId(), T0).snapshot();
        return Rules.grant(s, BOB.userId(), as(ANN), T0).snapshot();
    }

    static OrganizationSnapshot trial() {
        return running(PlanState.TRIAL);
    }

    static OrganizationSnapshot paid() {
        return running(PlanState.PAID);
    }

    /** Paid, overdue since T0: the grace period ends at day 14. */
    static OrganizationSnapshot overdue() {
        return Rules.changePlan(paid(), PlanState.OVERDUE, null, T0).snapshot();
    }

    /** The organization in the given state, reached at T0 the usual way (ended states with Ann and Bob holding before). */
    static OrganizationSnapshot inState(PlanState state) {
        return switch (state) {
            case NOT_ACTIVATED -> notActivated();
            case TRIAL -> trial();
            case PAID -> paid();
            case OVERDUE -> overdue();
            case TERMINATED ->
                Rules.changePlan(overdue(), PlanState.TERMINATED, null, T0).snapshot();
            case TRIAL_EXPIRED ->
                Rules.changePlan(trial(), PlanState.TRIAL_EXPIRED, null, T0).snapshot();
            case CANCELED ->
                Rules.changePlan(paid(), PlanState.CANCELED, null, T0).snapshot();
        };
    }

    static PolicyException refused(PolicyException.Kind kind, String rule, String field, Executable call) {
        PolicyException e = assertThrows(PolicyException.class, call);
        assertEquals(kind, e.kind(), "kind");
        assertEquals(rule, e.rule(), "rule");
        assertEquals(field, e.field(), "field");
        return e;
    }

    static List<String> holders(OrganizationSnapshot s) {
        return s.grants().stream()
                .filter(PrivilegeGrant::held)
                .map(PrivilegeGrant::userId)
                .toList();
    }

    /** The member's latest holding, held or ended. */
    static PrivilegeGrant lastGrant(OrganizationSnapshot s, String userId) {
        List<PrivilegeGrant> of =
                s.grants().stream().filter(g -> g.userId().equals(userId)).toList();
        return of.get(of.size() - 1);
    }

    static Member member(OrganizationSnapshot s, String userId) {
        return s.members().stream()
                .filter(m -> m.userId().equals(userId))
                .findFirst()
                .orElseThrow();
    }

    /** What the outcome records, as "S|category|event|action" (S: by the System user) or "A|..." (by the actor). */
    static List<String> recorded(Outcome o) {
        return o.changes().stream()
                .map(c -> (c.bySystem() ? "S" : "A") + "|" + c.category() + "|" + c.event() + "|" + c.action())
                .toList();
    }
}
