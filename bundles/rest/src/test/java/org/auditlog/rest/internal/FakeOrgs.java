package org.auditlog.rest.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.access.PrivilegeGrant;
import org.auditlog.api.access.Role;

/**
 * Organizations in a map. A missing one is refused as the policy bundle refuses it (NOT_FOUND
 * {@code no_such_organization}); every change is noted with the actor who made it, and {@link #refusal}, when set,
 * is thrown by the next change instead.
 */
final class FakeOrgs implements OrganizationService {
    final Map<String, OrganizationSnapshot> orgs = new HashMap<>();
    final List<String> changes = new ArrayList<>();
    final List<Actor> actors = new ArrayList<>();
    RuntimeException refusal;

    FakeOrgs() {
        orgs.put("ACME", Fixtures.acme());
    }

    private void change(String what, Actor by) {
        if (refusal != null) {
            RuntimeException e = refusal;
            refusal = null;
            throw e;
        }
        changes.add(what);
        actors.add(by);
    }

    @Override
    public Organization create(String spaceKey, String name, int licenseCount, Actor by) {
        change("create " + spaceKey + " " + name + " " + licenseCount, by);
        Organization o = new Organization(
                spaceKey, name, licenseCount, PlanState.NOT_ACTIVATED, null, null, null, null, Fixtures.NOW, null, 1);
        orgs.put(spaceKey, new OrganizationSnapshot(o, List.of(), List.of()));
        return o;
    }

    @Override
    public OrganizationSnapshot get(String spaceKey) {
        OrganizationSnapshot s = orgs.get(spaceKey);
        if (s == null) {
            throw new PolicyException(
                    PolicyException.Kind.NOT_FOUND,
                    "no_such_organization",
                    null,
                    "there is no organization " + spaceKey);
        }
        return s;
    }

    @Override
    public Organization update(String spaceKey, String name, Integer licenseCount, Actor by) {
        change("update " + spaceKey + " " + name + " " + licenseCount, by);
        Organization o = get(spaceKey).organization();
        return new Organization(
                o.spaceKey(),
                name == null ? o.name() : name,
                licenseCount == null ? o.licenseCount() : licenseCount,
                o.plan(),
                o.planAdmin(),
                o.planStarted(),
                o.planEnded(),
                o.graceEnds(),
                o.created(),
                o.deleted(),
                o.revision() + 1);
    }

    @Override
    public void delete(String spaceKey, Actor by) {
        get(spaceKey);
        change("delete " + spaceKey, by);
    }

    @Override
    public Member addMember(String spaceKey, Member member, Actor by) {
        change("addMember " + spaceKey + " " + member, by);
        return member;
    }

    @Override
    public Member updateMember(String spaceKey, String userId, String name, String email, Role role, Actor by) {
        change("updateMember " + spaceKey + " " + userId + " " + name + " " + email + " " + role, by);
        Member m = get(spaceKey).members().stream()
                .filter(x -> x.userId().equals(userId))
                .findFirst()
                .orElseThrow();
        return new Member(
                userId,
                name == null ? m.name() : name,
                email == null ? m.email() : email,
                role == null ? m.role() : role);
    }

    @Override
    public void removeMember(String spaceKey, String userId, Actor by) {
        change("removeMember " + spaceKey + " " + userId, by);
    }

    @Override
    public Organization changePlan(String spaceKey, PlanState to, String planAdmin, Actor by) {
        change("changePlan " + spaceKey + " " + to + " " + planAdmin, by);
        Organization o = get(spaceKey).organization();
        return new Organization(
                o.spaceKey(),
                o.name(),
                o.licenseCount(),
                to,
                planAdmin,
                Fixtures.NOW,
                null,
                null,
                o.created(),
                null,
                o.revision() + 1);
    }

    @Override
    public List<Member> auditAdmins(String spaceKey) {
        OrganizationSnapshot s = get(spaceKey);
        return s.members().stream()
                .filter(m ->
                        s.grants().stream().anyMatch(g -> g.held() && g.userId().equals(m.userId())))
                .toList();
    }

    @Override
    public void grant(String spaceKey, String userId, Actor by) {
        change("grant " + spaceKey + " " + userId, by);
        OrganizationSnapshot s = get(spaceKey);
        List<PrivilegeGrant> grants = new ArrayList<>(s.grants());
        grants.add(new PrivilegeGrant(userId, by.userId(), Fixtures.NOW, null, null, null));
        orgs.put(spaceKey, new OrganizationSnapshot(s.organization(), s.members(), grants));
    }

    @Override
    public void revoke(String spaceKey, String userId, Actor by) {
        change("revoke " + spaceKey + " " + userId, by);
        OrganizationSnapshot s = get(spaceKey);
        List<PrivilegeGrant> grants = s.grants().stream()
                .map(g -> g.held() && g.userId().equals(userId)
                        ? new PrivilegeGrant(
                                g.userId(), g.grantedBy(), g.granted(), by.userId(), Fixtures.NOW, "revoked")
                        : g)
                .toList();
        orgs.put(spaceKey, new OrganizationSnapshot(s.organization(), s.members(), grants));
    }

    @Override
    public List<String> applyTime() {
        return List.of();
    }
}
