package org.auditlog.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PrivilegeGrant;

/** JSON shapes of organizations, members and decisions. */
final class Views {
    private Views() {}

    static Map<String, Object> organization(Organization o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spaceKey", o.spaceKey());
        m.put("name", o.name());
        m.put("licenseCount", o.licenseCount());
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("state", o.plan().wireName());
        plan.put("planAdmin", o.planAdmin());
        plan.put("started", Json.date(o.planStarted()));
        plan.put("ended", Json.date(o.planEnded()));
        plan.put("graceEnds", Json.date(o.graceEnds()));
        m.put("plan", plan);
        m.put("created", Json.date(o.created()));
        return m;
    }

    static Map<String, Object> snapshot(OrganizationSnapshot s) {
        Map<String, Object> m = organization(s.organization());
        Set<String> holders = holders(s);
        m.put("userCount", s.members().size());
        m.put(
                "members",
                s.members().stream()
                        .map(x -> member(x, holders.contains(x.userId())))
                        .toList());
        m.put("privilegeHistory", s.grants().stream().map(Views::grant).toList());
        return m;
    }

    static Set<String> holders(OrganizationSnapshot s) {
        return s.grants().stream()
                .filter(PrivilegeGrant::held)
                .map(PrivilegeGrant::userId)
                .collect(Collectors.toSet());
    }

    static Map<String, Object> member(Member x, boolean auditLogAdmin) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", x.userId());
        m.put("name", x.name());
        m.put("email", x.email());
        m.put("role", x.role().wireName());
        m.put("auditLogAdmin", auditLogAdmin);
        return m;
    }

    static List<Map<String, Object>> members(List<Member> members, boolean auditLogAdmin) {
        return members.stream().map(x -> member(x, auditLogAdmin)).toList();
    }

    static Map<String, Object> grant(PrivilegeGrant g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", g.userId());
        m.put("grantedBy", g.grantedBy());
        m.put("granted", Json.date(g.granted()));
        m.put("revokedBy", g.revokedBy());
        m.put("revoked", Json.date(g.revoked()));
        m.put("reason", g.reason());
        return m;
    }

    static Map<String, Object> decision(Decision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allowed", d.allowed());
        m.put("rule", d.rule());
        m.put("detail", d.detail());
        return m;
    }
}
