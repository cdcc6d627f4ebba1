package org.auditlog.export.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeSet;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.evidence.SignedCheckpoint;
import org.auditlog.api.evidence.Stray;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.evidence.Checkpoint;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.FileEvidence;
import org.auditlog.evidence.Json;
import org.auditlog.evidence.Merkle;

/**
 * The evidence of one export file ({@link FileEvidence}): taken before its rows are read (the month's part of the
 * tree, a checkpoint signed now), told of every row as it is written, then made into the zip's entries after the
 * CSV. A row whose sequence number the checkpoint does not cover (committed while the file was written) is left
 * out; a past month's file missing it is built again (a late record), a current month's file is as of its start.
 *
 * <p>A current month's file holds the rows dated up to its request, but its part of the tree runs up to the
 * checkpoint, taken when the job runs: records that arrived in between (or are dated ahead) are leaves of that part
 * without being rows of the file. So its rows are read to the month's end ({@link #readTo}): those dated from the
 * request on are not written, and their sequence numbers go to the manifest as other ranges. Rows and tree then
 * describe the same records; a leaf the database no longer has a row for is still missing from both, and named.
 */
final class FileSeal implements CsvZipWriter.Seal {
    private final EvidenceStore store;
    private final CheckpointService signer;
    private final String spaceKey;
    private final String product;
    private final YearMonth month;
    private final Instant from;
    private final Instant to;
    private final String csvName;
    private final long start;
    private final long end;
    private final long checkpointSize;
    private final String checkpointNote;
    private final ByteArrayOutputStream index = new ByteArrayOutputStream();
    private final DataOutputStream indexOut = new DataOutputStream(index);
    private final TreeSet<Long> outside = new TreeSet<>();
    /** Leaves of {@code [start, end)} whose rows are dated after the period: the request of a current month's file. */
    private final TreeSet<Long> after = new TreeSet<>();

    private final Instant readTo;
    private long current = -1;
    private long first = -1;
    private long last = -1;

    /**
     * The evidence of the file of {@code month} for one organization and product: the part of the tree appended
     * while the month ran, or, while it runs, the part appended since it began, up to now. A current month's file
     * whose month has ended by the time it is built (asked for on its last evening, run after midnight) is the
     * past month's part, the records appended since proven as late ones.
     */
    FileSeal(
            EvidenceStore store,
            CheckpointService signer,
            String spaceKey,
            String product,
            YearMonth month,
            Instant from,
            Instant to,
            String csvName,
            Clock clock) {
        this.store = store;
        this.signer = signer;
        this.spaceKey = spaceKey;
        this.product = product;
        this.month = month;
        this.from = from;
        this.to = to;
        this.csvName = csvName;
        this.start = store.monthStart(spaceKey, product, month);
        YearMonth next = month.plusMonths(1);
        long monthEnd = ended(month, clock) ? store.monthStart(spaceKey, product, next) : -1;
        Optional<SignedCheckpoint> latest = signer.latest(spaceKey, product);
        if (monthEnd < 0 && ended(month, clock)) {
            // the month ended while the checkpoint was taken: it may hold leaves of the next month, which the
            // next month's start tells apart; a checkpoint taken after that start covers it
            monthEnd = store.monthStart(spaceKey, product, next);
            latest = signer.latest(spaceKey, product);
        }
        if (latest.isPresent()) {
            this.checkpointSize = latest.get().size();
            this.checkpointNote = latest.get().note();
        } else {
            // nothing was ever appended: the empty tree's checkpoint
            this.checkpointSize = 0;
            this.checkpointNote = signer.sign(
                    new Checkpoint(signer.origin(spaceKey, product), 0, Merkle.emptyRoot(), clock.instant()).text());
        }
        this.end = monthEnd >= 0 ? monthEnd : checkpointSize;
        this.readTo = next.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** Whether {@code month} is over by the clock (the store's, which notes when each month began). */
    private static boolean ended(YearMonth month, Clock clock) {
        return YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC)).isAfter(month);
    }

    /**
     * Where the store's read of the rows ends: the month's end, later than the period's for a current month's file,
     * so that every leaf of its part of the tree dated in the month is seen ({@link #rows}).
     */
    Instant readTo() {
        return readTo;
    }

    /** Longest run of leaves between two rows outside the period that a segment passes over as hashes. */
    static final int SEGMENT_GAP = 32;

    /**
     * Segments proving rows outside the period: each run of their sequence numbers whose gaps are at most
     * {@value #SEGMENT_GAP} leaves, with the frontier at its start, the hashes of its gaps and the consistency
     * proof from its end to the checkpoint.
     */
    private List<Object> segments(java.util.SortedSet<Long> seqs) {
        List<Object> out = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        for (long seq : seqs) {
            if (!run.isEmpty() && seq - run.get(run.size() - 1) - 1 > SEGMENT_GAP) {
                out.add(segment(run));
                run = new ArrayList<>();
            }
            run.add(seq);
        }
        if (!run.isEmpty()) {
            out.add(segment(run));
        }
        return out;
    }

    private Map<String, Object> segment(List<Long> run) {
        long a = run.get(0);
        long b = run.get(run.size() - 1) + 1;
        List<Long> gaps = new ArrayList<>();
        java.util.Set<Long> rows = new java.util.HashSet<>(run);
        for (long seq = a; seq < b; seq++) {
            if (!rows.contains(seq)) {
                gaps.add(seq);
            }
        }
        Map<String, Object> segment = new LinkedHashMap<>();
        segment.put("from", a);
        segment.put("to", b);
        segment.put("frontier", FileEvidence.hexes(store.range(spaceKey, product, 0, a)));
        segment.put("gaps", ranges(gaps));
        segment.put("toCheckpoint", FileEvidence.hexes(store.consistencyProof(spaceKey, product, b, checkpointSize)));
        return segment;
    }

    /** Sorted sequence numbers as runs, each with the hashes of the subtrees it is made of ({@code from}, {@code to}). */
    private List<Object> ranges(List<Long> seqs) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < seqs.size()) {
            int j = i;
            while (j + 1 < seqs.size() && seqs.get(j + 1) == seqs.get(j) + 1) {
                j++;
            }
            Map<String, Object> range = new LinkedHashMap<>();
            range.put("from", seqs.get(i));
            range.put("to", seqs.get(j) + 1);
            range.put("hashes", FileEvidence.hexes(store.range(spaceKey, product, seqs.get(i), seqs.get(j) + 1)));
            out.add(range);
            i = j + 1;
        }
        return out;
    }

    /**
     * What the monthly mail says of a file's month in the log: {@code <origin> at <size> leaves, root <hex>} (the
     * tree when the month closed, which every later checkpoint must extend), or null for a file without evidence.
     */
    static String monthRoot(java.nio.file.Path file) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            java.util.zip.ZipEntry entry = zip.getEntry(FileEvidence.MANIFEST);
            if (entry == null) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>)
                    Json.parse(new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
            @SuppressWarnings("unchecked")
            Map<String, Object> tree = (Map<String, Object>) m.get("tree");
            @SuppressWarnings("unchecked")
            Map<String, Object> end = (Map<String, Object>) tree.get("end");
            return tree.get("origin") + " at " + end.get("size") + " leaves, root " + end.get("root");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The rows of the period the checkpoint covers, from a read of the month up to {@link #readTo}, each one's
     * sequence number noted as it is given; a row dated after the period is not given, and its leaf, if in the
     * file's part of the tree, is noted as another's.
     */
    Iterator<AuditRecord> rows(RecordCursor cursor) {
        return new Iterator<>() {
            private AuditRecord next;
            private long nextSeq;

            @Override
            public boolean hasNext() {
                while (next == null && cursor.hasNext()) {
                    AuditRecord r = cursor.next();
                    long seq = cursor.sequence();
                    if (seq >= checkpointSize) {
                        continue; // committed after the checkpoint
                    }
                    if (!r.date().isBefore(to)) {
                        if (seq >= start && seq < end) {
                            after.add(seq);
                        }
                        continue;
                    }
                    next = r;
                    nextSeq = seq; // -1 for a record stored before the log was kept
                }
                return next != null;
            }

            @Override
            public AuditRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                AuditRecord r = next;
                next = null;
                current = nextSeq;
                return r;
            }
        };
    }

    @Override
    public void row(String row) {
        byte[] leaf = CsvRows.leafHash(row);
        try {
            indexOut.writeLong(current);
            indexOut.write(leaf, 0, 4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (current >= 0) {
            if (current < start || current >= end) {
                outside.add(current);
            }
            first = first < 0 ? current : Math.min(first, current);
            last = Math.max(last, current);
        }
    }

    @Override
    public Map<String, byte[]> entries(String csvSha256, long rows) throws IOException {
        indexOut.flush();
        byte[] rowIndex = index.toByteArray();
        List<Stray> strays = store.strays(spaceKey, product, start, end, month);
        TreeSet<Long> others = new TreeSet<>(after);
        List<Object> backfill = new ArrayList<>();
        for (Stray s : strays) {
            if (s.sequence() >= start && s.sequence() < end && !s.month().equals(month)) {
                others.add(s.sequence());
            } else if (s.month().equals(month) && outside.contains(s.sequence()) && s.sequence() >= end) {
                backfill.add(s.sequence());
            }
        }
        // the rows outside the period's part of the tree (late, or dated ahead), proven in segments: runs of them
        // with short gaps, each from the tree's frontier at its start to a root the checkpoint extends
        List<Object> segments = new ArrayList<>();
        segments.addAll(segments(outside.headSet(start)));
        segments.addAll(segments(outside.tailSet(end)));
        byte[] startRoot = store.root(spaceKey, product, start);
        byte[] endRoot = store.root(spaceKey, product, end);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FileEvidence.FORMAT);
        m.put("organization", spaceKey);
        m.put("product", product);
        m.put("period", FileEvidence.period(from.toString(), to.toString()));
        Map<String, Object> csv = new LinkedHashMap<>();
        csv.put("name", csvName);
        csv.put("sha256", csvSha256);
        csv.put("rows", rows);
        m.put("csv", csv);
        m.put("rowIndexSha256", FileEvidence.sha256(rowIndex));
        Map<String, Object> sequences = new LinkedHashMap<>();
        sequences.put("first", first < 0 ? null : first);
        sequences.put("last", last < 0 ? null : last);
        m.put("sequences", sequences);
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("origin", signer.origin(spaceKey, product));
        tree.put("start", FileEvidence.head(start, startRoot));
        tree.put("end", FileEvidence.head(end, endRoot));
        tree.put("checkpointSize", checkpointSize);
        m.put("tree", tree);
        m.put("frontier", FileEvidence.hexes(store.range(spaceKey, product, 0, start)));
        m.put("otherRanges", ranges(new ArrayList<>(others)));
        m.put("backfill", backfill);
        m.put("segments", segments);
        Map<String, Object> consistency = new LinkedHashMap<>();
        consistency.put(
                "startToEnd",
                start > 0 ? FileEvidence.hexes(store.consistencyProof(spaceKey, product, start, end)) : List.of());
        consistency.put(
                "endToCheckpoint",
                end > 0
                        ? FileEvidence.hexes(store.consistencyProof(spaceKey, product, end, checkpointSize))
                        : List.of());
        m.put("consistency", consistency);
        Map<String, Object> previous = new LinkedHashMap<>();
        YearMonth before = month.minusMonths(1);
        long previousStart = store.monthStart(spaceKey, product, before);
        previous.put(
                "seal",
                FileEvidence.sealHash(FileEvidence.seal(
                        spaceKey,
                        product,
                        before.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString(),
                        from.toString(),
                        previousStart,
                        store.root(spaceKey, product, previousStart),
                        start,
                        startRoot)));
        m.put("previous", previous);
        byte[] manifest = Json.write(m).getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(FileEvidence.ROWS, rowIndex);
        entries.put(FileEvidence.MANIFEST, manifest);
        entries.put(
                FileEvidence.MANIFEST_SIGNATURE,
                signer.sign(FileEvidence.manifestNote(manifest)).getBytes(StandardCharsets.UTF_8));
        entries.put(FileEvidence.CHECKPOINT, checkpointNote.getBytes(StandardCharsets.UTF_8));
        return entries;
    }
}
