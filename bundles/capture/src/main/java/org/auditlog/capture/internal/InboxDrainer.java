package org.auditlog.capture.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.adapter.ProductAdapter;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.InboxEntry;
import org.auditlog.api.store.InboxStore;
import org.auditlog.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable inbox of events that arrived while their product had no adapter: keeps them, and on its own
 * thread translates and stores a product's waiting entries, oldest first, when an adapter is there (when
 * one registers, and every {@code checkSeconds}). An entry refused for a reason that will not go away is set
 * aside with the reason; the operator lists, reads, retries and deletes those.
 */
final class InboxDrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InboxDrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DRAIN_BATCH = 50;

    /** Turns a product's payloads into records the organization records now, as ingest does. */
    @FunctionalInterface
    interface Translation {
        List<AuditRecord> records(
                String product, ProductAdapter adapter, List<NativePayload> payloads, IngestContext context)
                throws PayloadRejectedException;
    }

    private final InboxStore inbox;
    private final AdapterRoutes routes;
    private final Translation translation;
    private final LongSupplier ids;
    private final Supplier<Clock> clock;
    private final long waitMillis;
    private final ScheduledExecutorService thread;

    /**
     * @param waitMillis how long {@link #drainNow} waits for its pass
     * @param checkSeconds how often every product's inbox is looked at
     * @param thread the inbox thread ({@code auditlog-inbox}), shut down by {@link #close}
     */
    InboxDrainer(
            InboxStore inbox,
            AdapterRoutes routes,
            Translation translation,
            LongSupplier ids,
            Supplier<Clock> clock,
            long waitMillis,
            int checkSeconds,
            ScheduledExecutorService thread) {
        this.inbox = inbox;
        this.routes = routes;
        this.translation = translation;
        this.ids = ids;
        this.clock = clock;
        this.waitMillis = waitMillis;
        this.thread = thread;
        thread.scheduleWithFixedDelay(this::drainAll, 0, checkSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(30, TimeUnit.SECONDS);
    }

    /** Keeps a request's payloads for when the product's adapter is there. */
    void enqueue(String product, List<NativePayload> payloads, IngestContext context) {
        String json;
        try {
            json = JSON.writeValueAsString(
                    payloads.stream().map(NativePayload::json).toList());
        } catch (IOException e) {
            throw new StoreException("could not keep the events for later: " + e.getMessage(), e);
        }
        inbox.enqueue(new InboxEntry(
                0,
                product,
                payloads.get(0).contentType(),
                json,
                payloads.size(),
                context,
                clock.get().instant(),
                null));
        if (routes.adapterFor(product) != null) {
            drainSoon(product); // the adapter returned while the entry was being written
        }
    }

    /** Drains a product's inbox on the inbox thread, without waiting. */
    void drainSoon(String product) {
        try {
            thread.execute(() -> drain(product));
        } catch (RejectedExecutionException e) {
            // shutting down: the entries stay in the inbox for the next start
        }
    }

    /** Drains a product's inbox on the inbox thread and waits (bounded) for that pass to end. */
    void drainNow(String product) {
        try {
            thread.submit(() -> drain(product)).get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.warn("Draining the {} inbox did not finish: {}", product, e.toString());
        }
    }

    List<InboxEntry> failedEntries(String product, int max) {
        return inbox.failedEntries(product, max);
    }

    Optional<InboxEntry> entry(String product, long entryId) {
        return inbox.entry(entryId).filter(e -> e.product().equals(product));
    }

    Optional<InboxEntry> retry(String product, long entryId) {
        setAside(product, entryId);
        if (inbox.retryEntry(entryId)) {
            LOG.info("Inbox entry {} of {} is retried by the operator", entryId, product);
        }
        drainNow(product);
        return inbox.entry(entryId);
    }

    void delete(String product, long entryId) {
        InboxEntry entry = setAside(product, entryId);
        if (!inbox.deleteFailed(entryId)) {
            throw new IllegalStateException("inbox entry " + entryId + " is no longer set aside");
        }
        LOG.warn(
                "Inbox entry {} of {} ({} events, received {}, kept aside for: {}) was deleted by the operator",
                entryId,
                product,
                entry.events(),
                entry.received(),
                entry.failure());
    }

    /** The entry, when it is the product's and set aside; else NoSuchElementException or IllegalStateException. */
    private InboxEntry setAside(String product, long entryId) {
        InboxEntry entry = entry(product, entryId)
                .orElseThrow(() -> new NoSuchElementException("no inbox entry " + entryId + " of " + product));
        if (entry.failure() == null) {
            throw new IllegalStateException("inbox entry " + entryId + " is waiting to be drained, not set aside");
        }
        return entry;
    }

    private void drainAll() {
        for (String product : routes.products()) {
            drain(product);
        }
    }

    /** Translates and stores a product's waiting entries, oldest first, while its adapter is there. */
    private void drain(String product) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                ProductAdapter adapter = routes.adapterFor(product);
                List<InboxEntry> entries = adapter == null ? List.of() : inbox.pending(product, DRAIN_BATCH);
                if (entries.isEmpty()) {
                    return;
                }
                for (InboxEntry entry : entries) {
                    List<AuditRecord> records;
                    try {
                        records = translation.records(product, adapter, payloadsOf(entry), entry.context());
                    } catch (PolicyException e) {
                        LOG.warn("Inbox entry {} of {} is kept aside: {}", entry.id(), product, e.getMessage());
                        inbox.fail(entry.id(), e.getMessage());
                        continue;
                    } catch (PayloadRejectedException e) {
                        LOG.warn(
                                "Inbox entry {} of {} was refused by its adapter and is kept aside: {}",
                                entry.id(),
                                product,
                                e.getMessage());
                        inbox.fail(entry.id(), e.getMessage());
                        continue;
                    }
                    List<AuditRecord> numbered = new ArrayList<>(records.size());
                    for (AuditRecord r : records) {
                        numbered.add(r.withId(ids.getAsLong()));
                    }
                    try {
                        inbox.consume(entry.id(), numbered);
                    } catch (DataRefusedException e) {
                        // the same records would be refused on every pass: set the entry aside, drain the rest
                        LOG.warn(
                                "Inbox entry {} of {} was refused by the store and is kept aside: {}",
                                entry.id(),
                                product,
                                e.getMessage());
                        inbox.fail(entry.id(), "refused by the store: " + e.getMessage());
                    }
                }
            }
        } catch (AdapterFailedException e) {
            LOG.error(
                    "Draining the {} inbox stopped: {}; it resumes when the adapter changes", product, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Draining the {} inbox failed; it is retried later", product, e);
        }
    }

    private static List<NativePayload> payloadsOf(InboxEntry entry) throws PayloadRejectedException {
        List<?> jsons;
        try {
            jsons = JSON.readValue(entry.payloads(), List.class);
        } catch (IOException e) {
            throw new PayloadRejectedException(null, "the stored events are not a JSON array: " + e.getMessage());
        }
        List<NativePayload> payloads = new ArrayList<>(jsons.size());
        for (int i = 0; i < jsons.size(); i++) {
            payloads.add(new NativePayload(entry.contentType(), jsons.get(i), i));
        }
        return payloads;
    }
}
