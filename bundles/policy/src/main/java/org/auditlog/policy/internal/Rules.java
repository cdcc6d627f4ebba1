package org.auditlog.policy.internal;

import static org.auditlog.policy.internal.Refusals.conflict;
import static org.auditlog.policy.internal.Refusals.forbidden;
import static org.auditlog.policy.internal.Refusals.invalid;
import static org.auditlog.policy.internal.Refusals.notFound;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.access.PrivilegeGrant;
import org.auditlog.api.access.Role;
import org.auditlog.api.adapter.Actors;
import org.auditlog.api.adapter.Column;

/**
 * The access rules of docs/rules.md sections 1, 3 and 4 as pure functions: each takes a snapshot and the instant
 * {@code now}, and returns what the snapshot becomes (with the Apps events to record) or throws a
 * {@link PolicyException}. No I/O, no clock: the caller loads, passes the time, and saves.
 *
 * <p>Every operation on an existing organization first applies time ({@link #atTime}): an overdue plan whose
 * grace has run out is terminated before the operation is judged, so the operation sees the state the
 * organization is really in.
 */
final class Rules {
    /** How long an overdue plan may stay unpaid before it is terminated. */
    static final Duration GRACE_PERIOD = Duration.ofDays(14);
    /** How long after its end a restarted plan gives the privilege back to its previous holders. */
    static final Duration RESTORE_WINDOW = Duration.ofDays(30);
    /**
     * How long the space key of a deleted organization is reserved for it (its data is kept that long); after that
     * it is free once the organization's data is purged.
     */
    static final Duration SPACE_KEY_RESERVED = Duration.ofDays(30);
    /** Longest organization name. */
    static final int ORGANIZATION_NAME_MAX = 255;

    /** Why a holding of the privilege ended (see {@link PrivilegeGrant#reason()}). */
    static final String REASON_REVOKED = "revoked";

    static final String REASON_PLAN_ENDED = "plan_ended";
    static final String REASON_MEMBER_REMOVED = "member_removed";
    static final String REASON_ROLE_CHANGED = "role_changed";

    private static final Pattern SPACE_KEY = Pattern.compile(Column.SPACE_KEY_PATTERN);

    /** The plan transitions a request may ask for; staying in the same state is always accepted (no change). */
    private static final Map<PlanState, Set<PlanState>> TRANSITIONS = Map.of(
            PlanState.NOT_ACTIVATED, EnumSet.of(PlanState.TRIAL, PlanState.PAID),
            PlanState.TRIAL, EnumSet.of(PlanState.PAID, PlanState.TRIAL_EXPIRED, PlanState.CANCELED),
            PlanState.PAID, EnumSet.of(PlanState.OVERDUE, PlanState.CANCELED),
            PlanState.OVERDUE, EnumSet.of(PlanState.PAID, PlanState.TERMINATED, PlanState.CANCELED),
            PlanState.TERMINATED, EnumSet.of(PlanState.TRIAL, PlanState.PAID),
            PlanState.TRIAL_EXPIRED, EnumSet.of(PlanState.TRIAL, PlanState.PAID),
            PlanState.CANCELED, EnumSet.of(PlanState.TRIAL, PlanState.PAID));

    private Rules() {}

    // ---- time ----

    /**
     * The organization as time has made it at {@code now}: an overdue plan whose grace period has run out
     * (at {@code graceEnds} exactly or later) is terminated, as of {@code graceEnds}, and every holding of the
     * privilege ends then. These are automatic changes, recorded as the System user.
     */
    static Outcome atTime(OrganizationSnapshot s, Instant now) {
        Organization o = s.organization();
        if (o.deleted() != null
                || o.plan() != PlanState.OVERDUE
                || o.graceEnds() == null
                || now.isBefore(o.graceEnds())) {
            return Outcome.unchanged(s);
        }
        Draft d = Draft.of(s);
        endPlan(d, PlanState.TERMINATED, o.graceEnds(), true);
        return d.outcome();
    }

    // ---- organizations ----

    /** Whether the text can be a space key at all; anything else names no organization. */
    static boolean isSpaceKey(String spaceKey) {
        return spaceKey != null && SPACE_KEY.matcher(spaceKey).matches();
    }

    /**
     * The organization if it exists and is not deleted.
     *
     * @throws PolicyException NOT_FOUND {@code no_such_organization} otherwise
     */
    static OrganizationSnapshot existing(String spaceKey, OrganizationSnapshot s) {
        if (s == null || s.organization().deleted() != null) {
            throw notFound(Refusals.NO_SUCH_ORGANIZATION, "There is no organization " + spaceKey + ".");
        }
        return s;
    }

    /** Checks the fields of a new organization before anything is loaded. */
    static void checkNew(String spaceKey, String name, int licenseCount) {
        if (spaceKey == null || spaceKey.isBlank()) {
            throw invalid("spaceKey", Refusals.REQUIRED, "The space key is required.");
        }
        if (!isSpaceKey(spaceKey)) {
            throw invalid(
                    "spaceKey",
                    Refusals.INVALID_FORMAT,
                    "The space key must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit.");
        }
        checkOrganizationName(name);
        checkLicenseCount(licenseCount);
    }

    /**
     * A new organization, its plan not activated, or a refusal (every one naming the field {@code spaceKey}): a
     * space key in use is a conflict; so is a key that differs only in case from one in use (an organization's key
     * names its export folder, and a case-insensitive file system would give two such keys one folder); and so is
     * the key, in any case, of a deleted organization that is still stored: for {@link #SPACE_KEY_RESERVED} after
     * its deletion the key is reserved, and after that the key is free only once the organization's data is purged
     * and the organization removed ({@link OrganizationPurge}), which the caller does first. So a new organization
     * never finds anything of an earlier one under its key.
     *
     * @param stored the organization stored under the key, or {@code null}
     * @param sameIgnoringCase the organizations stored under keys that differ from it only in case
     */
    static Outcome create(
            OrganizationSnapshot stored,
            List<OrganizationSnapshot> sameIgnoringCase,
            String spaceKey,
            String name,
            int licenseCount,
            Instant now) {
        checkNew(spaceKey, name, licenseCount);
        if (stored != null && stored.organization().deleted() == null) {
            throw conflict(
                    "spaceKey",
                    Refusals.ORGANIZATION_EXISTS,
                    "An organization with space key " + spaceKey + " already exists.");
        }
        List<OrganizationSnapshot> holders = new ArrayList<>(sameIgnoringCase);
        if (stored != null) {
            holders.add(0, stored);
        }
        for (OrganizationSnapshot holder : holders) {
            Organization old = holder.organization();
            String which = old.spaceKey().equals(spaceKey)
                    ? "The space key " + spaceKey + " belongs to"
                    : "The space key " + spaceKey + " differs only in case from " + old.spaceKey() + ", the key of";
            if (old.deleted() == null) {
                throw conflict(
                        "spaceKey",
                        Refusals.SPACE_KEY_CASE_CONFLICT,
                        which + " an existing organization; keys "
                                + "that differ only in case are refused, since a case-insensitive file system would give "
                                + "them one export folder.");
            }
            Instant free = old.deleted().plus(SPACE_KEY_RESERVED);
            if (now.isBefore(free)) {
                throw conflict(
                        "spaceKey",
                        Refusals.SPACE_KEY_RESERVED,
                        which + " an organization deleted on " + old.deleted() + "; it can be used again from " + free
                                + ".");
            }
            throw beingPurged(spaceKey, old, "its data is not deleted yet");
        }
        Organization o = new Organization(
                spaceKey, name, licenseCount, PlanState.NOT_ACTIVATED, null, null, null, null, now, null, 0);
        return Outcome.of(null, new OrganizationSnapshot(o, List.of(), List.of()), List.of());
    }

    /**
     * The refusal of a space key whose deleted organization (of that key, or one differing only in case) is due to
     * be purged and is not yet.
     *
     * @param why why it is not purged yet, and when to try again where that is known
     */
    static PolicyException beingPurged(String spaceKey, Organization deleted, String why) {
        return conflict(
                "spaceKey",
                Refusals.SPACE_KEY_BEING_PURGED,
                "The space key " + spaceKey + " is still held by "
                        + "organization " + deleted.spaceKey() + ", deleted on " + deleted.deleted()
                        + ": it is free once "
                        + "that organization's data is purged, and " + why + ".");
    }

    /** Changes the name and/or the license count; {@code null} keeps a value. */
    static Outcome update(OrganizationSnapshot s, String name, Integer licenseCount, Instant now) {
        Outcome timed = atTime(existing(s.organization().spaceKey(), s), now);
        Draft d = Draft.of(timed.snapshot());
        List<String> what = new ArrayList<>();
        if (name != null) {
            checkOrganizationName(name);
            if (!name.equals(d.name)) {
                what.add("Name was changed from \"" + d.name + "\" to \"" + name + "\"");
                d.name = name;
            }
        }
        if (licenseCount != null) {
            checkLicenseCount(licenseCount);
            if (licenseCount != d.licenseCount) {
                what.add("License count was changed from " + d.licenseCount + " to " + licenseCount);
                d.licenseCount = licenseCount;
            }
        }
        if (!what.isEmpty()) {
            d.changes.add(AppsEvents.organizationUpdated(String.join("; ", what)));
        }
        return timed.then(d.outcome());
    }

    /**
     * Deletes the organization: a running plan is canceled as of now (the privilege ends for everybody, with
     * reason {@code plan_ended}); from now on the organization is not found.
     */
    static Outcome delete(OrganizationSnapshot s, Instant now) {
        Outcome timed = atTime(existing(s.organization().spaceKey(), s), now);
        Draft d = Draft.of(timed.snapshot());
        d.changes.add(AppsEvents.organizationDeleted(d.spaceKey));
        if (d.plan.active()) {
            PlanState from = d.plan;
            d.plan = PlanState.CANCELED;
            d.planEnded = now;
            d.graceEnds = null;
            d.changes.add(AppsEvents.planEnded(from, "organization deleted", true));
            endAllHoldings(d, now);
        }
        d.deleted = now;
        return timed.then(d.outcome());
    }

    // ---- members ----

    static Outcome addMember(OrganizationSnapshot s, Member member, Instant now) {
        Outcome timed = atTime(existing(s.organization().spaceKey(), s), now);
        Objects.requireNonNull(member, "member");
        checkUserId(member.userId());
        checkMemberName(member.name());
        checkEmail(member.email());
        if (member.role() == null) {
            throw invalid("role", Refusals.REQUIRED, "The role is required: admin, member or guest.");
        }
        Draft d = Draft.of(timed.snapshot());
        if (d.member(member.userId()).isPresent()) {
            throw conflict(
                    Refusals.MEMBER_EXISTS, "User " + member.userId() + " is already a member of " + d.spaceKey + ".");
        }
        d.members.add(member);
        d.changes.add(AppsEvents.invited(member));
        return timed.then(d.outcome());
    }

    /**
     * Changes a member's name, email or role ({@code null} keeps a value). Demoting the last admin who holds
     * the privilege is refused; a holder who becomes a guest loses the privilege.
     */
    static Outcome updateMember(
            OrganizationSnapshot s, String userId, String name, String email, Role role, Instant now) {
        Outcome timed = atTime(existing(s.organization().spaceKey(), s), now);
        Draft d = Draft.of(timed.snapshot());
        Member before = requireMember(d, userId);
        if (name != null) {
            checkMemberName(name);
        }
        if (email != null) {
            checkEmail(email);
        }
        Member after = new Member(
                before.userId(),
                name == null ? before.name() : name,
                email == null ? before.email() : email,
                role == null ? before.role() : role);
        if (after.equals(before)) {
            return timed;
        }
        if (before.role() == Role.ADMIN && after.role() != Role.ADMIN && d.isLastAdminHolder(userId)) {
            throw lastAdminHolder(d, before, "demoted to " + after.role().wireName());
        }
        d.replaceMember(after);
        List<String> profile = new ArrayList<>();
        if (!after.name().equals(before.name())) {
            profile.add("name");
        }
        if (!after.email().equals(before.email())) {
            profile.add("email");
        }
        if (!profile.isEmpty()) {
            d.changes.add(AppsEvents.profileUpdated(before, String.join(", ", profile)));
        }
        if (after.role() != before.role()) {
            d.changes.add(AppsEvents.roleChanged(after, before.role(), after.role()));
            if (after.role() == Role.GUEST && d.endHolding(userId, null, now, REASON_ROLE_CHANGED)) {
                d.changes.add(AppsEvents.revoked(after, "role changed to guest", true));
            }
        }
        return timed.then(d.outcome());
    }

    /** Removes a member, who loses the privilege; removing the last admin who holds it is refused. */
    static Outcome removeMember(OrganizationSnapshot s, String userId, Instant now) {
        Outcome timed = atTime(existing(s.organization().spaceKey(), s), now);
        Draft d = Draft.of(timed.snapshot());
        Member member = requireMember(d, userId);
        if (d.isLastAdminHolder(userId)) {
            throw lastAdminHolder(d, member, "removed");
        }
        d.members.remove(member);
        d.changes.add(AppsEvents.removed(member));
        if (d.endHolding(userId, null, now, REASON_MEMBER_REMOVED)) {
            d.changes.add(AppsEvents.revoked(member, "member removed", true));
        }
        return timed.then(d.outcome());
    }

    // ---- plans ----

    /**
     * Moves the plan to {@code to} (see the transition table in the README). Asking for the state the plan is
     * in changes nothing. Starting a plan (from not activated or from an ended state) names the plan admin,
     * an admin of the organization, who holds the privilege from then on; a restart less than
     * {@link #RESTORE_WINDOW} after the end also gives it back to the previous holders.
     *
     * @param planAdmin read only when the plan starts
     */
    static Outcome changePlan(OrganizationSnapshot s, PlanState to, String planAdmin, Instant now) {
        if (to == null) {
            throw invalid("plan", Refusals.REQUIRED, "The plan state to move to is required.");
        }
        Outcome timed = atTime(existing(s.organization().spaceKey(), s), now);
        Draft d = Draft.of(timed.snapshot());
        PlanState from = d.plan;
        if (from == to) {
            return timed;
        }
        if (!TRANSITIONS.get(from).contains(to)) {
            throw conflict(
                    Refusals.PLAN_TRANSITION,
                    "The plan of organization " + d.spaceKey + " cannot move from " + from.wireName() + " to "
                            + to.wireName() + ".");
        }
        if (from == PlanState.NOT_ACTIVATED || from.ended()) {
            startPlan(d, to, planAdmin, now);
        } else if (to.ended()) {
            endPlan(d, to, now, false);
        } else if (to == PlanState.OVERDUE) {
            d.plan = PlanState.OVERDUE;
            d.graceEnds = now.plus(GRACE_PERIOD);
            d.changes.add(AppsEvents.planOverdue(d.graceEnds));
        } else if (from == PlanState.OVERDUE) { // to PAID: paid within the grace period
            d.plan = PlanState.PAID;
            d.graceEnds = null;
            d.changes.add(AppsEvents.overduePaid());
        } else { // TRIAL to PAID: the paid plan starts now
            d.plan = PlanState.PAID;
            d.planStarted = now;
            d.changes.add(AppsEvents.planStarted(PlanState.PAID, "upgraded from trial"));
        }
        return timed.then(d.outcome());
    }

    private static void startPlan(Draft d, PlanState to, String planAdmin, Instant now) {
        if (planAdmin == null || planAdmin.isBlank()) {
            throw invalid(
                    "planAdmin",
                    Refusals.REQUIRED,
                    "Starting a plan names the plan admin who applies: the user id of an admin of the organization.");
        }
        Member admin = d.member(planAdmin)
                .filter(m -> m.role() == Role.ADMIN)
                .orElseThrow(() -> invalid(
                        "planAdmin",
                        Refusals.MUST_BE_ADMIN,
                        "The plan admin must be an admin of organization " + d.spaceKey + "; " + planAdmin
                                + " is not."));
        boolean restart = d.plan.ended();
        Instant lastEnd = d.planEnded;
        d.plan = to;
        d.planAdmin = planAdmin;
        d.planStarted = now;
        d.planEnded = null;
        d.graceEnds = null;
        d.changes.add(AppsEvents.planStarted(to, restart ? "restarted" : null));
        if (restart && lastEnd != null && now.isBefore(lastEnd.plus(RESTORE_WINDOW))) {
            restoreHoldings(d, lastEnd, now);
        }
        if (!d.holds(planAdmin)) {
            d.startHolding(planAdmin, null, now);
            d.changes.add(AppsEvents.granted(admin, "plan admin who applied", true));
        }
    }

    /**
     * Gives the privilege back to everyone whose holding ended with the plan at {@code lastEnd}, if still a
     * member and not a guest. The new holding keeps the original granter: the history still says who chose
     * the holder.
     */
    private static void restoreHoldings(Draft d, Instant lastEnd, Instant now) {
        for (PrivilegeGrant g : List.copyOf(d.grants)) {
            if (!REASON_PLAN_ENDED.equals(g.reason()) || !lastEnd.equals(g.revoked()) || d.holds(g.userId())) {
                continue;
            }
            Member m = d.member(g.userId()).orElse(null);
            if (m != null && m.role() != Role.GUEST) {
                d.startHolding(g.userId(), g.grantedBy(), now);
                d.changes.add(AppsEvents.granted(m, "restored: the plan restarted within 30 days of its end", true));
            }
        }
    }

    /** Ends the plan as of {@code at}; every holding of the privilege ends then, by the system. */
    private static void endPlan(Draft d, PlanState to, Instant at, boolean bySystem) {
        PlanState from = d.plan;
        d.plan = to;
        d.planEnded = at;
        d.graceEnds = null;
        d.changes.add(AppsEvents.planEnded(from, AppsEvents.endReason(to), bySystem));
        endAllHoldings(d, at);
    }

    private static void endAllHoldings(Draft d, Instant at) {
        for (Member m : d.holders()) {
            d.endHolding(m.userId(), null, at, REASON_PLAN_ENDED);
            d.changes.add(AppsEvents.revoked(m, "the plan ended", true));
        }
    }

    // ---- the Audit Log Admin privilege ----

    /** Members holding the privilege at {@code now}, in the order they got it. */
    static List<Member> holders(OrganizationSnapshot s, Instant now) {
        return Draft.of(atTime(existing(s.organization().spaceKey(), s), now).snapshot())
                .holders();
    }

    /**
     * Grants the privilege. Only a holder (or the support team) may; a guest never holds it; granting it to a
     * holder changes nothing.
     */
    static Outcome grant(OrganizationSnapshot s, String userId, Actor by, Instant now) {
        Outcome timed = atTime(existing(s.organization().spaceKey(), s), now);
        Draft d = Draft.of(timed.snapshot());
        String granter = authorize(d, by, "grant");
        if (!d.plan.active()) {
            throw planNotRunning(d, "granted");
        }
        Member m = requireMember(d, userId);
        if (m.role() == Role.GUEST) {
            throw conflict(
                    Refusals.GUEST_CANNOT_HOLD,
                    "A guest cannot hold the Audit Log Admin privilege; " + AppsEvents.label(m) + " is a guest of "
                            + d.spaceKey + ".");
        }
        if (d.holds(userId)) {
            return timed;
        }
        d.startHolding(userId, granter, now);
        d.changes.add(AppsEvents.granted(m, null, false));
        return timed.then(d.outcome());
    }

    /**
     * Revokes the privilege. Only a holder (or the support team) may; revoking it from the last admin who holds
     * it is refused; revoking it from someone who does not hold it changes nothing.
     */
    static Outcome revoke(OrganizationSnapshot s, String userId, Actor by, Instant now) {
        Outcome timed = atTime(existing(s.organization().spaceKey(), s), now);
        Draft d = Draft.of(timed.snapshot());
        String revoker = authorize(d, by, "revoke");
        Member m = requireMember(d, userId);
        if (!d.holds(userId)) {
            return timed;
        }
        if (d.isLastAdminHolder(userId)) {
            throw lastAdminHolder(d, m, "stripped of it");
        }
        d.endHolding(userId, revoker, now, REASON_REVOKED);
        d.changes.add(AppsEvents.revoked(m, null, false));
        return timed.then(d.outcome());
    }

    /**
     * Who may grant and revoke: a member holding the privilege, or the support team (the support team acts
     * for organizations that have lost their way, e.g. every holder left the company). The system never does
     * on its own: its changes of the privilege are only the automatic consequences of plan and member changes.
     *
     * @return how the actor is written in {@link PrivilegeGrant#grantedBy()} / {@code revokedBy()}
     */
    private static String authorize(Draft d, Actor by, String verb) {
        Objects.requireNonNull(by, "by");
        if (!by.isMember()) {
            if (Actors.NULAB_SUPPORT.equals(by.name())) {
                return Actors.NULAB_SUPPORT;
            }
            throw forbidden(
                    Refusals.NOT_AUDIT_LOG_ADMIN,
                    "Only a holder of the Audit Log Admin privilege or " + Actors.NULAB_SUPPORT + " may " + verb
                            + " it; " + by.name() + " may not.");
        }
        if (!d.holds(by.userId())) {
            String state = d.plan.active()
                    ? ""
                    : " Nobody holds it while the plan of " + d.spaceKey + " is " + AppsEvents.words(d.plan) + ".";
            throw forbidden(
                    Refusals.NOT_AUDIT_LOG_ADMIN,
                    "Only a holder of the Audit Log Admin privilege may " + verb + " it." + state);
        }
        return by.userId();
    }

    private static PolicyException planNotRunning(Draft d, String verb) {
        boolean ended = d.plan.ended();
        return conflict(
                ended ? Refusals.PLAN_ENDED : Refusals.PLAN_NOT_ACTIVATED,
                "The Audit Log Admin privilege cannot be " + verb + " while the plan of " + d.spaceKey + " is "
                        + AppsEvents.words(d.plan) + (ended ? " (it ended on " + d.planEnded + ")" : "") + ".");
    }

    private static PolicyException lastAdminHolder(Draft d, Member m, String what) {
        return conflict(
                Refusals.LAST_ADMIN_HOLDER,
                AppsEvents.label(m)
                        + " is the last admin holding the Audit Log Admin privilege in " + d.spaceKey
                        + " and cannot be " + what
                        + ": at least one admin must hold it. Grant it to another admin first.");
    }

    // ---- checks of form ----

    private static Member requireMember(Draft d, String userId) {
        return d.member(userId)
                .orElseThrow(() -> notFound(
                        Refusals.NO_SUCH_MEMBER, "User " + userId + " is not a member of " + d.spaceKey + "."));
    }

    private static void checkOrganizationName(String name) {
        required("name", name, "The organization name");
        maxLength("name", name, ORGANIZATION_NAME_MAX, "The organization name");
    }

    private static void checkLicenseCount(int licenseCount) {
        if (licenseCount < 1) {
            throw invalid(
                    "licenseCount",
                    Refusals.OUT_OF_RANGE,
                    "The license count must be a whole number of 1 or more; it was " + licenseCount + ".");
        }
    }

    private static void checkUserId(String userId) {
        required("userId", userId, "The user id");
        maxLength("userId", userId, Column.OPERATION_USER_ID.maxLength(), "The user id");
    }

    /**
     * A member's name becomes the operation user name of what the member does, so it may not be one of the
     * fixed names that mean the support team or the system: a member called {@code System user} would make
     * that member's actions look like the system's (and lose their id and address in the record).
     */
    private static void checkMemberName(String name) {
        required("name", name, "The member name");
        maxLength("name", name, Column.OPERATION_USER_NAME.maxLength(), "The member name");
        if (Actors.isSupportOrSystem(name.strip())) {
            throw invalid(
                    "name",
                    Refusals.RESERVED_NAME,
                    "\"" + name + "\" is reserved for the support team and"
                            + " the system; choose another member name.");
        }
    }

    private static void checkEmail(String email) {
        required("email", email, "The email address");
        maxLength("email", email, Column.OPERATION_USER_EMAIL.maxLength(), "The email address");
        int at = email.lastIndexOf('@');
        if (at <= 0 || at == email.length() - 1) {
            throw invalid(
                    "email", Refusals.INVALID_FORMAT, "The email address must have a local part, '@' and a domain.");
        }
    }

    private static void required(String field, String value, String what) {
        if (value == null || value.isBlank()) {
            throw invalid(field, Refusals.REQUIRED, what + " is required.");
        }
    }

    private static void maxLength(String field, String value, int max, String what) {
        if (value.length() > max) {
            throw invalid(
                    field,
                    Refusals.TOO_LONG,
                    what + " may have at most " + max + " characters; it has " + value.length() + ".");
        }
    }
}
