package org.auditlog.api.work;

import org.auditlog.api.store.LeaseStore.Lease;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The lease a {@link LeasedTask} runs under, given to it by {@link BackgroundWork#scheduleUnderLease}. The epoch
 * is a fencing token: a task that renews its lease and finds another epoch has been taken over (it stalled for
 * longer than the lease's ttl) and stops.
 *
 * @since 1.0
 */
@ProviderType
public interface HeldLease {
    /** The lease as taken for this run. */
    Lease lease();

    /** The lease's epoch when this run took it. */
    default long epoch() {
        return lease().epoch();
    }

    /**
     * Renews the lease for its ttl; whether it is still held with this run's epoch. {@code false}: another server
     * took the work over, and this run should stop.
     */
    boolean renew();

    /** Whether the lease is still held with this run's epoch, without renewing it. */
    boolean holds();
}
