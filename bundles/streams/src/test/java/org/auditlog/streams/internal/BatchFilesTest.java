package org.auditlog.streams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.SignedCheckpoint;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.api.stream.BatchFile;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;
import org.auditlog.evidence.Checkpoint;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.SignedNote;
import org.auditlog.evidence.verifier.Verify;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch as the file the s3 destination writes, built against a real tree of the records' leaves and signed with a
 * real key, and checked as its reader checks it: with the offline verifier, file by file and as a folder.
 */
class BatchFilesTest {
    private final Logs logs = new Logs();
    private final NoteKeys.Pair key = NoteKeys.generate("auditlog");
    private final AtomicInteger signedCheckpoints = new AtomicInteger();

    @TempDir
    Path folder;

    /** The export's checkpoint service as far as files go: signs the tree's head when asked, and any text. */
    private final CheckpointService checkpoints = new CheckpointService() {
        @Override
        public Optional<SignedCheckpoint> latest(String spaceKey, String product) {
            long size = logs.trees().stream()
                    .filter(h -> h.spaceKey().equals(spaceKey) && h.product().equals(product))
                    .findFirst()
                    .orElseThrow()
                    .size();
            byte[] root = logs.root(spaceKey, product, size);
            Instant at = Instant.parse("2026-11-02T00:00:00Z");
            String note =
                    SignedNote.sign(new Checkpoint(origin(spaceKey, product), size, root, at).text(), key.signer());
            SignedCheckpoint cp = new SignedCheckpoint(spaceKey, product, size, root, at, note);
            logs.saveCheckpoint(cp);
            signedCheckpoints.incrementAndGet();
            return Optional.of(cp);
        }

        @Override
        public String sign(String text) {
            return SignedNote.sign(text, key.signer());
        }

        @Override
        public String key() {
            return key.verifier().text();
        }

        @Override
        public List<String> keys() {
            return List.of(key());
        }

        @Override
        public String origin(String spaceKey, String product) {
            return "auditlog/" + spaceKey + "/" + product;
        }
    };

    private final BatchFiles files = new BatchFiles(logs.events(), logs.evidence(), () -> checkpoints);

    /** The log's events first to last that a stream keeping {@code category} alone gets, as a batch. */
    private StreamBatch batch(long first, long last, String category) {
        List<StreamEvent> kept = new ArrayList<>();
        try (RecordCursor c = logs.events().sequenced("ACME", "Backlog", first, (int) (last - first + 1))) {
            while (c.hasNext()) {
                AuditRecord r = c.next();
                if (category == null || category.equals(r.category())) {
                    kept.add(new StreamEvent(c.sequence(), r));
                }
            }
        }
        return new StreamBatch("s1-ACME-Backlog-" + first + "-" + last, "s1", "ACME", "Backlog", first, last, kept, 1);
    }

    private void write(BatchFile f) throws Exception {
        Path file = folder.resolve("auditlog").resolve(f.name());
        Files.createDirectories(file.getParent());
        Files.write(file, f.content());
        Files.write(folder.resolve("auditlog").resolve(f.digestName()), f.digest());
    }

    private record Run(int exit, String out) {}

    private Run verify(Path what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Verify.run(
                new String[] {"verify", what.toString(), "--key", key.verifier().text()},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    private static String gunzip(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBatchOfEveryEventVerifiesAsAFile() throws Exception {
        logs.append("ACME", "Backlog", 100, "Issue");
        BatchFile f = files.file(batch(0, 99, null));
        assertEquals(
                "ACME/Backlog/2026/11/01/00000000000000000000-00000000000000000099.ndjson.gz",
                f.name(),
                "named by organization, product, the first record's date and the sequences");
        assertEquals(f.name() + ".digest", f.digestName());
        String lines = gunzip(f.content());
        assertEquals(100, lines.split("\n").length);
        assertTrue(
                lines.startsWith("{\"id\":\"1000\",\"space_key\":\"ACME\",\"product\":\"Backlog\","
                        + "\"date\":\"2026-11-01T00:00:00.000Z\""),
                lines);
        write(f);
        Run run = verify(folder.resolve("auditlog").resolve(f.name()));
        assertEquals(0, run.exit(), run.out());
    }

    @Test
    void filteredBatchesWithGapsAndAnEmptyOneVerifyAsAFolder() throws Exception {
        // sequences 0-29 Issue, 30-59 Wiki, 60-89 Issue, 90-149 Wiki: a stream of Issues alone
        logs.append("ACME", "Backlog", 30, "Issue");
        logs.append("ACME", "Backlog", 30, "Wiki");
        logs.append("ACME", "Backlog", 30, "Issue");
        logs.append("ACME", "Backlog", 60, "Wiki");
        List<BatchFile> made = List.of(
                files.file(batch(0, 44, "Issue")),
                files.file(batch(45, 74, "Issue")), // its first sequence left out: the date is read from the log
                files.file(batch(75, 119, "Issue")),
                files.file(batch(120, 149, "Issue"))); // nothing kept: a file of no line, its digest the proof
        assertEquals("", gunzip(made.get(3).content()));
        assertEquals(
                "ACME/Backlog/2026/11/01/00000000000000000045-00000000000000000074.ndjson.gz",
                made.get(1).name());
        for (BatchFile f : made) {
            write(f);
        }
        Run run = verify(folder);
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("OK ACME Backlog: sequences 0 to 149"), run.out());

        // a batch the server has not written: the folder's hole is named
        Files.delete(folder.resolve("auditlog").resolve(made.get(1).name()));
        Files.delete(folder.resolve("auditlog").resolve(made.get(1).digestName()));
        Run hole = verify(folder);
        assertEquals(1, hole.exit(), hole.out());
        assertTrue(hole.out().contains("45"), hole.out());
    }

    @Test
    void aCheckpointThatCoversTheBatchIsReusedAndAnotherIsSignedOnlyWhenItDoesNot() {
        logs.append("ACME", "Backlog", 200, "Issue");
        files.file(batch(0, 49, null));
        files.file(batch(50, 99, null));
        files.file(batch(100, 199, null));
        assertEquals(1, signedCheckpoints.get(), "the first checkpoint covers all three batches");
        logs.append("ACME", "Backlog", 10, "Issue");
        files.file(batch(200, 209, null));
        assertEquals(2, signedCheckpoints.get());
    }

    @Test
    void withoutTheCheckpointServiceABatchCannotBeProvenNow() {
        logs.append("ACME", "Backlog", 5, "Issue");
        BatchFiles none = new BatchFiles(logs.events(), logs.evidence(), () -> null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> none.file(batch(0, 4, null)));
        assertTrue(e.getMessage().contains("not running"), e.getMessage());
    }

    @Test
    void aBatchWhoseFirstRecordRetentionRemovedIsNotWrittenUnderAnotherDate() {
        logs.append("ACME", "Backlog", 20, "Wiki");
        logs.append("ACME", "Backlog", 5, "Issue");
        StreamBatch b = batch(0, 24, "Issue");
        logs.remove("ACME", "Backlog", 0, 9);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> files.file(b));
        assertTrue(e.getMessage().contains("no longer stored"), e.getMessage());
    }
}
