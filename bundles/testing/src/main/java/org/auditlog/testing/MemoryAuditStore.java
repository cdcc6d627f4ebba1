package org.auditlog.testing;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.EventCursor;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.Facets;
import org.auditlog.api.store.Histogram;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.api.store.SearchClause;
import org.auditlog.api.store.SearchField;
import org.auditlog.api.store.SearchQuery;

/**
 * An {@link AuditStore} in memory. Appended records are kept in {@link #records}; {@link #stream} reads
 * {@link #period} of them; the deletions remove from them. Each record has a sequence in the log of its organization
 * and product, from 0 in the order it was appended (or put into {@link #records}), as the evidence log gives it;
 * {@link #sequenced} reads by it. Deleting records leaves the sequences of the others as they were (retention
 * makes gaps); deleting an organization starts its logs again at 0. A search answers {@link #page} (or throws
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
    /** The last search of the language asked ({@link #search}, {@link #histogram}, {@link #facets}). */
    public volatile SearchQuery lastSearch;
    /** What every histogram answers; null: one bucket per interval of the range, each with no record. */
    public volatile Histogram histogram;
    /** What every facets call answers; null: no values. */
    public volatile Facets facets;

    /** The sequence of each record numbered so far (by identity: two equal records are two leaves). */
    private final Map<AuditRecord, Long> sequences = new IdentityHashMap<>();
    /** The size of each log, by organization and product. */
    private final Map<List<String>, Long> sizes = new HashMap<>();

    @Override
    public synchronized void append(List<AuditRecord> batch) {
        records.addAll(batch);
        number();
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
        number();
    }

    /** Gives the records not numbered yet (appended, or put into {@link #records} directly) their sequences. */
    private synchronized void number() {
        synchronized (records) {
            for (AuditRecord r : records) {
                if (!sequences.containsKey(r)) {
                    List<String> log = List.of(r.spaceKey(), r.product());
                    long size = sizes.getOrDefault(log, 0L);
                    sequences.put(r, size);
                    sizes.put(log, size + 1);
                }
            }
        }
    }

    /** Forgets the sequences of the records no longer in {@link #records}. */
    private synchronized void forgetDeleted() {
        Set<AuditRecord> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        synchronized (records) {
            kept.addAll(records);
        }
        sequences.keySet().retainAll(kept);
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
     * Keeps the search in {@link #lastSearch}, and also in {@link #lastQuery} as the filters of an {@link EventQuery}
     * when it holds only those (one product, category, event and user each, none negated).
     */
    @Override
    public EventPage search(SearchQuery query, int limit, EventCursor after) {
        lastSearch = query;
        lastQuery = asEventQuery(query, limit, after);
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        return page;
    }

    private static EventQuery asEventQuery(SearchQuery q, int limit, EventCursor after) {
        Map<SearchField, String> values = new java.util.EnumMap<>(SearchField.class);
        for (SearchClause c : q.clauses()) {
            if (c.negated()
                    || c.values().size() != 1
                    || c.field() == SearchField.IP
                    || c.field() == SearchField.TEXT
                    || values.put(c.field(), c.values().get(0)) != null) {
                return null;
            }
        }
        return new EventQuery(
                q.spaceKey(),
                values.get(SearchField.PRODUCT),
                q.from(),
                q.to(),
                values.get(SearchField.CATEGORY),
                values.get(SearchField.EVENT),
                values.get(SearchField.ACTOR),
                limit,
                after);
    }

    @Override
    public Histogram histogram(SearchQuery query, Histogram.Interval interval) {
        lastSearch = query;
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        Histogram h = histogram;
        if (h != null) {
            return h;
        }
        List<Histogram.Bucket> buckets = new ArrayList<>();
        for (Instant t = query.from(); t.isBefore(query.to()); t = t.plus(interval.length())) {
            buckets.add(new Histogram.Bucket(t, 0L));
        }
        return new Histogram(interval, query.from(), query.to(), buckets, null);
    }

    @Override
    public Facets facets(SearchQuery query) {
        lastSearch = query;
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        Facets given = facets;
        return given != null
                ? given
                : new Facets(query.from(), query.to(), null, List.of(), List.of(), List.of(), List.of());
    }

    /** Counts {@link #records} of the organization by product and month. */
    @Override
    public Optional<Map<String, Map<YearMonth, Long>>> countsByMonth(String spaceKey, YearMonth first, YearMonth last) {
        Map<String, Map<YearMonth, Long>> out = new java.util.TreeMap<>();
        synchronized (records) {
            for (AuditRecord r : records) {
                YearMonth m = YearMonth.from(r.date().atOffset(java.time.ZoneOffset.UTC));
                if (r.spaceKey().equals(spaceKey) && !m.isBefore(first) && !m.isAfter(last)) {
                    out.computeIfAbsent(r.product(), k -> new java.util.TreeMap<>())
                            .merge(m, 1L, Long::sum);
                }
            }
        }
        return Optional.of(out);
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

    /** The records of one log from sequence {@code from} on, in sequence order, at most {@code limit}. */
    @Override
    public synchronized RecordCursor sequenced(String spaceKey, String product, long from, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        number();
        List<Map.Entry<AuditRecord, Long>> page = sequences.entrySet().stream()
                .filter(e -> e.getKey().spaceKey().equals(spaceKey)
                        && e.getKey().product().equals(product)
                        && e.getValue() >= from)
                .sorted(Map.Entry.comparingByValue())
                .limit(limit)
                .map(e -> Map.entry(e.getKey(), e.getValue()))
                .toList();
        Iterator<Map.Entry<AuditRecord, Long>> it = page.iterator();
        return new RecordCursor() {
            private long sequence = -1;

            @Override
            public long sequence() {
                return sequence;
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public AuditRecord next() {
                Map.Entry<AuditRecord, Long> e = it.next();
                sequence = e.getValue();
                return e.getKey();
            }

            @Override
            public void close() {}
        };
    }

    /** The lowest sequence of the log's records dated at or after {@code from}, or the log's size. */
    @Override
    public synchronized long firstSequenceDatedFrom(String spaceKey, String product, Instant from) {
        number();
        return sequences.entrySet().stream()
                .filter(e -> e.getKey().spaceKey().equals(spaceKey)
                        && e.getKey().product().equals(product)
                        && !e.getKey().date().isBefore(from))
                .mapToLong(Map.Entry::getValue)
                .min()
                .orElse(sizes.getOrDefault(List.of(spaceKey, product), 0L));
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
        number(); // the records put in directly keep their place in their log
        long before = records.size();
        records.removeIf(r -> r.date().isBefore(cutoff));
        forgetDeleted();
        return before - records.size();
    }

    @Override
    public synchronized long deleteOrganization(String spaceKey) {
        long before = records.size();
        number(); // the records put in directly: numbered in their log before it goes
        records.removeIf(r -> r.spaceKey().equals(spaceKey));
        forgetDeleted();
        sizes.keySet().removeIf(log -> log.get(0).equals(spaceKey));
        return before - records.size();
    }

    @Override
    public boolean isHealthy() {
        return true;
    }
}
