package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.TokenGrant;
import org.junit.jupiter.api.Test;

/** The settings page's sign-in: {@code POST}, {@code GET} and {@code DELETE /api/v1/session}. */
class SessionResourceTest {
    static final Pattern COOKIE = Pattern.compile(
            "auditlog_session=([A-Za-z0-9_-]{43}); Path=/; Max-Age=(\\d+); HttpOnly; SameSite=Strict(; Secure)?");

    final FakeTokens tokens = new FakeTokens();
    final FakePolicy policy = new FakePolicy();
    final FakeOrgs orgs = new FakeOrgs();
    final Sessions sessions = Components.sessions(Fixtures.CLOCK, "maxSessions", 100);
    final FakeCapture capture = new FakeCapture();
    final SessionResource resource =
            new SessionResource(sessions, tokens, policy, orgs, new SelfAudit(policy, capture, () -> Fixtures.CLOCK));

    Answer signIn(String body) {
        return signIn(body, FakeRequest.post("v1/session"), false);
    }

    Answer signIn(String body, FakeRequest request, boolean secure) {
        return Answer.of(() -> resource.signIn(body, request, FakeHttp.request("203.0.113.5", secure)));
    }

    static Matcher cookie(Answer a) {
        Matcher m = COOKIE.matcher(a.header("Set-Cookie"));
        assertTrue(m.matches(), a.header("Set-Cookie"));
        return m;
    }

    @Test
    void aMemberTokenSignsInWithAnHttpOnlyStrictCookieAndTheSessionsView() {
        Answer a = signIn("{\"token\":\"alt_t-ann_secret\"}");
        assertEquals(201, a.status());
        assertEquals("no-store", a.header("Cache-Control"));
        Matcher c = cookie(a);
        assertEquals(String.valueOf(Sessions.MAX_AGE.getSeconds()), c.group(2), "12 hours");
        assertEquals(null, c.group(3), "not Secure on plain http");
        JsonNode b = a.json();
        assertEquals(
                List.of("spaceKey", "userId", "name", "role", "expires", "csrfToken", "settingsPath"),
                EventsResourceTest.names(b));
        assertEquals("ACME", b.get("spaceKey").asText());
        assertEquals("u1", b.get("userId").asText());
        assertEquals("Ann", b.get("name").asText());
        assertEquals("admin", b.get("role").asText());
        assertEquals("2026-11-20T22:00:00.000Z", b.get("expires").asText());
        assertEquals("/orgs/ACME/settings/audit-log", b.get("settingsPath").asText());
        assertFalse(a.text().contains("alt_t-ann_secret"), "the member token never goes back to the browser");
        Sessions.Session s = sessions.find(c.group(1)).orElseThrow();
        assertEquals(s.csrf(), b.get("csrfToken").asText());
        assertEquals("alt_t-ann_secret", s.token());
    }

    @Test
    void aSignInIsRecordedByTheMemberBeforeTheSessionExists() {
        Answer a = signIn(
                "{\"token\":\"alt_t-ann_secret\"}",
                FakeRequest.post("v1/session").header("User-Agent", "Firefox/140"),
                false);
        assertEquals(201, a.status());
        AuditRecord r = capture.recorded.get(0);
        assertEquals("Audit log", r.category());
        assertEquals("Sign in to the audit log settings", r.event());
        assertEquals("Ann signed in to the audit log settings page", r.action());
        assertEquals("u1", r.operationUserId());
        assertEquals("Ann", r.operationUserName());
        assertEquals("203.0.113.5", r.ipAddress());
        assertEquals("Firefox/140", r.userAgent());

        capture.recordFailure = new IllegalStateException("the store is down");
        Answer refused = signIn("{\"token\":\"alt_t-ann_secret\"}");
        assertEquals(503, refused.status());
        assertEquals("audit_unavailable", refused.json().get("error").asText());
        assertNull(refused.header("Set-Cookie"), "no session without its record");
    }

    @Test
    void theTokenIsTakenWithoutSurroundingSpaces() {
        assertEquals(201, signIn("{\"token\":\"  alt_t-ann_secret\\n\"}").status());
        assertEquals(List.of("alt_t-ann_secret"), tokens.verified);
    }

    @Test
    void theCookieIsSecureWhenTheRequestOrThePagesOriginIsHttps() {
        assertEquals(
                "; Secure",
                cookie(signIn("{\"token\":\"alt_t-ann_secret\"}", FakeRequest.post("v1/session"), true))
                        .group(3));
        FakeRequest behindProxy = FakeRequest.post("v1/session")
                .header("Host", "auditlog.example")
                .header("Origin", "https://auditlog.example");
        assertEquals(
                "; Secure",
                cookie(signIn("{\"token\":\"alt_t-ann_secret\"}", behindProxy, false))
                        .group(3));
    }

    @Test
    void aTokenExpiringSoonerThanTwelveHoursGivesAShorterCookie() {
        tokens.bySecret.put(
                "alt_t-soon_secret",
                new TokenGrant(
                        "t-soon",
                        TokenGrant.MEMBER,
                        null,
                        "ACME",
                        "u1",
                        Fixtures.CREATED,
                        Fixtures.NOW.plus(Duration.ofHours(2))));
        Answer a = signIn("{\"token\":\"alt_t-soon_secret\"}");
        assertEquals("7200", cookie(a).group(2));
        assertEquals("2026-11-20T12:00:00.000Z", a.json().get("expires").asText());
    }

    @Test
    void aSignInFromAnotherOriginIsRefusedBeforeTheTokenIsLookedAt() {
        FakeRequest r = FakeRequest.post("v1/session")
                .header("Host", "localhost:8080")
                .header("Origin", "https://evil.example");
        signIn("{\"token\":\"alt_t-ann_secret\"}", r, false)
                .assertError(
                        403,
                        "cross_origin_request",
                        "Origin",
                        "this request comes from another origin; only the settings page of this server may make it");
        FakeRequest crossSite = FakeRequest.post("v1/session").header("Sec-Fetch-Site", "cross-site");
        assertEquals(
                403,
                signIn("{\"token\":\"alt_t-ann_secret\"}", crossSite, false).status());
        assertEquals(List.of(), tokens.verified);
        assertEquals(0, sessions.size());
    }

    @Test
    void theBodyMustNameTheToken() {
        signIn("{}").assertError(400, "invalid_field", "token", "is required: the member token you were given");
        signIn("{\"token\":\"   \"}").assertError(400, "invalid_field", "token", "must be a non-empty string");
        signIn("{\"token\":\"alt_t-ann_secret\",\"remember\":true}")
                .assertError(400, "invalid_field", "remember", "unknown field; expected token");
        assertEquals(400, signIn("token=alt_t-ann_secret").status());
        signIn("{\"token\":\"" + "a".repeat(201) + "\"}")
                .assertError(400, "invalid_field", "token", "is not a member token (too long)");
        assertEquals(List.of(), tokens.verified);
    }

    @Test
    void anUnknownTokenIs401NamingTheField() {
        Answer a = signIn("{\"token\":\"alt_nobody_secret\"}");
        a.assertError(401, "unauthorized", "token", "this token is unknown, revoked or expired");
        assertEquals("Bearer realm=\"auditlog\"", a.header("WWW-Authenticate"));
        assertEquals(null, a.header("Set-Cookie"));
    }

    @Test
    void anIngestTokenIs403MemberRequired() {
        signIn("{\"token\":\"alt_t-bl_secret\"}")
                .assertError(
                        403,
                        "member_required",
                        "token",
                        "the settings page is signed in to with a member token, not an ingest token");
        assertEquals(0, sessions.size());
    }

    @Test
    void aMemberNoLongerInTheOrganizationIs401() {
        policy.members.remove("ACME/u2");
        signIn("{\"token\":\"alt_t-bob_secret\"}")
                .assertError(
                        401,
                        "unauthorized",
                        "token",
                        "the member u2 of this token is no longer in the organization ACME");
        assertEquals(0, sessions.size());
    }

    @Test
    void aFullSessionTableIs503TooManySessions() {
        SessionResource full = new SessionResource(
                Components.sessions(Fixtures.CLOCK, "maxSessions", 1),
                tokens,
                policy,
                orgs,
                new SelfAudit(policy, capture, () -> Fixtures.CLOCK));
        FakeRequest r = FakeRequest.post("v1/session");
        assertEquals(
                201,
                Answer.of(() -> full.signIn(
                                "{\"token\":\"alt_t-ann_secret\"}", r, FakeHttp.request("203.0.113.5", false)))
                        .status());
        String detail = Answer.of(() ->
                        full.signIn("{\"token\":\"alt_t-bob_secret\"}", r, FakeHttp.request("203.0.113.5", false)))
                .assertError(503, "too_many_sessions", null);
        assertTrue(detail.startsWith("the server holds 1 sessions already"), detail);
    }

    @Test
    void whoAmIGivesTheSameViewAndTheCsrfToken() {
        Sessions.Created s = sessions.create("alt_t-bob_secret", Fixtures.BOB_TOKEN);
        FakeRequest r = FakeRequest.get("v1/session")
                .cookie(Sessions.COOKIE, s.id())
                .caller(new Caller(false, Fixtures.BOB_TOKEN, true));
        Answer a = Answer.of(() -> resource.whoAmI(r));
        assertEquals(200, a.status());
        assertEquals("no-store", a.header("Cache-Control"));
        assertEquals("u2", a.json().get("userId").asText());
        assertEquals("member", a.json().get("role").asText());
        assertEquals(s.session().csrf(), a.json().get("csrfToken").asText());
    }

    @Test
    void whoAmIAfterTheSessionEndedIs401() {
        Sessions.Created s = sessions.create("alt_t-bob_secret", Fixtures.BOB_TOKEN);
        sessions.end(s.id());
        FakeRequest r = FakeRequest.get("v1/session")
                .cookie(Sessions.COOKIE, s.id())
                .caller(new Caller(false, Fixtures.BOB_TOKEN, true));
        Answer.of(() -> resource.whoAmI(r))
                .assertError(401, "unauthorized", "Cookie", "the session has ended: sign in again");
    }

    @Test
    void signingOutEndsTheSessionAndClearsTheCookie() {
        Sessions.Created s = sessions.create("alt_t-ann_secret", Fixtures.ANN_TOKEN);
        FakeRequest r = new FakeRequest("DELETE", "v1/session")
                .cookie(Sessions.COOKIE, s.id())
                .header("Origin", "https://auditlog.example");
        Answer a = Answer.of(() -> resource.signOut(r, FakeHttp.request("203.0.113.5", false)));
        assertEquals(204, a.status());
        assertEquals("auditlog_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure", a.header("Set-Cookie"));
        assertTrue(sessions.find(s.id()).isEmpty());
        assertEquals(0, a.bytes().length);
    }
}
