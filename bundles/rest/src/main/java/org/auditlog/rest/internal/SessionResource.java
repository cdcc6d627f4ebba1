package org.auditlog.rest.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.store.TokenGrant;
import org.auditlog.api.store.TokenStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The settings page's sign-in, under {@code /api/v1/session}: {@code POST} with {@code {"token":"…"}} (a member
 * token) starts a session and sets its cookie, {@code GET} says who is signed in and gives the CSRF token,
 * {@code DELETE} signs out. The cookie is {@code HttpOnly} (no script reads it), {@code SameSite=Strict} (no
 * other site's page makes the browser send it), {@code Path=/}, and {@code Secure} when the page is on https.
 */
@Path("v1/session")
@Produces(MediaType.APPLICATION_JSON)
@Component(service = ApiResource.class)
public final class SessionResource implements ApiResource {
    private final Sessions sessions;
    private final TokenStore tokens;
    private final AccessPolicy policy;
    private final OrganizationService orgs;
    private final SelfAudit audit;

    @Activate
    public SessionResource(
            @Reference Sessions sessions,
            @Reference TokenStore tokens,
            @Reference AccessPolicy policy,
            @Reference OrganizationService orgs,
            @Reference SelfAudit audit) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.policy = policy;
        this.orgs = orgs;
        this.audit = audit;
    }

    @POST
    @Access(Access.Who.ANYONE)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response signIn(String body, @Context ContainerRequestContext request, @Context HttpServletRequest http) {
        // a sign-in from another site would sign the browser in as someone else (login CSRF)
        SameOrigin.require(request);
        Map<?, ?> b = Requests.object(body, List.of("token"));
        String token = TokensResource.string(b, "token");
        if (token == null) {
            throw ApiException.badRequest("token", "is required: the member token you were given");
        }
        if (token.length() > 200) {
            throw ApiException.badRequest("token", "is not a member token (too long)");
        }
        Optional<TokenGrant> grant = tokens.verify(token.strip());
        if (grant.isEmpty()) {
            throw new ApiException(401, "unauthorized", "token", "this token is unknown, revoked or expired");
        }
        TokenGrant g = grant.get();
        if (!TokenGrant.MEMBER.equals(g.kind())) {
            throw new ApiException(
                    403,
                    "member_required",
                    "token",
                    "the settings page is signed in to with a member token, not an " + g.kind() + " token");
        }
        if (!policy.isMember(g.spaceKey(), g.userId())) {
            throw new ApiException(
                    401,
                    "unauthorized",
                    "token",
                    "the member " + g.userId() + " of this token is no longer in the organization " + g.spaceKey());
        }
        // recorded before the session exists: a sign-in that cannot be recorded does not happen
        Member member = orgs.get(g.spaceKey()).members().stream()
                .filter(m -> m.userId().equals(g.userId()))
                .findFirst()
                .orElseThrow(() -> new ApiException(
                        401,
                        "unauthorized",
                        "token",
                        "the member " + g.userId() + " of this token is no longer in the organization "
                                + g.spaceKey()));
        audit.record(
                g.spaceKey(),
                Actor.member(member, Requests.clientIp(http), request.getHeaderString("User-Agent")),
                "Sign in to the audit log settings",
                member.name() + " signed in to the audit log settings page");
        Sessions.Created created = sessions.create(token.strip(), g);
        boolean secure = http.isSecure() || SameOrigin.fromHttps(request);
        long maxAge = Math.max(
                0,
                Duration.between(created.session().created(), created.session().expires())
                        .getSeconds());
        return Response.status(201)
                .header("Set-Cookie", cookie(created.id(), maxAge, secure))
                .header("Cache-Control", "no-store")
                .entity(view(created.session(), g))
                .build();
    }

    @GET
    @Access(Access.Who.SESSION)
    public Response whoAmI(@Context ContainerRequestContext request) {
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        String id = request.getCookies().get(Sessions.COOKIE).getValue();
        Sessions.Session s = sessions.find(id)
                .orElseThrow(
                        () -> new ApiException(401, "unauthorized", "Cookie", "the session has ended: sign in again"));
        return Response.ok(view(s, caller.grant()))
                .header("Cache-Control", "no-store")
                .build();
    }

    @DELETE
    @Access(Access.Who.SESSION)
    public Response signOut(@Context ContainerRequestContext request, @Context HttpServletRequest http) {
        sessions.end(request.getCookies().get(Sessions.COOKIE).getValue());
        boolean secure = http.isSecure() || SameOrigin.fromHttps(request);
        return Response.noContent().header("Set-Cookie", cookie("", 0, secure)).build();
    }

    static String cookie(String value, long maxAgeSeconds, boolean secure) {
        return Sessions.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    private Map<String, Object> view(Sessions.Session s, TokenGrant g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spaceKey", g.spaceKey());
        m.put("userId", g.userId());
        Optional<Member> member = orgs.get(g.spaceKey()).members().stream()
                .filter(x -> x.userId().equals(g.userId()))
                .findFirst();
        m.put("name", member.map(Member::name).orElse(null));
        m.put("role", member.map(x -> x.role().wireName()).orElse(null));
        m.put("expires", Json.date(s.expires()));
        m.put("csrfToken", s.csrf());
        m.put("settingsPath", "/orgs/" + g.spaceKey() + "/settings/audit-log");
        return m;
    }
}
