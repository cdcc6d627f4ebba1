package org.auditlog.policy.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PrivilegeGrant;
import org.auditlog.api.access.Role;

/**
 * A snapshot being changed by one rule: the organization's fields, its members and privilege history, and the
 * changes to record. The rules mutate a draft and turn it back into an immutable snapshot with
 * {@link #outcome()}.
 */
final class Draft {
    private final OrganizationSnapshot before;

    final String spaceKey;
    String name;
    int licenseCount;
    PlanState plan;
    String planAdmin;
    Instant planStarted;
    Instant planEnded;
    Instant graceEnds;
    final Instant created;
    Instant deleted;
    final long revision;
    final List<Member> members;
    final List<PrivilegeGrant> grants;
    final List<Change> changes = new ArrayList<>();

    private Draft(OrganizationSnapshot before) {
        this.before = before;
        Organization o = before.organization();
        spaceKey = o.spaceKey();
        name = o.name();
        licenseCount = o.licenseCount();
        plan = o.plan();
        planAdmin = o.planAdmin();
        planStarted = o.planStarted();
        planEnded = o.planEnded();
        graceEnds = o.graceEnds();
        created = o.created();
        deleted = o.deleted();
        revision = o.revision();
        members = new ArrayList<>(before.members());
        grants = new ArrayList<>(before.grants());
    }

    static Draft of(OrganizationSnapshot snapshot) {
        return new Draft(snapshot);
    }

    OrganizationSnapshot snapshot() {
        return new OrganizationSnapshot(
                new Organization(
                        spaceKey,
                        name,
                        licenseCount,
                        plan,
                        planAdmin,
                        planStarted,
                        planEnded,
                        graceEnds,
                        created,
                        deleted,
                        revision),
                members,
                grants);
    }

    /** The snapshot the draft became, with what to record. */
    Outcome outcome() {
        return Outcome.of(before, snapshot(), changes);
    }

    Optional<Member> member(String userId) {
        return members.stream().filter(m -> m.userId().equals(userId)).findFirst();
    }

    void replaceMember(Member changed) {
        members.replaceAll(m -> m.userId().equals(changed.userId()) ? changed : m);
    }

    boolean holds(String userId) {
        return grants.stream().anyMatch(g -> g.held() && g.userId().equals(userId));
    }

    /** Members holding the privilege now, in the order they got it. */
    List<Member> holders() {
        List<Member> out = new ArrayList<>();
        for (PrivilegeGrant g : grants) {
            if (g.held()) {
                member(g.userId()).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Whether the member is an admin holding the privilege and no other admin holds it. */
    boolean isLastAdminHolder(String userId) {
        List<Member> adminHolders =
                holders().stream().filter(m -> m.role() == Role.ADMIN).toList();
        return adminHolders.size() == 1 && adminHolders.get(0).userId().equals(userId);
    }

    void startHolding(String userId, String grantedBy, Instant at) {
        grants.add(new PrivilegeGrant(userId, grantedBy, at, null, null, null));
    }

    /** Ends the member's holding, if any; returns whether there was one. */
    boolean endHolding(String userId, String revokedBy, Instant at, String reason) {
        for (int i = 0; i < grants.size(); i++) {
            PrivilegeGrant g = grants.get(i);
            if (g.held() && g.userId().equals(userId)) {
                grants.set(i, new PrivilegeGrant(g.userId(), g.grantedBy(), g.granted(), revokedBy, at, reason));
                return true;
            }
        }
        return false;
    }
}
