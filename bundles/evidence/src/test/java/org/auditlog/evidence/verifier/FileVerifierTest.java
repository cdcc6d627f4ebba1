package org.auditlog.evidence.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.auditlog.evidence.CompactRange;
import org.auditlog.evidence.FileEvidence;
import org.auditlog.evidence.Json;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.SignedNote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline verifier on files made in the test: a good one verifies; a crafted one (a zip bomb, entries the format
 * does not define, twice or out of order, a zip cut short, a manifest of huge numbers, signed or not, JSON nested
 * 100,000 deep) gets a verdict naming what is wrong, never a hang, an exception or the heap run out.
 */
class FileVerifierTest {
    @TempDir
    Path dir;

    private FileVerifier.Report verify(byte[] zip) throws FileVerifier.UnreadableException {
        return FileVerifier.verify(SampleFile.write(dir, "file.zip", zip), List.of(SampleFile.KEY), null);
    }

    /** The exit code and what {@code auditlog-verify} printed. */
    record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Verify.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run verifyCommand(byte[] zip) {
        return run("verify", SampleFile.write(dir, "file.zip", zip).toString(), "--key", SampleFile.KEY.text());
    }

    @Test
    void aGoodFileVerifiesWithItsLateRowAndAnotherMonthsRun() throws Exception {
        FileVerifier.Report report = verify(SampleFile.of(12).zip());
        assertEquals(List.of(), report.failures());
        assertTrue(
                report.notes()
                        .contains("tree auditlog/ACME/Apps: leaves 5 to 19 of the period, 1 late rows "
                                + "(backfill), 1 rows outside the period proven in 1 segments"),
                report.notes().toString());
        Run ok = verifyCommand(SampleFile.of(12).zip());
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(
                ok.out()
                        .contains("OK file.zip: 12 rows of ACME Apps from 2026-01-01T00:00:00Z to "
                                + "2026-02-01T00:00:00Z"),
                ok.out());
    }

    /** A zip of the entries, one of them replaced by {@code zeros} zero bytes (deflated: about 1,000 to 1). */
    private static byte[] bomb(Map<String, byte[]> entries, String name, long zeros) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 20];
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getKey().equals(name)) {
                    for (long left = zeros; left > 0; left -= chunk.length) {
                        zip.write(chunk, 0, (int) Math.min(chunk.length, left));
                    }
                } else {
                    zip.write(e.getValue());
                }
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The zip with the size its central directory declares for {@code name} set to {@code size}. */
    static byte[] declare(byte[] zip, String name, long size) {
        byte[] out = zip.clone();
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at + 46 <= out.length; at++) {
            if (out[at] == 'P' && out[at + 1] == 'K' && out[at + 2] == 1 && out[at + 3] == 2) {
                int nameLength = (out[at + 28] & 0xff) | (out[at + 29] & 0xff) << 8;
                if (Arrays.equals(out, at + 46, at + 46 + nameLength, wanted, 0, wanted.length)) {
                    for (int k = 0; k < 4; k++) {
                        out[at + 24 + k] = (byte) (size >>> 8 * k);
                    }
                    return out;
                }
            }
        }
        throw new IllegalArgumentException("no entry " + name);
    }

    @Test
    void anEntryThatInflatesPastItsDeclaredSizeIsAZipBombStoppedThere() throws Exception {
        SampleFile file = SampleFile.of(10);
        for (Map.Entry<String, byte[]> e : file.entries().entrySet()) {
            // 64 MiB of zeros in a zip of about 70 KB, its directory declaring the entry's real size
            byte[] zip = declare(bomb(file.entries(), e.getKey(), 64L << 20), e.getKey(), e.getValue().length);
            assertTrue(zip.length < 100_000, zip.length + " bytes");
            FileVerifier.Report report = verify(zip);
            assertEquals(
                    List.of(e.getKey() + " inflates past the " + e.getValue().length + " bytes its directory "
                            + "declares: a zip bomb, or a damaged file"),
                    report.failures(),
                    e.getKey());
            assertEquals(1, verifyCommand(zip).exit());
        }
    }

    @Test
    void anEntryDeclaredLargerThanItsBoundIsRefusedBeforeItIsInflated() throws Exception {
        SampleFile file = SampleFile.of(10);
        byte[] zip = bomb(file.entries(), SampleFile.CSV, 64L << 20);
        assertEquals(
                List.of(SampleFile.CSV + " holds more than 65536 bytes per row the manifest names (10): not the "
                        + "file written (its directory declares 67108864 bytes)"),
                verify(zip).failures());
        byte[] note = declare(file.zip(), FileEvidence.CHECKPOINT, 1L << 20);
        assertEquals(
                List.of(FileEvidence.CHECKPOINT + " holds more than 65536 bytes: not a signed note of this format "
                        + "(its directory declares 1048576 bytes)"),
                verify(note).failures());
        byte[] index = declare(file.zip(), FileEvidence.ROWS, 121);
        assertEquals(
                List.of(FileEvidence.ROWS + " was changed since it was written: it holds more than the 10 rows "
                        + "the manifest names (its directory declares 121 bytes)"),
                verify(index).failures());
        // a manifest larger than the verifier reads: no verdict
        Run large = verifyCommand(declare(file.zip(), FileEvidence.MANIFEST, 100L << 20));
        assertEquals(2, large.exit(), large.toString());
        assertEquals(
                "auditlog-verify: manifest.json declares 104857600 bytes, more than this verifier reads "
                        + "(67108864)\n",
                large.err());
    }

    @Test
    void hugeNumbersInAManifestWhoseSignatureFailsAreNeverUsed() throws Exception {
        SampleFile file = SampleFile.of(10);
        LinkedHashMap<String, byte[]> entries = file.entries();
        file.part("csv").put("rows", Long.MAX_VALUE / 12);
        Map<String, Object> tree = file.part("tree");
        tree.put("checkpointSize", Long.MAX_VALUE);
        Json.object(tree.get("end")).put("size", Long.MAX_VALUE);
        Map<String, Object> run = SampleFile.range(file.tree, 0, 1);
        run.put("to", Long.MAX_VALUE);
        file.manifest.put("otherRanges", List.of(run));
        entries.put(FileEvidence.MANIFEST, file.manifestBytes()); // the signature is the earlier manifest's
        assertEquals(
                List.of(FileEvidence.MANIFEST + " was changed since it was signed (its SHA-256 is not the one "
                        + FileEvidence.MANIFEST_SIGNATURE + " signs)"),
                verify(SampleFile.zip(entries)).failures());
        // signed by a key not given
        NoteKeys.Pair other = NoteKeys.generate("auditlog");
        entries.put(
                FileEvidence.MANIFEST_SIGNATURE,
                SignedNote.sign(FileEvidence.manifestNote(file.manifestBytes()), other.signer())
                        .getBytes(StandardCharsets.UTF_8));
        List<String> failures = verify(SampleFile.zip(entries)).failures();
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(
                failures.get(0)
                        .startsWith(FileEvidence.MANIFEST_SIGNATURE + " does not verify with the key given: "
                                + "it is signed by [auditlog+"),
                failures.get(0));
    }

    @Test
    void hugeNumbersInASignedManifestAreBoundedByWhatTheFileHolds() throws Exception {
        // the period's part of the tree said to hold 2^62 leaves: all but the file's are missing, counted not walked
        SampleFile far = SampleFile.of(10);
        Map<String, Object> tree = far.part("tree");
        tree.put("checkpointSize", Long.MAX_VALUE);
        Json.object(tree.get("end")).put("size", 1L << 62);
        List<String> failures = verify(far.zip()).failures();
        assertTrue(
                failures.contains("no row of the file for sequences [17, 19, 20, 21, 22, 23, 24, 25, 26, 27] and "
                        + ((1L << 62) - 5 - 10 - 3 - 10) + " more: removed from the file"),
                failures.toString());

        // another month's run of 2^62 leaves, and a segment as long: checked by the rows within, not leaf by leaf
        SampleFile ranges = SampleFile.of(10);
        ranges.part("tree").put("checkpointSize", Long.MAX_VALUE);
        List<byte[]> someHashes = new ArrayList<>();
        for (int k = 0; k < CompactRange.of(16, 1L << 62).size(); k++) {
            someHashes.add(new byte[32]);
        }
        Map<String, Object> huge = new LinkedHashMap<>();
        huge.put("from", 16L);
        huge.put("to", 1L << 62);
        huge.put("hashes", FileEvidence.hexes(someHashes));
        ranges.manifest.put("otherRanges", List.of(huge));
        Map<String, Object> segment = new LinkedHashMap<>();
        segment.put("from", 1L << 61);
        segment.put("to", Long.MAX_VALUE);
        segment.put("frontier", FileEvidence.hexes(List.of(new byte[32])));
        segment.put("gaps", List.of());
        segment.put("toCheckpoint", List.of());
        ranges.manifest.put("segments", List.of(segment));
        failures = verify(ranges.zip()).failures();
        assertTrue(
                failures.contains("sequence 16 (and 1 more) is both a row of the file and a leaf of another month"),
                failures.toString());
        assertTrue(
                failures.contains("the row of sequence 18 is not in the tree of the signed checkpoint"),
                failures.toString());

        // more rows than this verifier holds: no verdict
        SampleFile rows = SampleFile.of(10);
        rows.part("csv").put("rows", 1L << 40);
        Run many = verifyCommand(rows.zip());
        assertEquals(2, many.exit(), many.toString());
        assertTrue(
                many.err().contains("the manifest names 1099511627776 rows, more than this verifier holds"),
                many.err());

        // a frontier said to be of 2^63 - 1 leaves: 63 hashes are needed, one is given
        SampleFile frontier = SampleFile.of(10);
        Map<String, Object> t = frontier.part("tree");
        t.put("checkpointSize", Long.MAX_VALUE);
        Json.object(t.get("start")).put("size", Long.MAX_VALUE);
        Json.object(t.get("end")).put("size", Long.MAX_VALUE);
        failures = verify(frontier.zip()).failures();
        assertTrue(
                failures.contains("manifest.json is not a valid manifest: the frontier of 9223372036854775807 "
                        + "leaves has 63 hashes, not 2"),
                failures.toString());
    }

    @Test
    void aManifestNested100000DeepIsRefusedAsJson() throws Exception {
        SampleFile file = SampleFile.of(4);
        LinkedHashMap<String, byte[]> entries = file.entries();
        byte[] deep =
                ("{\"format\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8);
        entries.put(FileEvidence.MANIFEST, deep);
        entries.put(FileEvidence.MANIFEST_SIGNATURE, SampleFile.signature(deep));
        assertEquals(
                List.of("manifest.json is not a manifest: not valid JSON at character 73: values nested deeper "
                        + "than 64"),
                verify(SampleFile.zip(entries)).failures());
    }

    @Test
    void entriesTheFormatDoesNotDefineAreRefusedByName() throws Exception {
        SampleFile file = SampleFile.of(4);
        LinkedHashMap<String, byte[]> extra = file.entries();
        extra.put("notes.txt", new byte[] {1});
        assertEquals(
                List.of("the file holds an entry the format does not define: \"notes.txt\" after checkpoint.txt"),
                verify(SampleFile.zip(extra)).failures());

        LinkedHashMap<String, byte[]> between = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : file.entries().entrySet()) {
            between.put(e.getKey(), e.getValue());
            if (e.getKey().equals(FileEvidence.ROWS)) {
                between.put("../evil.sh", new byte[] {1});
            }
        }
        assertEquals(
                List.of("the file holds an entry the format does not define: \"../evil.sh\""),
                verify(SampleFile.zip(between)).failures());

        LinkedHashMap<String, byte[]> twoCsv = new LinkedHashMap<>();
        twoCsv.put(SampleFile.CSV, file.csv);
        twoCsv.put("other.csv", file.csv);
        twoCsv.putAll(file.entries());
        assertEquals(
                List.of("the file holds two CSV files, auditlog-202601-Apps-csv.csv and \"other.csv\""),
                verify(SampleFile.zip(twoCsv)).failures());

        LinkedHashMap<String, byte[]> swapped = new LinkedHashMap<>();
        LinkedHashMap<String, byte[]> good = file.entries();
        swapped.put(SampleFile.CSV, good.get(SampleFile.CSV));
        swapped.put(FileEvidence.MANIFEST, good.get(FileEvidence.MANIFEST));
        swapped.put(FileEvidence.ROWS, good.get(FileEvidence.ROWS));
        swapped.put(FileEvidence.MANIFEST_SIGNATURE, good.get(FileEvidence.MANIFEST_SIGNATURE));
        swapped.put(FileEvidence.CHECKPOINT, good.get(FileEvidence.CHECKPOINT));
        assertEquals(
                List.of("the file's entries are out of order: manifest.json where rows.bin belongs (an export "
                        + "file holds the CSV, rows.bin, manifest.json, manifest.sig, checkpoint.txt, in this order)"),
                verify(SampleFile.zip(swapped)).failures());

        LinkedHashMap<String, byte[]> missing = file.entries();
        missing.remove(FileEvidence.CHECKPOINT);
        assertEquals(
                List.of("the file holds no checkpoint.txt"),
                verify(SampleFile.zip(missing)).failures());
        LinkedHashMap<String, byte[]> csvOnly = new LinkedHashMap<>();
        csvOnly.put(SampleFile.CSV, file.csv);
        assertEquals(
                List.of("the file holds no manifest.json: it carries no evidence (built before the server kept "
                        + "evidence?)"),
                verify(SampleFile.zip(csvOnly)).failures());
        assertEquals(
                List.of("the file holds no CSV"),
                verify(SampleFile.zip(new LinkedHashMap<>())).failures());
    }

    /** The zip with every occurrence of a name's bytes (its local header's and its directory's) replaced. */
    static byte[] rename(byte[] zip, String from, String to) {
        byte[] a = from.getBytes(StandardCharsets.UTF_8);
        byte[] b = to.getBytes(StandardCharsets.UTF_8);
        byte[] out = zip.clone();
        for (int at = 0; at + a.length <= out.length; at++) {
            if (Arrays.equals(out, at, at + a.length, a, 0, a.length)) {
                System.arraycopy(b, 0, out, at, b.length);
            }
        }
        return out;
    }

    @Test
    void anEntryTwiceIsRefused() throws Exception {
        SampleFile file = SampleFile.of(4);
        LinkedHashMap<String, byte[]> entries = file.entries();
        byte[] forged = "{\"format\":\"auditlog-manifest/1\"}".getBytes(StandardCharsets.UTF_8);
        entries.put("MANIFEST.JSON", forged);
        // ZipOutputStream refuses a name twice: the sixth entry is renamed in the bytes, as a crafted zip would be
        byte[] zip = rename(SampleFile.zip(entries), "MANIFEST.JSON", FileEvidence.MANIFEST);
        assertEquals(
                List.of("the file holds \"manifest.json\" twice"), verify(zip).failures());
        LinkedHashMap<String, byte[]> early = new LinkedHashMap<>();
        early.put(SampleFile.CSV, file.csv);
        early.put(FileEvidence.ROWS, file.index);
        early.put("ROWS.BIN", file.index);
        early.putAll(file.entries());
        byte[] twice = rename(SampleFile.zip(early), "ROWS.BIN", FileEvidence.ROWS);
        assertEquals(List.of("the file holds \"rows.bin\" twice"), verify(twice).failures());
    }

    @Test
    void aZipCutShortAnywhereIsNeverAnException() {
        byte[] zip = SampleFile.of(3).zip();
        int unreadable = 0;
        int cuts = 0;
        // every length within the central directory at the end, every 31st before it
        for (int length = 0; length < zip.length; length += length < zip.length - 400 ? 31 : 1) {
            cuts++;
            Run cut = verifyCommand(Arrays.copyOf(zip, length));
            assertTrue(cut.exit() == 1 || cut.exit() == 2, length + ": " + cut);
            assertTrue(
                    cut.exit() == 2
                            ? cut.err().contains("is not a readable zip file")
                            : cut.out().contains("FAIL"),
                    length + ": " + cut);
            unreadable += cut.exit() == 2 ? 1 : 0;
        }
        assertEquals(cuts, unreadable, "without the end of its central directory no zip opens");
        // damaged instead: every seventh byte changed in turn gives a verdict or none, never an exception
        for (int at = 0; at < zip.length; at += 7) {
            byte[] damaged = zip.clone();
            damaged[at] ^= 0x55;
            try {
                verify(damaged);
            } catch (FileVerifier.UnreadableException e) {
                assertTrue(
                        e.getMessage().contains("is not a readable zip file")
                                || e.getMessage().contains("more than this verifier reads"),
                        at + ": " + e.getMessage());
            }
        }
    }

    @Test
    void rowsAddedPastTheManifestsAreCountedAndTheFailuresListedUpToTheirBound() throws Exception {
        SampleFile file = SampleFile.of(4);
        StringBuilder csv = new StringBuilder(new String(file.csv, StandardCharsets.UTF_8));
        for (int i = 0; i < 2000; i++) {
            csv.append(SampleFile.row(10_000 + i, "added")).append("\r\n");
        }
        file.csv = csv.toString().getBytes(StandardCharsets.UTF_8);
        LinkedHashMap<String, byte[]> entries = file.entries();
        entries.put(SampleFile.CSV, file.csv);
        List<String> failures = verify(SampleFile.zip(entries)).failures();
        assertEquals(FileVerifier.MAX_FAILURES + 1, failures.size());
        assertEquals(
                SampleFile.CSV + " was changed since it was written: its SHA-256 is not the manifest's",
                failures.get(0));
        assertEquals(SampleFile.CSV + " holds 2004 rows, the manifest 4: rows were added", failures.get(1));
        assertEquals("row 5 (id 10000) was added: the file as written had no such row", failures.get(2));
        assertEquals("row 1002 (id 10997) was added: the file as written had no such row", failures.get(999));
        assertEquals("and 3 more failures (the first 1000 are listed)", failures.get(1000));
    }

    @Test
    void aCheckpointOfAnotherOrganizationsTreeIsNamed() throws Exception {
        SampleFile file = SampleFile.of(4);
        file.manifest.put("organization", "OTHER");
        assertEquals(
                List.of(
                        "checkpoint.txt is of auditlog/ACME/Apps, not of the tree of OTHER Apps under the key "
                                + "that signed it",
                        "the row of sequence 12 is not in the tree of the signed checkpoint"),
                verify(file.zip()).failures());
    }

    @Test
    void aMissingFileAndANonZipHaveNoVerdict() {
        Run missing = run("verify", dir.resolve("none.zip").toString(), "--key", SampleFile.KEY.text());
        assertEquals(2, missing.exit());
        Run text = verifyCommand("not a zip".getBytes(StandardCharsets.UTF_8));
        assertEquals(2, text.exit());
        assertTrue(text.err().contains("is not a readable zip file"), text.err());
        assertThrows(
                FileVerifier.UnreadableException.class,
                () -> FileVerifier.verify(dir.resolve("none.zip"), List.of(SampleFile.KEY), null));
    }
}
