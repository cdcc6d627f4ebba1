package org.auditlog.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.auditlog.api.store.TokenGrant;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * Browser sessions of the settings page. Signing in with a member token makes a session: its id (256 random
 * bits) goes to the browser in an HttpOnly cookie, and the member token stays here, in memory, so no script of
 * the page ever holds it. Only the SHA-256 hash of a session id is kept, so the table does not hold the
 * cookies themselves. Each session also has a CSRF token that the page sends in {@value #CSRF_HEADER} with
 * every request that changes something.
 *
 * <p>A session ends at sign-out, after {@link #MAX_AGE}, or when its token expires, whichever comes first; the
 * token is verified again on every request, so a revoked token or a removed member ends its sessions at once.
 * Sessions live in memory: a restart of the API signs everybody out. At most {@code maxSessions} are kept (a
 * sign-in beyond is refused until some expire) and at most {@link #MAX_PER_TOKEN} per token (the oldest goes).
 */
@Component(
        service = Sessions.class,
        immediate = true,
        configurationPid = RestConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class Sessions {
    static final String COOKIE = "auditlog_session";
    static final String CSRF_HEADER = "X-Auditlog-CSRF";
    static final Duration MAX_AGE = Duration.ofHours(12);
    static final int MAX_PER_TOKEN = 8;

    /**
     * One signed-in browser.
     *
     * @param token the member token it signed in with (kept here only, never sent back)
     * @param grant what that token allowed at sign-in
     * @param csrf the CSRF token the page must echo on changes
     * @param created when it was made
     * @param expires when it ends
     */
    record Session(String token, TokenGrant grant, String csrf, Instant created, Instant expires) {}

    /** A new session: the cookie value to hand to the browser, and the session. */
    record Created(String id, Session session) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> byHash = new ConcurrentHashMap<>();
    private final ServerClock clock;
    private volatile int maxSessions;

    @Activate
    public Sessions(@Reference ServerClock clock, RestConfig config) {
        this.clock = clock;
        this.maxSessions = config.maxSessions();
    }

    /** A change of the configuration: the sessions held stay, the bound applies to the next sign-in. */
    @Modified
    void modified(RestConfig config) {
        this.maxSessions = config.maxSessions();
    }

    /**
     * Makes a session for a verified member token; {@link ApiException} 503 {@code too_many_sessions} when the
     * table is full of sessions that have not expired.
     */
    synchronized Created create(String token, TokenGrant grant) {
        Instant now = clock.get().instant();
        purgeExpired(now);
        if (byHash.size() >= maxSessions) {
            throw new ApiException(
                    503,
                    "too_many_sessions",
                    null,
                    "the server holds " + maxSessions
                            + " sessions already; sign in again later, or sign out elsewhere");
        }
        var ofToken = byHash.entrySet().stream()
                .filter(e -> e.getValue().grant().id().equals(grant.id()))
                .sorted(Comparator.comparing(e -> e.getValue().created()))
                .toList();
        for (int i = 0; i <= ofToken.size() - MAX_PER_TOKEN; i++) {
            byHash.remove(ofToken.get(i).getKey());
        }
        Instant expires = now.plus(MAX_AGE);
        if (grant.expires() != null && grant.expires().isBefore(expires)) {
            expires = grant.expires();
        }
        String id = random();
        Session s = new Session(token, grant, random(), now, expires);
        byHash.put(hash(id), s);
        return new Created(id, s);
    }

    /** The session of a cookie value, if it exists and has not expired. */
    Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        String key = hash(id);
        Session s = byHash.get(key);
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.get().instant().isBefore(s.expires())) {
            byHash.remove(key, s);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** Ends a session; returns whether there was one. */
    boolean end(String id) {
        return id != null && byHash.remove(hash(id)) != null;
    }

    /** Whether a presented CSRF token is the session's, compared in constant time. */
    static boolean csrfMatches(Session s, String presented) {
        return presented != null
                && MessageDigest.isEqual(
                        s.csrf().getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    int size() {
        return byHash.size();
    }

    private void purgeExpired(Instant now) {
        byHash.values().removeIf(s -> !now.isBefore(s.expires()));
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String hash(String id) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
