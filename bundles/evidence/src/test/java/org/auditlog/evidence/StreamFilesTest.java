package org.auditlog.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A stream file's name, its lines and its digest's text, byte for byte, and the writer's refusals. */
class StreamFilesTest {
    private static final Instant NOV_1 = Instant.parse("2026-11-01T09:30:00.123456Z");

    @Test
    void aNameSortsBySequenceUnderTheDayOfTheFirstRecord() {
        assertEquals(
                "ACME/Backlog/2026/11/01/00000000000000000041-00000000000000000540.ndjson.gz",
                StreamFiles.name("ACME", "Backlog", NOV_1, 41, 540));
        assertEquals(
                "a_b-9/X1/0001/01/01/00000000000000000000-09223372036854775806.ndjson.gz",
                StreamFiles.name("a_b-9", "X1", Instant.parse("0001-01-01T00:00:00Z"), 0, Long.MAX_VALUE - 1));
    }

    @Test
    void aNameOffTheRulesIsRefusedNamingTheParameter() {
        String[][] refused = {
            {"AC ME", "Backlog", "organization must be [A-Za-z0-9][A-Za-z0-9_-]{0,63}, not AC ME"},
            {"-ACME", "Backlog", "organization must be [A-Za-z0-9][A-Za-z0-9_-]{0,63}, not -ACME"},
            {"A".repeat(65), "Backlog", "organization must be [A-Za-z0-9][A-Za-z0-9_-]{0,63}, not " + "A".repeat(65)},
            {"../ACME", "Backlog", "organization must be [A-Za-z0-9][A-Za-z0-9_-]{0,63}, not ../ACME"},
            {"ACME", "1Backlog", "product must be [A-Za-z][A-Za-z0-9]{0,31}, not 1Backlog"},
            {"ACME", "Back_log", "product must be [A-Za-z][A-Za-z0-9]{0,31}, not Back_log"},
            {"ACME", null, "product must be [A-Za-z][A-Za-z0-9]{0,31}, not null"},
        };
        for (String[] r : refused) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> StreamFiles.name(r[0], r[1], NOV_1, 41, 540), r[2]);
            assertEquals(r[2], e.getMessage());
        }
        assertEquals(
                "first, last must be 0 <= first <= last, not 41 and 40",
                assertThrows(IllegalArgumentException.class, () -> StreamFiles.name("ACME", "Backlog", NOV_1, 41, 40))
                        .getMessage());
        assertEquals(
                "first, last must be 0 <= first <= last, not -1 and 40",
                assertThrows(IllegalArgumentException.class, () -> StreamFiles.name("ACME", "Backlog", NOV_1, -1, 40))
                        .getMessage());
        assertEquals(
                "firstRecordDate must be the date of the record at sequence 41",
                assertThrows(IllegalArgumentException.class, () -> StreamFiles.name("ACME", "Backlog", null, 41, 540))
                        .getMessage());
        assertEquals(
                "firstRecordDate must be in the years 0000 to 9999, not +10000-01-01T00:00:00Z",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> StreamFiles.name(
                                        "ACME", "Backlog", Instant.parse("+10000-01-01T00:00:00Z"), 41, 540))
                        .getMessage());
    }

    private static String line(String action, String email, long sequence) {
        StringBuilder out = new StringBuilder();
        StreamFiles.line(
                out,
                912420565585756160L,
                "ACME",
                "Backlog",
                NOV_1,
                "Member",
                "Invite a member",
                action,
                "u1",
                "Ann",
                email,
                "203.0.113.5",
                null,
                "V1",
                sequence);
        return out.toString();
    }

    @Test
    void aLineIsTheEventOfAWebhookBatchAndItsLeafIsTheV1Row() {
        String line = line("=bob was invited \"now\"\n – 日本語", null, 41);
        assertEquals(
                "{\"id\":\"912420565585756160\",\"space_key\":\"ACME\",\"product\":\"Backlog\","
                        + "\"date\":\"2026-11-01T09:30:00.123Z\",\"category\":\"Member\",\"event\":\"Invite a member\","
                        + "\"action\":\"=bob was invited \\\"now\\\"\\n – 日本語\",\"operation_user_id\":\"u1\","
                        + "\"operation_user_name\":\"Ann\",\"operation_user_email\":null,\"ip_address\":\"203.0.113.5\","
                        + "\"user_agent\":null,\"version\":\"V1\",\"sequence\":41}\n",
                line);
        // the line holds the values as sent; the row (the leaf) neutralises them, as every export file does
        assertEquals(
                "912420565585756160,ACME,Backlog,2026-11-01T09:30:00.123Z,Member,Invite a member,"
                        + "\"'=bob was invited \"\"now\"\"\n – 日本語\",u1,Ann,,203.0.113.5,,V1",
                CsvRows.v1Row(
                        912420565585756160L,
                        "ACME",
                        "Backlog",
                        NOV_1,
                        "Member",
                        "Invite a member",
                        "=bob was invited \"now\"\n – 日本語",
                        "u1",
                        "Ann",
                        null,
                        "203.0.113.5",
                        null,
                        "V1"));
        StringBuilder two = new StringBuilder("kept\n");
        StreamFiles.line(two, 1, null, null, NOV_1, null, null, null, null, null, null, null, null, null, 0);
        assertEquals(
                "kept\n{\"id\":\"1\",\"space_key\":null,\"product\":null,\"date\":\"2026-11-01T09:30:00.123Z\","
                        + "\"category\":null,\"event\":null,\"action\":null,\"operation_user_id\":null,"
                        + "\"operation_user_name\":null,\"operation_user_email\":null,\"ip_address\":null,"
                        + "\"user_agent\":null,\"version\":null,\"sequence\":0}\n",
                two.toString());
        assertEquals(
                "record 7 has no date",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> StreamFiles.line(
                                        new StringBuilder(),
                                        7,
                                        "ACME",
                                        "Backlog",
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        3))
                        .getMessage());
        assertEquals(
                "the sequence of record 7 is negative: -1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> StreamFiles.line(
                                        new StringBuilder(),
                                        7,
                                        "ACME",
                                        "Backlog",
                                        NOV_1,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        -1))
                        .getMessage());
    }

    /** A tree of 10 leaves, and a file of sequences 3 to 6 whose events are 3, 5 and 6 (4 left out). */
    private static final class Example {
        final List<byte[]> tree = new ArrayList<>();
        final NoteKeys.Pair key = NoteKeys.generate("auditlog");
        String name = "ACME/Backlog/2026/11/01/00000000000000000003-00000000000000000006.ndjson.gz";
        byte[] sha256 = new byte[32];
        String organization = "ACME";
        long first = 3;
        long last = 6;
        int events = 3;
        String origin = "auditlog/ACME/Backlog";
        long checkpointSize = 10;
        List<byte[]> frontier;
        List<StreamFiles.Gap> gaps;
        List<byte[]> toCheckpoint;
        String checkpoint;

        Example() {
            for (int i = 0; i < 10; i++) {
                tree.add(Merkle.leafHash(new byte[] {(byte) i}));
            }
            Arrays.fill(sha256, (byte) 0xab);
            frontier = List.of(Merkle.root(tree.subList(0, 2)), tree.get(2));
            gaps = List.of(new StreamFiles.Gap(4, 5, List.of(tree.get(4))));
            toCheckpoint = Merkle.consistencyProof(tree, 7);
            checkpoint = SignedNote.sign(
                    new Checkpoint(origin, 10, Merkle.root(tree), Instant.parse("2026-11-01T10:00:00Z")).text(),
                    key.signer());
        }

        String text() {
            return StreamFiles.digestText(
                    name,
                    sha256,
                    organization,
                    "Backlog",
                    "s1",
                    "s1-ACME-Backlog-3-6",
                    first,
                    last,
                    events,
                    origin,
                    checkpointSize,
                    frontier,
                    gaps,
                    toCheckpoint,
                    checkpoint);
        }
    }

    @Test
    void aDigestIsOneLineOfJsonThatASignedNoteCarries() {
        Example x = new Example();
        String text = x.text();
        String hex = "ab".repeat(32);
        assertEquals(
                "{\"format\":\"auditlog-stream-file/1\",\"name\":\"" + x.name + "\",\"sha256\":\"" + hex + "\","
                        + "\"organization\":\"ACME\",\"product\":\"Backlog\",\"stream\":\"s1\","
                        + "\"batch\":\"s1-ACME-Backlog-3-6\",\"sequences\":{\"first\":3,\"last\":6},\"events\":3,"
                        + "\"tree\":{\"origin\":\"auditlog/ACME/Backlog\",\"checkpointSize\":10},"
                        + "\"segment\":{\"from\":3,\"to\":7,\"frontier\":[\"" + Merkle.hex(x.frontier.get(0)) + "\",\""
                        + Merkle.hex(x.frontier.get(1)) + "\"],\"gaps\":[{\"from\":4,\"to\":5,\"hashes\":[\""
                        + Merkle.hex(x.tree.get(4)) + "\"]}],\"toCheckpoint\":"
                        + Json.write(FileEvidence.hexes(x.toCheckpoint)) + "},"
                        + "\"checkpoint\":" + Json.write(x.checkpoint) + "}\n",
                text);
        assertEquals(1, text.split("\n", -1).length - 1, "one line");
        String signed = SignedNote.sign(text, x.key.signer());
        assertEquals(text, SignedNote.open(signed, List.of(x.key.verifier())).text());
        // a destination's prefix before the name is its own
        x.name = "auditlog/" + x.name;
        assertEquals(text.replace("\"name\":\"", "\"name\":\"auditlog/"), x.text());
    }

    private static void refused(String message, Consumer<Example> change) {
        Example x = new Example();
        change.accept(x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, x::text, message);
        assertEquals(message, e.getMessage());
    }

    @Test
    void aDigestOffTheRulesIsRefusedNamingTheParameter() {
        refused("sha256 must be 32 bytes", x -> x.sha256 = new byte[31]);
        refused(
                "name must be the file's name, ending in 00000000000000000003-00000000000000000006.ndjson.gz, not "
                        + "ACME/Backlog/2026/11/01/00000000000000000003-00000000000000000007.ndjson.gz",
                x -> x.name = x.name.replace("0006.", "0007."));
        refused("organization must be [A-Za-z0-9][A-Za-z0-9_-]{0,63}, not AC/ME", x -> x.organization = "AC/ME");
        refused(
                "checkpointSize must be at least last + 1 (7), not 6: the checkpoint holds every sequence",
                x -> x.checkpointSize = 6);
        refused(
                "checkpointNote must be the checkpoint of auditlog/ACME/Backlog at 11 leaves, not of "
                        + "auditlog/ACME/Backlog at 10",
                x -> x.checkpointSize = 11);
        refused(
                "checkpointNote must be the checkpoint of auditlog/OTHER/Backlog at 10 leaves, not of "
                        + "auditlog/ACME/Backlog at 10",
                x -> x.origin = "auditlog/OTHER/Backlog");
        refused(
                "checkpointNote must be a signed checkpoint: a signed note has a blank line before its signatures",
                x -> x.checkpoint = "auditlog/ACME/Backlog\n10\n");
        refused("frontier must be 2 hashes, those of the tree at 3 leaves", x -> x.frontier = x.frontier.subList(0, 1));
        refused("frontier must be hashes of 32 bytes", x -> x.frontier = List.of(new byte[32], new byte[4]));
        refused(
                "gaps must be runs in order, none empty or overlapping, within the sequences 3 to 6",
                x -> x.gaps = List.of(new StreamFiles.Gap(2, 4, List.of(new byte[32]))));
        refused(
                "gaps must be runs in order, none empty or overlapping, within the sequences 3 to 6",
                x -> x.gaps = List.of(
                        new StreamFiles.Gap(4, 5, List.of(new byte[32])),
                        new StreamFiles.Gap(4, 5, List.of(new byte[32]))));
        refused(
                "gaps must be 2 hashes, those of the subtrees of the sequences 5 to 6",
                x -> x.gaps = List.of(new StreamFiles.Gap(5, 7, List.of(new byte[32]))));
        refused("events must be the 3 sequences of 3 to 6 in no gap, not 4", x -> x.events = 4);
        refused("events must be the 4 sequences of 3 to 6 in no gap, not 3", x -> x.gaps = List.of());
        refused(
                "name, stream, batch, origin and checkpointNote must be free of control characters but the "
                        + "checkpoint's newlines",
                x -> x.name = "\u0085" + x.name);
    }
}
