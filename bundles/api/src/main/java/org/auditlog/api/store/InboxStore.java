package org.auditlog.api.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.auditlog.api.adapter.AuditRecord;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable storage for events whose product adapter is absent (being upgraded, say), and the list of
 * products the server has ever served. Used by the capture service only.
 *
 * @since 1.0
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
     *
     * @throws DataRefusedException when the store refuses the records themselves (a value a column cannot
     *         hold); the entry stays, unchanged
     * @throws StoreException when the store cannot write now; the entry stays, unchanged
     */
    void consume(long entryId, List<AuditRecord> records);

    /**
     * Sets an entry aside for a reason that will not go away (its adapter, the V1 rules, the organization's plan or
     * the store refused it); it stays, with the reason, and is not drained again until {@link #retryEntry}.
     */
    void fail(long entryId, String reason);

    /**
     * Up to {@code max} entries of a product set aside by {@link #fail}, oldest first, without their payloads
     * ({@link InboxEntry#payloads()} is {@code null}).
     */
    List<InboxEntry> failedEntries(String product, int max);

    /** One entry, waiting or set aside, with its payloads. */
    Optional<InboxEntry> entry(long entryId);

    /** Puts an entry set aside back to waiting (its reason is cleared); false when it is not set aside. */
    boolean retryEntry(long entryId);

    /** Deletes an entry set aside; false when there is no such entry set aside (waiting ones are never deleted). */
    boolean deleteFailed(long entryId);

    /**
     * Deletes every entry, waiting or set aside, that names the organization ({@link InboxEntry#context()}): its
     * data is being purged (docs/rules.md section 7), and an entry left behind would be drained into, or shown
     * with, a later organization of the same space key. Returns how many. Called by the retention job.
     *
     * @since 1.3
     */
    int deleteOrganization(String spaceKey);

    /**
     * Deletes the entries set aside ({@link #fail}) that were received before {@code cutoff}, whichever
     * organization they name, none included (retention: their raw payloads are kept no longer than records).
     * Waiting entries are never deleted by age. Returns how many. Called by the retention job.
     *
     * @since 1.3
     */
    int deleteSetAsideBefore(Instant cutoff);

    /** Waiting events of a product (not entries: an entry may hold many events). */
    long pendingEvents(String product);

    /** Refused events of a product. */
    long failedEvents(String product);

    /** Every product whose adapter has been installed at least once. */
    Set<String> knownProducts();

    /** Remembers that a product exists; idempotent. */
    void rememberProduct(String product);
}
