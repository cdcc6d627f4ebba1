package org.auditlog.evidence.verifier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.auditlog.evidence.Checkpoint;
import org.auditlog.evidence.CompactRange;
import org.auditlog.evidence.CompactTree;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.FileEvidence;
import org.auditlog.evidence.Json;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.SignedNote;
import org.auditlog.evidence.StreamFiles;

/**
 * The log of one organization's product, {@value #SIZE} records in a tree kept as complete subtrees (as the server
 * keeps it: {@link CompactTree}), and its stream files written as the server writes them ({@link StreamFiles}, gzip,
 * a digest signed with {@link SampleFile#SIGNER}), for the stream verifier's tests and fuzz target. Record
 * {@code seq} is dated {@code seq} minutes after 2026-11-01T00:00Z (so the files fall in three day folders); every
 * fifth (sequence 3, 8, 13, ...) is of category {@code Wiki}, which the streams' filter {@link #ISSUES} leaves out.
 */
final class SampleStream {
    static final int SIZE = 3000;
    static final String ORGANIZATION = "ACME";
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    static final String STREAM = "s1";
    /** The filter of the tests' stream: the records of category Issue. */
    static final LongPredicate ISSUES = seq -> !category(seq).equals("Wiki");

    final String product;
    final String origin;
    private final Map<Long, byte[]> nodes = new HashMap<>();
    /** The signed checkpoint of the whole tree. */
    final String checkpoint;

    SampleStream(String product) {
        this.product = product;
        this.origin = SampleFile.KEY.name() + "/" + ORGANIZATION + "/" + product;
        List<byte[]> leaves = new ArrayList<>();
        for (long seq = 0; seq < SIZE; seq++) {
            leaves.add(CsvRows.leafHash(row(seq)));
        }
        for (CompactTree.Node n : CompactTree.append(0, leaves, this::node)) {
            nodes.put(key(n.level(), n.index()), n.hash());
        }
        checkpoint = checkpoint(origin, SIZE);
    }

    private static long key(int level, long index) {
        return ((long) level << 58) | index;
    }

    byte[] node(int level, long index) {
        byte[] h = nodes.get(key(level, index));
        if (h == null) {
            throw new IllegalStateException("no node " + level + "/" + index);
        }
        return h;
    }

    /** A checkpoint of the tree at {@code size} leaves under {@code origin}, signed by the tests' key. */
    String checkpoint(String origin, long size) {
        return SignedNote.sign(
                new Checkpoint(origin, size, CompactTree.root(size, this::node), Instant.parse("2026-11-03T04:05:06Z"))
                        .text(),
                SampleFile.SIGNER);
    }

    /** The hashes of the subtrees of {@code [from, to)}, as {@code EvidenceStore.range} gives them. */
    List<byte[]> range(long from, long to) {
        List<byte[]> out = new ArrayList<>();
        for (long[] n : CompactRange.of(from, to)) {
            out.add(node((int) n[0], n[1]));
        }
        return out;
    }

    static String category(long seq) {
        return seq % 5 == 3 ? "Wiki" : "Issue";
    }

    static Instant date(long seq) {
        return START.plusSeconds(seq * 60).plusMillis(seq % 1000);
    }

    /** The V1 row of record {@code seq}: its leaf. */
    String row(long seq) {
        return CsvRows.v1Row(
                912420565585756160L + seq,
                ORGANIZATION,
                product,
                date(seq),
                category(seq),
                "Add an issue",
                "issue " + seq + (seq % 7 == 0 ? " =SUM(A1), \"quoted\"" : ""),
                "u" + seq % 3,
                "Ann",
                seq % 4 == 0 ? null : "ann@acme.example",
                "203.0.113.5",
                seq % 2 == 0 ? null : "Mozilla/5.0",
                "V1");
    }

    /** The line of record {@code seq}, its {@code \n} included. */
    String line(long seq) {
        StringBuilder out = new StringBuilder();
        StreamFiles.line(
                out,
                912420565585756160L + seq,
                ORGANIZATION,
                product,
                date(seq),
                category(seq),
                "Add an issue",
                "issue " + seq + (seq % 7 == 0 ? " =SUM(A1), \"quoted\"" : ""),
                "u" + seq % 3,
                "Ann",
                seq % 4 == 0 ? null : "ann@acme.example",
                "203.0.113.5",
                seq % 2 == 0 ? null : "Mozilla/5.0",
                "V1",
                seq);
        return out.toString();
    }

    static byte[] gzip(byte[] bytes, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(level);
            }
        }) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gzip(List<String> lines) {
        return gzip(String.join("", lines).getBytes(StandardCharsets.UTF_8), Deflater.DEFAULT_COMPRESSION);
    }

    /** The batch of sequences {@code first} to {@code last} whose events {@code keep} keeps, as the server writes it. */
    Batch batch(long first, long last, LongPredicate keep) {
        return new Batch(first, last, keep);
    }

    /** A batch's file and digest: what a test changes before it writes them ({@link #write}). */
    final class Batch {
        final long first;
        final long last;
        /** The file's lines, each with its {@code \n}. */
        final List<String> lines = new ArrayList<>();
        /** The file's bytes as written (gzip of the lines as they were). */
        byte[] gz;
        /** The digest's fields, as {@link StreamFiles#digestText} wrote them; signed as they are when written. */
        final Map<String, Object> digest;
        /** Who signs the digest. */
        NoteKeys.Signer signer = SampleFile.SIGNER;

        Batch(long first, long last, LongPredicate keep) {
            this.first = first;
            this.last = last;
            List<StreamFiles.Gap> gaps = new ArrayList<>();
            long gapFrom = -1;
            for (long seq = first; seq <= last + 1; seq++) {
                boolean kept = seq <= last && keep.test(seq);
                if (kept) {
                    lines.add(line(seq));
                }
                if (!kept && seq <= last && gapFrom < 0) {
                    gapFrom = seq;
                } else if ((kept || seq > last) && gapFrom >= 0) {
                    gaps.add(new StreamFiles.Gap(gapFrom, seq, range(gapFrom, seq)));
                    gapFrom = -1;
                }
            }
            gz = gzip(lines);
            String name = StreamFiles.name(ORGANIZATION, product, date(first), first, last);
            String text = StreamFiles.digestText(
                    name,
                    FileEvidence.digest().digest(gz),
                    ORGANIZATION,
                    product,
                    STREAM,
                    STREAM + "-" + ORGANIZATION + "-" + product + "-" + first + "-" + last,
                    first,
                    last,
                    lines.size(),
                    origin,
                    SIZE,
                    range(0, first),
                    gaps,
                    CompactTree.consistencyProof(last + 1, SIZE, SampleStream.this::node),
                    checkpoint);
            digest = Json.object(Json.parse(text));
        }

        String name() {
            return (String) digest.get("name");
        }

        /** The file's last segment. */
        String fileName() {
            return Path.of(name()).getFileName().toString();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> part(String name) {
            return (Map<String, Object>) digest.get(name);
        }

        @SuppressWarnings("unchecked")
        List<Object> gaps() {
            return (List<Object>) part("segment").get("gaps");
        }

        /** The file's bytes become the gzip of its lines as they are now (as if changed after it was written). */
        Batch regzip() {
            gz = gzip(lines);
            return this;
        }

        /** The digest's signed note, of its fields as they are now. */
        String note() {
            return SignedNote.sign(Json.write(digest) + "\n", signer);
        }

        /** Writes the file under {@code dir} at its name, and its digest beside it; returns the file. */
        Path write(Path dir) {
            return write(dir, note());
        }

        /** Writes the file and the given digest's text. */
        Path write(Path dir, String note) {
            try {
                Path file = dir.resolve(name());
                Files.createDirectories(file.getParent());
                Files.write(file, gz);
                Files.writeString(StreamFileVerifier.digestOf(file), note, StandardCharsets.UTF_8);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
