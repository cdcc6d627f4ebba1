package org.auditlog.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Context;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.evidence.LeafPosition;
import org.auditlog.api.evidence.SignedCheckpoint;
import org.auditlog.api.evidence.TreeHead;
import org.auditlog.evidence.FileEvidence;
import org.auditlog.evidence.Merkle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The tamper-evident log over REST: {@code GET /api/v1/evidence/keys} (no token needed) gives the keys checkpoints
 * are signed with; under {@code /api/v1/orgs/{spaceKey}/evidence/{product}}, for those who may see the
 * organization's logs: {@code checkpoint} (the latest, signed now if the tree grew), {@code inclusion?event=ID}
 * (the event's row, its leaf's inclusion proof and the checkpoint it is proven against: what
 * {@code auditlog-verify prove} checks) and {@code consistency?from=A&to=B} (RFC 9162 2.1.4).
 */
@Path("v1/orgs/{spaceKey}/evidence/{product}")
@Component(service = ApiResource.class)
@Access(Access.Who.ORGANIZATION_MEMBER)
public final class EvidenceResource implements ApiResource {
    private final EvidenceStore store;
    private final CheckpointService signer;
    private final AccessPolicy policy;
    private final OrganizationService orgs;
    private final SelfAudit audit;

    @Activate
    public EvidenceResource(
            @Reference EvidenceStore store,
            @Reference CheckpointService signer,
            @Reference AccessPolicy policy,
            @Reference OrganizationService orgs,
            @Reference SelfAudit audit) {
        this.store = store;
        this.signer = signer;
        this.policy = policy;
        this.orgs = orgs;
        this.audit = audit;
    }

    private void requireTree(String spaceKey, String product, ContainerRequestContext request) {
        OrgResource.requireUse(spaceKey, request, policy);
        orgs.get(spaceKey); // 404 for an organization that does not exist
        if (product == null || !product.matches("[A-Za-z][A-Za-z0-9]{0,31}")) {
            throw ApiException.badRequest(
                    "product", "must be a product name: a letter, then up to 31 letters or digits");
        }
    }

    private SignedCheckpoint latest(String spaceKey, String product) {
        return signer.latest(spaceKey, product)
                .orElseThrow(() -> new ApiException(
                        404,
                        "no_tree",
                        "product",
                        "no event of " + product + " was stored for " + spaceKey + " since the server kept evidence"));
    }

    @GET
    @Path("checkpoint")
    @Produces("application/json")
    public Map<String, Object> checkpoint(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("product") String product,
            @Context ContainerRequestContext request) {
        requireTree(spaceKey, product, request);
        SignedCheckpoint cp = latest(spaceKey, product);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("origin", signer.origin(spaceKey, product));
        out.put("treeSize", cp.size());
        out.put("root", Merkle.hex(cp.root()));
        out.put("time", cp.time().toString());
        out.put("checkpoint", cp.note());
        return out;
    }

    @GET
    @Path("inclusion")
    @Produces("application/json")
    public Map<String, Object> inclusion(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("product") String product,
            @QueryParam("event") String event,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        requireTree(spaceKey, product, request);
        long id;
        try {
            id = Long.parseLong(event == null ? "" : event);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("event", "must be an event id: a whole number");
        }
        Optional<LeafPosition> at = store.locate(id)
                .filter(p -> p.spaceKey().equals(spaceKey) && p.product().equals(product));
        LeafPosition p = at.orElseThrow(() -> new ApiException(
                404,
                "no_such_event",
                "event",
                "no event " + id + " of " + product + " in the log of " + spaceKey
                        + " (or it was stored before the server kept evidence)"));
        // signed now if the tree grew: its size covers every committed sequence number, this event's among them
        SignedCheckpoint cp = latest(spaceKey, product);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventId", Long.toString(id)); // ids are strings: a JavaScript number loses digits above 2^53
        out.put("row", p.row());
        out.put("sequence", p.sequence());
        out.put("leafHash", Merkle.hex(store.leafHash(spaceKey, product, p.sequence())));
        out.put("treeSize", cp.size());
        out.put("proof", FileEvidence.hexes(store.inclusionProof(spaceKey, product, p.sequence(), cp.size())));
        out.put("checkpoint", cp.note());
        // the answer carries the event's row: a read of the log, recorded before it leaves
        audit.record(
                spaceKey,
                Requests.reader(request, http, orgs, spaceKey),
                "Prove an audit log event",
                "The inclusion proof of event " + id + " of " + product + " was read");
        return out;
    }

    @GET
    @Path("consistency")
    @Produces("application/json")
    public Map<String, Object> consistency(
            @PathParam("spaceKey") String spaceKey,
            @PathParam("product") String product,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @Context ContainerRequestContext request) {
        requireTree(spaceKey, product, request);
        TreeHead head = store.head(spaceKey, product);
        long a = size("from", from, 1, head.size());
        long b = size("to", to, a, head.size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", a);
        out.put("to", b);
        out.put("fromRoot", Merkle.hex(store.root(spaceKey, product, a)));
        out.put("toRoot", Merkle.hex(store.root(spaceKey, product, b)));
        out.put("proof", FileEvidence.hexes(store.consistencyProof(spaceKey, product, a, b)));
        return out;
    }

    private static long size(String field, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value == null ? "" : value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(field, "must be a tree size: a whole number");
        }
        if (n < min || n > max) {
            throw ApiException.badRequest(
                    field, "must be a tree size from " + min + " to " + max + " (the tree's size)");
        }
        return n;
    }
}
