package org.auditlog.evidence.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.auditlog.evidence.FileEvidence;
import org.auditlog.evidence.Json;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.SignedNote;
import org.auditlog.evidence.StreamFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream verifier on files written as the server writes them, from a log of 3,000 records: a good file and a
 * good folder verify; each change to a file, its digest or the folder is a failure that names it; a crafted file
 * (a gzip bomb, a line without end) is stopped at its bound.
 */
class StreamFileVerifierTest {
    static final SampleStream LOG = new SampleStream("Backlog");
    static final String SHA_CHANGED = "the file was changed since it was written: its SHA-256 is not the digest's";

    @TempDir
    Path dir;

    /** The exit code and what {@code auditlog-verify} printed. */
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Verify.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run verifyCommand(Path target) {
        return run("verify", target.toString(), "--key", SampleFile.KEY.text());
    }

    static List<String> failures(Path file) throws FileVerifier.UnreadableException {
        return StreamFileVerifier.verify(file, List.of(SampleFile.KEY)).failures();
    }

    /** Sequences 41 to 540: 400 events kept by the filter, 100 left out in 100 gaps of one sequence each. */
    static SampleStream.Batch batch() {
        return LOG.batch(41, 540, SampleStream.ISSUES);
    }

    @Test
    void aGoodFileVerifiesWithItsDigest() throws Exception {
        SampleStream.Batch b = batch();
        assertEquals(400, b.lines.size());
        assertEquals(100, b.gaps().size());
        Path file = b.write(dir);
        assertEquals(dir.resolve("ACME/Backlog/2026/11/01/00000000000000000041-00000000000000000540.ndjson.gz"), file);
        Run ok = verifyCommand(file);
        assertEquals(
                new Run(
                        0,
                        "  checkpoint: auditlog/ACME/Backlog, 3000 leaves, signed 2026-11-03T04:05:06Z\n"
                                + "  tree auditlog/ACME/Backlog: sequences 41 to 540, 400 events and 100 sequences "
                                + "left out (100 gaps), consistent with the checkpoint\n"
                                + "OK 00000000000000000041-00000000000000000540.ndjson.gz: 400 events of ACME Backlog, "
                                + "sequences 41 to 540 (stream s1, batch s1-ACME-Backlog-41-540)\n",
                        ""),
                ok);
        // named by its digest, the same file is checked
        assertEquals(ok, verifyCommand(StreamFileVerifier.digestOf(file)));
    }

    @Test
    void theFirstAndTheLastFilesOfTheTreeVerify() throws Exception {
        // from 0: no frontier; to the checkpoint's size: no consistency proof, the root itself
        SampleStream.Batch first = LOG.batch(0, 40, SampleStream.ISSUES);
        assertEquals(List.of(), first.part("segment").get("frontier"));
        assertEquals(List.of(), failures(first.write(dir)));
        SampleStream.Batch last = LOG.batch(2900, SampleStream.SIZE - 1, SampleStream.ISSUES);
        assertEquals(List.of(), last.part("segment").get("toCheckpoint"));
        assertEquals(List.of(), failures(last.write(dir)));
        // every event kept, and none
        assertEquals(List.of(), failures(LOG.batch(541, 700, seq -> true).write(dir)));
        SampleStream.Batch none = LOG.batch(701, 1040, seq -> false);
        assertEquals(0, none.lines.size());
        assertEquals(List.of(), failures(none.write(dir)));
    }

    @Test
    void aChangedEventIsNamed() throws Exception {
        SampleStream.Batch b = batch();
        b.lines.set(3, b.lines.get(3).replace("\"issue 45\"", "\"issue 46\""));
        assertEquals(
                List.of(
                        SHA_CHANGED,
                        "the file's events and its digest's gaps do not give a tree the signed checkpoint extends: "
                                + "an event was changed"),
                failures(b.regzip().write(dir)));
    }

    @Test
    void aRemovedLineIsNamedBySequence() throws Exception {
        SampleStream.Batch b = batch();
        b.lines.remove(3); // sequence 45
        assertEquals(
                List.of(
                        SHA_CHANGED,
                        "the file holds 399 events, its digest 400: lines were removed",
                        "sequence 45 is neither an event of the file nor in a gap of its digest"),
                failures(b.regzip().write(dir)));
    }

    @Test
    void anAddedLineIsNamedBySequence() throws Exception {
        SampleStream.Batch b = batch();
        b.lines.add(2, LOG.line(43)); // left out by the filter: in a gap
        assertEquals(
                List.of(
                        SHA_CHANGED,
                        "the file holds 401 events, its digest 400: lines were added",
                        "sequence 43 is both an event of the file and in its digest's gap of sequence 43"),
                failures(b.regzip().write(dir)));
        SampleStream.Batch twice = batch();
        twice.lines.add(4, twice.lines.get(3));
        assertEquals(
                List.of(
                        SHA_CHANGED,
                        "line 5 repeats the sequence 45 of line 4",
                        "the file holds 401 events, its digest 400: lines were added"),
                failures(twice.regzip().write(dir)));
    }

    @Test
    void swappedLinesAreNamed() throws Exception {
        SampleStream.Batch b = batch();
        Collections.swap(b.lines, 3, 4); // sequences 45 and 46
        assertEquals(
                List.of(SHA_CHANGED, "line 5's sequence 45 is not after line 4's 46: lines out of order"),
                failures(b.regzip().write(dir)));
    }

    @Test
    void aChangedSequenceIsNamed() throws Exception {
        SampleStream.Batch b = batch();
        b.lines.set(2, b.lines.get(2).replace("\"sequence\":44}", "\"sequence\":43}"));
        assertEquals(
                List.of(
                        SHA_CHANGED,
                        "sequence 43 is both an event of the file and in its digest's gap of sequence 43",
                        "sequence 44 is neither an event of the file nor in a gap of its digest"),
                failures(b.regzip().write(dir)));
        SampleStream.Batch outside = batch();
        outside.lines.set(399, outside.lines.get(399).replace("\"sequence\":540}", "\"sequence\":541}"));
        assertEquals(
                List.of(
                        SHA_CHANGED,
                        "line 400's sequence 541 is outside the file's sequences 41 to 540",
                        "sequence 540 is neither an event of the file nor in a gap of its digest"),
                failures(outside.regzip().write(dir)));
    }

    @Test
    void aFileReplacedIsNamedByItsSha256() throws Exception {
        SampleStream.Batch b = batch();
        // the same lines, compressed otherwise: only the bytes the digest signs differ
        b.gz = SampleStream.gzip(String.join("", b.lines).getBytes(StandardCharsets.UTF_8), Deflater.BEST_SPEED);
        assertEquals(List.of(SHA_CHANGED), failures(b.write(dir)));
        // another batch's file under this name
        SampleStream.Batch other = LOG.batch(541, 1040, SampleStream.ISSUES);
        SampleStream.Batch renamed = batch();
        renamed.gz = other.gz;
        List<String> failures = failures(renamed.write(dir));
        assertEquals(SHA_CHANGED, failures.get(0));
        assertEquals("line 1's sequence 541 is outside the file's sequences 41 to 540", failures.get(1));
        // this batch's digest beside another file
        Path elsewhere = other.write(dir);
        Files.writeString(StreamFileVerifier.digestOf(elsewhere), batch().note());
        assertEquals(
                List.of("its digest is that of ACME/Backlog/2026/11/01/00000000000000000041-00000000000000000540"
                        + ".ndjson.gz (ACME Backlog, sequences 41 to 540), not of "
                        + "00000000000000000541-00000000000000001040.ndjson.gz: the digest of another file"),
                failures(elsewhere));
    }

    @Test
    void aDigestSignedByAnotherKeyOrChangedSinceIsRefusedBeforeItIsRead() throws Exception {
        SampleStream.Batch b = batch();
        b.signer = NoteKeys.generate("auditlog").signer();
        List<String> failures = failures(b.write(dir));
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(
                failures.get(0)
                        .matches("its digest does not verify with the key given: it is signed by "
                                + "\\[auditlog\\+[0-9a-f]{8}], none of the keys given"),
                failures.get(0));

        SampleStream.Batch changed = batch();
        String note = changed.note();
        assertTrue(note.contains("\"events\":400,"));
        Path file = changed.write(dir, note.replace("\"events\":400,", "\"events\":399,"));
        assertEquals(
                List.of("its digest does not verify with the key given: invalid signature for key auditlog+61f46e81"),
                failures(file));
        Run run = verifyCommand(file);
        assertEquals(1, run.exit());
        assertEquals(
                "FAIL 00000000000000000041-00000000000000000540.ndjson.gz: its digest does not verify with the key "
                        + "given: invalid signature for key auditlog+61f46e81\n",
                run.out());
    }

    @Test
    void aCheckpointOfAnotherTreeOrTooSmallIsNamed() throws Exception {
        SampleStream.Batch other = batch();
        other.part("tree").put("origin", "auditlog/OTHER/Backlog");
        other.digest.put("checkpoint", LOG.checkpoint("auditlog/OTHER/Backlog", SampleStream.SIZE));
        assertEquals(
                List.of("its digest's checkpoint is of auditlog/OTHER/Backlog, not of the tree of ACME Backlog under "
                        + "the key that signed it"),
                failures(other.write(dir)));

        SampleStream.Batch small = batch();
        small.part("tree").put("checkpointSize", 540L);
        small.part("segment").put("toCheckpoint", List.of());
        small.digest.put("checkpoint", LOG.checkpoint(LOG.origin, 540));
        assertEquals(
                List.of("its digest's checkpoint is of 540 leaves, fewer than the last sequence + 1 (541): it does "
                        + "not hold the file's events"),
                failures(small.write(dir)));

        SampleStream.Batch mismatch = batch();
        mismatch.digest.put("checkpoint", LOG.checkpoint(LOG.origin, 2000));
        assertEquals(
                List.of("its digest's checkpoint is of auditlog/ACME/Backlog at 2000 leaves, the digest names "
                        + "auditlog/ACME/Backlog at 3000: another checkpoint"),
                failures(mismatch.write(dir)));
    }

    @SuppressWarnings("unchecked")
    @Test
    void aGapOverAnEventOrASequenceInNeitherIsNamed() throws Exception {
        SampleStream.Batch over = batch();
        Map<String, Object> gap = (Map<String, Object>) over.gaps().get(0);
        assertEquals(43L, gap.get("from"));
        gap.put("to", 45L);
        gap.put("hashes", FileEvidence.hexes(LOG.range(43, 45)));
        assertEquals(
                List.of("sequence 44 is both an event of the file and in its digest's gap of sequences 43 to 44"),
                failures(over.write(dir)));

        SampleStream.Batch neither = batch();
        neither.gaps().remove(1); // sequence 48
        assertEquals(
                List.of("sequence 48 is neither an event of the file nor in a gap of its digest"),
                failures(neither.write(dir)));

        SampleStream.Batch outside = batch();
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("from", 30L);
        before.put("to", 32L);
        before.put("hashes", FileEvidence.hexes(LOG.range(30, 32)));
        outside.gaps().add(0, before);
        assertEquals(
                List.of("its digest's gap of sequences 30 to 31 is outside the file's sequences, 41 to 540"),
                failures(outside.write(dir)));

        SampleStream.Batch frontier = batch();
        ((List<Object>) frontier.part("segment").get("frontier")).remove(0);
        assertEquals(
                List.of("its digest's frontier is not the tree's at 41 leaves: the frontier of 41 leaves has 3 "
                        + "hashes, not 2"),
                failures(frontier.write(dir)));
    }

    @Test
    void aDigestOffTheFormatIsNamedByField() throws Exception {
        Object[][] cases = {
            {"sequences", Map.of("first", 41L), "its digest is not valid: sequences.last is not a whole number"},
            {"sha256", "AB", "its digest is not valid: sha256 is not 64 lower-case hex digits"},
            {
                "format",
                "auditlog-stream-file/2",
                "its digest is of format auditlog-stream-file/2, not " + StreamFiles.FORMAT
            },
            {"events", -1L, "its digest is not valid: events is -1, not 0 or more"},
        };
        for (Object[] c : cases) {
            SampleStream.Batch b = batch();
            b.digest.put((String) c[0], c[1]);
            assertEquals(List.of(c[2]), failures(b.write(dir)), (String) c[0]);
        }
        SampleStream.Batch lines = batch();
        Path file = lines.write(dir, SignedNote.sign(Json.write(lines.digest) + "\n{}\n", SampleFile.SIGNER));
        assertEquals(List.of("its digest's text is 2 lines, not one line of JSON"), failures(file));
    }

    @Test
    void aLineOffTheFormatIsNamedByMember() throws Exception {
        String good = LOG.line(45).strip();
        String[][] cases = {
            {"{\"id\":\"1\"}", "no member space_key"},
            {good.replace("\"space_key\"", "\"spaceKey\""), "member 2 is \"spaceKey\", not space_key"},
            {good.replace("}", ",\"extra\":1}"), "a member \"extra\" after sequence"},
            {good.replace("\"id\":\"912420565585756205\"", "\"id\":912420565585756205"), "id is not a string or null"},
            {good.replace("\"id\":\"912420565585756205\"", "\"id\":\"0912\""), "id is not a whole number in a string"},
            {good.replace(".045Z", "Z"), "date is not a UTC date yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"},
            {good.replace("2026-11-01T00:45", "2026-02-30T00:45"), "date is not a UTC date yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
            },
            {good.replace("\"sequence\":45", "\"sequence\":-45"), "sequence is not a whole number of 0 or more"},
            {good.replace("\"sequence\":45", "\"sequence\":\"45\""), "sequence is not a whole number of 0 or more"},
            {"not json", "not valid JSON at character 0: a value expected"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> StreamFileVerifier.event(c[0]), c[1]);
            assertEquals(c[1], e.getMessage(), c[0]);
        }
        SampleStream.Batch b = batch();
        b.lines.set(0, b.lines.get(0).replace("\"space_key\":\"ACME\"", "\"space_key\":\"OTHER\""));
        b.lines.set(1, "{\"id\":\"1\"}\n");
        List<String> failures = failures(b.regzip().write(dir));
        assertEquals(
                List.of(
                        SHA_CHANGED,
                        "line 1 is an event of OTHER Backlog, not of ACME Backlog",
                        "line 2 is not an event of this format: no member space_key",
                        "sequence 42 is neither an event of the file nor in a gap of its digest"),
                failures);
    }

    @Test
    void aGzipBombIsStoppedAtItsBound() throws Exception {
        SampleStream.Batch b = batch();
        // 80 MiB of "{}\n" in a file of about 80 KB: each line fails until 100 have, then lines are only counted
        byte[] chunk = "{}\n".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
            for (int i = 0; i < 80 / 3; i++) {
                gz.write(chunk);
            }
        }
        b.gz = bomb.toByteArray();
        assertTrue(b.gz.length < 200_000, b.gz.length + " bytes");
        Run run = verifyCommand(b.write(dir));
        assertEquals(1, run.exit(), run.err());
        List<String> lines = run.out().lines().toList();
        String fail = "FAIL 00000000000000000041-00000000000000000540.ndjson.gz: ";
        assertEquals(
                List.of(
                        "  checkpoint: auditlog/ACME/Backlog, 3000 leaves, signed 2026-11-03T04:05:06Z",
                        "  line 101 and those after it were counted, not read as events: 100 lines failed before them",
                        fail + SHA_CHANGED,
                        fail + "line 1 is not an event of this format: no member id"),
                lines.subList(0, 4));
        assertEquals(fail + "line 100 is not an event of this format: no member id", lines.get(102));
        assertEquals(
                List.of(fail + "the file inflates past 67108864 bytes: a gzip bomb, or not a file of this format"),
                lines.subList(103, lines.size()));
    }

    @Test
    void aLineLongerThanItsBoundIsStoppedThere() throws Exception {
        SampleStream.Batch b = batch();
        // 10 MiB without a newline, after two good lines
        b.lines.set(2, "x".repeat(10 * 1024 * 1024));
        assertEquals(
                List.of(SHA_CHANGED, "the file holds more than 65536 bytes in line 3: not a line of this format"),
                failures(b.regzip().write(dir)));
    }

    @Test
    void aDamagedOrCutShortFileIsNamed() throws Exception {
        SampleStream.Batch text = batch();
        text.gz = String.join("", text.lines).getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(SHA_CHANGED, "the file is not gzip (Not in GZIP format)"), failures(text.write(dir)));

        SampleStream.Batch cut = batch();
        cut.gz = Arrays.copyOf(cut.gz, cut.gz.length / 2);
        List<String> failures = failures(cut.write(dir));
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(
                failures.get(1).startsWith("the file cannot be inflated: it is damaged or cut short ("),
                failures.get(1));

        SampleStream.Batch noNewline = batch();
        String lastLine = noNewline.lines.get(399);
        noNewline.lines.set(399, lastLine.substring(0, lastLine.length() - 1));
        assertEquals(
                List.of(SHA_CHANGED, "the file ends without a newline after line 399: cut short"),
                failures(noNewline.regzip().write(dir)));
    }

    @Test
    void aFileWithoutItsDigestFailsAndAMissingFileHasNoVerdict() throws Exception {
        Path file = batch().write(dir);
        Files.delete(StreamFileVerifier.digestOf(file));
        Run run = verifyCommand(file);
        assertEquals(
                new Run(
                        1,
                        "FAIL 00000000000000000041-00000000000000000540.ndjson.gz: its digest "
                                + "00000000000000000041-00000000000000000540.ndjson.gz.digest is not beside it: a "
                                + "stream file is verified with its digest\n",
                        ""),
                run);
        Run missing = verifyCommand(dir.resolve("none.ndjson.gz"));
        assertEquals(2, missing.exit());
        assertEquals(
                "auditlog-verify: " + dir.resolve("none.ndjson.gz") + " is not a file that can be read\n",
                missing.err());
        Run previous = run("verify", file.toString(), "--key", SampleFile.KEY.text(), "--previous", "x.zip");
        assertEquals(2, previous.exit());
        assertTrue(
                previous.err().startsWith("auditlog-verify: --previous is for export files (.zip), not stream files\n"),
                previous.err());
    }

    @Test
    void aDigestLargerThanItsBoundIsNotRead() throws Exception {
        Path file = batch().write(dir);
        Files.write(StreamFileVerifier.digestOf(file), new byte[StreamFileVerifier.MAX_DIGEST + 1]);
        assertEquals(List.of("its digest holds more than 16777216 bytes: not a digest of this format"), failures(file));
    }

    /** How many of the sequences {@code first} to {@code last} the filter keeps. */
    private static long kept(long first, long last) {
        long n = 0;
        for (long seq = first; seq <= last; seq++) {
            n += SampleStream.ISSUES.test(seq) ? 1 : 0;
        }
        return n;
    }

    /** A folder as an s3 destination fills it, under its prefix: ACME's Backlog in six files, its Wiki in one. */
    private List<SampleStream.Batch> folder(SampleStream wiki) {
        List<SampleStream.Batch> batches = new ArrayList<>(List.of(
                LOG.batch(0, 99, SampleStream.ISSUES),
                LOG.batch(100, 149, seq -> false), // every event left out: a file of no line
                LOG.batch(150, 540, SampleStream.ISSUES),
                LOG.batch(150, 600, SampleStream.ISSUES), // delivered again after a restart, covering more
                LOG.batch(541, 1500, SampleStream.ISSUES),
                LOG.batch(1501, 2999, SampleStream.ISSUES),
                wiki.batch(0, 2999, seq -> true)));
        for (SampleStream.Batch b : batches) {
            b.digest.put("name", "auditlog/" + b.name());
            b.write(dir);
        }
        return batches;
    }

    @Test
    void aGoodFolderVerifiesWithItsGapsEmptyFileAndOverlaps() throws Exception {
        folder(new SampleStream("Wiki"));
        try (var walk = Files.walk(dir)) {
            assertEquals(
                    List.of(
                            "auditlog/ACME/Backlog/2026/11/01/00000000000000000000-00000000000000000099.ndjson.gz",
                            "auditlog/ACME/Backlog/2026/11/01/00000000000000000100-00000000000000000149.ndjson.gz",
                            "auditlog/ACME/Backlog/2026/11/01/00000000000000000150-00000000000000000540.ndjson.gz",
                            "auditlog/ACME/Backlog/2026/11/01/00000000000000000150-00000000000000000600.ndjson.gz",
                            "auditlog/ACME/Backlog/2026/11/01/00000000000000000541-00000000000000001500.ndjson.gz",
                            "auditlog/ACME/Backlog/2026/11/02/00000000000000001501-00000000000000002999.ndjson.gz",
                            "auditlog/ACME/Wiki/2026/11/01/00000000000000000000-00000000000000002999.ndjson.gz"),
                    walk.filter(p -> p.toString().endsWith(".gz"))
                            .map(p -> dir.relativize(p).toString())
                            .sorted()
                            .toList());
        }
        long events = kept(0, 99) + kept(150, 540) + kept(150, 600) + kept(541, 1500) + kept(1501, 2999);
        assertEquals(2721, events);
        Run run = verifyCommand(dir);
        assertEquals(
                new Run(
                        0,
                        "OK ACME Backlog: sequences 0 to 2999 in 6 files, " + events + " events (451 sequences in "
                                + "more than one file, their events counted in each)\n"
                                + "OK ACME Wiki: sequences 0 to 2999 in 1 file, 3000 events\n",
                        ""),
                run);
    }

    @Test
    void aFolderNamesAFileWithoutDigestADigestWithoutFileAndEachHole() throws Exception {
        List<SampleStream.Batch> batches = folder(new SampleStream("Wiki"));
        Path prefix = dir.resolve("auditlog");
        Files.delete(
                StreamFileVerifier.digestOf(prefix.resolve(batches.get(1).name().substring(9))));
        Files.delete(prefix.resolve(batches.get(4).name().substring(9)));
        Files.delete(prefix.resolve(batches.get(5).name().substring(9)));
        Files.delete(
                StreamFileVerifier.digestOf(prefix.resolve(batches.get(5).name().substring(9))));
        LOG.batch(2000, 2999, SampleStream.ISSUES).write(dir);
        // a file changed: its failures are named, its sequences counted (its digest holds)
        SampleStream.Batch changed = batches.get(0);
        changed.lines.remove(0);
        changed.regzip().write(dir);
        Run run = verifyCommand(dir);
        assertEquals(1, run.exit(), run.toString());
        assertEquals(
                "FAIL auditlog/ACME/Backlog/2026/11/01/00000000000000000000-00000000000000000099.ndjson.gz: "
                        + SHA_CHANGED + "\n"
                        + "FAIL auditlog/ACME/Backlog/2026/11/01/00000000000000000000-00000000000000000099.ndjson.gz: "
                        + "the file holds 79 events, its digest 80: lines were removed\n"
                        + "FAIL auditlog/ACME/Backlog/2026/11/01/00000000000000000000-00000000000000000099.ndjson.gz: "
                        + "sequence 0 is neither an event of the file nor in a gap of its digest\n"
                        + "FAIL auditlog/ACME/Backlog/2026/11/01/00000000000000000100-00000000000000000149.ndjson.gz: "
                        + "its digest 00000000000000000100-00000000000000000149.ndjson.gz.digest is not beside it: a "
                        + "stream file is verified with its digest\n"
                        + "FAIL auditlog/ACME/Backlog/2026/11/01/00000000000000000541-00000000000000001500.ndjson.gz"
                        + ".digest: the file it is the digest of, 00000000000000000541-00000000000000001500.ndjson.gz,"
                        + " is not beside it\n"
                        + "FAIL " + dir + ": sequences 100 to 149 of ACME/Backlog are in no file\n"
                        + "FAIL " + dir + ": sequences 601 to 1999 of ACME/Backlog are in no file\n"
                        + "OK ACME Wiki: sequences 0 to 2999 in 1 file, 3000 events\n",
                run.out());
    }

    @Test
    void aFolderTooDeepOrEmptyHasNoVerdict() throws Exception {
        Run empty = verifyCommand(dir);
        assertEquals(
                new Run(2, "", "auditlog-verify: " + dir + " holds no stream file (*.ndjson.gz) and no digest\n"),
                empty);
        Path deep = dir;
        for (int i = 0; i < 17; i++) {
            deep = deep.resolve("d" + i);
        }
        Files.createDirectories(deep);
        Run tooDeep = verifyCommand(dir);
        assertEquals(2, tooDeep.exit(), tooDeep.toString());
        assertEquals(
                "auditlog-verify: " + dir + " nests folders deeper than 16 (" + dir.relativize(deep)
                        + "): not a folder of stream files\n",
                tooDeep.err());
    }
}
