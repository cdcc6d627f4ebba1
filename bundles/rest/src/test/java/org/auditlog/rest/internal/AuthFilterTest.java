package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which token each path needs (README "REST API" table and AuthFilter), and the 401/403/404 a wrong one gets;
 * then the session cookie with its CSRF and origin rules (README "Sign-in and its session").
 */
class AuthFilterTest {
    static final String ANN = "alt_t-ann_secret";
    static final String BOB = "alt_t-bob_secret";
    static final String ZED = "alt_t-zed_secret";
    static final String BACKLOG_INGEST = "alt_t-bl_secret";
    static final String APPS_INGEST = "alt_t-ap_secret";

    final FakeTokens tokens = new FakeTokens();
    final FakePolicy policy = new FakePolicy();
    final Sessions sessions = Components.sessions(Fixtures.CLOCK, "maxSessions", 100);
    AuthFilter filter;

    @BeforeEach
    void operatorToken(@TempDir Path data) throws Exception {
        filter = new AuthFilter(
                Components.authenticator(OperatorToken.load(Fixtures.OPERATOR_SECRET, data), tokens, policy, sessions),
                Fixtures.ROUTES);
    }

    /**
     * What the filter answers: 200 when it lets the request through, else the refusal as the client sees it. The
     * access is the one written on the resource method that serves the request (found as the gate finds it).
     */
    Answer filter(FakeRequest request) {
        Routes.Match match = Fixtures.ROUTES.find(
                request.getMethod(), "/" + request.getUriInfo().getPath());
        request.pathParameters.putAll(match.parameters());
        return Answer.of(() -> {
            filter.filter(request, match.access());
            return javax.ws.rs.core.Response.ok().build();
        });
    }

    Answer bearer(String method, String path, String token) {
        return filter(new FakeRequest(method, path).header("Authorization", "Bearer " + token));
    }

    FakeRequest withSession(String method, String path) {
        Sessions.Created s = sessions.create(ANN, Fixtures.ANN_TOKEN);
        csrf = s.session().csrf();
        sessionId = s.id();
        return new FakeRequest(method, path).cookie(Sessions.COOKIE, s.id()).header("Host", "localhost:8080");
    }

    String csrf;
    String sessionId;

    // --- bearer tokens

    @Test
    void withoutAnyCredentialsTheAnswerIs401AskingForABearerToken() {
        Answer a = filter(FakeRequest.get("v1/orgs/ACME/events"));
        a.assertError(401, "unauthorized", "Authorization", "send a bearer token: 'Authorization: Bearer <token>'");
        assertEquals("Bearer realm=\"auditlog\"", a.header("WWW-Authenticate"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Basic YWRtaW46YWRtaW4=",
                "Bearer",
                "Bearer    ",
                "Token alo_x",
                "alo_operator-secret-0123456789",
                "Bearer: alo_operator-secret-0123456789",
                ""
            })
    void anAuthorizationHeaderThatIsNoBearerTokenCountsAsNone(String header) {
        Answer a = filter(FakeRequest.get("v1/admin/tokens").header("Authorization", header));
        a.assertError(401, "unauthorized", "Authorization", "send a bearer token: 'Authorization: Bearer <token>'");
        assertEquals("Bearer realm=\"auditlog\"", a.header("WWW-Authenticate"));
    }

    @Test
    void anUnknownOrRevokedTokenIs401() {
        Answer a = bearer("GET", "v1/admin/tokens", "alt_nobody_secret");
        a.assertError(401, "unauthorized", "Authorization", "the token is unknown or revoked");
        assertEquals("Bearer realm=\"auditlog\"", a.header("WWW-Authenticate"));
        bearer("GET", "v1/admin/tokens", Fixtures.OPERATOR_SECRET + "x")
                .assertError(401, "unauthorized", "Authorization", "the token is unknown or revoked");
        bearer("GET", "v1/admin/tokens", Fixtures.OPERATOR_SECRET.substring(1))
                .assertError(401, "unauthorized", "Authorization", "the token is unknown or revoked");
    }

    @Test
    void theOperatorTokenIsRecognisedWhateverTheSchemesCaseAndTheSpacesAround() {
        for (String header : List.of(
                "Bearer " + Fixtures.OPERATOR_SECRET,
                "bearer " + Fixtures.OPERATOR_SECRET,
                "BEARER   " + Fixtures.OPERATOR_SECRET + "  ",
                "  Bearer " + Fixtures.OPERATOR_SECRET)) {
            FakeRequest r = FakeRequest.get("v1/admin/tokens").header("Authorization", header);
            assertEquals(200, filter(r).status(), header);
            assertTrue(r.caller().operator(), header);
            assertNull(r.caller().grant());
        }
        assertEquals(List.of(), tokens.verified, "the operator token is never looked up in the token store");
    }

    @Test
    void aStoredTokenIsLookedUpAndItsGrantBecomesTheCaller() {
        FakeRequest r = FakeRequest.get("v1/orgs/ACME/events").header("Authorization", "Bearer " + ANN);
        assertEquals(200, filter(r).status());
        assertFalse(r.caller().operator());
        assertSame(Fixtures.ANN_TOKEN, r.caller().grant());
        assertFalse(r.caller().session());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "v1/admin/tokens",
                "v1/admin/orgs/ACME",
                "v1/admin/bundles",
                "v1/admin/mail",
                "v1/admin/products/Backlog/inbox",
                "v1/orgs",
                "v1/unknown"
            })
    void everyOtherPathNeedsTheOperatorTokenAndAnyOtherValidTokenIs403(String path) {
        assertEquals(200, bearer("GET", path, Fixtures.OPERATOR_SECRET).status());
        for (String token : List.of(ANN, BACKLOG_INGEST)) {
            bearer("GET", path, token).assertError(403, "forbidden", null, "this resource needs the operator token");
        }
    }

    @Test
    void eventsAreSentOnlyWithAnIngestTokenOfTheProductOfThePath() {
        FakeRequest ok =
                FakeRequest.post("v1/products/Backlog/events").header("Authorization", "Bearer " + BACKLOG_INGEST);
        assertEquals(200, filter(ok).status());
        assertSame(Fixtures.BACKLOG_INGEST, ok.caller().grant());

        bearer("POST", "v1/products/Apps/events", BACKLOG_INGEST)
                .assertError(403, "forbidden", "product", "this ingest token is for Backlog, not Apps");
        bearer("POST", "v1/products/Backlog/events", Fixtures.OPERATOR_SECRET)
                .assertError(403, "forbidden", null, "events are sent with an ingest token for Backlog");
        bearer("POST", "v1/products/Backlog/events", ANN)
                .assertError(403, "forbidden", null, "events are sent with an ingest token for Backlog");
    }

    @Test
    void anIngestTokenIsNeverAskedAboutMembership() {
        assertEquals(200, bearer("POST", "v1/products/Apps/events", APPS_INGEST).status());
        assertFalse(policy.asked.stream().anyMatch(q -> q.startsWith("isMember")), policy.asked.toString());
    }

    @Test
    void anyValidTokenReadsTheProductListAndOneProductButNotMore() {
        for (String token : List.of(ANN, BACKLOG_INGEST, APPS_INGEST, Fixtures.OPERATOR_SECRET)) {
            assertEquals(200, bearer("GET", "v1/products", token).status(), token);
            assertEquals(200, bearer("GET", "v1/products/Cacoo", token).status(), token);
            assertEquals(200, bearer("HEAD", "v1/products", token).status(), token);
            assertEquals(200, bearer("HEAD", "v1/products/Cacoo", token).status(), token);
        }
        bearer("POST", "v1/products", ANN)
                .assertError(403, "forbidden", null, "this resource needs the operator token");
        bearer("GET", "v1/products/Backlog/inbox", BACKLOG_INGEST)
                .assertError(403, "forbidden", null, "this resource needs the operator token");
        bearer("GET", "v1/products", "alt_unknown_x")
                .assertError(401, "unauthorized", "Authorization", "the token is unknown or revoked");
    }

    @Test
    void aMemberTokenReachesItsOwnOrganizationOnly() {
        for (String path : List.of(
                "v1/orgs/ACME",
                "v1/orgs/ACME/events",
                "v1/orgs/ACME/audit-admins",
                "v1/orgs/ACME/archives/202610/Backlog")) {
            assertEquals(200, bearer("GET", path, ANN).status(), path);
            assertEquals(200, bearer("GET", path, Fixtures.OPERATOR_SECRET).status(), path);
        }
        // another organization, existing or not, answers exactly as a missing one
        Answer other = bearer("GET", "v1/orgs/OTHER/events", ANN);
        Answer missing = bearer("GET", "v1/orgs/NOPE/events", ANN);
        other.assertError(404, "not_found", null, "no such organization");
        assertEquals(other.text(), missing.text());
        bearer("GET", "v1/orgs/acme/events", ANN).assertError(404, "not_found", null, "no such organization");
    }

    @Test
    void anIngestTokenBoundToAnOrganizationDoesNotReadIt() {
        bearer("GET", "v1/orgs/ACME/events", APPS_INGEST).assertError(404, "not_found", null, "no such organization");
    }

    @Test
    void aMemberTokenWhoseMemberLeftTheOrganizationIs401ThoughNeverRevoked() {
        policy.members.remove("ACME/u2");
        Answer a = bearer("GET", "v1/orgs/ACME", BOB);
        a.assertError(
                401,
                "unauthorized",
                "Authorization",
                "the member u2 of this token is no longer in the organization ACME");
        assertEquals("Bearer realm=\"auditlog\"", a.header("WWW-Authenticate"));
    }

    @Test
    void downloadsNeedAMemberTokenAndTheResourceChecksItsOrganization() {
        for (String call : List.of("POST v1/downloads", "POST v1/downloads/check", "GET v1/downloads/dl_abc")) {
            String method = call.substring(0, call.indexOf(' '));
            String path = call.substring(call.indexOf(' ') + 1);
            assertEquals(200, bearer(method, path, ANN).status(), path);
            assertEquals(200, bearer(method, path, ZED).status(), path + ": another organization's member passes here");
            for (String token : List.of(Fixtures.OPERATOR_SECRET, BACKLOG_INGEST)) {
                bearer(method, path, token)
                        .assertError(
                                403,
                                "member_required",
                                "Authorization",
                                "a download link is opened by a signed-in Audit Log Admin: send a member token");
            }
        }
        bearer("GET", "v1/downloads/dl_abc/more", ANN)
                .assertError(403, "forbidden", null, "this resource needs the operator token");
    }

    // --- sign-in and the session cookie

    @Test
    void signingInNeedsNoCredentials() {
        FakeRequest r = FakeRequest.post("v1/session");
        assertEquals(200, filter(r).status());
        assertNull(r.caller(), "the resource checks the token of the body");
    }

    @Test
    void theSessionResourceWithoutItsCookieOrWithABearerTokenIs401() {
        filter(FakeRequest.get("v1/session")).assertError(401, "unauthorized", "Cookie", "no session: sign in first");
        FakeRequest both = withSession("GET", "v1/session").header("Authorization", "Bearer " + ANN);
        filter(both).assertError(401, "unauthorized", "Cookie", "no session: sign in first");
        filter(new FakeRequest("DELETE", "v1/session").header("Authorization", "Bearer " + ANN))
                .assertError(401, "unauthorized", "Cookie", "no session: sign in first");
    }

    @Test
    void theCookieStandsForTheMemberTokenItSignedInWith() {
        FakeRequest r = withSession("GET", "v1/orgs/ACME/events");
        assertEquals(200, filter(r).status());
        assertSame(Fixtures.ANN_TOKEN, r.caller().grant());
        assertTrue(r.caller().session());
        assertEquals(List.of(ANN), tokens.verified, "verified again on the request");

        FakeRequest who = withSession("GET", "v1/session");
        assertEquals(200, filter(who).status());
        assertTrue(who.caller().session());
    }

    @Test
    void aCookieOfNoSessionIs401() {
        filter(FakeRequest.get("v1/orgs/ACME").cookie(Sessions.COOKIE, "made-up"))
                .assertError(401, "unauthorized", "Cookie", "the session has ended or is unknown: sign in again");
    }

    @Test
    void aBearerHeaderWinsOverTheCookie() {
        FakeRequest r = withSession("GET", "v1/orgs/ACME").header("Authorization", "Bearer alt_unknown_x");
        filter(r).assertError(401, "unauthorized", "Authorization", "the token is unknown or revoked");
    }

    @Test
    void aSessionWhoseTokenWasRevokedEndsAtItsNextRequest() {
        FakeRequest r = withSession("GET", "v1/orgs/ACME");
        tokens.bySecret.remove(ANN);
        filter(r)
                .assertError(
                        401,
                        "unauthorized",
                        "Cookie",
                        "the member token of this session was revoked or has expired: sign in again");
        assertTrue(sessions.find(sessionId).isEmpty());
    }

    @Test
    void aSessionWhoseMemberWasRemovedEndsAtItsNextRequest() {
        FakeRequest r = withSession("GET", "v1/orgs/ACME");
        policy.members.remove("ACME/u1");
        filter(r)
                .assertError(
                        401,
                        "unauthorized",
                        "Cookie",
                        "the member u1 of this session is no longer in the organization ACME");
        assertTrue(sessions.find(sessionId).isEmpty());
    }

    @Test
    void aChangeWithTheCookieNeedsTheSessionsCsrfToken() {
        FakeRequest missing = withSession("PUT", "v1/orgs/ACME/audit-admins/u2");
        filter(missing)
                .assertError(
                        403,
                        "csrf_token_missing",
                        "X-Auditlog-CSRF",
                        "a change made with the session "
                                + "cookie must carry the session's CSRF token in the header X-Auditlog-CSRF");

        FakeRequest wrong = withSession("PUT", "v1/orgs/ACME/audit-admins/u2").header("X-Auditlog-CSRF", "not-it");
        filter(wrong)
                .assertError(
                        403,
                        "csrf_token_invalid",
                        "X-Auditlog-CSRF",
                        "the CSRF token is not this session's; reload the page");

        FakeRequest right = withSession("PUT", "v1/orgs/ACME/audit-admins/u2");
        right.header("X-Auditlog-CSRF", csrf);
        assertEquals(200, filter(right).status());
        assertTrue(right.caller().session());
    }

    @Test
    void anotherSessionsCsrfTokenIsRefused() {
        withSession("GET", "v1/session");
        String first = csrf;
        FakeRequest r = withSession("DELETE", "v1/session").header("X-Auditlog-CSRF", first);
        filter(r)
                .assertError(
                        403,
                        "csrf_token_invalid",
                        "X-Auditlog-CSRF",
                        "the CSRF token is not this session's; reload the page");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS"})
    void readsWithTheCookieNeedNoCsrfToken(String method) {
        assertEquals(200, filter(withSession(method, "v1/orgs/ACME/members")).status());
    }

    @Test
    void aChangeWithTheCookieFromAnotherOriginIsRefusedEvenWithTheCsrfToken() {
        FakeRequest r = withSession("POST", "v1/orgs/ACME/exports");
        r.header("X-Auditlog-CSRF", csrf).header("Origin", "https://evil.example");
        filter(r)
                .assertError(
                        403,
                        "cross_origin_request",
                        "Origin",
                        "this request comes from another origin; only the settings page of this server may make it");

        FakeRequest same = withSession("POST", "v1/orgs/ACME/exports");
        same.header("X-Auditlog-CSRF", csrf).header("Origin", "http://localhost:8080");
        assertEquals(200, filter(same).status());
    }

    @Test
    void aRequestTheBrowserMarksCrossSiteIsRefusedWhateverItsMethod() {
        for (String method : List.of("GET", "POST")) {
            FakeRequest r = withSession(method, "v1/orgs/ACME/events").header("Sec-Fetch-Site", "cross-site");
            filter(r)
                    .assertError(
                            403,
                            "cross_origin_request",
                            "Sec-Fetch-Site",
                            "this request comes from another site (cross-site); only the settings page may use the session");
        }
    }

    @Test
    void aBearerTokenIsNotHeldToTheSessionsOriginRules() {
        FakeRequest r = FakeRequest.post("v1/orgs/ACME/exports")
                .header("Authorization", "Bearer " + ANN)
                .header("Origin", "https://evil.example")
                .header("Sec-Fetch-Site", "cross-site");
        assertEquals(200, filter(r).status(), "a script with the token needs no browser protection");
    }

    @Test
    void aRefusedChangeDrainsItsSmallBodySoTheConnectionStays() {
        FakeRequest r = withSession("POST", "v1/orgs/ACME/exports").body("{\"product\":\"Backlog\"}");
        assertEquals(403, filter(r).status());
        assertEquals(21, r.bodyRead);
        assertTrue(r.bodyClosed);
    }
}
