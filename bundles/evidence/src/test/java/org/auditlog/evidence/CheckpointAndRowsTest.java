package org.auditlog.evidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checkpoints as signed notes, and a file cut into its rows: what a verifier reads, and what it refuses. */
class CheckpointAndRowsTest {
    @Test
    void aSignedCheckpointReadsBackAndAnyChangeToItIsRefused() {
        NoteKeys.Pair key = NoteKeys.generate("auditlog.example.com");
        byte[] root = Merkle.root(List.of(Merkle.leafHash(new byte[] {1}), Merkle.leafHash(new byte[] {2})));
        Checkpoint c = new Checkpoint("auditlog.example.com/ACME", 2, root, Instant.parse("2026-12-01T02:00:00Z"));
        assertEquals(
                "auditlog.example.com/ACME\n2\n" + Base64.getEncoder().encodeToString(root)
                        + "\ntime 2026-12-01T02:00:00Z\n",
                c.text());
        String note = SignedNote.sign(c.text(), key.signer());
        SignedNote.Opened opened = SignedNote.open(note, List.of(key.verifier()));
        assertEquals(List.of(key.verifier()), opened.verifiedBy());
        Checkpoint back = Checkpoint.parse(opened.text());
        assertEquals(2, back.size());
        assertArrayEquals(root, back.root());
        assertEquals(c.time(), back.time());
        assertThrows(
                IllegalArgumentException.class,
                () -> SignedNote.open(note.replaceFirst("\n2\n", "\n3\n"), List.of(key.verifier())),
                "a larger size");
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.parse("origin\n02\nAAAA\n"), "leading zero");
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.parse("origin\n2\n"), "no root");
    }

    @Test
    void aFileCutsIntoItsRowsAsWrittenAndACutShortFileIsRefused() {
        String file = "id,action\r\n1,\"two\r\nlines, \"\"quoted\"\"\"\r\n2,plain\r\n";
        List<String> rows = CsvRows.rows(file);
        assertEquals(List.of("id,action", "1,\"two\r\nlines, \"\"quoted\"\"\"", "2,plain"), rows);
        assertEquals(List.of("1", "two\r\nlines, \"quoted\""), CsvRows.values(rows.get(1)));
        IllegalArgumentException cut =
                assertThrows(IllegalArgumentException.class, () -> CsvRows.rows(file.substring(0, file.length() - 2)));
        assertTrue(cut.getMessage().contains("does not end with a complete row"), cut.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsvRows.rows("1,\"open\r\n"));
        assertThrows(IllegalArgumentException.class, () -> CsvRows.values("1,\"a\"b"));
        assertEquals(List.of("", "", ""), CsvRows.values(",,"));
    }

    @Test
    void aRowIsTheFileRowOfItsValues() {
        assertEquals(
                "7,ACME,Backlog,2026-11-01T00:00:00.500Z,Issue,'=SUM(A1),\"say \"\"hi\"\", then\nleave\",u1,"
                        + "\" Ann\",'-x,,Mozilla,V1",
                CsvRows.v1Row(
                        7,
                        "ACME",
                        "Backlog",
                        Instant.parse("2026-11-01T00:00:00.500Z"),
                        "Issue",
                        "=SUM(A1)",
                        "say \"hi\", then\nleave",
                        "u1",
                        " Ann",
                        "-x",
                        null,
                        "Mozilla",
                        "V1"));
    }
}
