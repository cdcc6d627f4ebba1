package org.auditlog.rest.internal;

import java.util.Optional;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.store.TokenGrant;
import org.auditlog.api.store.TokenStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Who presents a request's credentials: the operator token, a stored bearer token, or the member token a
 * settings-page session signed in with. Asked once per request, before its body is read ({@link RequestGate});
 * {@link AuthFilter} then decides what the caller may do.
 *
 * <p>A missing or unknown token is a 401; a member token whose member is no longer in its organization
 * (removed, or the organization deleted) is a 401 as well, even when the token itself was never revoked; that
 * is asked of the policy's cached snapshot, so it costs no database round trip, and ingest tokens (which speak
 * for no member) are not asked about at all.
 */
@Component(service = Authenticator.class)
public final class Authenticator {
    private final OperatorToken operatorToken;
    private final TokenStore tokens;
    private final AccessPolicy policy;
    private final Sessions sessions;

    @Activate
    public Authenticator(
            @Reference OperatorToken operatorToken,
            @Reference TokenStore tokens,
            @Reference AccessPolicy policy,
            @Reference Sessions sessions) {
        this.operatorToken = operatorToken;
        this.tokens = tokens;
        this.policy = policy;
        this.sessions = sessions;
    }

    Sessions sessions() {
        return sessions;
    }

    /**
     * The caller of a request: by its {@code Authorization} header when it has one, else by its session cookie;
     * {@code null} when it carries neither (anonymous).
     *
     * @throws ApiException 401 when the credentials are unknown, revoked, expired or no longer a member's
     */
    Caller identify(String authorization, String sessionCookie) {
        if (authorization != null) {
            return bearer(token(authorization));
        }
        if (sessionCookie != null) {
            return session(sessionCookie);
        }
        return null;
    }

    /**
     * The caller of a bearer token.
     *
     * @throws ApiException 401 when the token is missing or unknown
     */
    Caller bearer(String token) {
        if (token == null) {
            throw new ApiException(
                    401, "unauthorized", "Authorization", "send a bearer token: 'Authorization: Bearer <token>'");
        }
        if (operatorToken.matches(token)) {
            return new Caller(true, null);
        }
        Optional<TokenGrant> grant = tokens.verify(token);
        if (grant.isEmpty()) {
            throw new ApiException(401, "unauthorized", "Authorization", "the token is unknown or revoked");
        }
        TokenGrant g = grant.get();
        if (TokenGrant.MEMBER.equals(g.kind()) && !policy.isMember(g.spaceKey(), g.userId())) {
            throw new ApiException(
                    401,
                    "unauthorized",
                    "Authorization",
                    "the member " + g.userId() + " of this token is no longer in the organization " + g.spaceKey());
        }
        return new Caller(false, g);
    }

    /**
     * The caller of a session cookie: the session's member token, verified again now (a session whose token
     * was revoked, or whose member left, ends here).
     *
     * @throws ApiException 401 when the session is unknown or ended, or its token no longer valid
     */
    Caller session(String id) {
        Sessions.Session s = sessions.find(id)
                .orElseThrow(() -> new ApiException(
                        401, "unauthorized", "Cookie", "the session has ended or is unknown: sign in again"));
        Optional<TokenGrant> grant = tokens.verify(s.token());
        if (grant.isEmpty()) {
            sessions.end(id);
            throw new ApiException(
                    401,
                    "unauthorized",
                    "Cookie",
                    "the member token of this session was revoked or has expired: sign in again");
        }
        TokenGrant g = grant.get();
        if (!policy.isMember(g.spaceKey(), g.userId())) {
            sessions.end(id);
            throw new ApiException(
                    401,
                    "unauthorized",
                    "Cookie",
                    "the member " + g.userId() + " of this session is no longer in the organization " + g.spaceKey());
        }
        return new Caller(false, g, true);
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null when it holds none. */
    static String token(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String t = h.substring(7).strip();
            return t.isEmpty() ? null : t;
        }
        return null;
    }
}
