package org.auditlog.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import org.auditlog.api.store.TokenGrant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the {@link Access} written on the resource method Jersey matched (or on its class):
 *
 * <ul>
 * <li>{@link Access.Who#ANYONE ANYONE}: no credentials needed;</li>
 * <li>{@link Access.Who#SESSION SESSION}: the session cookie, without an {@code Authorization} header;</li>
 * <li>{@link Access.Who#ANY_TOKEN ANY_TOKEN}: any valid credentials;</li>
 * <li>{@link Access.Who#INGEST_TOKEN INGEST_TOKEN}: an ingest token for the {@code {product}} of the path;</li>
 * <li>{@link Access.Who#MEMBER_TOKEN MEMBER_TOKEN}: a member token (the resource checks its organization);</li>
 * <li>{@link Access.Who#ORGANIZATION_MEMBER ORGANIZATION_MEMBER}: the operator token, or a member token of the
 * {@code {spaceKey}} of the path (any other token gets the same 404 as a missing organization);</li>
 * <li>{@link Access.Who#OPERATOR OPERATOR}, and any method that says nothing: the operator token.</li>
 * </ul>
 * Who the caller is was decided before the body was read ({@link RequestGate} asks the {@link Authenticator});
 * a missing or unknown token is a 401; a valid token used where it has no right is a 403.
 *
 * <p>Without an {@code Authorization} header, the session cookie of the settings page stands for the member
 * token it signed in with ({@link Sessions}); that token is verified again, as a bearer token would be. A
 * request authenticated by the cookie that changes anything (any method but GET, HEAD and OPTIONS) must carry
 * the session's CSRF token in {@value Sessions#CSRF_HEADER} and come from the page's own origin
 * ({@link SameOrigin}); one a browser marks as cross-site ({@code Sec-Fetch-Site}) is refused whatever its
 * method.
 */
@Priority(Priorities.AUTHENTICATION)
final class AuthFilter implements ContainerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);

    private final Authenticator authenticator;
    private final Sessions sessions;

    @Context
    private ResourceInfo resource;

    private final Routes routes;

    AuthFilter(Authenticator authenticator, Routes routes) {
        this.authenticator = authenticator;
        this.sessions = authenticator.sessions();
        this.routes = routes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Access access = Routes.written(resource.getResourceClass(), resource.getResourceMethod());
        if (access == null) {
            // a method Jersey made itself (OPTIONS): as the routes say for its path
            access =
                    routes.match(request.getMethod(), "/" + request.getUriInfo().getPath());
        }
        filter(request, access);
    }

    /** Lets the request through, or throws the refusal, for a method of this access. */
    void filter(ContainerRequestContext request, Access access) {
        Access.Who who = access.value();
        if (who == Access.Who.ANYONE) {
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Cookie cookie = request.getCookies().get(Sessions.COOKIE);
        if (who == Access.Who.SESSION && (cookie == null || authorization != null)) {
            throw new ApiException(401, "unauthorized", "Cookie", "no session: sign in first");
        }
        // RequestGate identified the caller before reading the body; a request that did not pass it (none in the
        // server) is identified here
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        if (caller == null) {
            caller = authorization == null && cookie != null
                    ? authenticator.session(cookie.getValue())
                    : authenticator.bearer(Authenticator.token(authorization));
            request.setProperty(Caller.PROPERTY, caller);
        }
        if (caller.session()) {
            checkSessionRequest(cookie.getValue(), request);
        }
        switch (who) {
            case SESSION, ANY_TOKEN -> {}
            case INGEST_TOKEN -> checkIngest(caller, pathParameter(request, "product"));
            case MEMBER_TOKEN -> {
                if (caller.operator()
                        || !TokenGrant.MEMBER.equals(caller.grant().kind())) {
                    throw new ApiException(
                            403,
                            "member_required",
                            "Authorization",
                            "a download link is opened by a signed-in Audit Log Admin: send a member token");
                }
            }
            case ORGANIZATION_MEMBER -> {
                // A member token reaches its own organization only; any other answers exactly as a missing one
                // would, so a token never tells whether another organization exists.
                TokenGrant g = caller.grant();
                if (!caller.operator()
                        && (!TokenGrant.MEMBER.equals(g.kind())
                                || !pathParameter(request, "spaceKey").equals(g.spaceKey()))) {
                    throw new ApiException(404, "not_found", null, "no such organization");
                }
            }
            default -> {
                if (!caller.operator()) {
                    throw new ApiException(403, "forbidden", null, "this resource needs the operator token");
                }
            }
        }
    }

    private static void checkIngest(Caller caller, String product) {
        if (caller.operator() || !TokenGrant.INGEST.equals(caller.grant().kind())) {
            throw new ApiException(403, "forbidden", null, "events are sent with an ingest token for " + product);
        }
        if (!product.equals(caller.grant().product())) {
            // a product sending with another's token: its integration is misconfigured, or someone tries
            LOG.info(
                    "Events for {} refused (403): the ingest token {} is for {}",
                    product,
                    caller.grant().id(),
                    caller.grant().product());
            throw new ApiException(
                    403,
                    "forbidden",
                    "product",
                    "this ingest token is for " + caller.grant().product() + ", not " + product);
        }
    }

    private static String pathParameter(ContainerRequestContext request, String name) {
        String value = request.getUriInfo().getPathParameters().getFirst(name);
        return value == null ? "" : value;
    }

    /**
     * A request made with a session cookie: never cross-site, and a change needs the session's CSRF token and the
     * page's origin.
     */
    private void checkSessionRequest(String id, ContainerRequestContext request) {
        Sessions.Session s = sessions.find(id)
                .orElseThrow(() -> new ApiException(
                        401, "unauthorized", "Cookie", "the session has ended or is unknown: sign in again"));
        SameOrigin.refuseCrossSite(request);
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method) && !"OPTIONS".equals(method)) {
            try {
                SameOrigin.require(request);
                String presented = request.getHeaderString(Sessions.CSRF_HEADER);
                if (presented == null) {
                    throw new ApiException(
                            403,
                            "csrf_token_missing",
                            Sessions.CSRF_HEADER,
                            "a change made with the "
                                    + "session cookie must carry the session's CSRF token in the header "
                                    + Sessions.CSRF_HEADER);
                }
                if (!Sessions.csrfMatches(s, presented)) {
                    throw new ApiException(
                            403,
                            "csrf_token_invalid",
                            Sessions.CSRF_HEADER,
                            "the CSRF token is not this session's; reload the page");
                }
            } catch (ApiException refused) {
                drain(request);
                throw refused;
            }
        }
    }

    /**
     * Reads and drops a small body the refusal leaves unread, so that Jetty keeps the connection for the
     * client's next request instead of closing it under a client that may be reusing it already.
     */
    private static void drain(ContainerRequestContext request) {
        try (InputStream in = request.getEntityStream()) {
            byte[] buffer = new byte[8192];
            int total = 0;
            int n;
            while (total < 65536 && (n = in.read(buffer)) > 0) {
                total += n;
            }
        } catch (IOException e) {
            // the connection goes; the refusal stands
        }
    }
}
