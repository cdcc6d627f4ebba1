package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The origin rules of requests made with the session cookie: {@code Sec-Fetch-Site} {@code same-origin} or
 * {@code none}, and an {@code Origin} whose host and port are the request's {@code Host}, whatever the scheme.
 */
class SameOriginTest {
    static FakeRequest post() {
        return FakeRequest.post("v1/orgs/ACME/exports").header("Host", "localhost:8080");
    }

    static Answer require(FakeRequest r) {
        return Answer.of(() -> {
            SameOrigin.require(r);
            return javax.ws.rs.core.Response.ok().build();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080", "https://localhost:8080", "HTTP://LOCALHOST:8080"})
    void theSameHostAndPortIsAcceptedWhateverTheScheme(String origin) {
        assertTrue(require(post().header("Origin", origin)).status() == 200, origin);
    }

    @Test
    void theHostHeaderIsComparedWithoutItsSurroundingSpaces() {
        assertTrue(require(FakeRequest.post("v1/session")
                                .header("Host", " localhost:8080 ")
                                .header("Origin", "http://localhost:8080"))
                        .status()
                == 200);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://localhost:8081",
                "http://localhost",
                "http://evil.example",
                "http://localhost:8080.evil",
                "http://evil.example/localhost:8080",
                "http://localhost:8080/",
                "null",
                "localhost:8080",
                ""
            })
    void anyOtherOriginIsRefused(String origin) {
        require(post().header("Origin", origin))
                .assertError(
                        403,
                        "cross_origin_request",
                        "Origin",
                        "this request comes from another origin; only the settings page of this server may make it");
    }

    @Test
    void anOriginWithoutAHostHeaderIsRefused() {
        require(FakeRequest.post("v1/session").header("Origin", "http://localhost:8080"))
                .assertError(
                        403,
                        "cross_origin_request",
                        "Origin",
                        "this request comes from another origin; only the settings page of this server may make it");
    }

    @Test
    void withoutOriginTheRequestIsNoBrowsersCrossOriginOneAndPasses() {
        assertTrue(require(post()).status() == 200);
        assertTrue(require(FakeRequest.post("v1/session")).status() == 200, "not even Host is needed then");
    }

    @Test
    void theRefererIsNotRead() {
        // only Origin counts: a Referer of another site without Origin passes (browsers send Origin on such a POST)
        assertTrue(
                require(post().header("Referer", "https://evil.example/page")).status() == 200);
        require(post().header("Referer", "http://localhost:8080/orgs/ACME/settings/audit-log")
                        .header("Origin", "https://evil.example"))
                .assertError(
                        403,
                        "cross_origin_request",
                        "Origin",
                        "this request comes from another origin; only the settings page of this server may make it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"same-origin", "none"})
    void aBrowserSayingSameOriginOrNoneIsAccepted(String site) {
        assertDoesNotThrow(() -> SameOrigin.refuseCrossSite(post().header("Sec-Fetch-Site", site)));
        assertTrue(require(post().header("Sec-Fetch-Site", site).header("Origin", "http://localhost:8080"))
                        .status()
                == 200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross-site", "same-site", "Same-Origin", "bogus"})
    void aBrowserSayingAnythingElseIsRefusedBeforeTheOriginIsLookedAt(String site) {
        require(post().header("Sec-Fetch-Site", site).header("Origin", "http://localhost:8080"))
                .assertError(
                        403,
                        "cross_origin_request",
                        "Sec-Fetch-Site",
                        "this request comes from another site (" + site
                                + "); only the settings page may use the session");
    }

    @Test
    void httpsIsReadFromTheOrigin() {
        assertTrue(SameOrigin.fromHttps(post().header("Origin", "https://auditlog.example")));
        assertTrue(SameOrigin.fromHttps(post().header("Origin", "HTTPS://auditlog.example")));
        assertFalse(SameOrigin.fromHttps(post().header("Origin", "http://auditlog.example")));
        assertFalse(SameOrigin.fromHttps(post()));
    }
}
