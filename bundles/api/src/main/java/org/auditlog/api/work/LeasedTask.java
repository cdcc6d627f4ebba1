package org.auditlog.api.work;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Periodic work that one server at a time does, run by {@link BackgroundWork#scheduleUnderLease}.
 *
 * @since 1.0
 */
@ConsumerType
@FunctionalInterface
public interface LeasedTask {
    /**
     * Does the work under {@code lease}, which is released when this returns or throws. Work that takes long
     * renews the lease on the way ({@link HeldLease#renew}).
     */
    void run(HeldLease lease) throws Exception;

    /**
     * Whether there is work now; asked at each time before the lease is taken, so that a time with nothing to
     * do does not write to the lease store. By default, always.
     */
    default boolean due() {
        return true;
    }
}
