package org.auditlog.evidence.verifier;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.Deflater;
import org.auditlog.evidence.Checkpoint;
import org.auditlog.evidence.CompactRange;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.FileEvidence;
import org.auditlog.evidence.Json;
import org.auditlog.evidence.Merkle;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.SignedNote;
import org.auditlog.evidence.internal.CsvLeaves;

/**
 * The bodies of the verifier's fuzz targets, one per parser: each takes any bytes and returns normally, whatever
 * they are. Anything else it throws (an exception the verifier does not promise, an {@link AssertionError} of a
 * property below, a {@link StackOverflowError} or an {@link OutOfMemoryError}) is a defect. Jazzer runs them in the
 * {@code fuzz} profile ({@code src/fuzz/java}); {@link FuzzCorpusTest} runs every input kept under
 * {@code src/test/resources/org/auditlog/evidence/verifier/VerifierFuzzInputs/<target>/} (the seeds, and each crasher found).
 */
final class FuzzTargets {
    static final List<NoteKeys.Verifier> KEYS = List.of(SampleFile.KEY);
    /** A small good file whose CSV, rows.bin and checkpoint the manifest targets keep. */
    static final SampleFile SAMPLE = SampleFile.of(6);
    /** Its entries, signed once (an Ed25519 signature costs a millisecond or two). */
    private static final Map<String, byte[]> SAMPLE_ENTRIES = SAMPLE.entries();
    /** Between the CSV and rows.bin in an input of {@link #rows}. */
    static final byte[] ROWS_MARK = "\n--rows.bin--\n".getBytes(StandardCharsets.UTF_8);
    /** A small good stream file: sequences 41 to 90 of a log of 3,000 records, 40 events and 10 gaps. */
    static final SampleStream.Batch STREAM_SAMPLE = new SampleStream("Backlog").batch(41, 90, SampleStream.ISSUES);
    /** Between a stream file's lines and its digest's text in an input of {@link #stream}. */
    static final byte[] DIGEST_MARK = "\n--digest--\n".getBytes(StandardCharsets.UTF_8);

    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());
    private static Path scratch;
    private static Path streamScratch;

    private FuzzTargets() {}

    /** The file each target writes its input to (the verifier reads files), one per JVM. */
    private static synchronized Path scratch(byte[] data) {
        try {
            if (scratch == null) {
                scratch = Files.createTempFile("verifier-fuzz", ".bin");
                scratch.toFile().deleteOnExit();
            }
            return Files.write(scratch, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A stream file's lines, gzipped here, and after {@link #DIGEST_MARK} its digest's text, signed here with the key
     * given (without the mark, {@link #STREAM_SAMPLE}'s digest): every line read as an event, the digest's fields and
     * numbers once its signature holds, the tree walked from them.
     */
    static void stream(byte[] data) {
        int mark = indexOf(data, DIGEST_MARK);
        byte[] lines = mark < 0 ? data : Arrays.copyOfRange(data, 0, mark);
        String digest = mark < 0
                ? Json.write(STREAM_SAMPLE.digest) + "\n"
                : new String(
                        data,
                        mark + DIGEST_MARK.length,
                        data.length - mark - DIGEST_MARK.length,
                        StandardCharsets.UTF_8);
        String note;
        try {
            note = SignedNote.sign(digest, SampleFile.SIGNER);
        } catch (IllegalArgumentException e) {
            return; // not a note's text: nothing the server could have signed
        }
        try {
            Path file = streamScratch().resolve(STREAM_SAMPLE.fileName());
            Files.write(file, SampleStream.gzip(lines, Deflater.DEFAULT_COMPRESSION));
            Files.writeString(StreamFileVerifier.digestOf(file), note, StandardCharsets.UTF_8);
            StreamFileVerifier.Report report = StreamFileVerifier.verify(file, KEYS);
            if (report.ok() && report.claims() == null) {
                throw new AssertionError("verified without a digest");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (FileVerifier.UnreadableException e) {
            // no verdict: a promised outcome
        }
    }

    /** The folder the stream target writes its file and digest to, one per JVM. */
    private static synchronized Path streamScratch() throws IOException {
        if (streamScratch == null) {
            streamScratch = Files.createTempDirectory("verifier-fuzz");
            streamScratch.toFile().deleteOnExit();
        }
        return streamScratch;
    }

    /** A file's bytes as they come: the zip reader, every entry, the whole verifier. */
    static void zip(byte[] data) {
        verify(data);
    }

    private static void verify(byte[] zip) {
        try {
            FileVerifier.Report report = FileVerifier.verify(scratch(zip), KEYS, null);
            if (report.ok() && report.manifest() == null) {
                throw new AssertionError("verified without a manifest");
            }
        } catch (FileVerifier.UnreadableException e) {
            // no verdict: a promised outcome
        }
    }

    /**
     * A manifest signed by the key given, whatever it holds, in a file of {@link #SAMPLE}'s other entries: what the
     * verifier does with a manifest's numbers once its signature holds.
     */
    static void manifest(byte[] data) {
        LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(SAMPLE_ENTRIES);
        entries.put(FileEvidence.MANIFEST, data);
        entries.put(FileEvidence.MANIFEST_SIGNATURE, SampleFile.signature(data));
        verify(SampleFile.zip(entries));
    }

    /**
     * {@link #SAMPLE}'s manifest with its numbers and lists changed as the bytes say, signed, its checkpoint signed
     * again at the size the manifest names when they say so: the bounds of every loop and allocation that a number
     * of a signed manifest could drive. The bytes are read as steps of 9: which change (a byte), and a number (8).
     */
    static void numbers(byte[] data) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m =
                (Map<String, Object>) Json.parse(new String(SAMPLE.manifestBytes(), StandardCharsets.UTF_8));
        Map<String, Object> tree = Json.object(m.get("tree"));
        @SuppressWarnings("unchecked")
        List<Object> segments = (List<Object>) m.get("segments");
        @SuppressWarnings("unchecked")
        List<Object> others = (List<Object>) m.get("otherRanges");
        String checkpoint = SAMPLE.checkpoint;
        ByteBuffer steps = ByteBuffer.wrap(data);
        while (steps.remaining() >= 9) {
            int step = steps.get() & 0x1f;
            long v = steps.getLong();
            switch (step) {
                case 0 -> Json.object(m.get("csv")).put("rows", v);
                case 1 -> Json.object(tree.get("start")).put("size", v);
                case 2 -> Json.object(tree.get("end")).put("size", v);
                case 3 -> tree.put("checkpointSize", v);
                case 4 -> first(segments).put("from", v);
                case 5 -> first(segments).put("to", v);
                case 6 -> first(others).put("from", v);
                case 7 -> first(others).put("to", v);
                case 8 -> segments.add(copy(first(segments), v, v + (v & 0xff) + 1));
                case 9 -> others.add(copy(first(others), v, v + (v & 0xff) + 1));
                case 10 -> m.put("frontier", zeros((int) Math.floorMod(v, 70)));
                case 11 -> first(segments).put("frontier", zeros((int) Math.floorMod(v, 70)));
                case 12 ->
                    first(segments)
                            .put(
                                    "gaps",
                                    new java.util.ArrayList<>(List.of(copy(first(others), v, v + (v & 0xff) + 1))));
                case 13 ->
                    first(others)
                            .put(
                                    "hashes",
                                    zeros(CompactRange.of(
                                                    Math.max(0, number(first(others), "from")),
                                                    number(first(others), "to"))
                                            .size()));
                case 14 ->
                    first(segments)
                            .put(
                                    "frontier",
                                    zeros(CompactRange.of(0, Math.max(0, number(first(segments), "from")))
                                            .size()));
                case 15 -> Json.object(m.get("consistency")).put("endToCheckpoint", zeros((int) Math.floorMod(v, 70)));
                case 16 -> m.put("backfill", new java.util.ArrayList<>(List.of(v)));
                case 17 -> {
                    long size = number(tree, "checkpointSize");
                    checkpoint = size < 0
                            ? checkpoint
                            : SignedNote.sign(
                                    new Checkpoint(
                                                    SampleFile.ORIGIN,
                                                    size,
                                                    (v & 1) == 0
                                                            ? Merkle.root(SAMPLE.tree)
                                                            : new byte[Merkle.HASH_SIZE],
                                                    null)
                                            .text(),
                                    SampleFile.SIGNER);
                }
                case 18 -> segments.clear();
                case 19 -> others.clear();
                default -> {
                    // no change: the steps past 19 leave the manifest as it is
                }
            }
        }
        byte[] manifest = Json.write(m).getBytes(StandardCharsets.UTF_8);
        LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(SAMPLE_ENTRIES);
        entries.put(FileEvidence.MANIFEST, manifest);
        entries.put(FileEvidence.MANIFEST_SIGNATURE, SampleFile.signature(manifest));
        entries.put(FileEvidence.CHECKPOINT, checkpoint.getBytes(StandardCharsets.UTF_8));
        verify(SampleFile.zip(entries));
    }

    /** The first map of a list, made if the list is empty. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(List<Object> list) {
        if (list.isEmpty()) {
            Map<String, Object> made = new LinkedHashMap<>();
            made.put("from", 0L);
            made.put("to", 1L);
            made.put("frontier", new java.util.ArrayList<>());
            made.put("hashes", zeros(1));
            made.put("gaps", new java.util.ArrayList<>());
            made.put("toCheckpoint", new java.util.ArrayList<>());
            list.add(made);
        }
        return (Map<String, Object>) list.get(0);
    }

    private static Map<String, Object> copy(Map<String, Object> of, long from, long to) {
        Map<String, Object> copy = new LinkedHashMap<>(of);
        copy.put("from", from);
        copy.put("to", to);
        return copy;
    }

    private static long number(Map<String, Object> map, String key) {
        return map.get(key) instanceof Long n ? n : 0;
    }

    private static List<Object> zeros(int n) {
        List<Object> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Merkle.hex(new byte[Merkle.HASH_SIZE]));
        }
        return out;
    }

    /**
     * A CSV and a rows.bin ({@link #ROWS_MARK} between them) in {@link #SAMPLE}'s file, its manifest naming their
     * SHA-256s and rows.bin's rows, signed: the matching of rows to entries, and the tree walked from them.
     */
    static void rows(byte[] data) {
        int mark = indexOf(data, ROWS_MARK);
        byte[] csv = mark < 0 ? data : Arrays.copyOfRange(data, 0, mark);
        byte[] index = mark < 0 ? new byte[0] : Arrays.copyOfRange(data, mark + ROWS_MARK.length, data.length);
        @SuppressWarnings("unchecked")
        Map<String, Object> m =
                (Map<String, Object>) Json.parse(new String(SAMPLE.manifestBytes(), StandardCharsets.UTF_8));
        Map<String, Object> csvPart = Json.object(m.get("csv"));
        csvPart.put("sha256", FileEvidence.sha256(csv));
        csvPart.put("rows", (long) (index.length / FileEvidence.ROW_ENTRY));
        m.put("rowIndexSha256", FileEvidence.sha256(index));
        byte[] manifest = Json.write(m).getBytes(StandardCharsets.UTF_8);
        LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(SAMPLE_ENTRIES);
        entries.put(SampleFile.CSV, csv);
        entries.put(FileEvidence.ROWS, index);
        entries.put(FileEvidence.MANIFEST, manifest);
        entries.put(FileEvidence.MANIFEST_SIGNATURE, SampleFile.signature(manifest));
        verify(SampleFile.zip(entries));
    }

    private static int indexOf(byte[] data, byte[] part) {
        for (int i = 0; i + part.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A CSV: the verifier's stream reader ({@link CsvLeaves}) cuts it as {@link CsvRows#rows} does, whatever the
     * reads' sizes, and {@link CsvRows#values} reads each row or refuses it.
     */
    static void csv(byte[] data) {
        CsvLeaves whole = leaves(new ByteArrayInputStream(data));
        CsvLeaves dribbled = leaves(new Dribble(data));
        if (!same(whole, dribbled)) {
            throw new AssertionError("read whole and a byte at a time, the CSV's rows differ");
        }
        if (!whole.sha256().equals(FileEvidence.sha256(data))) {
            throw new AssertionError("the SHA-256 is not the bytes'");
        }
        String text = utf8(data);
        if (text == null) {
            return; // CsvRows reads text: without UTF-8 there is nothing to compare with
        }
        List<String> rows;
        try {
            rows = CsvRows.rows(text);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().equals(whole.damage())) {
                throw new AssertionError("CsvRows: " + e.getMessage() + "; CsvLeaves: " + whole.damage());
            }
            return;
        }
        if (whole.damage() != null
                || whole.hasHeader() != !rows.isEmpty()
                || whole.rows() != Math.max(0, rows.size() - 1)) {
            throw new AssertionError(
                    "CsvRows found " + rows.size() + " rows; CsvLeaves " + whole.rows() + ", " + whole.damage());
        }
        for (int i = 1; i < rows.size(); i++) {
            if (!Arrays.equals(whole.leaf(i - 1), CsvRows.leafHash(rows.get(i)))) {
                throw new AssertionError("row " + i + "'s leaf differs");
            }
            try {
                CsvRows.values(rows.get(i));
            } catch (IllegalArgumentException e) {
                // a row that is not RFC 4180: refused, a promised outcome
            }
        }
    }

    private static CsvLeaves leaves(InputStream in) {
        try {
            return CsvLeaves.read(in, Long.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean same(CsvLeaves a, CsvLeaves b) {
        if (!a.sha256().equals(b.sha256())
                || a.rows() != b.rows()
                || a.kept() != b.kept()
                || a.hasHeader() != b.hasHeader()
                || !Objects.equals(a.damage(), b.damage())) {
            return false;
        }
        for (int i = 0; i < a.kept(); i++) {
            if (!Arrays.equals(a.leaf(i), b.leaf(i)) || !a.id(i).equals(b.id(i))) {
                return false;
            }
        }
        return true;
    }

    /** Gives its bytes one at a time, as a slow stream may: rows cut across every read. */
    private static final class Dribble extends InputStream {
        private final byte[] data;
        private int at;

        Dribble(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return at < data.length ? data[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }

    private static String utf8(byte[] data) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** JSON text: read or refused; what is read is written back to bytes that read the same. */
    static void json(byte[] data) {
        Object value;
        try {
            value = Json.parse(new String(data, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return;
        }
        String written = Json.write(value);
        Object again = Json.parse(written);
        if (!Objects.equals(value, again) || !written.equals(Json.write(again))) {
            throw new AssertionError("written and read back, the value changed: " + written);
        }
    }

    /** A signed note, a checkpoint's text and a key: each read or refused; a checkpoint read writes back the same. */
    static void note(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            SignedNote.Opened opened = SignedNote.open(text, KEYS);
            if (opened.signatures().isEmpty() || opened.signatures().size() > SignedNote.MAX_SIGNATURES) {
                throw new AssertionError(opened.signatures().size() + " signatures");
            }
        } catch (IllegalArgumentException e) {
            // refused: a promised outcome
        }
        try {
            Checkpoint cp = Checkpoint.parse(text);
            Checkpoint again = Checkpoint.parse(cp.text());
            if (!again.origin().equals(cp.origin())
                    || again.size() != cp.size()
                    || !Arrays.equals(again.root(), cp.root())
                    || !Objects.equals(again.time(), cp.time())) {
                throw new AssertionError("written and read back, the checkpoint changed: " + cp.text());
            }
        } catch (IllegalArgumentException e) {
            // refused
        }
        try {
            NoteKeys.verifier(text);
        } catch (IllegalArgumentException e) {
            // refused
        }
    }

    /** An inclusion answer as {@code auditlog-verify prove} reads it. */
    static void prove(byte[] data) {
        try {
            Verify.prove("100", scratch(data), KEYS, NOWHERE);
        } catch (IllegalArgumentException | IOException e) {
            // no verdict: a promised outcome
        }
    }
}
