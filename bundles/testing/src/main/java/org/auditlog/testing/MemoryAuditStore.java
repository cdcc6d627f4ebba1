package org.auditlog.testing;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.RecordCursor;

/**
 * An {@link AuditStore} in memory. Appended records are kept in {@link #records}; {@link #stream} reads
 * {@link #period} of them; the deletions remove from them. A search answers {@link #page} (or throws
 * {@link #failure}) and keeps the query in {@link #lastQuery}. A test that needs another answer overrides the
 * method (a gated append, a failing read).
 */
public class MemoryAuditStore implements AuditStore {
    /** The records appended so far, in order. */
    public final List<AuditRecord> records = Collections.synchronizedList(new ArrayList<>());
    /** What every search answers. */
    public volatile EventPage page = new EventPage(List.of(), null);
    /** When set, what every search throws. */
    public volatile RuntimeException failure;
    /** The last search asked. */
    public volatile EventQuery lastQuery;

    @Override
    public synchronized void append(List<AuditRecord> batch) {
        records.addAll(batch);
    }

    /** Appends one V1 record of Apps dated {@code date} (ISO-8601) for {@code spaceKey}. */
    public synchronized void add(String spaceKey, String date) {
        records.add(new AuditRecord(
                records.size() + 1,
                spaceKey,
                "Apps",
                Instant.parse(date),
                "c",
                "e",
                "a",
                "",
                "n",
                "",
                "",
                "",
                AuditRecord.V1));
    }

    /** How many records {@code spaceKey} has. */
    public synchronized long count(String spaceKey) {
        return records.stream().filter(r -> r.spaceKey().equals(spaceKey)).count();
    }

    /** The records appended so far. */
    public synchronized List<AuditRecord> appended() {
        return List.copyOf(records);
    }

    @Override
    public EventPage query(EventQuery query) {
        lastQuery = query;
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        return page;
    }

    /**
     * The records one {@link #stream} call reads, in order: by default the organization's and product's records
     * dated in {@code [from, to)}, by date and id.
     */
    protected synchronized List<AuditRecord> period(String spaceKey, String product, Instant from, Instant to) {
        return records.stream()
                .filter(r -> r.spaceKey().equals(spaceKey)
                        && r.product().equals(product)
                        && !r.date().isBefore(from)
                        && r.date().isBefore(to))
                .sorted(Comparator.comparing(AuditRecord::date).thenComparingLong(AuditRecord::id))
                .toList();
    }

    @Override
    public RecordCursor stream(String spaceKey, String product, Instant from, Instant to) {
        Iterator<AuditRecord> it = period(spaceKey, product, from, to).iterator();
        return new RecordCursor() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public AuditRecord next() {
                return it.next();
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public Optional<Instant> lastLateRecord(String spaceKey, String product, YearMonth month) {
        return Optional.empty();
    }

    @Override
    public synchronized long maxId() {
        return records.stream().mapToLong(AuditRecord::id).max().orElse(0);
    }

    @Override
    public synchronized long deleteDatedBefore(Instant cutoff) {
        long before = records.size();
        records.removeIf(r -> r.date().isBefore(cutoff));
        return before - records.size();
    }

    @Override
    public synchronized long deleteOrganization(String spaceKey) {
        long before = records.size();
        records.removeIf(r -> r.spaceKey().equals(spaceKey));
        return before - records.size();
    }

    @Override
    public boolean isHealthy() {
        return true;
    }
}
