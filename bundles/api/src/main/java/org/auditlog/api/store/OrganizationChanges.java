package org.auditlog.api.store;

import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Notice of every organization saved or purged through any server sharing the store, once the change has
 * committed, so that a server drops what it keeps of an organization another server changed (the policy's
 * decision snapshots). On PostgreSQL a notice takes milliseconds (LISTEN/NOTIFY); where the store has no other
 * servers (the embedded HSQLDB database), no notices come: every change is this server's own. Implemented by
 * the storage bundle.
 *
 * @since 1.1
 */
@ProviderType
public interface OrganizationChanges {
    /**
     * Calls {@code listener} with the space key of each organization changed, on a thread of the store's; with
     * {@code null} when changes may have been missed (the store lost its connection for notices and has it
     * again): then everything kept may be stale. Closing the returned handle stops the calls.
     */
    AutoCloseable listen(Consumer<String> listener);
}
