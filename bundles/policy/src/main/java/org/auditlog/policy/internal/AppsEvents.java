package org.auditlog.policy.internal;

import java.time.Instant;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.Role;

/**
 * The Apps events the policy records about its own changes. Categories, event names and the wording of
 * actions are those of the Apps adapter's catalog, so a change reads the same whether Apps reported it or
 * the server made it. Where the catalog has no event for a change (a plan falling overdue and being paid,
 * a member's profile, the organization's name and license count, its deletion), the event is named here
 * in the same style; the README lists them.
 */
final class AppsEvents {
    static final String PRODUCT = "Apps";

    static final String MEMBER = "Member";
    static final String PLAN = "Plan";
    static final String PRIVILEGE = "Privilege";
    static final String ORGANIZATION = "Organization";

    static final String INVITE_MEMBER = "Invite a member";
    static final String REMOVE_MEMBER = "Remove a member";
    static final String CHANGE_ROLE = "Change a member's role";
    static final String UPDATE_MEMBER = "Update a member";
    static final String START_PLAN = "Start a plan";
    static final String END_PLAN = "End a plan";
    static final String MARK_OVERDUE = "Mark a plan overdue";
    static final String PAY_OVERDUE = "Pay an overdue plan";
    static final String GRANT_PRIVILEGE = "Grant the Audit Log Admin privilege";
    static final String REVOKE_PRIVILEGE = "Revoke the Audit Log Admin privilege";
    static final String UPDATE_ORGANIZATION = "Update the organization";
    static final String DELETE_ORGANIZATION = "Delete the organization";

    private static final String AUDIT_LOG_ADMIN = "Audit Log Admin";

    private AppsEvents() {}

    /** How a member is named in an action: by email, as the Apps adapter does. */
    static String label(Member m) {
        return m.email();
    }

    static Change invited(Member m) {
        return Change.byActor(MEMBER, INVITE_MEMBER, label(m) + " was invited");
    }

    static Change removed(Member m) {
        return Change.byActor(MEMBER, REMOVE_MEMBER, label(m) + " was removed");
    }

    static Change roleChanged(Member m, Role from, Role to) {
        return Change.byActor(
                MEMBER,
                CHANGE_ROLE,
                "Role of " + label(m) + " was changed from " + from.wireName() + " to " + to.wireName());
    }

    static Change profileUpdated(Member before, String what) {
        return Change.byActor(MEMBER, UPDATE_MEMBER, "Profile of " + label(before) + " was updated (" + what + ")");
    }

    static Change planStarted(PlanState to, String why) {
        return Change.byActor(PLAN, START_PLAN, kind(to) + " plan started" + (why == null ? "" : " (" + why + ")"));
    }

    /** The end of a plan; {@code from} is the state it ended from, which says whether it was a trial. */
    static Change planEnded(PlanState from, String why, boolean bySystem) {
        return new Change(bySystem, PLAN, END_PLAN, kind(from) + " plan ended (" + why + ")");
    }

    static Change planOverdue(Instant graceEnds) {
        return Change.byActor(
                PLAN, MARK_OVERDUE, "Paid plan is overdue (payment failed; the grace period ends " + graceEnds + ")");
    }

    static Change overduePaid() {
        return Change.byActor(PLAN, PAY_OVERDUE, "Overdue paid plan was paid within the grace period");
    }

    static Change granted(Member m, String why, boolean bySystem) {
        return new Change(
                bySystem,
                PRIVILEGE,
                GRANT_PRIVILEGE,
                AUDIT_LOG_ADMIN + " privilege was granted to " + label(m) + (why == null ? "" : " (" + why + ")"));
    }

    static Change revoked(Member m, String why, boolean bySystem) {
        return new Change(
                bySystem,
                PRIVILEGE,
                REVOKE_PRIVILEGE,
                AUDIT_LOG_ADMIN + " privilege was revoked from " + label(m) + (why == null ? "" : " (" + why + ")"));
    }

    static Change organizationUpdated(String what) {
        return Change.byActor(ORGANIZATION, UPDATE_ORGANIZATION, what);
    }

    static Change organizationDeleted(String spaceKey) {
        return Change.byActor(ORGANIZATION, DELETE_ORGANIZATION, "Organization " + spaceKey + " was deleted");
    }

    /** Why a plan ended, in the Apps adapter's words. */
    static String endReason(PlanState ended) {
        return switch (ended) {
            case TRIAL_EXPIRED -> "trial expired";
            case CANCELED -> "subscription canceled";
            case TERMINATED -> "terminated after an overdue payment";
            default -> throw new IllegalArgumentException(ended + " is not an ended state");
        };
    }

    /** A plan state for people, as refusals name it. */
    static String words(PlanState state) {
        return switch (state) {
            case NOT_ACTIVATED -> "not activated";
            case TRIAL -> "trial";
            case PAID -> "paid";
            case OVERDUE -> "overdue (payment failed)";
            case TERMINATED -> "terminated after an overdue payment";
            case TRIAL_EXPIRED -> "trial expired";
            case CANCELED -> "subscription canceled";
        };
    }

    /** {@code Trial} or {@code Paid}: the kind of plan a state belongs to (an overdue plan is a paid one). */
    private static String kind(PlanState state) {
        return state == PlanState.TRIAL || state == PlanState.TRIAL_EXPIRED ? "Trial" : "Paid";
    }
}
