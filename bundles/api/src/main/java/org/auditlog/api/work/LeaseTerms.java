package org.auditlog.api.work;

import java.time.Duration;
import java.util.Objects;

/**
 * Which lease a piece of periodic work runs under.
 *
 * @param name the lease's name in the {@link org.auditlog.api.store.LeaseStore} ({@code retention})
 * @param holder this server's holder id ({@link org.auditlog.api.capture.ServerNode#holder()})
 * @param ttl how long the lease lasts unless renewed: longer than a run takes, or renewed during it
 * @since 1.0
 */
public record LeaseTerms(String name, String holder, Duration ttl) {
    public LeaseTerms {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(holder, "holder");
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a lease's ttl must be positive, not " + ttl);
        }
    }
}
