package org.auditlog.rest.internal;

import java.nio.file.Files;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.ProductStatus;
import org.auditlog.api.export.ArchiveFile;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.export.PastMonth;
import org.auditlog.api.store.AuditStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /api/v1/orgs/{spaceKey}/archives} lists the past months within retention per product;
 * {@code GET /api/v1/orgs/{spaceKey}/archives/{YYYYMM}/{product}} gives a past month's file for one product,
 * {@code auditlog-{YYYYMM}-{product}-csv.zip}, built on demand. A member needs the Audit Log Admin
 * privilege and a plan that allows downloads (the refusal names the rule); the download is recorded in the
 * organization's own log.
 */
@Path("v1/orgs/{spaceKey}/archives")
@Component(service = ApiResource.class)
@Access(Access.Who.ORGANIZATION_MEMBER)
public final class ArchivesResource implements ApiResource {
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuuMM");
    /** The characters of a product name that may become part of a file name. */
    private static final String PRODUCT_RULE = "[A-Za-z][A-Za-z0-9]{0,31}";

    private final ExportService exports;
    private final AccessPolicy policy;
    private final EventCapture capture;
    private final OrganizationService orgs;
    private final SelfAudit audit;
    private final AuditStore store;

    @Activate
    public ArchivesResource(
            @Reference ExportService exports,
            @Reference AccessPolicy policy,
            @Reference EventCapture capture,
            @Reference OrganizationService orgs,
            @Reference SelfAudit audit,
            @Reference AuditStore store) {
        this.exports = exports;
        this.policy = policy;
        this.capture = capture;
        this.orgs = orgs;
        this.audit = audit;
        this.store = store;
    }

    /**
     * The past months within retention, newest first, for every product the server knows: each with its file
     * name, and its size once it has been built (a download builds it).
     */
    @GET
    @Produces("application/json")
    public Map<String, Object> list(@PathParam("spaceKey") String spaceKey, @Context ContainerRequestContext request) {
        OrgResource.requireUse(spaceKey, request, policy);
        Organization organization = orgs.get(spaceKey).organization(); // 404 for one that does not exist
        List<String> products =
                capture.productStatus().stream().map(ProductStatus::product).toList();
        List<PastMonth> months = exports.pastMonths(spaceKey, products);
        List<Map<String, Object>> out = new ArrayList<>();
        if (months.isEmpty()) {
            return Map.of("archives", out);
        }
        YearMonth oldest =
                months.stream().map(PastMonth::month).min(YearMonth::compareTo).orElseThrow();
        YearMonth newest =
                months.stream().map(PastMonth::month).max(YearMonth::compareTo).orElseThrow();
        Optional<Map<String, Map<YearMonth, Long>>> counts = store.countsByMonth(spaceKey, oldest, newest);
        // the months from the one the organization's log began: its creation, or its oldest record if older
        YearMonth began = YearMonth.from(organization.created().atOffset(ZoneOffset.UTC));
        if (counts.isPresent()) {
            for (Map<YearMonth, Long> byMonth : counts.get().values()) {
                for (YearMonth m : byMonth.keySet()) {
                    began = m.isBefore(began) ? m : began;
                }
            }
        }
        for (PastMonth m : months) {
            if (m.month().isBefore(began)) {
                continue;
            }
            String month = m.month().format(MONTH);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("month", month);
            a.put("product", m.product());
            a.put("fileName", m.fileName());
            a.put("size", m.size());
            a.put("href", "/api/v1/orgs/" + spaceKey + "/archives/" + month + "/" + m.product());
            a.put(
                    "events",
                    counts.map(c -> c.getOrDefault(m.product(), Map.of()).getOrDefault(m.month(), 0L))
                            .orElse(null));
            out.add(a);
        }
        return Map.of("archives", out);
    }

    @GET
    @Path("{month}/{product}")
    @Produces({"application/zip", "application/json"})
    public Response download(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("month") String month,
            @PathParam("product") String product,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        YearMonth ym;
        try {
            if (!month.matches("\\d{6}")) {
                throw new DateTimeParseException("not six digits", month, 0);
            }
            ym = YearMonth.parse(month, MONTH);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("month", "must be a month written YYYYMM, e.g. 202610");
        }
        OrgResource.require(spaceKey, request, policy::mayExport);
        orgs.get(spaceKey); // 404 for an organization that does not exist
        requireKnownProduct(product);
        ArchiveFile file = exports.pastMonth(spaceKey, ym, product);
        audit.record(
                spaceKey,
                Requests.reader(request, http, orgs, spaceKey),
                "Download audit logs",
                file.fileName() + " was downloaded");
        return zip(file).build();
    }

    /**
     * A file is built only for a product the server knows (has, or once had, an adapter for): any other name
     * is a 404 {@code unknown_product}, so requests cannot make one file each for made-up products. The name's
     * characters are checked first, before it can reach a file name.
     */
    private void requireKnownProduct(String product) {
        if (product == null || !product.matches(PRODUCT_RULE)) {
            throw ApiException.badRequest(
                    "product", "must be a product name: a letter, then up to 31 letters or digits");
        }
        boolean known =
                capture.productStatus().stream().anyMatch(p -> p.product().equals(product));
        if (!known) {
            throw new ApiException(
                    404,
                    "unknown_product",
                    "product",
                    "the server has never had an adapter for the product " + product);
        }
    }

    /** An export file as a download: streamed from disk, named for the browser, with its length. */
    static Response.ResponseBuilder zip(ArchiveFile file) {
        StreamingOutput body = out -> Files.copy(file.path(), out);
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + file.fileName() + "\"")
                .header("Content-Length", file.size());
    }
}
