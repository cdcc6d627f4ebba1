package org.auditlog.api;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable storage for events whose product adapter is absent (being upgraded, say), and the list of
 * products the server has ever served. Used by the capture service only.
 */
@ProviderType
public interface InboxStore {

    /** Stores an entry durably; returns its id. */
    long enqueue(InboxEntry entry);

    /** Up to {@code max} waiting entries of a product, oldest first. */
    List<InboxEntry> pending(String product, int max);

    /**
     * Appends the records made from an entry and deletes the entry, in one transaction: an entry is
     * translated into stored records exactly once, even if the process dies in between.
     */
    void consume(long entryId, List<AuditRecord> records);

    /** Marks an entry as refused by its adapter; it stays, with the reason, and is not retried. */
    void fail(long entryId, String reason);

    /** Waiting events of a product (not entries: an entry may hold many events). */
    long pendingEvents(String product);

    /** Refused events of a product. */
    long failedEvents(String product);

    /** Every product whose adapter has been installed at least once. */
    Set<String> knownProducts();

    /** Remembers that a product exists; idempotent. */
    void rememberProduct(String product);
}
