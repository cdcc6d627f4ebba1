package org.auditlog.api.store;

import java.time.Instant;

/**
 * What a token allows.
 *
 * @param id public id of the token (not secret)
 * @param kind {@link #INGEST} or {@link #MEMBER}
 * @param product for ingest tokens, the product it may send events for
 * @param spaceKey the organization it is bound to, or {@code null}
 * @param userId for member tokens, the member it speaks for
 * @param created when it was issued
 * @param expires when it stops working, or {@code null} for never
 * @since 1.0
 */
public record TokenGrant(
        String id, String kind, String product, String spaceKey, String userId, Instant created, Instant expires) {
    public static final String INGEST = "ingest";
    public static final String MEMBER = "member";

    /** A grant that does not expire. */
    public TokenGrant(String id, String kind, String product, String spaceKey, String userId, Instant created) {
        this(id, kind, product, spaceKey, userId, created, null);
    }
}
