package org.auditlog.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.adapter.ProductCatalog;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.IngestResult;
import org.auditlog.api.capture.ProductStatus;
import org.auditlog.api.capture.UnknownProductException;
import org.auditlog.api.store.InboxEntry;

/**
 * The capture service as the REST bundle sees it: Apps and Backlog are installed, Cacoo was once (its adapter is
 * gone). Records written through {@link #record} are kept; ingest stores each payload as a record numbered from
 * 1001, or queues them all when {@link #queue} is set, or throws {@link #ingestFailure}.
 */
final class FakeCapture implements EventCapture {
    final List<ProductStatus> status = new ArrayList<>(List.of(
            new ProductStatus(
                    "Apps",
                    "org.auditlog.product.apps",
                    "1.0.0",
                    new ProductCatalog(Map.of("Member", List.of("Add a member"))),
                    0,
                    0),
            new ProductStatus(
                    "Backlog",
                    "org.auditlog.product.backlog",
                    "1.0.1",
                    new ProductCatalog(Map.of("Issue", List.of("Add an issue", "Update an issue"))),
                    0,
                    1),
            new ProductStatus("Cacoo", null, null, null, 4, 0)));
    final List<AuditRecord> recorded = new ArrayList<>();
    RuntimeException recordFailure;

    String ingestedProduct;
    List<NativePayload> ingested;
    IngestContext ingestContext;
    boolean queue;
    Exception ingestFailure;

    /** Inbox entries by id; {@link #waiting} ids are not set aside. */
    final Map<Long, InboxEntry> inbox = new LinkedHashMap<>();

    final Set<Long> waiting = new TreeSet<>();
    Optional<InboxEntry> retryAnswer = Optional.empty();
    final List<String> inboxCalls = new ArrayList<>();

    @Override
    public IngestResult ingest(String product, List<NativePayload> payloads, IngestContext context)
            throws UnknownProductException, PayloadRejectedException {
        ingestedProduct = product;
        ingested = payloads;
        ingestContext = context;
        if (ingestFailure instanceof UnknownProductException e) {
            throw e;
        }
        if (ingestFailure instanceof PayloadRejectedException e) {
            throw e;
        }
        if (ingestFailure instanceof RuntimeException e) {
            throw e;
        }
        if (queue) {
            return new IngestResult(List.of(), payloads.size());
        }
        List<AuditRecord> stored = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            stored.add(new AuditRecord(
                    1001 + i,
                    context.spaceKey(),
                    product,
                    Fixtures.NOW,
                    "Issue",
                    "Add an issue",
                    "added",
                    "u1",
                    "Ann",
                    "ann@acme.example",
                    "",
                    "",
                    AuditRecord.V1));
        }
        return new IngestResult(stored, 0);
    }

    @Override
    public List<AuditRecord> record(List<AuditRecord> records) {
        if (recordFailure != null) {
            throw recordFailure;
        }
        recorded.addAll(records);
        return records;
    }

    @Override
    public Set<String> products() {
        Set<String> installed = new TreeSet<>();
        status.stream().filter(ProductStatus::adapterInstalled).forEach(p -> installed.add(p.product()));
        return installed;
    }

    @Override
    public List<ProductStatus> productStatus() {
        return status;
    }

    private void known(String product) throws UnknownProductException {
        if (status.stream().noneMatch(p -> p.product().equals(product))) {
            throw new UnknownProductException(product);
        }
    }

    @Override
    public List<InboxEntry> failedInboxEntries(String product, int max) throws UnknownProductException {
        known(product);
        inboxCalls.add("failed " + product + " " + max);
        return inbox.values().stream()
                .filter(e -> e.product().equals(product) && e.failure() != null)
                .limit(max)
                .toList();
    }

    @Override
    public Optional<InboxEntry> inboxEntry(String product, long entryId) throws UnknownProductException {
        known(product);
        return Optional.ofNullable(inbox.get(entryId)).filter(e -> e.product().equals(product));
    }

    @Override
    public Optional<InboxEntry> retryInboxEntry(String product, long entryId) throws UnknownProductException {
        setAside(product, entryId);
        inboxCalls.add("retry " + product + " " + entryId);
        return retryAnswer;
    }

    @Override
    public void deleteInboxEntry(String product, long entryId) throws UnknownProductException {
        setAside(product, entryId);
        inboxCalls.add("delete " + product + " " + entryId);
        inbox.remove(entryId);
    }

    private void setAside(String product, long entryId) throws UnknownProductException {
        known(product);
        InboxEntry e = inbox.get(entryId);
        if (e == null || !e.product().equals(product)) {
            throw new NoSuchElementException("no inbox entry " + entryId);
        }
        if (waiting.contains(entryId)) {
            throw new IllegalStateException("inbox entry " + entryId + " is waiting to be drained, not set aside");
        }
    }
}
