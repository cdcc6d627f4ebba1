package org.auditlog.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.ProductStatus;
import org.auditlog.api.store.IssuedToken;
import org.auditlog.api.store.TokenGrant;
import org.auditlog.api.store.TokenStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Operator endpoints for tokens: {@code POST /api/v1/admin/tokens} issues one (its secret appears only in
 * that answer), {@code GET} lists them without secrets, {@code DELETE .../{id}} revokes one.
 */
@Path("v1/admin/tokens")
@Component(service = ApiResource.class)
@Access(Access.Who.OPERATOR)
public final class TokensResource implements ApiResource {
    private static final Pattern SPACE_KEY = EventsResource.SPACE_KEY;

    static final int DEFAULT_MEMBER_TTL_HOURS = 24 * 30;
    static final int MAX_MEMBER_TTL_HOURS = 24 * 365;

    private final TokenStore tokens;
    private final EventCapture capture;
    private final OrganizationService orgs;
    private final Supplier<Clock> clock;

    @Activate
    public TokensResource(
            @Reference TokenStore tokens,
            @Reference EventCapture capture,
            @Reference OrganizationService orgs,
            @Reference ServerClock clock) {
        this.tokens = tokens;
        this.capture = capture;
        this.orgs = orgs;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response issue(String body) {
        Map<?, ?> request = object(body);
        for (Object key : request.keySet()) {
            if (!List.of("kind", "product", "spaceKey", "userId", "ttlHours").contains(key)) {
                throw ApiException.badRequest(
                        String.valueOf(key), "unknown field; expected kind, product, spaceKey, userId, ttlHours");
            }
        }
        String kind = string(request, "kind");
        if (kind == null) {
            throw ApiException.badRequest("kind", "is required");
        }
        if (TokenGrant.MEMBER.equals(kind)) {
            return issueMember(request);
        }
        if (!TokenGrant.INGEST.equals(kind)) {
            throw ApiException.badRequest("kind", "must be ingest or member");
        }
        String product = string(request, "product");
        if (product == null) {
            throw ApiException.badRequest("product", "is required for an ingest token");
        }
        List<String> known =
                capture.productStatus().stream().map(ProductStatus::product).toList();
        if (!known.contains(product)) {
            throw ApiException.badRequest(
                    "product", "the server has never had an adapter for " + product + "; known products: " + known);
        }
        String spaceKey = string(request, "spaceKey");
        if (spaceKey != null && !SPACE_KEY.matcher(spaceKey).matches()) {
            throw ApiException.badRequest(
                    "spaceKey", "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        IssuedToken issued = tokens.issue(new TokenGrant(null, kind, product, spaceKey, null, null));
        Map<String, Object> answer = view(issued.grant());
        answer.put("token", issued.token());
        return Response.status(201).entity(answer).build();
    }

    /**
     * A member token: it speaks for one member of one organization and expires ({@code ttlHours}, default 30
     * days, at most a year).
     */
    private Response issueMember(Map<?, ?> request) {
        if (request.containsKey("product")) {
            throw ApiException.badRequest("product", "a member token names no product");
        }
        String spaceKey = string(request, "spaceKey");
        String userId = string(request, "userId");
        if (spaceKey == null) {
            throw ApiException.badRequest("spaceKey", "is required for a member token");
        }
        if (userId == null) {
            throw ApiException.badRequest("userId", "is required for a member token");
        }
        Integer ttl = Requests.integer(request, "ttlHours");
        int hours = ttl == null ? DEFAULT_MEMBER_TTL_HOURS : ttl;
        if (hours < 1 || hours > MAX_MEMBER_TTL_HOURS) {
            throw ApiException.badRequest("ttlHours", "must be from 1 to " + MAX_MEMBER_TTL_HOURS);
        }
        boolean member =
                orgs.get(spaceKey).members().stream().anyMatch(m -> m.userId().equals(userId));
        if (!member) {
            throw ApiException.badRequest("userId", "is not a member of " + spaceKey);
        }
        IssuedToken issued = tokens.issue(new TokenGrant(
                null,
                TokenGrant.MEMBER,
                null,
                spaceKey,
                userId,
                null,
                clock.get().instant().plus(Duration.ofHours(hours))));
        Map<String, Object> answer = view(issued.grant());
        answer.put("token", issued.token());
        return Response.status(201).entity(answer).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> list() {
        return Map.of("tokens", tokens.list().stream().map(TokensResource::view).toList());
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        if (!tokens.revoke(id)) {
            throw ApiException.notFound("no active token has id " + id);
        }
        return Response.noContent().build();
    }

    static Map<String, Object> view(TokenGrant g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("kind", g.kind());
        m.put("product", g.product());
        m.put("spaceKey", g.spaceKey());
        m.put("userId", g.userId());
        m.put("created", Json.date(g.created()));
        m.put("expires", Json.date(g.expires()));
        return m;
    }

    static Map<?, ?> object(String body) {
        try {
            Object json = Json.MAPPER.readValue(body == null || body.isBlank() ? "null" : body, Object.class);
            if (json instanceof Map<?, ?> map) {
                return map;
            }
            throw ApiException.badRequest(null, "the body must be a JSON object");
        } catch (JsonProcessingException e) {
            throw new ApiException(
                    400, "malformed_json", null, "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static String string(Map<?, ?> map, String field) {
        Object v = map.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw ApiException.badRequest(field, "must be a non-empty string");
        }
        return s;
    }
}
