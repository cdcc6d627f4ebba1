package org.auditlog.policy.internal;

import java.time.Instant;
import java.util.Optional;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.Role;

/**
 * The answers of {@link AccessPolicy} as pure functions of a snapshot and {@code now}, taken
 * at the state time has made (an overdue plan past its grace is terminated). Every refusal names the rule
 * and, in its detail, the state.
 */
final class Decisions {
    /** The sentence of every refusal for lack of the privilege; it tells nothing about the organization. */
    static final String ONLY_HOLDERS =
            "Only admins or members holding the Audit Log Admin privilege may use" + " audit logs.";

    private Decisions() {}

    /** Whether events of the organization are recorded now: while its plan is trial, paid or overdue. */
    static Decision mayRecord(String spaceKey, OrganizationSnapshot stored, Instant now) {
        Optional<Organization> found = effective(stored, now).map(OrganizationSnapshot::organization);
        if (found.isEmpty()) {
            return noSuchOrganization(spaceKey);
        }
        Organization o = found.get();
        if (o.plan() == PlanState.NOT_ACTIVATED) {
            return Decision.refused(
                    Refusals.PLAN_NOT_ACTIVATED,
                    "The plan of organization " + spaceKey
                            + " has not been activated: audit logs are recorded from the start of a trial or paid plan.");
        }
        if (o.plan().ended()) {
            return Decision.refused(Refusals.PLAN_ENDED, planEndedDetail(o) + ": audit logs are not recorded.");
        }
        return Decision.ALLOWED;
    }

    /**
     * Whether the user may use the organization's audit log. In order: the organization must exist; the user
     * must be one of its members ({@code not_audit_log_admin} otherwise, which tells a stranger nothing about
     * the organization); the plan must be running ({@code plan_not_activated} or {@code plan_ended}, which
     * tells a member why nobody holds the privilege); the member must hold the privilege.
     */
    static Decision mayUse(String spaceKey, OrganizationSnapshot stored, String userId, Instant now) {
        Optional<OrganizationSnapshot> found = effective(stored, now);
        if (found.isEmpty()) {
            return noSuchOrganization(spaceKey);
        }
        Draft d = Draft.of(found.get());
        Optional<Member> member = userId == null ? Optional.empty() : d.member(userId);
        if (member.isEmpty()) {
            return Decision.refused(Refusals.NOT_AUDIT_LOG_ADMIN, ONLY_HOLDERS);
        }
        if (d.plan == PlanState.NOT_ACTIVATED) {
            return Decision.refused(
                    Refusals.PLAN_NOT_ACTIVATED,
                    "The plan of organization " + spaceKey
                            + " has not been activated: nobody holds the Audit Log Admin privilege before a trial or paid"
                            + " plan starts.");
        }
        if (d.plan.ended()) {
            return Decision.refused(
                    Refusals.PLAN_ENDED,
                    planEndedDetail(found.get().organization())
                            + ": the Audit Log Admin privilege was removed from everybody.");
        }
        if (!d.holds(userId)) {
            return Decision.refused(Refusals.NOT_AUDIT_LOG_ADMIN, ONLY_HOLDERS);
        }
        return Decision.ALLOWED;
    }

    /**
     * Whether the user may export or download files now: {@link #mayUse} first; then a trial may, a paid plan
     * may unless its users (admins and members; guests do not count) exceed the license count, and an overdue
     * plan may not until it is paid.
     */
    static Decision mayExport(String spaceKey, OrganizationSnapshot stored, String userId, Instant now) {
        Decision use = mayUse(spaceKey, stored, userId, now);
        if (!use.allowed()) {
            return use;
        }
        return planLetsTheLogOut(spaceKey, effective(stored, now).orElseThrow());
    }

    /** Whether the organization's plan lets its log leave the server (docs/rules.md section 4): streams. */
    static Decision mayStream(String spaceKey, OrganizationSnapshot stored, Instant now) {
        Optional<OrganizationSnapshot> found = effective(stored, now);
        if (found.isEmpty()) {
            return noSuchOrganization(spaceKey);
        }
        PlanState plan = found.get().organization().plan();
        if (plan == PlanState.NOT_ACTIVATED) {
            return Decision.refused(
                    Refusals.PLAN_NOT_ACTIVATED,
                    "The plan of organization " + spaceKey
                            + " has not been activated: its log does not leave the server.");
        }
        if (plan.ended()) {
            return Decision.refused(
                    Refusals.PLAN_ENDED,
                    planEndedDetail(found.get().organization()) + ": its log no longer leaves the server.");
        }
        return planLetsTheLogOut(spaceKey, found.get());
    }

    /** The plan's part of the export rule: not overdue, and a paid plan's users within its license. */
    private static Decision planLetsTheLogOut(String spaceKey, OrganizationSnapshot s) {
        Organization o = s.organization();
        if (o.plan() == PlanState.OVERDUE) {
            return Decision.refused(
                    Refusals.PLAN_OVERDUE,
                    "The payment of organization " + spaceKey
                            + " is overdue: export and download are unavailable until it is paid within the grace period,"
                            + " which ends " + o.graceEnds() + ".");
        }
        if (o.plan() == PlanState.PAID) {
            long users = users(s);
            if (users > o.licenseCount()) {
                return Decision.refused(
                        Refusals.LICENSE_EXCEEDED,
                        "Organization " + spaceKey + " has " + users
                                + " users, but its license is for " + o.licenseCount()
                                + ": export and download are unavailable until users are removed or licenses added.");
            }
        }
        return Decision.ALLOWED;
    }

    /** The users a license counts: admins and members. Guests are not counted. */
    static long users(OrganizationSnapshot s) {
        return s.members().stream().filter(m -> m.role() != Role.GUEST).count();
    }

    private static Optional<OrganizationSnapshot> effective(OrganizationSnapshot stored, Instant now) {
        if (stored == null || stored.organization().deleted() != null) {
            return Optional.empty();
        }
        return Optional.of(Rules.atTime(stored, now).snapshot());
    }

    private static Decision noSuchOrganization(String spaceKey) {
        return Decision.refused(Refusals.NO_SUCH_ORGANIZATION, "There is no organization " + spaceKey + ".");
    }

    private static String planEndedDetail(Organization o) {
        return "The plan of organization " + o.spaceKey() + " has ended (" + AppsEvents.words(o.plan()) + ", on "
                + o.planEnded() + ")";
    }
}
