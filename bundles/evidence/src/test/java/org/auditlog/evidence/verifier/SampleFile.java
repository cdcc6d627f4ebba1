package org.auditlog.evidence.verifier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.auditlog.evidence.Checkpoint;
import org.auditlog.evidence.CompactRange;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.FileEvidence;
import org.auditlog.evidence.Json;
import org.auditlog.evidence.Merkle;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.SignedNote;

/**
 * An export file with its evidence, made field by field as the server makes it ({@code FileSeal} in the export
 * bundle), for the verifier's tests and fuzz targets. The tree of {@code auditlog/ACME/Apps}: five leaves of earlier
 * months, then the period's part (the file's rows, with a run of three leaves of another month after its second
 * row), then four leaves after the period's end, the second of them a late row of the file (backfill, proven by a
 * segment); the checkpoint is at the tree's last leaf. Signed with {@link #SIGNER}, a key made for these tests.
 */
final class SampleFile {
    static final NoteKeys.Verifier KEY =
            NoteKeys.verifier("auditlog+61f46e81+AUQBVw3CWL0xSB03mPR+y+ozpUVEKp2l+PzsNu9NRi2q");
    static final NoteKeys.Signer SIGNER =
            NoteKeys.signer("PRIVATE+KEY+auditlog+61f46e81+AXd477t1bMzpQLOmtxxxw9rjYkd348Xd/javfxeKgIfn", KEY);
    static final String CSV = "auditlog-202601-Apps-csv.csv";
    static final String HEADER = "id,space_key,product,date,category,event,action,operation_user_id,"
            + "operation_user_name,operation_user_email,ip_address,user_agent,version";
    static final String ORIGIN = "auditlog/ACME/Apps";
    static final int BEFORE = 5;

    /** The CSV's bytes. */
    byte[] csv;
    /** {@value FileEvidence#ROWS}'s bytes. */
    byte[] index;
    /** The manifest, as the server writes it; {@link #entries} signs what it holds then. */
    final Map<String, Object> manifest;
    /** {@value FileEvidence#CHECKPOINT}'s text. */
    String checkpoint;
    /** Every leaf hash of the tree, in order. */
    final List<byte[]> tree;
    /** The file's rows (without CRLF) and their sequence numbers. */
    final List<String> rows;

    final List<Long> sequences;

    private SampleFile(
            byte[] csv,
            byte[] index,
            Map<String, Object> manifest,
            String checkpoint,
            List<byte[]> tree,
            List<String> rows,
            List<Long> sequences) {
        this.csv = csv;
        this.index = index;
        this.manifest = manifest;
        this.checkpoint = checkpoint;
        this.tree = tree;
        this.rows = rows;
        this.sequences = sequences;
    }

    /** A row of ACME's Apps, id {@code id}, dated in January 2026. */
    static String row(long id, String action) {
        return CsvRows.v1Row(
                id,
                "ACME",
                "Apps",
                Instant.parse("2026-01-10T08:00:00Z").plusSeconds(id),
                "Issue",
                "Add an issue",
                action,
                "u1",
                "Ann",
                "ann@acme.example",
                "",
                "",
                "V1");
    }

    /** A good file of {@code n} rows (2 or more): {@code n - 1} in the period, the last one late. */
    static SampleFile of(int n) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(row(100 + i, i == n - 1 ? "a late row" : "row " + i));
        }
        List<byte[]> tree = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < BEFORE; i++) {
            tree.add(Merkle.leafHash(("earlier " + i).getBytes(StandardCharsets.UTF_8)));
        }
        long otherFrom = -1;
        for (int i = 0; i < n - 1; i++) {
            sequences.add((long) tree.size());
            tree.add(CsvRows.leafHash(rows.get(i)));
            if (i == 1) {
                otherFrom = tree.size();
                for (int k = 0; k < 3; k++) {
                    tree.add(Merkle.leafHash(("December " + k).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        int end = tree.size();
        tree.add(Merkle.leafHash("February 0".getBytes(StandardCharsets.UTF_8)));
        long late = tree.size();
        sequences.add(late);
        tree.add(CsvRows.leafHash(rows.get(n - 1)));
        tree.add(Merkle.leafHash("February 1".getBytes(StandardCharsets.UTF_8)));
        tree.add(Merkle.leafHash("February 2".getBytes(StandardCharsets.UTF_8)));
        int size = tree.size();

        StringBuilder text = new StringBuilder(HEADER).append("\r\n");
        ByteBuffer index = ByteBuffer.allocate(n * FileEvidence.ROW_ENTRY);
        for (int i = 0; i < n; i++) {
            text.append(rows.get(i)).append("\r\n");
            FileEvidence.rowEntry(index, sequences.get(i), CsvRows.leafHash(rows.get(i)));
        }
        byte[] csv = text.toString().getBytes(StandardCharsets.UTF_8);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FileEvidence.FORMAT);
        m.put("organization", "ACME");
        m.put("product", "Apps");
        m.put("period", FileEvidence.period("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"));
        Map<String, Object> csvPart = new LinkedHashMap<>();
        csvPart.put("name", CSV);
        csvPart.put("sha256", FileEvidence.sha256(csv));
        csvPart.put("rows", (long) n);
        m.put("csv", csvPart);
        m.put("rowIndexSha256", FileEvidence.sha256(index.array()));
        Map<String, Object> seqs = new LinkedHashMap<>();
        seqs.put("first", sequences.get(0));
        seqs.put("last", late);
        m.put("sequences", seqs);
        Map<String, Object> treePart = new LinkedHashMap<>();
        treePart.put("origin", ORIGIN);
        treePart.put("start", FileEvidence.head(BEFORE, Merkle.root(tree.subList(0, BEFORE))));
        treePart.put("end", FileEvidence.head(end, Merkle.root(tree.subList(0, end))));
        treePart.put("checkpointSize", (long) size);
        m.put("tree", treePart);
        m.put("frontier", FileEvidence.hexes(subtrees(tree, 0, BEFORE)));
        List<Object> others = new ArrayList<>();
        if (otherFrom >= 0) {
            others.add(range(tree, otherFrom, otherFrom + 3));
        }
        m.put("otherRanges", others);
        m.put("backfill", new ArrayList<>(List.of(late)));
        Map<String, Object> segment = new LinkedHashMap<>();
        segment.put("from", late);
        segment.put("to", late + 1);
        segment.put("frontier", FileEvidence.hexes(subtrees(tree, 0, late)));
        segment.put("gaps", new ArrayList<>());
        segment.put("toCheckpoint", FileEvidence.hexes(Merkle.consistencyProof(tree, (int) late + 1)));
        m.put("segments", new ArrayList<>(List.of(segment)));
        Map<String, Object> consistency = new LinkedHashMap<>();
        consistency.put("startToEnd", FileEvidence.hexes(Merkle.consistencyProof(tree.subList(0, end), BEFORE)));
        consistency.put("endToCheckpoint", FileEvidence.hexes(Merkle.consistencyProof(tree, end)));
        m.put("consistency", consistency);
        Map<String, Object> previous = new LinkedHashMap<>();
        previous.put(
                "seal",
                FileEvidence.sealHash(FileEvidence.seal(
                        "ACME",
                        "Apps",
                        "2025-12-01T00:00:00Z",
                        "2026-01-01T00:00:00Z",
                        0,
                        Merkle.emptyRoot(),
                        BEFORE,
                        Merkle.root(tree.subList(0, BEFORE)))));
        m.put("previous", previous);
        String checkpoint = SignedNote.sign(
                new Checkpoint(ORIGIN, size, Merkle.root(tree), Instant.parse("2026-02-03T04:05:06Z")).text(), SIGNER);
        return new SampleFile(csv, index.array(), m, checkpoint, tree, rows, sequences);
    }

    /** The hashes of the complete subtrees of the leaves {@code [from, to)}. */
    static List<byte[]> subtrees(List<byte[]> tree, long from, long to) {
        List<byte[]> out = new ArrayList<>();
        for (long[] node : CompactRange.of(from, to)) {
            int first = (int) (node[1] << node[0]);
            out.add(Merkle.root(tree.subList(first, first + (1 << node[0]))));
        }
        return out;
    }

    static Map<String, Object> range(List<byte[]> tree, long from, long to) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("from", from);
        r.put("to", to);
        r.put("hashes", FileEvidence.hexes(subtrees(tree, from, to)));
        return r;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> part(String name) {
        return (Map<String, Object>) manifest.get(name);
    }

    /** The manifest's bytes, as {@link Json#write} gives them. */
    byte[] manifestBytes() {
        return Json.write(manifest).getBytes(StandardCharsets.UTF_8);
    }

    /** The signed note of a manifest's bytes. */
    static byte[] signature(byte[] manifest) {
        return SignedNote.sign(FileEvidence.manifestNote(manifest), SIGNER).getBytes(StandardCharsets.UTF_8);
    }

    /** The zip's entries in their order, the manifest signed as it is now. */
    LinkedHashMap<String, byte[]> entries() {
        byte[] m = manifestBytes();
        LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(CSV, csv);
        entries.put(FileEvidence.ROWS, index);
        entries.put(FileEvidence.MANIFEST, m);
        entries.put(FileEvidence.MANIFEST_SIGNATURE, signature(m));
        entries.put(FileEvidence.CHECKPOINT, checkpoint.getBytes(StandardCharsets.UTF_8));
        return entries;
    }

    /** A zip of these entries, in this order, deflated. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** This file as a zip. */
    byte[] zip() {
        return zip(entries());
    }

    /** Writes bytes to {@code dir/name}. */
    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
