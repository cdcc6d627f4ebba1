package org.auditlog.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.IngestResult;
import org.auditlog.api.capture.ProductStatus;
import org.auditlog.api.store.InboxEntry;

/** An event capture service that keeps the records it is given, or refuses them when told to. */
public final class RecordingCapture implements EventCapture {
    public final List<AuditRecord> records = Collections.synchronizedList(new ArrayList<>());
    public volatile PayloadRejectedException refusal;
    public volatile RuntimeException failure;
    /** The threads that recorded, in order. */
    public final List<String> threads = Collections.synchronizedList(new ArrayList<>());

    @Override
    public List<AuditRecord> record(List<AuditRecord> batch) throws PayloadRejectedException {
        if (refusal != null) {
            throw refusal;
        }
        if (failure != null) {
            throw failure;
        }
        records.addAll(batch);
        threads.add(Thread.currentThread().getName());
        return batch;
    }

    @Override
    public IngestResult ingest(String product, List<NativePayload> payloads, IngestContext context) {
        throw new UnsupportedOperationException("records only: the components under test record their own events");
    }

    @Override
    public Set<String> products() {
        return Set.of();
    }

    @Override
    public List<ProductStatus> productStatus() {
        return List.of();
    }

    @Override
    public List<InboxEntry> failedInboxEntries(String product, int max) {
        return List.of();
    }

    @Override
    public Optional<InboxEntry> inboxEntry(String product, long entryId) {
        return Optional.empty();
    }

    @Override
    public Optional<InboxEntry> retryInboxEntry(String product, long entryId) {
        throw new java.util.NoSuchElementException();
    }

    @Override
    public void deleteInboxEntry(String product, long entryId) {
        throw new java.util.NoSuchElementException();
    }

    /** The records so far, and forgets them. */
    public List<AuditRecord> take() {
        synchronized (records) {
            List<AuditRecord> out = List.copyOf(records);
            records.clear();
            return out;
        }
    }
}
