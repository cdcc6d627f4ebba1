package org.auditlog.rest.internal;

import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.Role;
import org.auditlog.api.store.TokenStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Operator (or billing system) endpoints for organizations, their members and plans, under
 * {@code /api/v1/admin/orgs}. Changes are recorded in the organization's audit log as the system, or as the
 * support team when the request carries {@code X-Auditlog-Support: true}.
 */
@Path("v1/admin/orgs")
@Produces(MediaType.APPLICATION_JSON)
@Component(service = ApiResource.class)
@Access(Access.Who.OPERATOR)
public final class OrgAdminResource implements ApiResource {
    private final OrganizationService orgs;
    private final TokenStore tokens;

    @Activate
    public OrgAdminResource(@Reference OrganizationService orgs, @Reference TokenStore tokens) {
        this.orgs = orgs;
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body, @Context ContainerRequestContext request, @Context HttpServletRequest http) {
        Map<?, ?> b = Requests.object(body, List.of("spaceKey", "name", "licenseCount"));
        String spaceKey = required(b, "spaceKey");
        Integer licenseCount = Requests.integer(b, "licenseCount");
        if (licenseCount == null) {
            throw ApiException.badRequest("licenseCount", "is required");
        }
        return Response.status(201)
                .entity(Views.organization(orgs.create(
                        spaceKey, required(b, "name"), licenseCount, Requests.actor(request, http, orgs, spaceKey))))
                .build();
    }

    @GET
    @Path("{spaceKey}")
    public Map<String, Object> get(@PathParam("spaceKey") String spaceKey) {
        return Views.snapshot(orgs.get(spaceKey));
    }

    @PATCH
    @Path("{spaceKey}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(
            @PathParam("spaceKey") String spaceKey,
            String body,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        Map<?, ?> b = Requests.object(body, List.of("name", "licenseCount"));
        return Views.organization(orgs.update(
                spaceKey,
                TokensResource.string(b, "name"),
                Requests.integer(b, "licenseCount"),
                Requests.actor(request, http, orgs, spaceKey)));
    }

    @DELETE
    @Path("{spaceKey}")
    public Response delete(
            @PathParam("spaceKey") String spaceKey,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        orgs.delete(spaceKey, Requests.actor(request, http, orgs, spaceKey));
        tokens.revokeAll(spaceKey, null); // member tokens and the ingest tokens bound to it
        return Response.noContent().build();
    }

    @POST
    @Path("{spaceKey}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addMember(
            @PathParam("spaceKey") String spaceKey,
            String body,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        Map<?, ?> b = Requests.object(body, List.of("userId", "name", "email", "role"));
        Member added = orgs.addMember(
                spaceKey,
                new Member(required(b, "userId"), required(b, "name"), required(b, "email"), role(required(b, "role"))),
                Requests.actor(request, http, orgs, spaceKey));
        return Response.status(201).entity(Views.member(added, false)).build();
    }

    @PATCH
    @Path("{spaceKey}/members/{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> updateMember(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("userId") String userId,
            String body,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        Map<?, ?> b = Requests.object(body, List.of("name", "email", "role"));
        String role = TokensResource.string(b, "role");
        Member m = orgs.updateMember(
                spaceKey,
                userId,
                TokensResource.string(b, "name"),
                TokensResource.string(b, "email"),
                role == null ? null : role(role),
                Requests.actor(request, http, orgs, spaceKey));
        boolean holds =
                orgs.auditAdmins(spaceKey).stream().anyMatch(h -> h.userId().equals(userId));
        return Views.member(m, holds);
    }

    @DELETE
    @Path("{spaceKey}/members/{userId}")
    public Response removeMember(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("userId") String userId,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        orgs.removeMember(spaceKey, userId, Requests.actor(request, http, orgs, spaceKey));
        tokens.revokeAll(spaceKey, userId);
        return Response.noContent().build();
    }

    @PUT
    @Path("{spaceKey}/plan")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> plan(
            @PathParam("spaceKey") String spaceKey,
            String body,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        Map<?, ?> b = Requests.object(body, List.of("state", "planAdmin"));
        String state = required(b, "state");
        PlanState to = PlanState.fromWireName(state);
        if (to == null) {
            throw ApiException.badRequest(
                    "state",
                    "must be one of not_activated, trial, paid, overdue, terminated, " + "trial_expired, canceled");
        }
        return Views.organization(orgs.changePlan(
                spaceKey, to, TokensResource.string(b, "planAdmin"), Requests.actor(request, http, orgs, spaceKey)));
    }

    private static Role role(String text) {
        Role r = Role.fromWireName(text);
        if (r == null) {
            throw ApiException.badRequest("role", "must be admin, member or guest");
        }
        return r;
    }

    private static String required(Map<?, ?> b, String field) {
        String v = TokensResource.string(b, field);
        if (v == null) {
            throw ApiException.badRequest(field, "is required");
        }
        return v;
    }
}
