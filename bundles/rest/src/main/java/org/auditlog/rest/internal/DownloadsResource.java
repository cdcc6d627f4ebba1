package org.auditlog.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.export.DownloadFile;
import org.auditlog.api.export.ExportService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /api/v1/downloads/{token}}: the file of a current-month export, opened with the token of its
 * mailed link by a signed-in member (member token) who is an Audit Log Admin of the file's organization and
 * whose plan allows downloads. An unknown token is a 404, another organization's a 403, an expired one (24
 * hours after its mail was sent) a 410; each says so. The download is recorded in the organization's own log.
 *
 * <p>The settings page sends the token in a body instead, so that it appears in no URL the page makes (nor in
 * any access log): {@code POST /api/v1/downloads} {@code {"token":"dl_…"}} gives the same file with the same
 * refusals, and {@code POST /api/v1/downloads/check} says what the link opens (file name, size, expiry)
 * without downloading it or recording anything.
 */
@Path("v1/downloads")
@Component(service = ApiResource.class)
@Access(Access.Who.MEMBER_TOKEN)
public final class DownloadsResource implements ApiResource {
    private final ExportService exports;
    private final AccessPolicy policy;
    private final OrganizationService orgs;
    private final SelfAudit audit;

    @Activate
    public DownloadsResource(
            @Reference ExportService exports,
            @Reference AccessPolicy policy,
            @Reference OrganizationService orgs,
            @Reference SelfAudit audit) {
        this.exports = exports;
        this.policy = policy;
        this.orgs = orgs;
        this.audit = audit;
    }

    @GET
    @Path("{token}")
    @Produces({"application/zip", "application/json"})
    public Response download(
            @PathParam("token") String token,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        DownloadFile file = open(token, request);
        String spaceKey = file.grant().spaceKey();
        audit.record(
                spaceKey,
                Requests.actor(request, http, orgs, spaceKey),
                "Download audit logs",
                file.file().fileName() + " was downloaded");
        return ArchivesResource.zip(file.file())
                .header("Cache-Control", "no-store")
                .build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({"application/zip", "application/json"})
    public Response downloadPosted(
            String body, @Context ContainerRequestContext request, @Context HttpServletRequest http) {
        return download(token(body), request, http);
    }

    @POST
    @Path("check")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> check(String body, @Context ContainerRequestContext request) {
        DownloadFile file = open(token(body), request);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spaceKey", file.grant().spaceKey());
        m.put("fileName", file.file().fileName());
        m.put("size", file.file().size());
        m.put("expires", Json.date(file.expires()));
        return m;
    }

    /** The file of a link, for the caller: refused when the link is another organization's or the rules say no. */
    private DownloadFile open(String token, ContainerRequestContext request) {
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        if (token.length() > 200) {
            throw ApiException.badRequest("token", "is not a download token (too long)");
        }
        DownloadFile file = exports.openDownload(token);
        String spaceKey = file.grant().spaceKey();
        if (!spaceKey.equals(caller.grant().spaceKey())) {
            throw new PolicyException(
                    PolicyException.Kind.FORBIDDEN,
                    "foreign_download_link",
                    "token",
                    "this download link belongs to another organization; sign in as a member of that organization");
        }
        Decision may = policy.mayExport(spaceKey, caller.grant().userId());
        if (!may.allowed()) {
            throw new PolicyException(PolicyException.Kind.FORBIDDEN, may.rule(), null, may.detail());
        }
        return file;
    }

    private static String token(String body) {
        String token = TokensResource.string(Requests.object(body, List.of("token")), "token");
        if (token == null) {
            throw ApiException.badRequest("token", "is required: the download token of the mailed link");
        }
        return token;
    }
}
