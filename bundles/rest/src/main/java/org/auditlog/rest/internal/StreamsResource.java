package org.auditlog.rest.internal;

import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.stream.StreamService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * An organization's streams, under {@code /api/v1/orgs/{spaceKey}/streams}: create ({@code POST}, 201 with
 * {@code Location}), list, read, replace ({@code PUT}), delete, and {@code …/{id}/pause}, {@code /resume},
 * {@code /test} (one made-up event sent now, and how the destination answered) and {@code /replay} (deliver again
 * from an instant, or from a sequence per product). Who may: a member holding the Audit Log Admin privilege (the
 * same rule as searching the log, {@link AccessPolicy#mayUse}; 403 with the rule otherwise), or the operator
 * acting for the organization. A stream is found only under its own organization: another organization's id is a
 * 404, as an unknown one.
 *
 * <p>Every change, pause, resume, replay, test and deletion is recorded in the organization's own log
 * ({@link Streams} names the events), by the member, or by {@code System user} ({@code Nulab Support} with
 * {@code X-Auditlog-Support: true}) for the operator; the records name the stream and its destination's type,
 * never a setting or a secret. The streams bundle may be absent: the resource stays, and answers 503
 * {@code streams_unavailable} until a {@link StreamService} is there.
 */
@Path("v1/orgs/{spaceKey}/streams")
@Produces(MediaType.APPLICATION_JSON)
@Component(service = ApiResource.class)
@Access(Access.Who.ORGANIZATION_MEMBER)
public final class StreamsResource implements ApiResource {
    private final AccessPolicy policy;
    private final OrganizationService orgs;
    private final SelfAudit audit;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StreamService streams;

    @Activate
    public StreamsResource(
            @Reference AccessPolicy policy, @Reference OrganizationService orgs, @Reference SelfAudit audit) {
        this.policy = policy;
        this.orgs = orgs;
        this.audit = audit;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(
            @PathParam("spaceKey") String spaceKey,
            String body,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        return calls(spaceKey, request, http).create(body);
    }

    @GET
    public Map<String, Object> list(
            @PathParam("spaceKey") String spaceKey,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        return calls(spaceKey, request, http).list();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("id") String id,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        return calls(spaceKey, request, http).get(id);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("id") String id,
            String body,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        return calls(spaceKey, request, http).update(id, body);
    }

    @DELETE
    @Path("{id}")
    public Response delete(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("id") String id,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        return calls(spaceKey, request, http).delete(id);
    }

    @POST
    @Path("{id}/pause")
    public Map<String, Object> pause(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("id") String id,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        return calls(spaceKey, request, http).pause(id);
    }

    @POST
    @Path("{id}/resume")
    public Map<String, Object> resume(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("id") String id,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        return calls(spaceKey, request, http).resume(id);
    }

    @POST
    @Path("{id}/test")
    public Map<String, Object> test(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("id") String id,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        return calls(spaceKey, request, http).test(id);
    }

    @POST
    @Path("{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> replay(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("id") String id,
            String body,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        return calls(spaceKey, request, http).replay(id, body);
    }

    /**
     * The caller's calls on the organization's streams, once it may make them: a member holding the privilege (403
     * with the rule, 404 for an organization that does not exist), or the operator; then 503 without the streams
     * bundle.
     */
    private Streams.Calls calls(String spaceKey, ContainerRequestContext request, HttpServletRequest http) {
        OrgResource.requireUse(spaceKey, request, policy);
        orgs.get(spaceKey); // 404 no_such_organization for the operator
        StreamService service = Streams.available(streams);
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        String by = caller.operator() ? "operator" : "user:" + caller.grant().userId();
        boolean changes = !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
        // the member who acts, as the records name them; asked only for a change (403 not_a_member when gone)
        Actor actor = changes ? Requests.actor(request, http, orgs, spaceKey) : null;
        return new Streams.Calls(service, spaceKey, "/api/v1/orgs/" + spaceKey + "/streams", by, new Streams.Journal() {
            @Override
            public void before(String event, String action) {
                audit.record(spaceKey, actor, event, action);
            }

            @Override
            public void after(String event, String action) {
                audit.recordDone(spaceKey, actor, event, action);
            }
        });
    }
}
