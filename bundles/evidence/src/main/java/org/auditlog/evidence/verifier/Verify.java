package org.auditlog.evidence.verifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.auditlog.evidence.Checkpoint;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.Json;
import org.auditlog.evidence.Merkle;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.SignedNote;
import org.auditlog.evidence.StreamFiles;

/**
 * The offline verifier ({@code bin/auditlog-verify}, or {@code java -jar org.auditlog.evidence-<version>.jar}):
 * <pre>
 * verify FILE.zip --key KEY [--previous PREVIOUS.zip]
 * verify FILE.ndjson.gz --key KEY
 * verify DIR --key KEY
 * prove --event ID --proof PROOF.json --key KEY
 * </pre>
 * An export file ({@link FileVerifier}); a stream file with its digest beside it ({@link StreamFileVerifier}); a
 * folder of stream files, every one with its digest and, per organization and product, no sequence missing between
 * them ({@link StreamFolder}); an inclusion proof. {@code KEY} is the server's verifier key
 * ({@code <name>+<hash>+<base64>}, as {@code GET /api/v1/evidence/keys} gives it) or a file holding one or more, one
 * per line. Exit codes: 0 verified, 1 not verified (each failure on a line of its own starting with {@code FAIL}), 2
 * the command could not be run (usage, a file that cannot be read, a key that is not one).
 */
public final class Verify {
    public static final int VERIFIED = 0;
    public static final int NOT_VERIFIED = 1;
    public static final int UNUSABLE = 2;
    /** The largest inclusion proof or key file read: an inclusion answer is a few KiB. */
    static final int MAX_INPUT = 1 << 20;
    /** The values of a V1 row: id, space_key, product, date, and nine more. */
    static final int V1_COLUMNS = 13;

    private Verify() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) {
                throw new Usage("a command is needed: verify or prove");
            }
            String command = args[0];
            String key = null;
            String previous = null;
            String event = null;
            String proof = null;
            List<String> files = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--key" -> key = value(args, ++i, a);
                    case "--previous" -> previous = value(args, ++i, a);
                    case "--event" -> event = value(args, ++i, a);
                    case "--proof" -> proof = value(args, ++i, a);
                    default -> {
                        if (a.startsWith("--")) {
                            throw new Usage("unknown option " + a);
                        }
                        files.add(a);
                    }
                }
            }
            if (key == null) {
                throw new Usage("--key is needed: the server's public key, or a file holding it");
            }
            List<NoteKeys.Verifier> keys = keys(key);
            return switch (command) {
                case "verify" -> {
                    if (files.size() != 1) {
                        throw new Usage("verify takes one file or folder");
                    }
                    Path target = Path.of(files.get(0));
                    boolean stream = Files.isDirectory(target) || isStreamFile(target);
                    if (stream && previous != null) {
                        throw new Usage("--previous is for export files (.zip), not stream files");
                    }
                    if (Files.isDirectory(target)) {
                        yield StreamFolder.verify(target, keys, out);
                    }
                    if (stream) {
                        yield verifyStream(streamFile(target), keys, out);
                    }
                    yield verify(target, keys, previous == null ? null : Path.of(previous), out);
                }
                case "prove" -> {
                    if (event == null || proof == null || !files.isEmpty()) {
                        throw new Usage("prove takes --event ID and --proof PROOF.json");
                    }
                    yield prove(event, Path.of(proof), keys, out);
                }
                default -> throw new Usage("unknown command " + command);
            };
        } catch (Usage e) {
            err.println("auditlog-verify: " + e.getMessage());
            err.println("usage: auditlog-verify verify FILE.zip --key KEY [--previous PREVIOUS.zip]");
            err.println("       auditlog-verify verify FILE.ndjson.gz --key KEY");
            err.println("       auditlog-verify verify DIR --key KEY");
            err.println("       auditlog-verify prove --event ID --proof PROOF.json --key KEY");
            return UNUSABLE;
        } catch (FileVerifier.UnreadableException | IOException | IllegalArgumentException e) {
            err.println("auditlog-verify: " + e.getMessage());
            return UNUSABLE;
        } catch (RuntimeException e) {
            // a defect of the verifier (the fuzz targets look for them): no verdict, and no stack trace for a user
            err.println("auditlog-verify: could not check, a defect of the verifier (please report it): " + e);
            return UNUSABLE;
        }
    }

    private static final class Usage extends Exception {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }

    private static String value(String[] args, int i, String option) throws Usage {
        if (i >= args.length) {
            throw new Usage(option + " needs a value");
        }
        return args[i];
    }

    /** A key given as text, or a file of keys, one per line. */
    static List<NoteKeys.Verifier> keys(String key) throws IOException {
        List<String> lines = new ArrayList<>();
        Path file = Path.of(key);
        if (!key.contains("+") || Files.isRegularFile(file)) {
            for (String line : text(file, "a file of keys").split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line.strip());
                }
            }
        } else {
            lines.add(key.strip());
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(key + " holds no key");
        }
        List<NoteKeys.Verifier> keys = new ArrayList<>();
        for (String line : lines) {
            keys.add(NoteKeys.verifier(line));
        }
        return keys;
    }

    /**
     * A file's text: at most {@value #MAX_INPUT} bytes of UTF-8.
     *
     * @throws IllegalArgumentException when it is larger, or not UTF-8
     * @throws IOException when it cannot be read
     */
    static String text(Path file, String what) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_INPUT + 1);
        }
        if (bytes.length > MAX_INPUT) {
            throw new IllegalArgumentException(file + " holds more than " + MAX_INPUT + " bytes: not " + what);
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text: not " + what);
        }
    }

    static int verify(Path file, List<NoteKeys.Verifier> keys, Path previous, PrintStream out)
            throws FileVerifier.UnreadableException {
        FileVerifier.Report report = FileVerifier.verify(file, keys, previous);
        for (String note : report.notes()) {
            out.println("  " + note);
        }
        for (String failure : report.failures()) {
            out.println("FAIL " + file.getFileName() + ": " + failure);
        }
        if (report.ok()) {
            Map<String, Object> m = report.manifest();
            Map<String, Object> period = Json.object(m.get("period"));
            out.println("OK " + file.getFileName() + ": "
                    + Json.object(m.get("csv")).get("rows") + " rows of "
                    + m.get("organization") + " " + m.get("product") + " from " + period.get("from") + " to "
                    + period.get("to") + (previous == null ? "" : ", chained to " + previous.getFileName()));
            return VERIFIED;
        }
        return NOT_VERIFIED;
    }

    private static final String DIGEST_END = StreamFileVerifier.FILE_SUFFIX + StreamFiles.DIGEST_SUFFIX;

    /** Whether a path names a stream file, or its digest. */
    private static boolean isStreamFile(Path file) {
        String name = String.valueOf(file.getFileName());
        return name.endsWith(StreamFileVerifier.FILE_SUFFIX) || name.endsWith(DIGEST_END);
    }

    /** The stream file a path names: itself, or the file of the digest it names. */
    private static Path streamFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(DIGEST_END)
                ? file.resolveSibling(name.substring(0, name.length() - StreamFiles.DIGEST_SUFFIX.length()))
                : file;
    }

    static int verifyStream(Path file, List<NoteKeys.Verifier> keys, PrintStream out)
            throws FileVerifier.UnreadableException {
        StreamFileVerifier.Report report = StreamFileVerifier.verify(file, keys);
        for (String note : report.notes()) {
            out.println("  " + note);
        }
        for (String failure : report.failures()) {
            out.println("FAIL " + file.getFileName() + ": " + failure);
        }
        if (report.ok()) {
            StreamFileVerifier.Claims c = report.claims();
            out.println("OK " + file.getFileName() + ": " + c.events() + " events of " + c.organization() + " "
                    + c.product() + ", sequences " + c.first() + " to " + c.last() + " (stream " + c.stream()
                    + ", batch " + c.batch() + ")");
            return VERIFIED;
        }
        return NOT_VERIFIED;
    }

    /**
     * Checks an inclusion proof as the server gives it ({@code GET .../evidence/{product}/inclusion?event=ID}): the
     * row is the event's, its leaf is in the tree of the signed checkpoint, and that tree is the one of the row's
     * organization and product (the checkpoint's origin is {@code <key name>/<space_key>/<product>}).
     */
    static int prove(String event, Path proofFile, List<NoteKeys.Verifier> keys, PrintStream out) throws IOException {
        try {
            return proveChecked(event, proofFile, keys, out);
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(proofFile + " is not an inclusion proof as the server gives it "
                    + "(eventId, row, sequence, treeSize, proof, checkpoint)");
        }
    }

    private static int proveChecked(String event, Path proofFile, List<NoteKeys.Verifier> keys, PrintStream out)
            throws IOException {
        Map<String, Object> p = Json.object(Json.parse(text(proofFile, "an inclusion proof")));
        List<String> failures = new ArrayList<>();
        String row = (String) p.get("row");
        if (!String.valueOf(p.get("eventId")).equals(event) || !row.startsWith(event + ",")) {
            failures.add("the proof is of event " + p.get("eventId") + ", not " + event);
        }
        List<String> values = null;
        try {
            values = CsvRows.values(row);
        } catch (IllegalArgumentException e) {
            failures.add("the row is not a CSV row: " + e.getMessage());
        }
        if (values != null && values.size() != V1_COLUMNS) {
            failures.add("the row holds " + values.size() + " values, not the " + V1_COLUMNS + " of a V1 row");
            values = null;
        }
        byte[] leaf = CsvRows.leafHash(row);
        Checkpoint cp = null;
        try {
            SignedNote.Opened note = FileVerifier.opened((String) p.get("checkpoint"), keys);
            cp = Checkpoint.parse(note.text());
            // the tree is the row's: <key name>/<space_key>/<product>, or the leaf proves nothing of its organization
            if (values != null && !FileVerifier.originOf(cp.origin(), note, values.get(1), values.get(2))) {
                failures.add("the checkpoint is of the tree " + cp.origin() + ", the row is of " + values.get(1) + " "
                        + values.get(2) + ": a proof in another tree than the row's organization's and product's");
            }
        } catch (IllegalArgumentException e) {
            failures.add("the checkpoint does not verify with the key given: " + e.getMessage());
        }
        long seq = (Long) p.get("sequence");
        long size = (Long) p.get("treeSize");
        List<byte[]> proof = new ArrayList<>();
        for (Object h : (List<?>) p.get("proof")) {
            proof.add(HexFormat.of().parseHex((String) h));
        }
        if (cp != null && cp.size() != size) {
            failures.add("the proof is for " + size + " leaves, the checkpoint has " + cp.size());
        } else if (cp != null && !Merkle.verifyInclusion(seq, size, leaf, proof, cp.root())) {
            failures.add("the row is not leaf " + seq + " of the signed tree: the proof does not hold");
        }
        for (String f : failures) {
            out.println("FAIL event " + event + ": " + f);
        }
        if (failures.isEmpty()) {
            out.println("OK event " + event + ": leaf " + seq + " of " + cp.origin() + " at " + size
                    + " leaves, signed " + cp.time());
            return VERIFIED;
        }
        return NOT_VERIFIED;
    }
}
