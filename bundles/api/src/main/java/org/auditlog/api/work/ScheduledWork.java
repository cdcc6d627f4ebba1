package org.auditlog.api.work;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Work scheduled by {@link BackgroundWork#scheduleUnderLease}.
 *
 * @since 1.0
 */
@ProviderType
public interface ScheduledWork extends AutoCloseable {
    /** Cancels the times to come and interrupts a run in progress; does not wait for it. */
    @Override
    void close();
}
