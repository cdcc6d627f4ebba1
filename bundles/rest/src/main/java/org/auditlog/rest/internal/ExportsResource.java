package org.auditlog.rest.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.store.ExportJob;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Current-month exports (docs/rules.md section 5): {@code POST /api/v1/orgs/{spaceKey}/exports} with
 * {@code {"product":"Backlog"}} asks for one (202 and the job), {@code GET .../exports} lists the latest and
 * {@code GET .../exports/{id}} shows one: its state, the rows written so far and, when done, the file name.
 * The file's link is mailed to the member who asked. Asking needs the Audit Log Admin privilege and a plan that
 * allows exports (the refusal names the rule) and is recorded in the organization's own log; a request beyond the
 * export bounds (one export per product at a time, so many per member and organization a day) is answered 429
 * with {@code Retry-After}, unrecorded. Looking at jobs needs the privilege.
 */
@Path("v1/orgs/{spaceKey}/exports")
@Produces(MediaType.APPLICATION_JSON)
@Component(service = ApiResource.class)
@Access(Access.Who.ORGANIZATION_MEMBER)
public final class ExportsResource implements ApiResource {
    private final ExportService exports;
    private final AccessPolicy policy;
    private final EventCapture capture;
    private final OrganizationService orgs;
    private final SelfAudit audit;

    @Activate
    public ExportsResource(
            @Reference ExportService exports,
            @Reference AccessPolicy policy,
            @Reference EventCapture capture,
            @Reference OrganizationService orgs,
            @Reference SelfAudit audit) {
        this.exports = exports;
        this.policy = policy;
        this.capture = capture;
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
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        orgs.get(spaceKey); // 404 for an organization that does not exist
        if (caller.operator()) {
            throw new PolicyException(
                    PolicyException.Kind.FORBIDDEN,
                    "member_required",
                    null,
                    "an export is asked for by an Audit Log Admin with a member token: the link is mailed to them");
        }
        OrgResource.require(spaceKey, request, policy::mayExport);
        Map<?, ?> b = Requests.object(body, List.of("product"));
        String product = TokensResource.string(b, "product");
        if (product == null) {
            throw ApiException.badRequest("product", "is required, e.g. {\"product\":\"Backlog\"}");
        }
        Set<String> known = new TreeSet<>(capture.products());
        if (!known.contains(product)) {
            throw ApiException.badRequest("product", "must be one of " + String.join(", ", known));
        }
        // the bounds first (ExportLimitException: 429, ErrorMappers.Policy), so that a refused request leaves no
        // record in the organization's log
        exports.checkExportLimits(spaceKey, product, caller.grant().userId());
        // Recorded before the job exists: a job runs and mails its link on its own, so a request whose record
        // cannot be written must not leave one behind.
        audit.record(
                spaceKey,
                Requests.actor(request, http, orgs, spaceKey),
                "Export audit logs",
                "An export of " + product + " audit logs of " + audit.currentMonth() + " up to now was requested");
        ExportJob job =
                exports.exportCurrentMonth(spaceKey, product, caller.grant().userId());
        return Response.status(202)
                .location(URI.create("/api/v1/orgs/" + spaceKey + "/exports/" + job.id()))
                .entity(view(job))
                .build();
    }

    @GET
    public Map<String, Object> list(@PathParam("spaceKey") String spaceKey, @Context ContainerRequestContext request) {
        OrgResource.requireUse(spaceKey, request, policy);
        orgs.get(spaceKey);
        return Map.of(
                "exports",
                exports.jobs(spaceKey, 50).stream().map(ExportsResource::view).toList());
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("id") String id,
            @Context ContainerRequestContext request) {
        OrgResource.requireUse(spaceKey, request, policy);
        if (!id.matches("[1-9][0-9]{0,17}")) {
            throw ApiException.badRequest("id", "must be a job id, a positive whole number");
        }
        return exports.job(spaceKey, Long.parseLong(id))
                .map(ExportsResource::view)
                .orElseThrow(() -> ApiException.notFound("no export job " + id + " in this organization"));
    }

    static Map<String, Object> view(ExportJob j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", Long.toString(j.id())); // a string, as every id (docs/rest.md)
        m.put("product", j.product());
        m.put("state", j.state().wireName());
        m.put("from", j.firstDay().toString());
        m.put("to", j.lastDay().toString());
        m.put("rows", j.rows());
        m.put("fileName", j.fileName());
        m.put("failure", j.failure());
        m.put("requestedBy", j.requestedBy());
        m.put("requested", Json.date(j.requested()));
        m.put("started", j.started() == null ? null : Json.date(j.started()));
        m.put("finished", j.finished() == null ? null : Json.date(j.finished()));
        m.put("attempts", j.attempts());
        m.put("href", "/api/v1/orgs/" + j.spaceKey() + "/exports/" + j.id());
        return m;
    }
}
