package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.evidence.SignedCheckpoint;
import org.auditlog.api.evidence.Stray;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.Merkle;
import org.auditlog.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every append adds its records to the tree of their organization and product, in the records' transaction: the
 * sequence numbers have no gap and no repeat even with writers racing, the stored tree's roots and proofs are those
 * of the leaves recomputed from the rows as the export reads them, and the months and strays are noted.
 */
class EvidenceLogTest {
    @TempDir
    Path dir;

    /** The Clock service of the test's server. */
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));

    final AtomicLong ids = new AtomicLong();

    AuditRecord record(String spaceKey, String product, String date) {
        long id = ids.incrementAndGet();
        return new AuditRecord(
                id,
                spaceKey,
                product,
                Instant.parse(date),
                "Member",
                "Add a member",
                "=cmd|' /C calc'!A0, \"quoted\"\r\n" + id,
                "u" + id % 7,
                "Ann " + id,
                "ann@acme.example",
                "192.0.2.1",
                "Mozilla/5.0",
                "V1");
    }

    /** The leaves of a tree as the rows read back say, by sequence number. */
    static Map<Long, byte[]> leaves(MyBatisAuditStore store, String spaceKey, String product) {
        Map<Long, byte[]> out = new HashMap<>();
        try (RecordCursor rows = store.stream(
                spaceKey, product, Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"))) {
            while (rows.hasNext()) {
                AuditRecord r = rows.next();
                byte[] was = out.put(rows.sequence(), Merkle.leafHash(CsvRows.leaf(EvidenceLog.row(r))));
                assertEquals(null, was, "sequence " + rows.sequence() + " given twice");
            }
        }
        return out;
    }

    static List<byte[]> inOrder(Map<Long, byte[]> leaves) {
        List<byte[]> out = new ArrayList<>();
        for (long i = 0; i < leaves.size(); i++) {
            byte[] leaf = leaves.get(i);
            assertTrue(leaf != null, "sequence " + i + " missing");
            out.add(leaf);
        }
        return out;
    }

    @Test
    void racingWritersMakeOneGaplessTreePerOrganizationAndProductWhoseProofsHold() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock, "writeConnections", 4)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            JdbcEvidenceStore evidence = storage.activate(JdbcEvidenceStore.class);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    writers.add(pool.submit(() -> {
                        for (int batch = 0; batch < 15; batch++) {
                            List<AuditRecord> records = new ArrayList<>();
                            for (int i = 0; i < 37; i++) {
                                records.add(record(
                                        i % 3 == 0 ? "ACME" : "ZETA",
                                        i % 2 == 0 ? "Backlog" : "Cacoo",
                                        "2026-11-2" + (i % 2) + "T0" + i % 10 + ":00:00Z"));
                            }
                            store.append(records);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : writers) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            long total = 0;
            for (String org : List.of("ACME", "ZETA")) {
                for (String product : List.of("Backlog", "Cacoo")) {
                    List<byte[]> leaves = inOrder(leaves(store, org, product));
                    total += leaves.size();
                    assertEquals(leaves.size(), evidence.head(org, product).size());
                    byte[] root = evidence.root(org, product, leaves.size());
                    assertArrayEquals(Merkle.root(leaves), root, org + "/" + product);
                    for (long size : List.of(1L, 17L, 255L, (long) leaves.size())) {
                        assertArrayEquals(
                                Merkle.root(leaves.subList(0, (int) size)), evidence.root(org, product, size));
                        for (long seq : List.of(0L, size / 2, size - 1)) {
                            assertTrue(Merkle.verifyInclusion(
                                    seq,
                                    size,
                                    leaves.get((int) seq),
                                    evidence.inclusionProof(org, product, seq, size),
                                    evidence.root(org, product, size)));
                        }
                        assertTrue(Merkle.verifyConsistency(
                                size,
                                leaves.size(),
                                evidence.consistencyProof(org, product, size, leaves.size()),
                                evidence.root(org, product, size),
                                root));
                    }
                    assertArrayEquals(leaves.get(5), evidence.leafHash(org, product, 5));
                }
            }
            assertEquals(4 * 15 * 37, total);
            assertEquals(4, evidence.trees().size());
            assertThrows(IllegalArgumentException.class, () -> evidence.root("ACME", "Backlog", 1_000_000));
        }
    }

    @Test
    void monthsBeginAtTheTreeSizeOfTheirFirstAppendAndStraysAreNoted() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            JdbcEvidenceStore evidence = storage.activate(JdbcEvidenceStore.class);
            store.append(List.of(
                    record("ACME", "Backlog", "2026-11-22T09:00:00Z"),
                    record("ACME", "Backlog", "2026-11-22T09:01:00Z")));
            // November's first append; October is before the tree: it starts at 0 too
            assertEquals(0, evidence.monthStart("ACME", "Backlog", YearMonth.of(2026, 11)));
            assertEquals(0, evidence.monthStart("ACME", "Backlog", YearMonth.of(2026, 10)));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> evidence.monthStart("ACME", "Backlog", YearMonth.of(2026, 12)));

            clock.set(Instant.parse("2026-12-01T00:00:05Z"));
            // a late November record and a December one, appended in December
            store.append(List.of(
                    record("ACME", "Backlog", "2026-11-30T23:59:59Z"),
                    record("ACME", "Backlog", "2026-12-01T00:00:01Z")));
            assertEquals(2, evidence.monthStart("ACME", "Backlog", YearMonth.of(2026, 12)));
            assertEquals(
                    List.of(new Stray(2, YearMonth.of(2026, 11), YearMonth.of(2026, 12))),
                    evidence.strays("ACME", "Backlog", 2, 4, YearMonth.of(2026, 12)));
            assertEquals(
                    List.of(new Stray(2, YearMonth.of(2026, 11), YearMonth.of(2026, 12))),
                    evidence.strays("ACME", "Backlog", 0, 2, YearMonth.of(2026, 11)),
                    "dated in November");

            // January, with no append yet: asking closes December at the tree's size
            clock.set(Instant.parse("2027-01-01T00:00:03Z"));
            assertEquals(4, evidence.monthStart("ACME", "Backlog", YearMonth.of(2027, 1)));
            store.append(List.of(record("ACME", "Backlog", "2027-01-01T00:00:02Z")));
            assertEquals(4, evidence.monthStart("ACME", "Backlog", YearMonth.of(2027, 1)));
            assertEquals(0, evidence.monthStart("NOBODY", "Backlog", YearMonth.of(2027, 1)));

            long id = ids.get();
            assertEquals(4, evidence.locate(id).orElseThrow().sequence());
            assertEquals(Optional.empty(), evidence.locate(id + 100));
        }
    }

    @Test
    void checkpointsKeepTheLatestAndEachMonthsCloseAndKeysAreNotedOnce() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            JdbcEvidenceStore evidence = storage.activate(JdbcEvidenceStore.class);
            List<AuditRecord> ten = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ten.add(record("ACME", "Backlog", "2026-11-22T09:00:00Z"));
            }
            storage.activate(MyBatisAuditStore.class).append(ten);
            byte[] root = new byte[32];
            Instant t = Instant.parse("2026-11-22T10:00:00Z");
            evidence.saveCheckpoint(new SignedCheckpoint("ACME", "Backlog", 5, root, t, "five"), Optional.empty());
            evidence.saveCheckpoint(new SignedCheckpoint("ACME", "Backlog", 3, root, t, "three"), Optional.empty());
            assertEquals(
                    "five",
                    evidence.latestCheckpoint("ACME", "Backlog").orElseThrow().note(),
                    "never goes back");
            evidence.saveCheckpoint(
                    new SignedCheckpoint("ACME", "Backlog", 9, root, t, "nine"), Optional.of(YearMonth.of(2026, 11)));
            evidence.saveCheckpoint(
                    new SignedCheckpoint("ACME", "Backlog", 10, root, t, "ten"), Optional.of(YearMonth.of(2026, 11)));
            assertEquals(
                    "ten",
                    evidence.latestCheckpoint("ACME", "Backlog").orElseThrow().note());
            assertEquals(
                    "nine",
                    evidence.monthCheckpoint("ACME", "Backlog", YearMonth.of(2026, 11))
                            .orElseThrow()
                            .note(),
                    "a month is closed once");
            assertEquals(Optional.empty(), evidence.latestCheckpoint("ZETA", "Backlog"));
            evidence.saveCheckpoint(new SignedCheckpoint("ACME", "Backlog", 11, root, t, "eleven"), Optional.empty());
            assertEquals(
                    "ten",
                    evidence.latestCheckpoint("ACME", "Backlog").orElseThrow().note(),
                    "no checkpoint of more leaves than its tree has");
            assertEquals(List.of("k1"), evidence.noteKey("k1"));
            assertEquals(List.of("k1"), evidence.noteKey("k1"));
            clock.set(Instant.parse("2026-11-23T10:00:00Z"));
            assertEquals(List.of("k1", "k2"), evidence.noteKey("k2"));
        }
    }
}
