package org.auditlog.evidence.verifier;

import static org.auditlog.evidence.verifier.Segments.hashes;
import static org.auditlog.evidence.verifier.Segments.ranges;
import static org.auditlog.evidence.verifier.Segments.reaches;
import static org.auditlog.evidence.verifier.Segments.unhex;
import static org.auditlog.evidence.verifier.Segments.walk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.auditlog.evidence.Checkpoint;
import org.auditlog.evidence.FileEvidence;
import org.auditlog.evidence.Json;
import org.auditlog.evidence.Merkle;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.SignedNote;
import org.auditlog.evidence.internal.CsvLeaves;
import org.auditlog.evidence.internal.EvidenceZip;
import org.auditlog.evidence.internal.Frontier;
import org.auditlog.evidence.verifier.Segments.Missing;
import org.auditlog.evidence.verifier.Segments.Range;

/**
 * Checks an export file offline ({@link FileEvidence}): the signatures of its manifest and checkpoint, the CSV's
 * SHA-256, every row against the tree (the rows of the period's part of the tree give its root at the period's end,
 * which the signed checkpoint extends; the others have inclusion proofs), and, given the previous month's file, the
 * chain to it. Each failure is named in a sentence; the file is good only when there is none.
 *
 * <p>A crafted file can make it neither hang nor run out of memory: the zip's entries must be the format's
 * ({@link EvidenceZip}) and each is read through a count of its inflated bytes; the manifest's signature is checked
 * before any number in it is used; the CSV is read as a stream (about 100 bytes of memory per row); every loop runs
 * over what the file holds (its rows, the manifest's lists), never over a count the manifest gives; the bounds are
 * the constants here and {@link Json}'s.
 */
public final class FileVerifier {
    /** The largest {@value FileEvidence#MANIFEST_SIGNATURE} or {@value FileEvidence#CHECKPOINT} read, in bytes. */
    public static final int MAX_NOTE = 64 * 1024;
    /** The largest {@value FileEvidence#MANIFEST} read (it is held in memory), in bytes. */
    public static final int MAX_MANIFEST = 64 * 1024 * 1024;
    /** The most CSV bytes per row the manifest names, header included (a V1 row is at most about 8 KiB). */
    public static final long MAX_ROW_BYTES = 64 * 1024;
    /** The most rows a file may name: {@value FileEvidence#ROWS} (12 bytes a row) is held in memory. */
    public static final long MAX_ROWS = (Integer.MAX_VALUE - 8) / FileEvidence.ROW_ENTRY;
    /** The most failures listed; the others are counted. */
    static final int MAX_FAILURES = Failures.MAX;
    /** The rows of a CSV past those the manifest names that are told apart (named as added); the others are counted. */
    static final int EXTRA_ROWS = 1000;

    /** The outcome: failures (the file is good when there is none) and notes (what was checked). */
    public record Report(String file, List<String> failures, List<String> notes, Map<String, Object> manifest) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    /**
     * A file that could not be checked, with no verdict: missing, not a zip, cut short (its directory is gone), or
     * beyond the bounds of this verifier ({@link #MAX_MANIFEST}, {@link #MAX_ROWS}).
     */
    public static final class UnreadableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableException(String message) {
            super(message);
        }
    }

    private final List<NoteKeys.Verifier> keys;
    private final Failures failures = new Failures();
    private final List<String> notes = new ArrayList<>();
    /** The manifest, once its signature holds and it reads as one. */
    private Map<String, Object> manifest;

    private FileVerifier(List<NoteKeys.Verifier> keys) {
        this.keys = keys;
    }

    /** Verifies a file, and its chain to {@code previous} when given (else null). */
    public static Report verify(Path file, List<NoteKeys.Verifier> keys, Path previous) throws UnreadableException {
        FileVerifier v = new FileVerifier(keys);
        v.check(file);
        if (previous != null) {
            Report before = verify(previous, keys, null);
            for (String f : before.failures()) {
                v.fail("previous file " + previous.getFileName() + ": " + f);
            }
            if (v.manifest != null && before.manifest() != null) {
                v.chain(v.manifest, before.manifest(), previous);
            }
        }
        return new Report(file.toString(), v.failures.list(), List.copyOf(v.notes), v.manifest);
    }

    private void fail(String message) {
        failures.add(message);
    }

    private void check(Path file) throws UnreadableException {
        try (EvidenceZip zip = EvidenceZip.open(file)) {
            check(zip);
        } catch (EvidenceZip.NotAZipException e) {
            throw new UnreadableException(e.getMessage());
        } catch (EvidenceZip.BadEntryException e) {
            fail(e.getMessage());
        } catch (IOException e) {
            throw new UnreadableException(file + " could not be closed: " + e.getMessage());
        }
    }

    private void check(EvidenceZip zip) throws UnreadableException, EvidenceZip.BadEntryException {
        // the manifest's signature first: nothing it says is used before it holds
        byte[] signature = zip.read(
                FileEvidence.MANIFEST_SIGNATURE,
                MAX_NOTE,
                "holds more than " + MAX_NOTE + " bytes: not a signed note of this format");
        long declared = zip.declaredSize(FileEvidence.MANIFEST);
        if (declared > MAX_MANIFEST) {
            throw new UnreadableException(FileEvidence.MANIFEST + " declares " + declared + " bytes, more than this "
                    + "verifier reads (" + MAX_MANIFEST + ")");
        }
        byte[] manifestBytes =
                zip.read(FileEvidence.MANIFEST, MAX_MANIFEST, "holds more than " + MAX_MANIFEST + " bytes");
        SignedNote.Opened signed = open(FileEvidence.MANIFEST_SIGNATURE, signature);
        if (signed == null) {
            return;
        }
        if (!signed.text().equals(FileEvidence.manifestNote(manifestBytes))) {
            fail(FileEvidence.MANIFEST + " was changed since it was signed (its SHA-256 is not the one "
                    + FileEvidence.MANIFEST_SIGNATURE + " signs)");
            return;
        }
        Map<String, Object> m;
        try {
            m = Json.object(Json.parse(new String(manifestBytes, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            fail(FileEvidence.MANIFEST + " is not a manifest: " + e.getMessage());
            return;
        }
        if (!FileEvidence.FORMAT.equals(m.get("format"))) {
            fail(FileEvidence.MANIFEST + " is of format " + m.get("format") + ", not " + FileEvidence.FORMAT);
            return;
        }
        try {
            checkManifest(m, zip);
            manifest = m;
        } catch (IllegalArgumentException | ClassCastException | NullPointerException | ArithmeticException e) {
            fail(FileEvidence.MANIFEST + " is not a valid manifest: " + e.getMessage());
        }
    }

    /** A signed note opened with the keys given; null (and the failure noted) when it is not one they signed. */
    private SignedNote.Opened open(String name, byte[] note) {
        try {
            return opened(new String(note, StandardCharsets.UTF_8), keys);
        } catch (IllegalArgumentException e) {
            fail(name + " does not verify with the key given: " + e.getMessage());
            return null;
        }
    }

    /** A signed note that one of the keys signed. */
    static SignedNote.Opened opened(String note, List<NoteKeys.Verifier> keys) {
        SignedNote.Opened opened = SignedNote.open(note, keys);
        if (opened.verifiedBy().isEmpty()) {
            List<String> names = new ArrayList<>();
            for (SignedNote.Signature s : opened.signatures()) {
                names.add(s.name() + "+" + String.format("%08x", s.keyHash()));
            }
            throw new IllegalArgumentException("it is signed by " + names + ", none of the keys given");
        }
        return opened;
    }

    /** Whether a checkpoint's origin is that of the tree of an organization and product under a key that signed it. */
    static boolean originOf(String origin, SignedNote.Opened note, String organization, String product) {
        for (NoteKeys.Verifier key : note.verifiedBy()) {
            if (origin.equals(key.name() + "/" + organization + "/" + product)) {
                return true;
            }
        }
        return false;
    }

    private void checkManifest(Map<String, Object> m, EvidenceZip zip)
            throws UnreadableException, EvidenceZip.BadEntryException {
        Map<String, Object> csv = Json.object(m.get("csv"));
        Map<String, Object> tree = Json.object(m.get("tree"));
        String origin = (String) tree.get("origin");
        long checkpointSize = (Long) tree.get("checkpointSize");
        byte[] checkpointRoot = null;
        SignedNote.Opened checkpoint = open(
                FileEvidence.CHECKPOINT,
                zip.read(
                        FileEvidence.CHECKPOINT,
                        MAX_NOTE,
                        "holds more than " + MAX_NOTE + " bytes: not a signed note of this format"));
        if (checkpoint != null) {
            Checkpoint cp = Checkpoint.parse(checkpoint.text());
            if (!cp.origin().equals(origin) || cp.size() != checkpointSize) {
                fail(FileEvidence.CHECKPOINT + " is of " + cp.origin() + " at " + cp.size()
                        + " leaves, the manifest names " + origin + " at " + checkpointSize
                        + ": another file's checkpoint");
            } else if (!originOf(cp.origin(), checkpoint, (String) m.get("organization"), (String) m.get("product"))) {
                fail(FileEvidence.CHECKPOINT + " is of " + cp.origin() + ", not of the tree of " + m.get("organization")
                        + " " + m.get("product") + " under the key that signed it");
            } else {
                checkpointRoot = cp.root();
                notes.add("checkpoint: " + origin + ", " + cp.size() + " leaves, signed " + cp.time());
            }
        }
        String csvName = zip.csvName();
        if (!csvName.equals(csv.get("name"))) {
            fail("the manifest is that of " + csv.get("name") + " (" + m.get("organization") + ", "
                    + Json.object(m.get("period")).get("from") + " to "
                    + Json.object(m.get("period")).get("to")
                    + "), not of " + csvName + ": the manifest of another file");
            return;
        }
        long declaredRows = (Long) csv.get("rows");
        if (declaredRows < 0) {
            fail("the manifest names " + declaredRows + " rows");
            return;
        }
        if (declaredRows > MAX_ROWS) {
            throw new UnreadableException("the manifest names " + declaredRows + " rows, more than this verifier "
                    + "holds (" + MAX_ROWS + ")");
        }
        // the CSV as a stream: its SHA-256 and its rows' leaves, at most MAX_ROW_BYTES a row
        long csvBound = (declaredRows + 1) * MAX_ROW_BYTES;
        CsvLeaves rows;
        try (InputStream in = zip.stream(
                csvName,
                csvBound,
                "holds more than " + MAX_ROW_BYTES + " bytes per row the " + "manifest names (" + declaredRows
                        + "): not the file written")) {
            rows = CsvLeaves.read(in, declaredRows + EXTRA_ROWS);
        } catch (EvidenceZip.BadEntryException e) {
            throw e;
        } catch (IOException e) {
            throw EvidenceZip.damaged(csvName, e);
        }
        if (!rows.sha256().equals(csv.get("sha256"))) {
            fail(csvName + " was changed since it was written: its SHA-256 is not the manifest's");
        }
        int n = (int) declaredRows;
        String beyond = "was changed since it was written: it holds more than the " + n + " rows the manifest names";
        byte[] index = zip.read(FileEvidence.ROWS, n * FileEvidence.ROW_ENTRY, beyond);
        if (!FileEvidence.sha256(index).equals(m.get("rowIndexSha256"))) {
            fail(FileEvidence.ROWS + " was changed since it was written");
            return;
        }
        if (index.length != n * FileEvidence.ROW_ENTRY) {
            fail(FileEvidence.ROWS + " does not hold the " + declaredRows + " rows the manifest names");
            return;
        }
        if (rows.damage() != null) {
            fail(csvName + " is cut short or damaged: " + rows.damage());
            return;
        }
        if (!rows.hasHeader()) {
            fail(csvName + " has no header row");
            return;
        }
        if (rows.rows() != declaredRows) {
            fail(csvName + " holds " + rows.rows() + " rows, the manifest " + declaredRows + ": "
                    + (rows.rows() < declaredRows ? "rows were removed" : "rows were added"));
        }
        // which CSV row is which entry of the index, by their leaf hashes' first bytes
        ByteBuffer in = ByteBuffer.wrap(index);
        int kept = rows.kept();
        TreeMap<Long, byte[]> leaves = new TreeMap<>();
        int i = 0;
        int j = 0;
        int untracked = 0;
        while (i < kept || j < n) {
            if (j >= n) {
                fail("row " + (i + 1) + " (id " + rows.id(i) + ") was added: the file as written had no such row");
                i++;
            } else if (i >= kept) {
                fail("the row of sequence " + seqOf(in, j) + " (row " + (j + 1) + " as written) was removed");
                j++;
            } else if (same(rows.leaf(i), in, j)) {
                take(leaves, seqOf(in, j), rows.leaf(i));
                untracked += seqOf(in, j) < 0 ? 1 : 0;
                i++;
                j++;
            } else if (i + 1 < kept && j + 1 < n && same(rows.leaf(i), in, j + 1) && same(rows.leaf(i + 1), in, j)) {
                fail("rows " + (i + 1) + " and " + (i + 2) + " (ids " + rows.id(i) + ", " + rows.id(i + 1)
                        + ") are in another order than written");
                take(leaves, seqOf(in, j + 1), rows.leaf(i));
                take(leaves, seqOf(in, j), rows.leaf(i + 1));
                i += 2;
                j += 2;
            } else if (j + 1 < n && same(rows.leaf(i), in, j + 1)) {
                fail("the row of sequence " + seqOf(in, j) + " (row " + (j + 1) + " as written) was removed");
                j++;
            } else if (i + 1 < kept && same(rows.leaf(i + 1), in, j)) {
                fail("row " + (i + 1) + " (id " + rows.id(i) + ") was added: the file as written had no such row");
                i++;
            } else {
                fail("row " + (i + 1) + " (id " + rows.id(i) + ") was changed: it is not what sequence " + seqOf(in, j)
                        + " recorded");
                take(leaves, seqOf(in, j), rows.leaf(i));
                i++;
                j++;
            }
        }
        if (rows.rows() > kept) {
            fail((rows.rows() - kept) + " more rows after row " + kept + " were added: the file as written had none");
        }
        if (untracked > 0) {
            notes.add(untracked + " rows were stored before the server kept evidence: the CSV's hash covers them, "
                    + "the tree does not");
        }
        checkTree(m, tree, leaves, checkpointRoot, checkpointSize);
    }

    private static long seqOf(ByteBuffer index, int j) {
        return index.getLong(j * FileEvidence.ROW_ENTRY);
    }

    private static boolean same(byte[] leaf, ByteBuffer index, int j) {
        int prefix = j * FileEvidence.ROW_ENTRY + 8;
        return Arrays.equals(leaf, 0, 4, index.array(), prefix, prefix + 4);
    }

    private static void take(Map<Long, byte[]> leaves, long seq, byte[] leaf) {
        if (seq >= 0) {
            leaves.put(seq, leaf);
        }
    }

    private void checkTree(
            Map<String, Object> m,
            Map<String, Object> tree,
            NavigableMap<Long, byte[]> leaves,
            byte[] checkpointRoot,
            long checkpointSize) {
        Map<String, Object> start = Json.object(tree.get("start"));
        Map<String, Object> end = Json.object(tree.get("end"));
        long startSize = (Long) start.get("size");
        long endSize = (Long) end.get("size");
        byte[] startRoot = unhex(start.get("root"));
        byte[] endRoot = unhex(end.get("root"));
        if (startSize < 0 || startSize > endSize || endSize > checkpointSize) {
            fail("the manifest's tree sizes " + startSize + ", " + endSize + ", " + checkpointSize + " do not grow");
            return;
        }
        List<Range> others = ranges(m.get("otherRanges"));
        for (Range r : others) {
            NavigableMap<Long, byte[]> both = leaves.subMap(r.from(), true, r.to(), false);
            if (!both.isEmpty()) {
                fail("sequence " + both.firstKey() + (both.size() > 1 ? " (and " + (both.size() - 1) + " more)" : "")
                        + " is both a row of the file and a leaf of another month");
            }
        }
        // the period's leaves, in order, appended to the frontier of the tree at its start
        Frontier range = new Frontier(startSize, hashes(m.get("frontier")));
        if (!Arrays.equals(range.root(), startRoot)) {
            fail("the manifest's frontier does not give the tree's root at " + startSize + " leaves");
        }
        Missing missing = walk(range, startSize, endSize, leaves, others);
        if (missing.count > 0) {
            fail("no row of the file for " + missing.sequences() + ": removed from the file");
        }
        boolean endOk = Arrays.equals(range.root(), endRoot);
        if (!endOk && missing.count == 0) {
            fail("the rows of the period do not give the tree's root at " + endSize + " leaves: a row was changed");
        }
        Map<String, Object> proofs = Json.object(m.get("consistency"));
        if (startSize > 0
                && !Merkle.verifyConsistency(
                        startSize, endSize, hashes(proofs.get("startToEnd")), startRoot, endRoot)) {
            fail("the consistency proof from " + startSize + " to " + endSize + " leaves does not hold");
        }
        if (checkpointRoot != null
                && endSize > 0
                && !Merkle.verifyConsistency(
                        endSize, checkpointSize, hashes(proofs.get("endToCheckpoint")), endRoot, checkpointRoot)) {
            fail("the tree at the period's end (" + endSize + " leaves) is not a prefix of the signed checkpoint");
        }
        // rows outside the period's part of the tree (late, or dated ahead): proven in segments, each from the
        // frontier at its start to a root the signed checkpoint extends; segments in order, none overlapping
        TreeMap<Long, Long> proven = new TreeMap<>();
        int segments = 0;
        long after = 0;
        for (Object o : (List<?>) m.get("segments")) {
            Map<String, Object> seg = Json.object(o);
            long a = (Long) seg.get("from");
            long b = (Long) seg.get("to");
            if (a < after || a >= b || b > checkpointSize || a < endSize && b > startSize) {
                fail("a segment from " + a + " to " + b + " is not outside the period within the checkpoint, after the "
                        + "segment before it");
                continue;
            }
            after = b;
            Frontier f = new Frontier(a, hashes(seg.get("frontier")));
            Missing lost = walk(f, a, b, leaves, ranges(seg.get("gaps")));
            boolean holds = lost.count == 0
                    && checkpointRoot != null
                    && reaches(b, f.root(), hashes(seg.get("toCheckpoint")), checkpointSize, checkpointRoot);
            if (holds) {
                proven.put(a, b);
                segments++;
            }
        }
        long outside = 0;
        for (long seq : leaves.keySet()) {
            if (seq < startSize || seq >= endSize) {
                outside++;
                Map.Entry<Long, Long> segment = proven.floorEntry(seq);
                if (segment == null || seq >= segment.getValue()) {
                    fail("the row of sequence " + seq + " is not in the tree of the signed checkpoint");
                }
            }
        }
        notes.add("tree " + tree.get("origin") + ": leaves " + startSize + " to " + endSize + " of the period, "
                + ((List<?>) m.get("backfill")).size() + " late rows (backfill), " + outside
                + " rows outside the period proven in " + segments + " segments");
    }

    private void chain(Map<String, Object> manifest, Map<String, Object> previous, Path previousFile) {
        Object named;
        String actual;
        try {
            named = Json.object(manifest.get("previous")).get("seal");
            actual = FileEvidence.sealHash(FileEvidence.seal(previous));
        } catch (IllegalArgumentException e) {
            fail("the manifests name no seal to chain them: " + e.getMessage());
            return;
        }
        if (!actual.equals(named)) {
            fail(previousFile.getFileName() + " is not the file before this one: its seal's SHA-256 is " + actual
                    + ", this manifest names " + named);
        } else {
            notes.add("chained to " + previousFile.getFileName());
        }
    }
}
