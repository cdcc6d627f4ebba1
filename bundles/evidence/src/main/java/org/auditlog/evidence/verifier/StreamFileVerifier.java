package org.auditlog.evidence.verifier;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.auditlog.evidence.Checkpoint;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.FileEvidence;
import org.auditlog.evidence.Json;
import org.auditlog.evidence.Merkle;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.SignedNote;
import org.auditlog.evidence.StreamFiles;
import org.auditlog.evidence.internal.Frontier;
import org.auditlog.evidence.internal.GzipLines;
import org.auditlog.evidence.verifier.Segments.Missing;
import org.auditlog.evidence.verifier.Segments.Range;

/**
 * Checks a stream file offline ({@link StreamFiles}) with its digest beside it: the digest's signature before
 * anything it says is used, the file's SHA-256 and name, the signed checkpoint it carries, every line as an event of
 * the digest's organization and product in sequence order, and the tree: from the frontier at the file's first
 * sequence, its events' leaves and its gaps' subtrees, covering every sequence once, give a root the checkpoint
 * extends. Each failure is named in a sentence; the file is good only when there is none.
 *
 * <p>A crafted file or digest can make it neither hang nor run out of memory: the digest is read up to
 * {@value #MAX_DIGEST} bytes, its JSON within {@link Json}'s bounds; the file is inflated through a count of its
 * bytes, at most {@value #MAX_INFLATED} in all and {@value #MAX_LINE} per line; after {@value #MAX_BAD_LINES} lines
 * that fail, the others are counted, not read as events; every loop runs over what the file and the digest hold.
 */
public final class StreamFileVerifier {
    /** The largest digest read, in bytes. */
    public static final int MAX_DIGEST = 16 * 1024 * 1024;
    /** The most bytes a file inflates to. */
    public static final long MAX_INFLATED = 64L * 1024 * 1024;
    /** The most bytes of one line, its {@code \n} aside (an event is at most about 8 KiB). */
    public static final int MAX_LINE = 64 * 1024;
    /** The lines that fail named; the lines after them are counted, not read as events. */
    static final int MAX_BAD_LINES = 100;
    /** What ends a stream file's name. */
    public static final String FILE_SUFFIX = ".ndjson.gz";

    /** The members of a line, in their order. */
    static final List<String> MEMBERS = List.of(
            "id",
            "space_key",
            "product",
            "date",
            "category",
            "event",
            "action",
            "operation_user_id",
            "operation_user_name",
            "operation_user_email",
            "ip_address",
            "user_agent",
            "version",
            "sequence");

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern ID = Pattern.compile("-?(0|[1-9][0-9]{0,18})");

    /** What a digest signed by a key given says of its file: whose events, which sequences, how many events. */
    public record Claims(
            String organization, String product, long first, long last, long events, String stream, String batch) {}

    /**
     * The outcome: failures (the file is good when there is none), notes (what was checked) and, once the digest's
     * signature holds, what it claims (else null).
     */
    public record Report(String file, List<String> failures, List<String> notes, Claims claims) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    private final List<NoteKeys.Verifier> keys;
    private final Failures failures = new Failures();
    private final List<String> notes = new ArrayList<>();
    private Claims claims;

    private StreamFileVerifier(List<NoteKeys.Verifier> keys) {
        this.keys = keys;
    }

    /** The digest of a stream file: beside it, its name and {@value StreamFiles#DIGEST_SUFFIX}. */
    public static Path digestOf(Path file) {
        return file.resolveSibling(file.getFileName() + StreamFiles.DIGEST_SUFFIX);
    }

    /**
     * Verifies a stream file with the digest beside it.
     *
     * @throws FileVerifier.UnreadableException when the file is missing or cannot be read
     */
    public static Report verify(Path file, List<NoteKeys.Verifier> keys) throws FileVerifier.UnreadableException {
        StreamFileVerifier v = new StreamFileVerifier(keys);
        v.check(file, digestOf(file));
        return new Report(file.toString(), v.failures.list(), List.copyOf(v.notes), v.claims);
    }

    private void fail(String message) {
        failures.add(message);
    }

    private void check(Path file, Path digestFile) throws FileVerifier.UnreadableException {
        if (!Files.isRegularFile(file)) {
            throw new FileVerifier.UnreadableException(file + " is not a file that can be read");
        }
        Digest d = digest(digestFile);
        if (d == null) {
            return;
        }
        claims = new Claims(d.organization, d.product, d.first, d.last, d.events, d.stream, d.batch);
        String fileName = file.getFileName().toString();
        if (!fileName.equals(lastSegment(d.name))) {
            fail("its digest is that of " + d.name + " (" + d.organization + " " + d.product + ", sequences " + d.first
                    + " to " + d.last + "), not of " + fileName + ": the digest of another file");
            return;
        }
        String sha256 = sha256(file);
        if (!sha256.equals(d.sha256)) {
            fail("the file was changed since it was written: its SHA-256 is not the digest's");
        }
        byte[] checkpointRoot = checkpoint(d);
        Lines lines = lines(file, d);
        if (lines.counted && lines.count != d.events) {
            fail("the file holds " + lines.count + " events, its digest " + d.events + ": lines were "
                    + (lines.count < d.events ? "removed" : "added"));
        }
        if (lines.counted && lines.read) {
            tree(d, lines.leaves, checkpointRoot);
        }
    }

    /** The digest, once its signature holds and it reads as one; null (and the failure noted) otherwise. */
    private Digest digest(Path digestFile) throws FileVerifier.UnreadableException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(digestFile)) {
            bytes = in.readNBytes(MAX_DIGEST + 1);
        } catch (NoSuchFileException e) {
            fail("its digest " + digestFile.getFileName() + " is not beside it: a stream file is verified with its "
                    + "digest");
            return null;
        } catch (IOException e) {
            throw new FileVerifier.UnreadableException(digestFile + " cannot be read: " + e.getMessage());
        }
        if (bytes.length > MAX_DIGEST) {
            fail("its digest holds more than " + MAX_DIGEST + " bytes: not a digest of this format");
            return null;
        }
        String note;
        try {
            note = utf8(bytes);
        } catch (IllegalArgumentException e) {
            fail("its digest is not UTF-8 text: not a digest of this format");
            return null;
        }
        // the signature first: nothing the digest says is used before it holds
        SignedNote.Opened signed;
        try {
            signed = FileVerifier.opened(note, keys);
        } catch (IllegalArgumentException e) {
            fail("its digest does not verify with the key given: " + e.getMessage());
            return null;
        }
        String text = signed.text();
        if (text.indexOf('\n') != text.length() - 1) {
            fail("its digest's text is " + text.split("\n").length + " lines, not one line of JSON");
            return null;
        }
        Map<String, Object> m;
        try {
            m = Json.object(Json.parse(text));
        } catch (IllegalArgumentException e) {
            fail("its digest is not a JSON object: " + e.getMessage());
            return null;
        }
        if (!StreamFiles.FORMAT.equals(m.get("format"))) {
            fail("its digest is of format " + m.get("format") + ", not " + StreamFiles.FORMAT);
            return null;
        }
        try {
            return Digest.of(m);
        } catch (IllegalArgumentException e) {
            fail("its digest is not valid: " + e.getMessage());
            return null;
        }
    }

    private static String lastSegment(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private static String sha256(Path file) throws FileVerifier.UnreadableException {
        MessageDigest digest = FileEvidence.digest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new FileVerifier.UnreadableException(file + " cannot be read: " + e.getMessage());
        }
        return Merkle.hex(digest.digest());
    }

    /** The signed checkpoint's root when it is the digest's and holds the file's sequences; else null. */
    private byte[] checkpoint(Digest d) {
        SignedNote.Opened note;
        Checkpoint cp;
        try {
            note = FileVerifier.opened(d.checkpoint, keys);
            cp = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException e) {
            fail("its digest's checkpoint does not verify with the key given: " + e.getMessage());
            return null;
        }
        if (!cp.origin().equals(d.origin) || cp.size() != d.checkpointSize) {
            fail("its digest's checkpoint is of " + cp.origin() + " at " + cp.size() + " leaves, the digest names "
                    + d.origin + " at " + d.checkpointSize + ": another checkpoint");
            return null;
        }
        if (!FileVerifier.originOf(cp.origin(), note, d.organization, d.product)) {
            fail("its digest's checkpoint is of " + cp.origin() + ", not of the tree of " + d.organization + " "
                    + d.product + " under the key that signed it");
            return null;
        }
        if (cp.size() <= d.last) {
            fail("its digest's checkpoint is of " + cp.size() + " leaves, fewer than the last sequence + 1 ("
                    + (d.last + 1) + "): it does not hold the file's events");
            return null;
        }
        notes.add("checkpoint: " + cp.origin() + ", " + cp.size() + " leaves, signed " + cp.time());
        return cp.root();
    }

    /**
     * The file's events: their leaves by sequence; how many lines, once the file is read to its end; whether every
     * line was read as an event.
     */
    private static final class Lines {
        final NavigableMap<Long, byte[]> leaves = new TreeMap<>();
        long count;
        boolean counted;
        boolean read = true;
    }

    private Lines lines(Path file, Digest d) throws FileVerifier.UnreadableException {
        Lines out = new Lines();
        int bad = 0;
        long previous = -1;
        long previousLine = 0;
        try (InputStream raw = Files.newInputStream(file);
                GzipLines lines = GzipLines.open(raw, MAX_INFLATED, MAX_LINE)) {
            byte[] bytes;
            while ((bytes = lines.next()) != null) {
                long n = lines.lines();
                if (bad >= MAX_BAD_LINES) {
                    if (out.read) {
                        notes.add("line " + n + " and those after it were counted, not read as events: " + MAX_BAD_LINES
                                + " lines failed before them");
                        out.read = false;
                    }
                    continue;
                }
                String failure;
                Event e = null;
                try {
                    e = event(utf8(bytes));
                    failure = misplaced(e, d, n, previous, previousLine);
                } catch (IllegalArgumentException x) {
                    failure = "line " + n + " is not an event of this format: " + x.getMessage();
                }
                if (failure != null) {
                    fail(failure);
                    bad++;
                }
                if (e != null && e.sequence >= d.first && e.sequence <= d.last) {
                    out.leaves.putIfAbsent(e.sequence, e.leaf);
                    if (e.sequence > previous) {
                        previous = e.sequence;
                        previousLine = n;
                    }
                }
            }
            out.count = lines.lines();
            out.counted = true;
        } catch (GzipLines.BadGzipException e) {
            fail("the file " + e.getMessage());
        } catch (IOException e) {
            throw new FileVerifier.UnreadableException(file + " cannot be read: " + e.getMessage());
        }
        return out;
    }

    /**
     * Why line {@code n}'s event is not where it belongs: of another organization or product, outside the file's
     * sequences, or not after the line before ({@code previous}, the largest sequence so far); null when it is.
     */
    private static String misplaced(Event e, Digest d, long n, long previous, long previousLine) {
        if (e.spaceKey == null
                || e.product == null
                || !e.spaceKey.equals(d.organization)
                || !e.product.equals(d.product)) {
            return "line " + n + " is an event of " + e.spaceKey + " " + e.product + ", not of " + d.organization + " "
                    + d.product;
        }
        if (e.sequence < d.first || e.sequence > d.last) {
            return "line " + n + "'s sequence " + e.sequence + " is outside the file's sequences " + d.first + " to "
                    + d.last;
        }
        if (e.sequence == previous) {
            return "line " + n + " repeats the sequence " + previous + " of line " + previousLine;
        }
        if (e.sequence < previous) {
            return "line " + n + "'s sequence " + e.sequence + " is not after line " + previousLine + "'s " + previous
                    + ": lines out of order";
        }
        return null;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("it is not UTF-8 text");
        }
    }

    /** A line read: whose event, its sequence, and its leaf hash (of the V1 row of its values). */
    record Event(String spaceKey, String product, long sequence, byte[] leaf) {}

    /**
     * A line as an event: a JSON object of exactly the members of {@link #MEMBERS}, in their order; {@code id} a
     * decimal string, {@code date} UTC with milliseconds (24 characters), the others strings or null, then a
     * whole {@code sequence} of 0 or more.
     *
     * @throws IllegalArgumentException naming the member and the rule it breaks
     */
    static Event event(String line) {
        Map<String, Object> e = Json.object(Json.parse(line));
        int k = 0;
        for (String member : e.keySet()) {
            if (k == MEMBERS.size()) {
                throw new IllegalArgumentException("a member " + quoted(member) + " after sequence");
            }
            if (!member.equals(MEMBERS.get(k))) {
                throw new IllegalArgumentException(
                        "member " + (k + 1) + " is " + quoted(member) + ", not " + MEMBERS.get(k));
            }
            k++;
        }
        if (k < MEMBERS.size()) {
            throw new IllegalArgumentException("no member " + MEMBERS.get(k));
        }
        String[] values = new String[MEMBERS.size() - 1];
        for (int i = 0; i < values.length; i++) {
            Object v = e.get(MEMBERS.get(i));
            if (v != null && !(v instanceof String)) {
                throw new IllegalArgumentException(MEMBERS.get(i) + " is not a string or null");
            }
            values[i] = (String) v;
        }
        if (values[0] == null || !ID.matcher(values[0]).matches()) {
            throw new IllegalArgumentException("id is not a whole number in a string");
        }
        long id;
        try {
            id = Long.parseLong(values[0]);
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException("id is not a whole number in a string");
        }
        Instant date;
        try {
            date = values[3] == null ? null : DATE.parse(values[3], Instant::from);
        } catch (DateTimeParseException x) {
            date = null;
        }
        if (date == null || !DATE.format(date).equals(values[3])) {
            throw new IllegalArgumentException("date is not a UTC date yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        }
        if (!(e.get("sequence") instanceof Long sequence) || sequence < 0) {
            throw new IllegalArgumentException("sequence is not a whole number of 0 or more");
        }
        String row = CsvRows.v1Row(
                id,
                values[1],
                values[2],
                date,
                values[4],
                values[5],
                values[6],
                values[7],
                values[8],
                values[9],
                values[10],
                values[11],
                values[12]);
        return new Event(values[1], values[2], sequence, CsvRows.leafHash(row));
    }

    /** A member's name as a message shows it: quoted, cut to 40 characters. */
    private static String quoted(String name) {
        return "\"" + (name.length() > 40 ? name.substring(0, 40) + "…" : name) + "\"";
    }

    /**
     * The tree: {@code [first, last + 1)} grown from the frontier at {@code first}, every sequence once, an event's
     * leaf or a gap's subtrees, to a root the signed checkpoint extends.
     */
    private void tree(Digest d, NavigableMap<Long, byte[]> leaves, byte[] checkpointRoot) {
        if (d.from != d.first || d.to != d.last + 1) {
            fail("its digest's segment is from " + d.from + " to " + d.to + ", not the file's sequences " + d.first
                    + " to " + d.last + " (to is last + 1)");
            return;
        }
        boolean covered = true;
        long gapped = 0;
        for (Range g : d.gaps) {
            if (g.from() < d.from || g.to() > d.to) {
                fail("its digest's " + gap(g) + " is outside the file's sequences, " + d.first + " to " + d.last);
                return;
            }
            NavigableMap<Long, byte[]> both = leaves.subMap(g.from(), true, g.to(), false);
            if (!both.isEmpty()) {
                fail("sequence " + both.firstKey() + (both.size() > 1 ? " (and " + (both.size() - 1) + " more)" : "")
                        + " is both an event of the file and in its digest's " + gap(g));
                covered = false;
            }
            gapped += g.to() - g.from();
        }
        Frontier f;
        try {
            f = new Frontier(d.from, d.frontier);
        } catch (IllegalArgumentException e) {
            fail("its digest's frontier is not the tree's at " + d.from + " leaves: " + e.getMessage());
            return;
        }
        Missing missing = Segments.walk(f, d.from, d.to, leaves, d.gaps);
        if (missing.count > 0) {
            fail(missing.sequences() + (missing.count == 1 ? " is" : " are")
                    + " neither an event of the file nor in a gap of its digest");
            return;
        }
        if (checkpointRoot == null || !covered) {
            return;
        }
        if (!Segments.reaches(d.to, f.root(), d.toCheckpoint, d.checkpointSize, checkpointRoot)) {
            fail("the file's events and its digest's gaps do not give a tree the signed checkpoint extends: an event "
                    + "was changed");
            return;
        }
        notes.add("tree " + d.origin + ": sequences " + d.first + " to " + d.last + ", " + leaves.size()
                + " events and " + gapped + " sequences left out (" + d.gaps.size() + " gaps), consistent with the "
                + "checkpoint");
    }

    /** {@code gap of sequence 43}, or {@code gap of sequences 43 to 47}. */
    private static String gap(Range g) {
        return g.to() - g.from() == 1
                ? "gap of sequence " + g.from()
                : "gap of sequences " + g.from() + " to " + (g.to() - 1);
    }

    /** A digest's fields, each of the type and within the bounds the format says. */
    private record Digest(
            String name,
            String sha256,
            String organization,
            String product,
            String stream,
            String batch,
            long first,
            long last,
            long events,
            String origin,
            long checkpointSize,
            long from,
            long to,
            List<byte[]> frontier,
            List<Range> gaps,
            List<byte[]> toCheckpoint,
            String checkpoint) {

        static Digest of(Map<String, Object> m) {
            Map<String, Object> sequences = object(m, "sequences");
            Map<String, Object> tree = object(m, "tree");
            Map<String, Object> segment = object(m, "segment");
            long first = number(sequences, "first", "sequences.first");
            long last = number(sequences, "last", "sequences.last");
            if (first < 0 || last < first || last == Long.MAX_VALUE) {
                throw new IllegalArgumentException("sequences.first and sequences.last are " + first + " and " + last
                        + ", not 0 <= first <= last");
            }
            long events = number(m, "events", "events");
            if (events < 0) {
                throw new IllegalArgumentException("events is " + events + ", not 0 or more");
            }
            String sha256 = text(m, "sha256", "sha256");
            if (!sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("sha256 is not 64 lower-case hex digits");
            }
            List<Range> gaps;
            try {
                if (!(segment.get("gaps") instanceof List<?> list)) {
                    throw new IllegalArgumentException("it is not a list");
                }
                for (Object g : list) {
                    Map<String, Object> gap = Json.object(g);
                    number(gap, "from", "from");
                    number(gap, "to", "to");
                    hashes(gap, "hashes", "hashes");
                }
                gaps = Segments.ranges(list);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("segment.gaps: " + e.getMessage());
            }
            return new Digest(
                    text(m, "name", "name"),
                    sha256,
                    text(m, "organization", "organization"),
                    text(m, "product", "product"),
                    text(m, "stream", "stream"),
                    text(m, "batch", "batch"),
                    first,
                    last,
                    events,
                    text(tree, "origin", "tree.origin"),
                    number(tree, "checkpointSize", "tree.checkpointSize"),
                    number(segment, "from", "segment.from"),
                    number(segment, "to", "segment.to"),
                    hashes(segment, "frontier", "segment.frontier"),
                    gaps,
                    hashes(segment, "toCheckpoint", "segment.toCheckpoint"),
                    text(m, "checkpoint", "checkpoint"));
        }

        private static Map<String, Object> object(Map<String, Object> m, String key) {
            if (!(m.get(key) instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(key + " is not an object");
            }
            return Json.object(m.get(key));
        }

        private static String text(Map<String, Object> m, String key, String field) {
            if (!(m.get(key) instanceof String s)) {
                throw new IllegalArgumentException(field + " is not a string");
            }
            return s;
        }

        private static long number(Map<String, Object> m, String key, String field) {
            if (!(m.get(key) instanceof Long n)) {
                throw new IllegalArgumentException(field + " is not a whole number");
            }
            return n;
        }

        private static List<byte[]> hashes(Map<String, Object> m, String key, String field) {
            if (!(m.get(key) instanceof List<?> list)) {
                throw new IllegalArgumentException(field + " is not a list");
            }
            List<byte[]> out = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String hex) || !hex.matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException(field + " holds a hash that is not 64 lower-case hex digits");
                }
                out.add(HexFormat.of().parseHex(hex));
            }
            return out;
        }
    }
}
