package org.auditlog.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.OrganizationSnapshot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * What a member sees of their organization, under {@code /api/v1/orgs/{spaceKey}}: the plan and what it
 * allows now, and the Audit Log Admin privilege (list, grant, revoke). A member token only ever reaches its
 * own organization (the authentication filter answers 404 for any other); the operator reaches all.
 */
@Path("v1/orgs/{spaceKey}")
@Produces(MediaType.APPLICATION_JSON)
@Component(service = ApiResource.class)
@Access(Access.Who.ORGANIZATION_MEMBER)
public final class OrgResource implements ApiResource {
    private final OrganizationService orgs;
    private final AccessPolicy policy;

    @Activate
    public OrgResource(@Reference OrganizationService orgs, @Reference AccessPolicy policy) {
        this.orgs = orgs;
        this.policy = policy;
    }

    /** The plan state and what it allows the caller now; any member may ask. */
    @GET
    public Map<String, Object> get(@PathParam("spaceKey") String spaceKey, @Context ContainerRequestContext request) {
        OrganizationSnapshot s = orgs.get(spaceKey);
        Map<String, Object> m = Views.organization(s.organization());
        Map<String, Object> allows = new LinkedHashMap<>();
        allows.put("recording", Views.decision(policy.mayRecord(spaceKey)));
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        if (!caller.operator()) {
            String userId = caller.grant().userId();
            allows.put("auditLog", Views.decision(policy.mayUse(spaceKey, userId)));
            allows.put("export", Views.decision(policy.mayExport(spaceKey, userId)));
            s.members().stream()
                    .filter(x -> x.userId().equals(userId))
                    .findFirst()
                    .ifPresent(
                            x -> m.put("you", Views.member(x, Views.holders(s).contains(userId))));
        }
        m.put("allows", allows);
        return m;
    }

    @GET
    @Path("audit-admins")
    public Map<String, Object> auditAdmins(
            @PathParam("spaceKey") String spaceKey, @Context ContainerRequestContext request) {
        requireUse(spaceKey, request);
        return Map.of("auditAdmins", Views.members(orgs.auditAdmins(spaceKey), true));
    }

    /**
     * The organization's members, each with whether they hold the privilege: whom the settings page offers the
     * privilege to. Needs the privilege, like the holders' list.
     */
    @GET
    @Path("members")
    public Map<String, Object> members(
            @PathParam("spaceKey") String spaceKey, @Context ContainerRequestContext request) {
        requireUse(spaceKey, request);
        OrganizationSnapshot s = orgs.get(spaceKey);
        Set<String> holders = Views.holders(s);
        return Map.of(
                "members",
                s.members().stream()
                        .map(x -> Views.member(x, holders.contains(x.userId())))
                        .toList());
    }

    @PUT
    @Path("audit-admins/{userId}")
    public Map<String, Object> grant(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("userId") String userId,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        requireUse(spaceKey, request);
        orgs.grant(spaceKey, userId, Requests.actor(request, http, orgs, spaceKey));
        return Map.of("auditAdmins", Views.members(orgs.auditAdmins(spaceKey), true));
    }

    @DELETE
    @Path("audit-admins/{userId}")
    public Map<String, Object> revoke(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("userId") String userId,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        requireUse(spaceKey, request);
        orgs.revoke(spaceKey, userId, Requests.actor(request, http, orgs, spaceKey));
        return Map.of("auditAdmins", Views.members(orgs.auditAdmins(spaceKey), true));
    }

    /** Refuses a member who may not use the audit log (403 with the rule); the operator passes. */
    static void requireUse(String spaceKey, ContainerRequestContext request, AccessPolicy policy) {
        require(spaceKey, request, policy::mayUse);
    }

    /**
     * Refuses a member the decision says no to: 403 with its rule, or 404 when the organization does not
     * exist (as for any organization the caller cannot see). The operator passes.
     */
    static void require(
            String spaceKey, ContainerRequestContext request, BiFunction<String, String, Decision> decision) {
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        if (caller.operator()) {
            return;
        }
        Decision d = decision.apply(spaceKey, caller.grant().userId());
        if (!d.allowed()) {
            throw "no_such_organization".equals(d.rule())
                    ? new ApiException(404, "not_found", null, "no such organization")
                    : new ApiException(403, d.rule(), null, d.detail());
        }
    }

    private void requireUse(String spaceKey, ContainerRequestContext request) {
        requireUse(spaceKey, request, policy);
    }
}
