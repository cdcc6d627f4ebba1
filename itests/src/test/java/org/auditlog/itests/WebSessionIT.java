package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The settings page's session over plain HTTP, as a forged request would meet it: the cookie's flags, the CSRF
 * token and origin checks on every change, sign-in with the wrong kind of token, and the headers of the pages.
 */
public class WebSessionIT {
    static final String TOKEN = "web-session-it-operator-token";

    static ServerProcess server;
    static Api api;
    static String host;
    static String owner;

    @BeforeClass
    public static void start() throws Exception {
        Path data = Files.createTempDirectory("auditlog-web-session");
        int port = ServerOptions.freePort();
        host = "127.0.0.1:" + port;
        server = ServerProcess.start(data, port, TOKEN, data.resolve("server.log"))
                .awaitHealthy();
        api = server.api;
        api.activeOrg(TOKEN, "SESS");
        owner = WebPageIT.memberToken(api, "SESS", "owner", TOKEN);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A session: its cookie value and CSRF token. */
    record Session(String cookie, String csrf, String setCookie) {
        String header() {
            return "auditlog_session=" + cookie;
        }
    }

    static Session signIn(String token) throws Exception {
        Api.Reply r = api.post(
                "/api/v1/session",
                null,
                "application/json",
                "{\"token\":\"" + token + "\"}",
                "Origin",
                "http://" + host);
        assertEquals(r.toString(), 201, r.status());
        String setCookie = r.raw().headers().firstValue("Set-Cookie").orElseThrow();
        String value = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        return new Session(value, r.json().get("csrfToken").asText(), setCookie);
    }

    @Test
    public void theSessionCookieIsHttpOnlyStrictAndHoldsNoToken() throws Exception {
        Session s = signIn(owner);
        List<String> attributes = List.of(s.setCookie().split(";\\s*"));
        assertTrue(attributes.toString(), attributes.contains("HttpOnly"));
        assertTrue(attributes.toString(), attributes.contains("SameSite=Strict"));
        assertTrue(attributes.toString(), attributes.contains("Path=/"));
        assertFalse("no Secure over plain http: " + attributes, attributes.contains("Secure"));
        assertTrue(s.cookie().length() >= 43); // 256 random bits, base64url
        assertFalse(s.setCookie().contains(owner));
        // behind a proxy that ends TLS the page's origin is https, and the cookie is Secure
        Api.Reply https = api.post(
                "/api/v1/session",
                null,
                "application/json",
                "{\"token\":\"" + owner + "\"}",
                "Origin",
                "https://" + host);
        assertTrue(https.raw().headers().firstValue("Set-Cookie").orElseThrow().endsWith("; Secure"));

        Api.Reply me = api.request("GET", "/api/v1/session", null, "Cookie", s.header());
        assertEquals(me.toString(), 200, me.status());
        assertEquals("owner", me.json().get("userId").asText());
        assertFalse(me.body().contains(owner));
        assertEquals(
                200,
                api.request("GET", "/api/v1/orgs/SESS/events", null, "Cookie", s.header())
                        .status());
    }

    @Test
    public void aChangeFromAnotherOriginOrWithoutTheCsrfTokenIsRefused() throws Exception {
        Session s = signIn(owner);
        String export = "{\"product\":\"Apps\"}";
        assertRefused(
                api.deliberatelyInvalid()
                        .post("/api/v1/orgs/SESS/exports", null, "application/json", export, "Cookie", s.header()),
                403,
                "csrf_token_missing");
        assertRefused(
                api.post(
                        "/api/v1/orgs/SESS/exports",
                        null,
                        "application/json",
                        export,
                        "Cookie",
                        s.header(),
                        "X-Auditlog-CSRF",
                        s.csrf() + "x"),
                403,
                "csrf_token_invalid");
        assertRefused(
                api.post(
                        "/api/v1/orgs/SESS/exports",
                        null,
                        "application/json",
                        export,
                        "Cookie",
                        s.header(),
                        "X-Auditlog-CSRF",
                        s.csrf(),
                        "Origin",
                        "http://evil.example"),
                403,
                "cross_origin_request");
        assertRefused(
                api.post(
                        "/api/v1/orgs/SESS/exports",
                        null,
                        "application/json",
                        export,
                        "Cookie",
                        s.header(),
                        "X-Auditlog-CSRF",
                        s.csrf(),
                        "Sec-Fetch-Site",
                        "cross-site"),
                403,
                "cross_origin_request");
        // even a read, when the browser says another site made it
        assertRefused(
                api.request(
                        "GET", "/api/v1/orgs/SESS/events", null, "Cookie", s.header(), "Sec-Fetch-Site", "cross-site"),
                403,
                "cross_origin_request");
        // a sign-in from another site (login CSRF)
        assertRefused(
                api.post(
                        "/api/v1/session",
                        null,
                        "application/json",
                        "{\"token\":\"" + owner + "\"}",
                        "Origin",
                        "http://evil.example"),
                403,
                "cross_origin_request");
        assertEquals(
                0,
                api.get("/api/v1/orgs/SESS/exports", owner)
                        .json()
                        .get("exports")
                        .size());

        Api.Reply done = api.post(
                "/api/v1/orgs/SESS/exports",
                null,
                "application/json",
                export,
                "Cookie",
                s.header(),
                "X-Auditlog-CSRF",
                s.csrf(),
                "Origin",
                "http://" + host,
                "Sec-Fetch-Site",
                "same-origin");
        assertEquals(done.toString(), 202, done.status());

        // sign-out needs the token too, and ends the session
        assertRefused(
                api.deliberatelyInvalid().request("DELETE", "/api/v1/session", null, "Cookie", s.header()),
                403,
                "csrf_token_missing");
        assertEquals(
                204,
                api.request("DELETE", "/api/v1/session", null, "Cookie", s.header(), "X-Auditlog-CSRF", s.csrf())
                        .status());
        assertRefused(api.request("GET", "/api/v1/orgs/SESS/events", null, "Cookie", s.header()), 401, "unauthorized");
    }

    @Test
    public void onlyAMemberTokenSignsInAndARevokedOneEndsItsSessions() throws Exception {
        assertRefused(
                api.post("/api/v1/session", null, "application/json", "{\"token\":\"" + TOKEN + "\"}"),
                401,
                "unauthorized");
        String ingest = api.ingestToken(TOKEN, "Apps", null);
        assertRefused(
                api.post("/api/v1/session", null, "application/json", "{\"token\":\"" + ingest + "\"}"),
                403,
                "member_required");
        assertRefused(
                api.post("/api/v1/session", null, "application/json", "{\"token\":\"alt_nope_nope\"}"),
                401,
                "unauthorized");
        assertRefused(
                api.deliberatelyInvalid().post("/api/v1/session", null, "application/json", "{\"tokn\":\"x\"}"),
                400,
                "invalid_field");
        assertRefused(api.deliberatelyInvalid().request("GET", "/api/v1/session", null), 401, "unauthorized");
        assertRefused(
                api.request("GET", "/api/v1/session", null, "Cookie", "auditlog_session=made-up"), 401, "unauthorized");

        Api.Reply issued = api.post(
                "/api/v1/admin/tokens",
                TOKEN,
                "application/json",
                "{\"kind\":\"member\",\"spaceKey\":\"SESS\",\"userId\":\"owner\"}");
        Session s = signIn(issued.json().get("token").asText());
        assertEquals(
                200,
                api.request("GET", "/api/v1/session", null, "Cookie", s.header())
                        .status());
        assertEquals(
                204,
                api.delete("/api/v1/admin/tokens/" + issued.json().get("id").asText(), TOKEN)
                        .status());
        assertRefused(api.request("GET", "/api/v1/orgs/SESS", null, "Cookie", s.header()), 401, "unauthorized");
    }

    @Test
    public void thePagesForbidFramingInlineScriptAndSniffing() throws Exception {
        for (String path : List.of(
                "/",
                "/orgs/SESS/settings/audit-log",
                "/orgs/NOPE/settings/audit-log",
                "/assets/app.js",
                "/assets/app.css")) {
            Api.Reply r = api.get(path, null);
            assertEquals(path, 200, r.status());
            String csp = r.raw().headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(
                    path + ": " + csp,
                    csp.contains("frame-ancestors 'none'")
                            && csp.contains("script-src 'self'")
                            && csp.contains("style-src 'self'")
                            && !csp.contains("unsafe"));
            assertEquals(
                    "nosniff",
                    r.raw().headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals(
                    "no-referrer",
                    r.raw().headers().firstValue("Referrer-Policy").orElse(""));
        }
        // the settings page is the same for every organization: it tells nothing about any
        assertEquals(
                api.get("/orgs/SESS/settings/audit-log", null).body(),
                api.get("/orgs/NOPE/settings/audit-log", null).body());
        assertTrue(api.get("/", null)
                .raw()
                .headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("text/html"));
        assertEquals(
                "nosniff",
                api.get("/api/v1/orgs/SESS", owner)
                        .raw()
                        .headers()
                        .firstValue("X-Content-Type-Options")
                        .orElse(""));
        assertRefused(api.post("/", null, "text/plain", "x"), 404, "not_found");
    }

    static void assertRefused(Api.Reply r, int status, String error) {
        assertEquals(r.toString(), status, r.status());
        assertEquals(r.toString(), error, r.json().get("error").asText());
    }
}
