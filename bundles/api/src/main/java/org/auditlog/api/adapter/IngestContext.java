package org.auditlog.api.adapter;

/**
 * Who handed a payload to the server.
 *
 * @param spaceKey the organization the ingest token is bound to, or {@code null} when the token names
 *        none (records then carry their own space key)
 * @param clientIp the acting user's IP address as forwarded by the product, or {@code null}
 * @param clientUserAgent the acting user's user agent as forwarded by the product, or {@code null}
 * @since 1.0
 */
public record IngestContext(String spaceKey, String clientIp, String clientUserAgent) {

    /** A context for events raised inside the server. */
    public static IngestContext internal() {
        return new IngestContext(null, null, null);
    }
}
