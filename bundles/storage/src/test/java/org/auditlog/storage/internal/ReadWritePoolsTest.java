package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.EventCursor;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.StoreBusyException;
import org.auditlog.api.store.TokenGrant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers and writers on the real embedded HSQLDB: searches have their own connections, so readers that hold
 * every read connection (with statements that scan for seconds) neither take a writer's connection nor block
 * the writer's commits (MVCC); the next search is refused as busy after the bounded wait; a statement past the
 * timeout is stopped and its connection comes back.
 */
class ReadWritePoolsTest {
    /** Generous liveness bound: a write that waits for a reader would wait for the readers' whole scan. */
    private static final Duration PROMPT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
    }

    /** A statement of the read pool that scans for as long as its statement timeout lets it. */
    public interface SlowReads {
        @Select("SELECT COUNT(*) FROM audit_event a, audit_event b, audit_event c, audit_event d "
                + "WHERE a.action = b.action || c.action || d.action")
        long crossScan();
    }

    private static List<AuditRecord> records(long firstId, int n, String space) {
        List<AuditRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(MyBatisStoresTest.record(
                    firstId + i,
                    space,
                    "Apps",
                    Instant.parse("2026-11-01T00:00:00Z")
                            .plusSeconds(firstId + i)
                            .toString(),
                    "u" + (i % 7)));
        }
        return out;
    }

    /**
     * Holds one connection of the read pool with a statement that scans audit_event until the statement
     * timeout ({@code seconds}) stops it; {@code started} counts down once the statement is running.
     */
    private Future<Long> longReader(Database db, int seconds, CountDownLatch started) {
        return threads.submit(() -> {
            try (SqlSession session = db.readSessions().openSession(true)) {
                Connection c = session.getConnection();
                try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM audit_event a, audit_event b, "
                        + "audit_event c WHERE a.action = b.action || c.action")) {
                    s.setQueryTimeout(seconds);
                    started.countDown();
                    long t0 = System.nanoTime();
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                    } catch (SQLException e) {
                        // stopped at its timeout, as intended
                    }
                    return System.nanoTime() - t0;
                }
            }
        });
    }

    @Test
    void writesCommitPromptlyWhileEveryReadConnectionScansAndTheNextSearchIsBusy() throws Exception {
        try (TestStorage storage = TestStorage.embedded(
                dir,
                Clock.systemUTC(),
                "writeConnections",
                2,
                "readConnections",
                2,
                "exportConnections",
                1,
                "readWaitMillis",
                300L,
                "queryTimeoutSeconds",
                30,
                "searchBusyPercent",
                100)) {
            Database db = storage.database();
            MyBatisAuditStore events = storage.activate(MyBatisAuditStore.class);
            MyBatisTokenStore tokens = storage.activate(MyBatisTokenStore.class);
            MyBatisOrganizationStore orgs = storage.activate(MyBatisOrganizationStore.class);
            events.append(records(1, 400, "ACME"));

            CountDownLatch started = new CountDownLatch(2);
            List<Future<Long>> readers = List.of(longReader(db, 8, started), longReader(db, 8, started));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            Thread.sleep(200); // both statements are scanning now
            assertEquals(2, db.readPool().inUse());

            // Writes of every kind go on, in the same table the readers scan, while both readers still run.
            for (int round = 0; round < 20; round++) {
                long id = 1000 + round * 100L;
                CompletableFuture<Void> write =
                        CompletableFuture.runAsync(() -> events.append(records(id, 100, "ACME")), threads);
                write.get(PROMPT.toSeconds(), TimeUnit.SECONDS);
            }
            CompletableFuture.runAsync(
                            () -> tokens.issue(new TokenGrant(null, TokenGrant.INGEST, "Apps", "ACME", null, null)),
                            threads)
                    .get(PROMPT.toSeconds(), TimeUnit.SECONDS);
            CompletableFuture.runAsync(() -> orgs.spaceKeys(), threads).get(PROMPT.toSeconds(), TimeUnit.SECONDS);
            assertFalse(
                    readers.get(0).isDone() || readers.get(1).isDone(),
                    "the writes were done while the readers still scanned");

            // The next search waits its bounded wait for a read connection, then is refused as busy.
            long t0 = System.nanoTime();
            StoreBusyException busy = assertThrows(
                    StoreBusyException.class,
                    () -> events.query(new EventQuery("ACME", null, null, null, null, null, null, 10, null)));
            long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(StoreBusyException.Reason.BUSY, busy.reason());
            assertTrue(waitedMillis >= 250, "refused after its bounded wait, not at once: " + waitedMillis + " ms");
            assertFalse(readers.get(0).isDone() || readers.get(1).isDone());

            for (Future<Long> reader : readers) {
                reader.get(30, TimeUnit.SECONDS);
            }
            assertEquals(0, db.readPool().inUse());
            EventPage page = events.query(new EventQuery("ACME", null, null, null, null, null, null, 10, null));
            assertEquals(10, page.events().size());
            assertEquals(2999, page.events().get(0).id(), "the writes made during the scans are all there");
        }
    }

    @Test
    void searchesThatSpentTheirShareOfConnectionTimeWaitOrAreBusy() throws Exception {
        // 10% of one read connection: an idle pool has 100 ms to spend; no wait for a connection
        try (TestStorage storage = TestStorage.embedded(
                dir,
                Clock.systemUTC(),
                "writeConnections",
                2,
                "readConnections",
                1,
                "exportConnections",
                1,
                "readWaitMillis",
                0L,
                "queryTimeoutSeconds",
                30,
                "searchBusyPercent",
                10)) {
            Database db = storage.database();
            MyBatisAuditStore events = storage.activate(MyBatisAuditStore.class);
            events.append(records(1, 50, "ACME"));
            EventQuery newest = new EventQuery("ACME", null, null, null, null, null, null, 10, null);
            assertEquals(10, events.query(newest).events().size(), "an idle pool serves at once");
            try (SqlSession held = db.readSessions().openSession(true)) {
                held.getConnection(); // a search that keeps its connection 300 ms
                Thread.sleep(300);
            }
            assertEquals(0, db.readPool().inUse(), "no connection is in use");
            StoreBusyException busy = assertThrows(StoreBusyException.class, () -> events.query(newest));
            assertEquals(StoreBusyException.Reason.BUSY, busy.reason());
            assertTrue(busy.getMessage().contains("10%"), busy.getMessage());
            // the debt is at most a second's worth: 100 ms at 10%, paid back within a second
            Thread.sleep(1100);
            assertEquals(10, events.query(newest).events().size());
            // writes never wait for the read share
            events.append(records(100, 50, "ACME"));
        }
    }

    @Test
    void aSearchPastTheStatementTimeoutIsStoppedAndItsConnectionComesBack() throws Exception {
        try (TestStorage storage = TestStorage.embedded(
                dir,
                Clock.systemUTC(),
                "writeConnections",
                2,
                "readConnections",
                1,
                "exportConnections",
                1,
                "readWaitMillis",
                200L,
                "queryTimeoutSeconds",
                1,
                "searchBusyPercent",
                100)) {
            Database db = storage.database();
            MyBatisAuditStore events = storage.activate(MyBatisAuditStore.class);
            events.append(records(1, 300, "ACME"));
            db.readSessions().getConfiguration().addMapper(SlowReads.class);

            // The read pool's sessions carry the statement timeout (MyBatis sets it on each statement, HSQLDB
            // checks it while the statement runs): the scan, minutes long without it, stops after about 1 s.
            long t0 = System.nanoTime();
            RuntimeException stopped = assertThrows(RuntimeException.class, () -> {
                try (SqlSession session = db.readSessions().openSession(true)) {
                    session.getMapper(SlowReads.class).crossScan();
                }
            });
            long tookMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(tookMillis < 20_000, "stopped by the timeout, not run to its end: " + tookMillis + " ms");
            StoreBusyException translated = (StoreBusyException) SqlFailures.readFailure("x: ", stopped);
            assertEquals(StoreBusyException.Reason.QUERY_TIMEOUT, translated.reason());

            // Its only read connection is free again and healthy: the next search runs (no busy wait).
            assertEquals(0, db.readPool().inUse());
            EventPage page = events.query(new EventQuery("ACME", null, null, null, null, null, "u3", 5, null));
            assertEquals(5, page.events().size());
            assertEquals(0, db.readPool().inUse());
        }
    }

    @Test
    void aWriterIsNotBlockedByAReaderOfTheSameRows() throws Exception {
        // MVCC: a reader in the middle of a scan of an organization holds no lock a writer of the same
        // organization waits for; the write pool's connection is the writer's own.
        try (TestStorage storage = TestStorage.embedded(
                dir,
                Clock.systemUTC(),
                "writeConnections",
                1,
                "readConnections",
                1,
                "exportConnections",
                1,
                "readWaitMillis",
                100L,
                "queryTimeoutSeconds",
                30,
                "searchBusyPercent",
                100)) {
            Database db = storage.database();
            MyBatisAuditStore events = storage.activate(MyBatisAuditStore.class);
            events.append(records(1, 300, "ACME"));
            CountDownLatch started = new CountDownLatch(1);
            Future<Long> reader = longReader(db, 6, started);
            assertTrue(started.await(10, TimeUnit.SECONDS));
            Thread.sleep(200);
            CompletableFuture.runAsync(() -> events.append(records(5000, 50, "ACME")), threads)
                    .get(PROMPT.toSeconds(), TimeUnit.SECONDS);
            CompletableFuture.runAsync(() -> events.deleteOrganization("OTHER"), threads)
                    .get(PROMPT.toSeconds(), TimeUnit.SECONDS);
            assertFalse(reader.isDone());
            reader.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void searchesReadNewestFirstAcrossPagesWithAndWithoutAProduct() throws Exception {
        try (TestStorage storage = TestStorage.embedded(dir, Clock.systemUTC())) {
            MyBatisAuditStore events = storage.activate(MyBatisAuditStore.class);
            List<AuditRecord> all = new ArrayList<>(records(1, 250, "ACME"));
            // equal dates: the id breaks the tie, across a page boundary too
            for (int i = 0; i < 30; i++) {
                all.add(new AuditRecord(
                        1000 + i,
                        "ACME",
                        i % 2 == 0 ? "Apps" : "Backlog",
                        Instant.parse("2026-11-01T00:02:00Z"),
                        "Member",
                        "Add a member",
                        "x",
                        "u1",
                        "Ann",
                        "",
                        "",
                        "",
                        "V1"));
            }
            all.addAll(records(2000, 20, "OTHER"));
            events.append(all);
            for (String product : new String[] {null, "Apps"}) {
                List<AuditRecord> expected = all.stream()
                        .filter(r -> r.spaceKey().equals("ACME"))
                        .filter(r -> product == null || r.product().equals(product))
                        .sorted(java.util.Comparator.comparing(AuditRecord::date)
                                .thenComparing(AuditRecord::id)
                                .reversed())
                        .toList();
                List<AuditRecord> read = new ArrayList<>();
                EventCursor cursor = null;
                do {
                    EventPage page =
                            events.query(new EventQuery("ACME", product, null, null, null, null, null, 7, cursor));
                    read.addAll(page.events());
                    cursor = page.next();
                } while (cursor != null);
                assertEquals(expected, read, "product " + product);
            }
        }
    }

    @Test
    void olderConfigurationsKeepTheirPoolSizeAsTheWritePool() {
        assertEquals(8, StorageDatabase.pools(config(0, 8, 0)).writeConnections());
        assertEquals(3, StorageDatabase.pools(config(3, 8, 0)).writeConnections());
        assertEquals(
                Database.Pools.DEFAULT_WRITE,
                StorageDatabase.pools(config(0, 0, 0)).writeConnections());
        assertEquals(
                Database.Pools.automaticReadConnections(),
                StorageDatabase.pools(config(0, 0, 0)).readConnections());
        assertEquals(4, StorageDatabase.pools(config(0, 0, 4)).readConnections());
    }

    private static StorageDatabase.Config config(int write, int max, int read) {
        return (StorageDatabase.Config) java.lang.reflect.Proxy.newProxyInstance(
                ReadWritePoolsTest.class.getClassLoader(),
                new Class<?>[] {StorageDatabase.Config.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "writeConnections" -> write;
                    case "maxConnections" -> max;
                    case "readConnections" -> read;
                    case "exportConnections" -> 2;
                    case "readWaitMillis" -> 2000L;
                    case "queryTimeoutSeconds" -> 10;
                    case "searchBusyPercent" -> 25;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
