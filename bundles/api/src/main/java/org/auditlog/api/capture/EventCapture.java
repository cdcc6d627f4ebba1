package org.auditlog.api.capture;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.InboxEntry;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The way in for every event: native payloads from products and records raised inside the server.
 *
 * <p>Records are normalised (UTC date, the fixed support and system actors, file version), given a
 * unique time-ordered id, and appended to the {@link AuditStore}. Both methods return only after the
 * records are durably committed.
 *
 * @since 1.0
 */
@ProviderType
public interface EventCapture {

    /** Media type of a body made of V1 records (field names as the CSV columns), accepted for any installed product. */
    String CANONICAL_MEDIA_TYPE = "application/vnd.auditlog.v1+json";

    /**
     * Translates native payloads through the product's adapter and stores the records. When the product
     * is known but its adapter is absent right now, the payloads are stored durably in the inbox instead
     * and translated when an adapter returns.
     *
     * @param product the product named in the request
     * @param payloads the events of one request, in order
     * @param context the ingest token's organization and the forwarded client details
     * @return the stored records, with their ids, in request order, or the number of events queued
     * @throws UnknownProductException when the server has never had an adapter for the product
     * @throws PayloadRejectedException when any payload or record is refused; nothing is stored
     */
    IngestResult ingest(String product, List<NativePayload> payloads, IngestContext context)
            throws UnknownProductException, PayloadRejectedException;

    /**
     * Stores records raised inside the server (policy changes, exports, downloads).
     *
     * @return the stored records, with their ids
     * @throws PayloadRejectedException when a record breaks a rule; nothing is stored
     */
    List<AuditRecord> record(List<AuditRecord> records) throws PayloadRejectedException;

    /** The products whose adapters are installed now. */
    Set<String> products();

    /** Every product the server knows (installed now or before), by name. */
    List<ProductStatus> productStatus();

    /**
     * Inbox entries of a product that were set aside (refused by the adapter, the normaliser, the policy or the
     * store itself), oldest first, without their payloads.
     *
     * @throws UnknownProductException when the server has never had an adapter for the product
     */
    List<InboxEntry> failedInboxEntries(String product, int max) throws UnknownProductException;

    /** One inbox entry of a product (waiting or set aside) with its payloads; empty for another product's. */
    Optional<InboxEntry> inboxEntry(String product, long entryId) throws UnknownProductException;

    /**
     * Puts an entry set aside back to waiting and drains the product's inbox at once (when its adapter is
     * there), returning after that drain.
     *
     * @return the entry as it is afterwards (set aside again, with the new reason, or waiting), or empty when it
     *         was stored
     * @throws IllegalStateException when the entry is waiting, not set aside
     * @throws NoSuchElementException when the product has no such entry
     */
    Optional<InboxEntry> retryInboxEntry(String product, long entryId) throws UnknownProductException;

    /**
     * Deletes an entry set aside, with its events.
     *
     * @throws IllegalStateException when the entry is waiting, not set aside
     * @throws NoSuchElementException when the product has no such entry
     */
    void deleteInboxEntry(String product, long entryId) throws UnknownProductException;
}
