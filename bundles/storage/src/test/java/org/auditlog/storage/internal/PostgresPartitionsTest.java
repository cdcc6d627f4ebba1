package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.InboxEntry;
import org.auditlog.api.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events' monthly partitions on PostgreSQL (run by the Maven profile postgresql, which names the server in
 * {@value TestDatabases#POSTGRESQL_PROPERTY}): made ahead and on demand, dropped whole by retention, and a
 * schema two servers open at once.
 */
class PostgresPartitionsTest {
    @TempDir
    Path dir;

    static AuditRecord record(long id, String date) {
        return new AuditRecord(
                id,
                "ACME",
                "Apps",
                Instant.parse(date),
                "Member",
                "Add a member",
                "did " + id,
                "u1",
                "Ann",
                "ann@acme.example",
                "192.0.2.1",
                "agent",
                "V1");
    }

    @Test
    void theCurrentMonthAndTheNextTwoAreThereBeforeAnyEventAndOtherMonthsAreMadeOnDemand() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            Database db = storage.database();
            YearMonth now = YearMonth.now(ZoneOffset.UTC);
            assertEquals(Set.of(now, now.plusMonths(1), now.plusMonths(2)), months(db));
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            store.append(List.of(
                    record(1, "2019-03-15T10:00:00Z"),
                    record(2, "1970-01-01T00:00:00Z"),
                    record(3, "9999-12-31T23:59:59.999Z")));
            assertTrue(
                    months(db)
                            .containsAll(Set.of(YearMonth.of(2019, 3), YearMonth.of(1970, 1), YearMonth.of(9999, 12))),
                    months(db).toString());
            assertEquals(
                    3,
                    store.query(new EventQuery("ACME", null, null, null, null, null, null, 10, null))
                            .events()
                            .size());
            // each partition carries the four indexes of the searches and the streams' one, under its own name
            assertEquals(
                    Set.of(
                            "audit_event_p201903_org_date",
                            "audit_event_p201903_product_org_date",
                            "audit_event_p201903_user_org_date",
                            "audit_event_p201903_ip_org_date",
                            "audit_event_p201903_org_product_seq",
                            "audit_event_p201903_pkey"),
                    indexes(db, "audit_event_p201903"));
            // and its words a partition of their own
            assertEquals(Set.of("audit_word_p201903_pkey"), indexes(db, "audit_word_p201903"));
        }
    }

    @Test
    void retentionDropsWholeMonthsCountsTheirRowsAndKeepsTheRest() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T03:00:00Z"), ZoneOffset.UTC);
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            Database db = storage.database();
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            List<AuditRecord> records = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                records.add(record(10 + i, "2025-10-" + String.format("%02d", 1 + i % 28) + "T08:00:00Z"));
            }
            records.add(record(1, "2025-11-30T23:59:59.999Z"));
            records.add(record(2, "2025-12-01T00:00:00Z"));
            store.append(records);

            assertEquals(301, store.deleteDatedBefore(Instant.parse("2025-12-01T00:00:00Z")));
            assertFalse(months(db).contains(YearMonth.of(2025, 10)));
            assertFalse(months(db).contains(YearMonth.of(2025, 11)));
            assertTrue(months(db).contains(YearMonth.of(2025, 12)));
            // the words of the dropped months went with them, and their counts
            assertEquals(Set.of(), indexes(db, "audit_word_p202510"));
            assertEquals(Set.of("audit_word_p202512_pkey"), indexes(db, "audit_word_p202512"));
            assertEquals(Set.of("2025-12"), monthsCounted(db));
            assertEquals(
                    List.of(2L),
                    store.query(new EventQuery("ACME", null, null, null, null, null, null, 10, null)).events().stream()
                            .map(AuditRecord::id)
                            .toList());
            assertEquals(0, store.deleteDatedBefore(Instant.parse("2025-12-01T00:00:00Z")), "nothing left to drop");

            // a record of a dropped month arriving late gets its month back (and goes at the next run)
            store.append(List.of(record(3, "2025-11-15T00:00:00Z")));
            assertTrue(months(db).contains(YearMonth.of(2025, 11)));
            assertEquals(1, store.deleteDatedBefore(Instant.parse("2025-12-01T00:00:00Z")));
        }
    }

    @Test
    void aMonthAnotherServerDroppedIsMadeAgainWhenARecordOfItArrives() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T03:00:00Z"), ZoneOffset.UTC);
        try (TestStorage a = TestStorage.open(dir, clock);
                TestStorage b = TestStorage.open(dir, clock)) {
            MyBatisAuditStore first = a.activate(MyBatisAuditStore.class);
            MyBatisAuditStore second = b.activate(MyBatisAuditStore.class);
            first.append(List.of(record(1, "2025-10-05T00:00:00Z")));
            // the other server's retention drops October; the first still believes it is there
            assertEquals(1, second.deleteDatedBefore(Instant.parse("2025-11-01T00:00:00Z")));
            first.append(List.of(record(2, "2025-10-06T00:00:00Z")));
            assertTrue(months(a.database()).contains(YearMonth.of(2025, 10)));
            MyBatisInboxStore inbox = a.activate(MyBatisInboxStore.class);
            assertEquals(1, second.deleteDatedBefore(Instant.parse("2025-11-01T00:00:00Z")));
            long entry = inbox.enqueue(new InboxEntry(
                    0, "Apps", "application/json", "[{}]", 1, new IngestContext("ACME", null, null), null, null));
            // an inbox entry drained into a dropped month: refused for now (not as data), then stored when tried again
            StoreException e = assertThrows(
                    StoreException.class, () -> inbox.consume(entry, List.of(record(3, "2025-10-07T00:00:00Z"))));
            assertFalse(e instanceof DataRefusedException, e.getMessage());
            inbox.consume(entry, List.of(record(3, "2025-10-07T00:00:00Z")));
            assertEquals(
                    List.of(3L),
                    first.query(new EventQuery("ACME", null, null, null, null, null, null, 10, null)).events().stream()
                            .map(AuditRecord::id)
                            .toList());
        }
    }

    @Test
    void aDropStoppedHalfWayIsFinishedByTheNextRun() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T03:00:00Z"), ZoneOffset.UTC);
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            Database db = storage.database();
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            store.append(List.of(
                    record(1, "2025-09-10T00:00:00Z"),
                    record(2, "2025-10-10T00:00:00Z"),
                    record(3, "2025-10-11T00:00:00Z")));
            // as a server killed between the detach and the drop leaves it
            try (SqlSession s = db.sessions().openSession(true);
                    Statement st = s.getConnection().createStatement()) {
                s.getConnection().setAutoCommit(true);
                st.execute("ALTER TABLE audit_event DETACH PARTITION audit_event_p202510 CONCURRENTLY");
            }
            assertEquals(3, store.deleteDatedBefore(Instant.parse("2025-12-01T00:00:00Z")));
            try (SqlSession s = db.sessions().openSession(true)) {
                assertEquals(List.of(), Partitions.detached(s.getConnection()));
            }
        }
    }

    @Test
    void twoServersOpeningANewDatabaseAtOnceMakeOneSchema() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(3);
        List<TestStorage> servers = new ArrayList<>();
        try {
            List<Future<TestStorage>> opened = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Callable<TestStorage> open = () -> TestStorage.open(dir);
                opened.add(threads.submit(open));
            }
            for (Future<TestStorage> f : opened) {
                servers.add(f.get());
            }
            try (SqlSession s = servers.get(0).database().sessions().openSession(true);
                    Statement st = s.getConnection().createStatement();
                    ResultSet rs = st.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
                List<Integer> versions = new ArrayList<>();
                while (rs.next()) {
                    versions.add(rs.getInt(1));
                }
                assertEquals(List.of(1, 2, 3, 4, 5), versions);
            }
            servers.get(1).activate(MyBatisAuditStore.class).append(List.of(record(1, "2026-01-05T00:00:00Z")));
            servers.get(2).activate(MyBatisAuditStore.class).append(List.of(record(2, "2026-01-06T00:00:00Z")));
            assertEquals(
                    2,
                    servers.get(0)
                            .activate(MyBatisAuditStore.class)
                            .query(new EventQuery("ACME", null, null, null, null, null, null, 10, null))
                            .events()
                            .size());
        } finally {
            threads.shutdownNow();
            servers.forEach(TestStorage::close);
        }
    }

    private static Set<YearMonth> months(Database db) throws Exception {
        try (SqlSession s = db.sessions().openSession(true)) {
            return new TreeSet<>(Partitions.attached(s.getConnection()).keySet());
        }
    }

    /** The months (UTC) of the hours that have counts. */
    private static Set<String> monthsCounted(Database db) throws Exception {
        try (SqlSession s = db.sessions().openSession(true);
                Statement st = s.getConnection().createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT DISTINCT to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM') " + "FROM audit_count")) {
            Set<String> out = new TreeSet<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static Set<String> indexes(Database db, String table) throws Exception {
        try (SqlSession s = db.sessions().openSession(true);
                Connection c = s.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = '" + table + "'")) {
            Set<String> out = new TreeSet<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
