package org.auditlog.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import org.auditlog.api.evidence.CheckpointService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /api/v1/evidence/keys}, with no token: the verifier key checkpoints and manifests are signed with now
 * ({@code current}, with its {@code name} and {@code keyId}, the 8 hex digits of its key hash that every signature
 * line names) and every key they were signed with ({@code keys}, oldest first), in the C2SP note format
 * {@code <name>+<key hash>+<base64 key>} that {@code auditlog-verify --key} takes.
 */
@Path("v1/evidence/keys")
@Component(service = ApiResource.class)
@Access(Access.Who.ANYONE)
public final class EvidenceKeysResource implements ApiResource {
    private final CheckpointService signer;

    @Activate
    public EvidenceKeysResource(@Reference CheckpointService signer) {
        this.signer = signer;
    }

    @GET
    @Produces("application/json")
    public Map<String, Object> keys() {
        Map<String, Object> out = new LinkedHashMap<>();
        String current = signer.key();
        String[] parts = current.split("\\+", 3); // <name>+<key id>+<key>
        out.put("current", current);
        out.put("name", parts[0]);
        out.put("keyId", parts[1]);
        out.put("keys", signer.keys());
        return out;
    }
}
