package org.auditlog.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks an export file offline ({@link FileEvidence}): the signatures of its manifest and checkpoint, the CSV's
 * SHA-256, every row against the tree (the rows of the period's part of the tree give its root at the period's end,
 * which the signed checkpoint extends; the others have inclusion proofs), and, given the previous month's file, the
 * chain to it. Each failure is named in a sentence; the file is good only when there is none.
 */
public final class FileVerifier {
    /** The outcome: failures (the file is good when there is none) and notes (what was checked). */
    public record Report(String file, List<String> failures, List<String> notes, Map<String, Object> manifest) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    /** A file that could not be read at all (not a zip, missing): no verdict. */
    public static final class UnreadableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableException(String message) {
            super(message);
        }
    }

    private final List<NoteKeys.Verifier> keys;
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private FileVerifier(List<NoteKeys.Verifier> keys) {
        this.keys = keys;
    }

    /** Verifies a file, and its chain to {@code previous} when given (else null). */
    public static Report verify(Path file, List<NoteKeys.Verifier> keys, Path previous) throws UnreadableException {
        FileVerifier v = new FileVerifier(keys);
        Map<String, Object> manifest = v.check(file);
        if (previous != null) {
            Report before = verify(previous, keys, null);
            for (String f : before.failures()) {
                v.failures.add("previous file " + previous.getFileName() + ": " + f);
            }
            if (manifest != null && before.manifest() != null) {
                v.chain(manifest, before.manifest(), previous);
            }
        }
        return new Report(file.toString(), List.copyOf(v.failures), List.copyOf(v.notes), manifest);
    }

    private void fail(String message) {
        failures.add(message);
    }

    private Map<String, Object> check(Path file) throws UnreadableException {
        Map<String, byte[]> entries = new HashMap<>();
        String csvName = null;
        try (ZipFile zip = new ZipFile(file.toFile(), StandardCharsets.UTF_8)) {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                if (e.getName().endsWith(".csv")) {
                    if (csvName != null) {
                        fail("the file holds two CSV files, " + csvName + " and " + e.getName());
                    }
                    csvName = e.getName();
                }
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UnreadableException(file + " is not a readable zip file: " + e.getMessage());
        }
        byte[] manifestBytes = entries.get(FileEvidence.MANIFEST);
        if (manifestBytes == null || csvName == null) {
            fail(csvName == null ? "the file holds no CSV" : "the file holds no " + FileEvidence.MANIFEST
                    + ": it carries no evidence (built before the server kept evidence?)");
            return null;
        }
        Map<String, Object> m;
        try {
            m = FileEvidence.map(Json.parse(new String(manifestBytes, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            fail(FileEvidence.MANIFEST + " is not a manifest: " + e.getMessage());
            return null;
        }
        if (!FileEvidence.FORMAT.equals(m.get("format"))) {
            fail(FileEvidence.MANIFEST + " is of format " + m.get("format") + ", not " + FileEvidence.FORMAT);
            return null;
        }
        try {
            checkManifest(m, manifestBytes, entries, csvName);
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            fail(FileEvidence.MANIFEST + " is not a valid manifest: " + e.getMessage());
        }
        return m;
    }

    private String open(String name, byte[] note) {
        if (note == null) {
            fail("the file holds no " + name);
            return null;
        }
        try {
            return opened(new String(note, StandardCharsets.UTF_8), keys);
        } catch (IllegalArgumentException e) {
            fail(name + " does not verify with the key given: " + e.getMessage());
            return null;
        }
    }

    /** The text of a signed note that one of the keys signed. */
    static String opened(String note, List<NoteKeys.Verifier> keys) {
        SignedNote.Opened opened = SignedNote.open(note, keys);
        if (opened.verifiedBy().isEmpty()) {
            List<String> names = new ArrayList<>();
            for (SignedNote.Signature s : opened.signatures()) {
                names.add(s.name() + "+" + String.format("%08x", s.keyHash()));
            }
            throw new IllegalArgumentException("it is signed by " + names + ", none of the keys given");
        }
        return opened.text();
    }

    private void checkManifest(Map<String, Object> m, byte[] manifestBytes, Map<String, byte[]> entries,
            String csvName) {
        String signed = open(FileEvidence.MANIFEST_SIGNATURE, entries.get(FileEvidence.MANIFEST_SIGNATURE));
        if (signed != null && !signed.equals(FileEvidence.manifestNote(manifestBytes))) {
            fail(FileEvidence.MANIFEST + " was changed since it was signed (its SHA-256 is not the one "
                    + FileEvidence.MANIFEST_SIGNATURE + " signs)");
        }
        Map<String, Object> csv = FileEvidence.map(m.get("csv"));
        Map<String, Object> tree = FileEvidence.map(m.get("tree"));
        String origin = (String) tree.get("origin");
        long checkpointSize = (Long) tree.get("checkpointSize");
        byte[] checkpointRoot = null;
        String checkpointText = open(FileEvidence.CHECKPOINT, entries.get(FileEvidence.CHECKPOINT));
        if (checkpointText != null) {
            Checkpoint cp = Checkpoint.parse(checkpointText);
            if (!cp.origin().equals(origin) || cp.size() != checkpointSize) {
                fail(FileEvidence.CHECKPOINT + " is of " + cp.origin() + " at " + cp.size() + " leaves, the manifest names "
                        + origin + " at " + checkpointSize + ": another file's checkpoint");
            } else {
                checkpointRoot = cp.root();
                notes.add("checkpoint: " + origin + ", " + cp.size() + " leaves, signed " + cp.time());
            }
        }
        if (!csvName.equals(csv.get("name"))) {
            fail("the manifest is that of " + csv.get("name") + " (" + m.get("organization") + ", "
                    + FileEvidence.map(m.get("period")).get("from") + " to " + FileEvidence.map(m.get("period")).get("to")
                    + "), not of " + csvName + ": the manifest of another file");
            return;
        }
        byte[] csvBytes = entries.get(csvName);
        if (!FileEvidence.sha256(csvBytes).equals(csv.get("sha256"))) {
            fail(csvName + " was changed since it was written: its SHA-256 is not the manifest's");
        }
        byte[] index = entries.get(FileEvidence.ROWS);
        if (index == null || !FileEvidence.sha256(index).equals(m.get("rowIndexSha256"))) {
            fail(FileEvidence.ROWS + (index == null ? " is missing" : " was changed since it was written"));
            return;
        }
        long declaredRows = (Long) csv.get("rows");
        if (index.length != declaredRows * FileEvidence.ROW_ENTRY) {
            fail(FileEvidence.ROWS + " does not hold the " + declaredRows + " rows the manifest names");
            return;
        }
        List<String> rows;
        try {
            String text = new String(csvBytes, StandardCharsets.UTF_8);
            rows = CsvRows.rows(text);
        } catch (IllegalArgumentException e) {
            fail(csvName + " is cut short or damaged: " + e.getMessage());
            return;
        }
        if (rows.isEmpty()) {
            fail(csvName + " has no header row");
            return;
        }
        rows = rows.subList(1, rows.size());
        if (rows.size() != declaredRows) {
            fail(csvName + " holds " + rows.size() + " rows, the manifest " + declaredRows + ": "
                    + (rows.size() < declaredRows ? "rows were removed" : "rows were added"));
        }
        // which CSV row is which entry of the index, by their leaf hashes' first bytes
        int n = (int) declaredRows;
        long[] seqOf = new long[n];
        byte[][] prefixOf = new byte[n][];
        ByteBuffer in = ByteBuffer.wrap(index);
        for (int j = 0; j < n; j++) {
            seqOf[j] = in.getLong();
            prefixOf[j] = new byte[4];
            in.get(prefixOf[j]);
        }
        byte[][] leafOf = new byte[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            leafOf[i] = Merkle.leafHash(CsvRows.leaf(rows.get(i)));
        }
        Map<Long, byte[]> leaves = new HashMap<>();
        int i = 0;
        int j = 0;
        int untracked = 0;
        while (i < rows.size() || j < n) {
            if (j >= n) {
                fail("row " + (i + 1) + " (id " + idOf(rows.get(i)) + ") was added: the file as written had no such row");
                i++;
            } else if (i >= rows.size()) {
                fail("the row of sequence " + seqOf[j] + " (row " + (j + 1) + " as written) was removed");
                j++;
            } else if (same(leafOf[i], prefixOf[j])) {
                take(leaves, seqOf[j], leafOf[i]);
                untracked += seqOf[j] < 0 ? 1 : 0;
                i++;
                j++;
            } else if (i + 1 < rows.size() && j + 1 < n && same(leafOf[i], prefixOf[j + 1])
                    && same(leafOf[i + 1], prefixOf[j])) {
                fail("rows " + (i + 1) + " and " + (i + 2) + " (ids " + idOf(rows.get(i)) + ", " + idOf(rows.get(i + 1))
                        + ") are in another order than written");
                take(leaves, seqOf[j + 1], leafOf[i]);
                take(leaves, seqOf[j], leafOf[i + 1]);
                i += 2;
                j += 2;
            } else if (j + 1 < n && same(leafOf[i], prefixOf[j + 1])) {
                fail("the row of sequence " + seqOf[j] + " (row " + (j + 1) + " as written) was removed");
                j++;
            } else if (i + 1 < rows.size() && same(leafOf[i + 1], prefixOf[j])) {
                fail("row " + (i + 1) + " (id " + idOf(rows.get(i)) + ") was added: the file as written had no such row");
                i++;
            } else {
                fail("row " + (i + 1) + " (id " + idOf(rows.get(i)) + ") was changed: it is not what sequence " + seqOf[j]
                        + " recorded");
                take(leaves, seqOf[j], leafOf[i]);
                i++;
                j++;
            }
        }
        if (untracked > 0) {
            notes.add(untracked + " rows were stored before the server kept evidence: the CSV's hash covers them, "
                    + "the tree does not");
        }
        checkTree(m, tree, leaves, checkpointRoot, checkpointSize);
    }

    private static void take(Map<Long, byte[]> leaves, long seq, byte[] leaf) {
        if (seq >= 0) {
            leaves.put(seq, leaf);
        }
    }

    private static boolean same(byte[] leaf, byte[] prefix) {
        return Arrays.equals(leaf, 0, 4, prefix, 0, 4);
    }

    private static String idOf(String row) {
        int comma = row.indexOf(',');
        return comma < 0 ? row : row.substring(0, comma);
    }

    private static byte[] unhex(Object hex) {
        return HexFormat.of().parseHex((String) hex);
    }

    private static List<byte[]> hashes(Object list) {
        List<byte[]> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            out.add(unhex(o));
        }
        return out;
    }

    private void checkTree(Map<String, Object> m, Map<String, Object> tree, Map<Long, byte[]> leaves,
            byte[] checkpointRoot, long checkpointSize) {
        Map<String, Object> start = FileEvidence.map(tree.get("start"));
        Map<String, Object> end = FileEvidence.map(tree.get("end"));
        long startSize = (Long) start.get("size");
        long endSize = (Long) end.get("size");
        byte[] startRoot = unhex(start.get("root"));
        byte[] endRoot = unhex(end.get("root"));
        if (startSize > endSize || endSize > checkpointSize) {
            fail("the manifest's tree sizes " + startSize + ", " + endSize + ", " + checkpointSize + " do not grow");
            return;
        }
        List<Range> others = ranges(m.get("otherRanges"));
        for (Range r : others) {
            for (long seq = r.from; seq < r.to; seq++) {
                if (leaves.containsKey(seq)) {
                    fail("sequence " + seq + " is both a row of the file and a leaf of another month");
                }
            }
        }
        // the period's leaves, in order, appended to the frontier of the tree at its start
        Frontier range = new Frontier(startSize, hashes(m.get("frontier")));
        if (!Arrays.equals(range.root(), startRoot)) {
            fail("the manifest's frontier does not give the tree's root at " + startSize + " leaves");
        }
        List<Long> missing = new ArrayList<>();
        walk(range, startSize, endSize, leaves, others, missing);
        if (!missing.isEmpty()) {
            fail("no row of the file for sequence" + (missing.size() == 1 ? " " : "s ")
                    + (missing.size() > 10 ? missing.subList(0, 10) + " and " + (missing.size() - 10) + " more"
                            : missing.toString()) + ": removed from the file");
        }
        boolean endOk = Arrays.equals(range.root(), endRoot);
        if (!endOk && missing.isEmpty()) {
            fail("the rows of the period do not give the tree's root at " + endSize + " leaves: a row was changed");
        }
        Map<String, Object> proofs = FileEvidence.map(m.get("consistency"));
        if (startSize > 0 && !Merkle.verifyConsistency(startSize, endSize, hashes(proofs.get("startToEnd")), startRoot,
                endRoot)) {
            fail("the consistency proof from " + startSize + " to " + endSize + " leaves does not hold");
        }
        if (checkpointRoot != null && endSize > 0 && !Merkle.verifyConsistency(endSize, checkpointSize,
                hashes(proofs.get("endToCheckpoint")), endRoot, checkpointRoot)) {
            fail("the tree at the period's end (" + endSize + " leaves) is not a prefix of the signed checkpoint");
        }
        // rows outside the period's part of the tree (late, or dated ahead): proven in segments, each from the
        // frontier at its start to a root the signed checkpoint extends
        java.util.Set<Long> proven = new java.util.HashSet<>();
        int segments = 0;
        for (Object o : (List<?>) m.get("segments")) {
            Map<String, Object> seg = FileEvidence.map(o);
            long a = (Long) seg.get("from");
            long b = (Long) seg.get("to");
            if (a < 0 || a >= b || b > checkpointSize || a < endSize && b > startSize) {
                fail("a segment from " + a + " to " + b + " is not outside the period within the checkpoint");
                continue;
            }
            Frontier f = new Frontier(a, hashes(seg.get("frontier")));
            List<Long> lost = new ArrayList<>();
            walk(f, a, b, leaves, ranges(seg.get("gaps")), lost);
            boolean holds = lost.isEmpty() && checkpointRoot != null && (b == checkpointSize
                    ? Arrays.equals(f.root(), checkpointRoot)
                    : Merkle.verifyConsistency(b, checkpointSize, hashes(seg.get("toCheckpoint")), f.root(),
                            checkpointRoot));
            if (holds) {
                for (long seq = a; seq < b; seq++) {
                    proven.add(seq);
                }
                segments++;
            }
        }
        for (long seq : leaves.keySet()) {
            if ((seq < startSize || seq >= endSize) && !proven.contains(seq)) {
                fail("the row of sequence " + seq + " is not in the tree of the signed checkpoint");
            }
        }
        notes.add("tree " + tree.get("origin") + ": leaves " + startSize + " to " + endSize + " of the period, "
                + ((List<?>) m.get("backfill")).size() + " late rows (backfill), "
                + leaves.keySet().stream().filter(q -> q < startSize || q >= endSize).count()
                + " rows outside the period proven in " + segments + " segments");
    }

    /** A run of leaves given as the hashes of its subtrees ({@link CompactRange}). */
    private record Range(long from, long to, List<byte[]> hashes) {
    }

    private static List<Range> ranges(Object list) {
        List<Range> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            Map<String, Object> r = FileEvidence.map(o);
            Range range = new Range((Long) r.get("from"), (Long) r.get("to"), hashes(r.get("hashes")));
            if (range.from() >= range.to() || CompactRange.of(range.from(), range.to()).size() != range.hashes().size()) {
                throw new IllegalArgumentException("a range from " + range.from() + " to " + range.to()
                        + " has the wrong number of hashes");
            }
            out.add(range);
        }
        out.sort((x, y) -> Long.compare(x.from(), y.from()));
        return out;
    }

    /**
     * Appends the leaves {@code [from, to)} to a frontier: the file's rows, the given ranges' subtree hashes; a
     * sequence number that is neither is noted as missing (and a zero leaf appended, so that the rest is checked).
     */
    private static void walk(Frontier f, long from, long to, Map<Long, byte[]> leaves, List<Range> ranges,
            List<Long> missing) {
        int r = 0;
        long seq = from;
        while (seq < to) {
            while (r < ranges.size() && ranges.get(r).to() <= seq) {
                r++;
            }
            if (r < ranges.size() && ranges.get(r).from() == seq && ranges.get(r).to() <= to) {
                Range range = ranges.get(r);
                List<long[]> nodes = CompactRange.of(range.from(), range.to());
                for (int k = 0; k < nodes.size(); k++) {
                    f.append(range.hashes().get(k), 1L << nodes.get(k)[0]);
                }
                seq = range.to();
                continue;
            }
            byte[] leaf = leaves.get(seq);
            if (leaf == null) {
                missing.add(seq);
                leaf = new byte[Merkle.HASH_SIZE];
            }
            f.append(leaf, 1);
            seq++;
        }
    }

    private void chain(Map<String, Object> manifest, Map<String, Object> previous, Path previousFile) {
        Object named = FileEvidence.map(manifest.get("previous")).get("seal");
        String actual = FileEvidence.sealHash(FileEvidence.seal(previous));
        if (!actual.equals(named)) {
            fail(previousFile.getFileName() + " is not the file before this one: its seal's SHA-256 is " + actual
                    + ", this manifest names " + named);
        } else {
            notes.add("chained to " + previousFile.getFileName());
        }
    }

    /** The complete subtrees of a tree's leaves {@code [0, size)}, largest first: appends leaves, gives the root. */
    static final class Frontier {
        private final List<byte[]> hashes = new ArrayList<>();
        private final List<Long> sizes = new ArrayList<>();

        Frontier(long size, List<byte[]> frontier) {
            List<long[]> nodes = CompactRange.of(0, size);
            if (nodes.size() != frontier.size()) {
                throw new IllegalArgumentException("the frontier of " + size + " leaves has " + nodes.size()
                        + " hashes, not " + frontier.size());
            }
            for (int k = 0; k < nodes.size(); k++) {
                hashes.add(frontier.get(k));
                sizes.add(1L << nodes.get(k)[0]);
            }
        }

        /** Appends a leaf hash. */
        void append(byte[] leaf) {
            append(leaf, 1);
        }

        /** Appends the root of a complete subtree of {@code size} leaves, aligned where the frontier ends. */
        void append(byte[] hash, long size) {
            if (!sizes.isEmpty() && sizes.get(sizes.size() - 1) < size) {
                throw new IllegalArgumentException("a subtree of " + size + " leaves does not start where the tree ends");
            }
            hashes.add(hash);
            sizes.add(size);
            while (sizes.size() > 1 && sizes.get(sizes.size() - 1).equals(sizes.get(sizes.size() - 2))) {
                int last = sizes.size() - 1;
                byte[] h = Merkle.nodeHash(hashes.get(last - 1), hashes.get(last));
                long s = sizes.get(last) * 2;
                hashes.remove(last);
                sizes.remove(last);
                hashes.set(last - 1, h);
                sizes.set(last - 1, s);
            }
        }

        byte[] root() {
            if (hashes.isEmpty()) {
                return Merkle.emptyRoot();
            }
            byte[] h = hashes.get(hashes.size() - 1);
            for (int k = hashes.size() - 2; k >= 0; k--) {
                h = Merkle.nodeHash(hashes.get(k), h);
            }
            return h;
        }
    }
}
