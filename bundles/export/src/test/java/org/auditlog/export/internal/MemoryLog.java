package org.auditlog.export.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.evidence.LeafPosition;
import org.auditlog.api.evidence.SignedCheckpoint;
import org.auditlog.api.evidence.Stray;
import org.auditlog.api.evidence.TreeHead;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.evidence.CompactRange;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.Merkle;
import org.auditlog.testing.MemoryAuditStore;

/**
 * One organization's and product's records and their tree in memory, kept as the store keeps them: an append
 * gives each record the next sequence number, notes the month the tree was in when it began and the strays (dated
 * in another month than the one they were appended in) and when a month last received a late record;
 * {@link #stream} reads a period in date order with each row's sequence number. Roots, proofs and ranges are the evidence bundle's, from the leaf hashes of the rows.
 */
class MemoryLog extends MemoryAuditStore implements EvidenceStore {
    private record Row(AuditRecord record, long sequence) {}

    private final Clock clock;
    private final List<Row> rows = new ArrayList<>();
    private final List<byte[]> leaves = new ArrayList<>();
    private final Map<YearMonth, Long> months = new TreeMap<>();
    private final List<Stray> strays = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final Map<String, SignedCheckpoint> checkpoints = new TreeMap<>();
    /** When a record of each month was last appended after the month had ended. */
    private final Map<YearMonth, Instant> late = new TreeMap<>();

    private YearMonth month;
    /** Run once the next read has taken its rows: records committed while a file is written. */
    private volatile Runnable whileRead;

    MemoryLog(Clock clock) {
        this.clock = clock;
    }

    private YearMonth now() {
        return YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
    }

    @Override
    public synchronized void append(List<AuditRecord> records) {
        if (month == null || now().isAfter(month)) {
            month = now();
            months.putIfAbsent(month, (long) leaves.size());
        }
        for (AuditRecord r : records) {
            long seq = leaves.size();
            leaves.add(CsvRows.leafHash(CsvZipWriter.row(r)));
            rows.add(new Row(r, seq));
            YearMonth dated = YearMonth.from(r.date().atOffset(ZoneOffset.UTC));
            if (!dated.equals(month)) {
                strays.add(new Stray(seq, dated, month));
            }
            if (dated.isBefore(month)) {
                late.put(dated, clock.instant());
            }
        }
    }

    @Override
    public synchronized Optional<Instant> lastLateRecord(String spaceKey, String product, YearMonth of) {
        return Optional.ofNullable(late.get(of));
    }

    /** Runs {@code appends} once the next read has taken its rows (as a database read sees what was committed). */
    void whileRead(Runnable appends) {
        this.whileRead = appends;
    }

    @Override
    public RecordCursor stream(String spaceKey, String product, Instant from, Instant to) {
        Iterator<Row> it;
        synchronized (this) {
            it = rows.stream()
                    .filter(r -> !r.record().date().isBefore(from)
                            && r.record().date().isBefore(to))
                    .sorted(Comparator.comparing((Row r) -> r.record().date())
                            .thenComparingLong(r -> r.record().id()))
                    .toList()
                    .iterator();
        }
        Runnable appends = whileRead;
        whileRead = null;
        if (appends != null) {
            appends.run();
        }
        return new RecordCursor() {
            private long sequence = -1;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public AuditRecord next() {
                Row r = it.next();
                sequence = r.sequence();
                return r.record();
            }

            @Override
            public long sequence() {
                return sequence;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public synchronized List<TreeHead> trees() {
        return List.of(new TreeHead("ACME", "Backlog", leaves.size(), month));
    }

    @Override
    public synchronized TreeHead head(String spaceKey, String product) {
        return new TreeHead(spaceKey, product, leaves.size(), month);
    }

    private synchronized List<byte[]> first(long size) {
        if (size < 0 || size > leaves.size()) {
            throw new IllegalArgumentException("the tree holds " + leaves.size() + " leaves, not " + size);
        }
        return List.copyOf(leaves.subList(0, (int) size));
    }

    @Override
    public byte[] root(String spaceKey, String product, long size) {
        return Merkle.root(first(size));
    }

    @Override
    public byte[] leafHash(String spaceKey, String product, long sequence) {
        return first(sequence + 1).get((int) sequence);
    }

    @Override
    public List<byte[]> inclusionProof(String spaceKey, String product, long sequence, long size) {
        return Merkle.inclusionProof(first(size), (int) sequence);
    }

    @Override
    public List<byte[]> consistencyProof(String spaceKey, String product, long size1, long size2) {
        return Merkle.consistencyProof(first(size2), (int) size1);
    }

    @Override
    public List<byte[]> range(String spaceKey, String product, long from, long to) {
        List<byte[]> all = first(to);
        List<byte[]> out = new ArrayList<>();
        for (long[] node : CompactRange.of(from, to)) {
            int width = 1 << node[0];
            int at = (int) node[1] * width;
            out.add(Merkle.root(all.subList(at, at + width)));
        }
        return out;
    }

    @Override
    public synchronized long monthStart(String spaceKey, String product, YearMonth of) {
        if (of.isAfter(now())) {
            throw new IllegalArgumentException(of + " has not begun");
        }
        if (month == null) {
            return 0;
        }
        if (month.isBefore(of)) {
            months.put(of, (long) leaves.size());
            month = of;
        }
        return months.entrySet().stream()
                .filter(e -> !e.getKey().isBefore(of))
                .mapToLong(Map.Entry::getValue)
                .min()
                .orElse(leaves.size());
    }

    @Override
    public synchronized List<Stray> strays(String spaceKey, String product, long from, long to, YearMonth of) {
        return strays.stream()
                .filter(s ->
                        s.sequence() >= from && s.sequence() < to || s.month().equals(of))
                .toList();
    }

    @Override
    public Optional<LeafPosition> locate(long eventId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized void saveCheckpoint(SignedCheckpoint checkpoint, Optional<YearMonth> closes) {
        SignedCheckpoint latest = checkpoints.get("latest");
        if (latest == null || latest.size() <= checkpoint.size()) {
            checkpoints.put("latest", checkpoint);
        }
        closes.ifPresent(m -> checkpoints.putIfAbsent(m.toString(), checkpoint));
    }

    @Override
    public synchronized Optional<SignedCheckpoint> latestCheckpoint(String spaceKey, String product) {
        return Optional.ofNullable(checkpoints.get("latest"));
    }

    @Override
    public synchronized Optional<SignedCheckpoint> monthCheckpoint(String spaceKey, String product, YearMonth of) {
        return Optional.ofNullable(checkpoints.get(of.toString()));
    }

    @Override
    public synchronized List<String> noteKey(String verifierKey) {
        if (!keys.contains(verifierKey)) {
            keys.add(verifierKey);
        }
        return List.copyOf(keys);
    }

    @Override
    public synchronized List<String> keys() {
        return List.copyOf(keys);
    }
}
