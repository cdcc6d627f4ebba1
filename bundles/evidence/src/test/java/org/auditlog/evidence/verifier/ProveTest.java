package org.auditlog.evidence.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.evidence.Checkpoint;
import org.auditlog.evidence.FileEvidence;
import org.auditlog.evidence.Json;
import org.auditlog.evidence.Merkle;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.SignedNote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auditlog-verify prove} on inclusion answers made as the server makes them: the row's leaf is in the signed
 * tree, and that tree is the row's organization's and product's (its origin {@code <key>/<space_key>/<product>}).
 */
class ProveTest {
    @TempDir
    Path dir;

    /** The exit code and what was printed. */
    record Run(int exit, String out, String err) {}

    private Run prove(String event, Object answer) throws Exception {
        Path file = dir.resolve("proof.json");
        Files.writeString(file, answer instanceof String s ? s : Json.write(answer));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Verify.run(
                new String[] {"prove", "--event", event, "--proof", file.toString(), "--key", SampleFile.KEY.text()},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The answer of {@code GET .../inclusion?event=} for the file's first row, its checkpoint of {@code origin}. */
    static Map<String, Object> answer(SampleFile file, String origin, NoteKeys.Signer signer) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("eventId", "100");
        a.put("row", file.rows.get(0));
        long seq = file.sequences.get(0);
        a.put("sequence", seq);
        a.put("leafHash", Merkle.hex(file.tree.get((int) seq)));
        a.put("treeSize", (long) file.tree.size());
        a.put("proof", FileEvidence.hexes(Merkle.inclusionProof(file.tree, (int) seq)));
        a.put(
                "checkpoint",
                SignedNote.sign(
                        new Checkpoint(
                                        origin,
                                        file.tree.size(),
                                        Merkle.root(file.tree),
                                        Instant.parse("2026-02-03T04:05:06Z"))
                                .text(),
                        signer));
        return a;
    }

    @Test
    void aRowInItsOwnTreeIsProven() throws Exception {
        Run ok = prove("100", answer(SampleFile.of(4), SampleFile.ORIGIN, SampleFile.SIGNER));
        assertEquals(0, ok.exit(), ok.toString());
        assertEquals(
                "OK event 100: leaf 5 of auditlog/ACME/Apps at 15 leaves, signed 2026-02-03T04:05:06Z\n", ok.out());
    }

    @Test
    void aRowProvenInTheTreeOfAnotherOrganizationProductOrKeyIsRefused() throws Exception {
        // the leaf is in the tree and the proof holds: only the origin tells whose tree it is
        SampleFile file = SampleFile.of(4);
        for (String origin : List.of(
                "auditlog/OTHER/Apps",
                "auditlog/ACME/Backlog",
                "other-server/ACME/Apps",
                "auditlog/ACME/Apps/more",
                "auditlog/ACME")) {
            Run refused = prove("100", answer(file, origin, SampleFile.SIGNER));
            assertEquals(1, refused.exit(), origin + ": " + refused);
            assertEquals(
                    "FAIL event 100: the checkpoint is of the tree " + origin + ", the row is of ACME Apps: a "
                            + "proof in another tree than the row's organization's and product's\n",
                    refused.out());
        }
    }

    @Test
    void anAnswerThatIsNotOneHasNoVerdict() throws Exception {
        Map<String, Object> answer = answer(SampleFile.of(4), SampleFile.ORIGIN, SampleFile.SIGNER);
        Run deep = prove("100", "[".repeat(100_000) + "]".repeat(100_000));
        assertEquals(2, deep.exit(), deep.toString());
        assertTrue(deep.err().contains("values nested deeper than 64"), deep.err());
        Run large = prove("100", " ".repeat(Verify.MAX_INPUT) + Json.write(answer));
        assertEquals(2, large.exit(), large.toString());
        assertTrue(
                large.err().endsWith("proof.json holds more than 1048576 bytes: not an inclusion proof\n"),
                large.err());
        answer.put("row", "100,\"ACME,Apps");
        Run notCsv = prove("100", answer);
        assertEquals(1, notCsv.exit(), notCsv.toString());
        assertTrue(
                notCsv.out().contains("FAIL event 100: the row is not a CSV row: a quoted value is not closed"),
                notCsv.out());
        answer.put("row", "100,ACME,Apps");
        Run short3 = prove("100", answer);
        assertTrue(
                short3.out().contains("FAIL event 100: the row holds 3 values, not the 13 of a V1 row"), short3.out());
    }
}
