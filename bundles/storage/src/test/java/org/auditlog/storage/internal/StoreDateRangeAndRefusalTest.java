package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.ibatis.exceptions.PersistenceException;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.InboxEntry;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.api.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accepted date range is stored exactly (no Julian/Gregorian shift, no overflow) and read back the same way by
 * every read path; data the database refuses is told apart from a database that cannot write now.
 */
class StoreDateRangeAndRefusalTest {
    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    /** The edges of the accepted range, written with the offsets furthest from UTC. */
    static final List<String> EDGES = List.of(
            "1970-01-01T00:00:00.000Z",
            "1970-01-01T14:00:00.000+14:00",
            "1969-12-31T12:00:00.000-12:00",
            "1970-01-01T00:00:00.001Z",
            "9999-12-31T23:59:59.999Z",
            "9999-12-31T11:59:59.999-12:00",
            "10000-01-01T13:59:59.999+14:00".replace("10000", "+10000"),
            "2026-11-01T09:30:00.123Z");

    @Test
    void theEdgesOfTheAcceptedRangeRoundTripExactly() throws Exception {
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < EDGES.size(); i++) {
            records.add(record(i + 1, OffsetDateTime.parse(EDGES.get(i)).toInstant()));
        }
        try (TestStorage storage = TestStorage.open(dir)) {
            storage.activate(MyBatisAuditStore.class).append(records);
        }
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            List<AuditRecord> queried = store.query(
                            new EventQuery("ACME", null, null, null, null, null, null, 100, null))
                    .events();
            assertEquals(records.size(), queried.size());
            for (AuditRecord q : queried) {
                assertEquals(records.get((int) q.id() - 1).date(), q.date(), "record " + q.id());
            }
            List<AuditRecord> streamed = new ArrayList<>();
            try (RecordCursor c = store.stream(
                    "ACME",
                    "Apps",
                    Instant.parse("1970-01-01T00:00:00Z"),
                    Instant.parse("9999-12-31T23:59:59.999Z").plusMillis(1))) {
                c.forEachRemaining(streamed::add);
            }
            assertEquals(records.size(), streamed.size());
            for (AuditRecord s : streamed) {
                assertEquals(records.get((int) s.id() - 1).date(), s.date(), "record " + s.id());
            }
            assertEquals(Instant.parse("1970-01-01T00:00:00Z"), streamed.get(0).date());
            assertEquals(
                    Instant.parse("9999-12-31T23:59:59.999Z"),
                    streamed.get(streamed.size() - 1).date());
        }
    }

    @Test
    void aDateTheColumnCannotHoldIsADataRefusal() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            StoreException e = assertThrows(
                    StoreException.class,
                    () -> store.append(List.of(record(1, Instant.parse("+99999-01-01T00:00:00Z")))));
            assertInstanceOf(DataRefusedException.class, e, e.getMessage());
            StoreException tooLong = assertThrows(
                    StoreException.class,
                    () -> store.append(List.of(new AuditRecord(
                            2, "ACME", "Apps", Instant.EPOCH, "c".repeat(65), "e", "a", "", "Ann", "", "", "", "V1"))));
            assertInstanceOf(DataRefusedException.class, tooLong, tooLong.getMessage());
            store.append(List.of(record(3, Instant.EPOCH)));
            assertInstanceOf(
                    DataRefusedException.class,
                    assertThrows(StoreException.class, () -> store.append(List.of(record(3, Instant.EPOCH)))),
                    "a duplicate id: integrity constraint");
        }
    }

    @Test
    void anInboxEntryWhoseRecordsTheStoreRefusesStaysUntilSetAside() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisAuditStore events = storage.activate(MyBatisAuditStore.class);
            MyBatisInboxStore inbox = storage.activate(MyBatisInboxStore.class);
            long bad = inbox.enqueue(MyBatisInboxStoreTest.entry("Backlog", "[{\"type\":1}]", 1));
            long good = inbox.enqueue(MyBatisInboxStoreTest.entry("Backlog", "[{\"type\":2}]", 1));
            assertThrows(
                    DataRefusedException.class,
                    () -> inbox.consume(bad, List.of(record(1, Instant.parse("+99999-01-01T00:00:00Z")))));
            assertEquals(2, inbox.pendingEvents("Backlog"), "the refused entry is still there, unchanged");
            inbox.consume(good, List.of(record(2, Instant.parse("2026-11-01T00:00:00Z"))));
            assertEquals(
                    1,
                    events.query(new EventQuery("ACME", null, null, null, null, null, null, 10, null))
                            .events()
                            .size(),
                    "nothing of the refused entry went in");

            inbox.fail(bad, "refused by the store: " + "x".repeat(2000));
            List<InboxEntry> failed = inbox.failedEntries("Backlog", 10);
            assertEquals(1, failed.size());
            assertEquals(bad, failed.get(0).id());
            assertEquals(null, failed.get(0).payloads(), "the list leaves the payloads out");
            assertEquals(1024, failed.get(0).failure().length());
            assertEquals("[{\"type\":1}]", inbox.entry(bad).orElseThrow().payloads());
            assertEquals(1, inbox.failedEvents("Backlog"));
            assertTrue(inbox.failedEntries("Cacoo", 10).isEmpty());

            assertTrue(inbox.retryEntry(bad));
            assertFalse(inbox.retryEntry(bad), "only an entry set aside is retried");
            assertFalse(inbox.deleteFailed(bad), "a waiting entry is never deleted");
            assertEquals(
                    List.of(bad),
                    inbox.pending("Backlog", 10).stream().map(InboxEntry::id).toList());
            inbox.fail(bad, "refused again");
            assertTrue(inbox.deleteFailed(bad));
            assertTrue(inbox.entry(bad).isEmpty());
            assertEquals(0, inbox.failedEvents("Backlog"));
            assertEquals(0, inbox.pendingEvents("Backlog"));
        }
    }

    @Test
    void onlyDataAndConstraintErrorsAreRefusals() {
        assertTrue(SqlFailures.isDataRefusal(new SQLException("overflow", "22008")));
        assertTrue(SqlFailures.isDataRefusal(new SQLException("too long", "22001")));
        assertTrue(SqlFailures.isDataRefusal(new SQLException("duplicate", "23505")));
        assertTrue(SqlFailures.isDataRefusal(new PersistenceException(new SQLException("x", "23502"))));
        BatchUpdateException batch = new BatchUpdateException("batch failed", null, 0, new int[0]);
        batch.setNextException(new SQLException("overflow", "22008"));
        assertTrue(SqlFailures.isDataRefusal(batch));

        assertFalse(SqlFailures.isDataRefusal(new SQLTransientConnectionException("gone", "08003")));
        assertFalse(SqlFailures.isDataRefusal(new SQLException("connection exception", "08001")));
        assertFalse(SqlFailures.isDataRefusal(new SQLException("serialization failure", "40001")));
        assertFalse(SqlFailures.isDataRefusal(new SQLException("no state")));
        assertFalse(SqlFailures.isDataRefusal(new PersistenceException("pool exhausted")));
        assertFalse(SqlFailures.isDataRefusal(new IllegalStateException("closed")));
    }

    static AuditRecord record(long id, Instant date) {
        return new AuditRecord(
                id,
                "ACME",
                "Apps",
                date,
                "Member",
                "Add a member",
                "ann was added",
                "u1",
                "Ann",
                "ann@acme.example",
                "192.0.2.1",
                "Mozilla/5.0",
                "V1");
    }
}
