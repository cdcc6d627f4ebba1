package org.auditlog.rest.internal;

import javax.ws.rs.container.ContainerRequestContext;

/**
 * Where a browser request comes from, by the headers browsers set and pages cannot: {@code Sec-Fetch-Site}
 * and {@code Origin}. Requests made with the session cookie are held to the settings page's own origin, on
 * top of the CSRF token (and the cookie's {@code SameSite=Strict}, which keeps browsers from sending it
 * cross-site at all).
 *
 * <p>The origin is compared by host and port with the {@code Host} header, not by scheme, so that a server
 * behind a proxy that ends TLS (the browser on https, the server on http) still recognises its own page.
 */
final class SameOrigin {
    private SameOrigin() {}

    /** Refuses a request the browser says comes from another site. */
    static void refuseCrossSite(ContainerRequestContext request) {
        String site = request.getHeaderString("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw new ApiException(
                    403,
                    "cross_origin_request",
                    "Sec-Fetch-Site",
                    "this request comes from another site (" + site + "); only the settings page may use the session");
        }
    }

    /**
     * Refuses a request from another origin or site: {@code Sec-Fetch-Site} other than {@code same-origin} or
     * {@code none}, or an {@code Origin} whose host and port are not the {@code Host} of the request.
     */
    static void require(ContainerRequestContext request) {
        refuseCrossSite(request);
        String origin = request.getHeaderString("Origin");
        if (origin == null) {
            return; // not a browser's cross-origin request (browsers send Origin on every cross-origin POST)
        }
        String host = request.getHeaderString("Host");
        if (host == null || !authority(origin).equalsIgnoreCase(host.strip())) {
            throw new ApiException(
                    403,
                    "cross_origin_request",
                    "Origin",
                    "this request comes from another origin; only the settings page of this server may make it");
        }
    }

    /** Whether the page that sent the request is served over https, as its {@code Origin} says. */
    static boolean fromHttps(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        return origin != null && origin.regionMatches(true, 0, "https://", 0, 8);
    }

    /** {@code host[:port]} of an origin ({@code scheme://host[:port]}); "" when it is none ({@code null}). */
    private static String authority(String origin) {
        int scheme = origin.indexOf("://");
        if (scheme < 0) {
            return "";
        }
        String rest = origin.substring(scheme + 3);
        return rest.indexOf('/') >= 0 ? "" : rest;
    }
}
