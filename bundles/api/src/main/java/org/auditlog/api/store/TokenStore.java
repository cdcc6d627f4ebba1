package org.auditlog.api.store;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Bearer tokens for products (ingest) and members. A token's secret is random, shown once when it is
 * issued, and kept only as a hash; presented tokens are compared in constant time.
 *
 * @since 1.0
 */
@ProviderType
public interface TokenStore {

    /** Issues a token; the returned value is the only time its secret is visible. */
    IssuedToken issue(TokenGrant grant);

    /** The grant of a presented token, or empty when the token is unknown, malformed, revoked or expired. */
    Optional<TokenGrant> verify(String presented);

    /** Every token issued and not revoked, without secrets. */
    List<TokenGrant> list();

    /** Revokes a token by id; returns whether it existed. */
    boolean revoke(String tokenId);

    /**
     * Revokes every token of an organization that is not revoked yet: with {@code userId}, the member tokens of
     * that member; without ({@code null}), all of the organization's tokens, member tokens and ingest tokens
     * bound to it. Returns how many were revoked.
     */
    default int revokeAll(String spaceKey, String userId) {
        int n = 0;
        for (TokenGrant g : list()) {
            if (spaceKey.equals(g.spaceKey()) && (userId == null || userId.equals(g.userId())) && revoke(g.id())) {
                n++;
            }
        }
        return n;
    }
}
