package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.StoreException;
import org.auditlog.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store notes when a record of a month that has ended was last stored, per organization, product and month, in
 * the records' own transaction: what a past month's export file asks to know whether it is still whole.
 */
class LateRecordsTest {
    static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

    @TempDir
    Path dir;

    /** The Clock service of the test's server. */
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));

    static AuditRecord record(long id, String spaceKey, String product, String date) {
        return new AuditRecord(
                id,
                spaceKey,
                product,
                Instant.parse(date),
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

    @Test
    void recordsOfTheCurrentMonthAreNotLateAndRecordsOfAnEndedMonthAreNotedWhenStored() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            store.append(List.of(record(1, "ACME", "Backlog", "2026-11-22T09:59:00Z")));
            assertEquals(Optional.empty(), store.lastLateRecord("ACME", "Backlog", NOVEMBER));
            assertEquals(Optional.empty(), store.lastLateRecord("ACME", "Backlog", OCTOBER));

            store.append(List.of(
                    record(2, "ACME", "Backlog", "2026-10-31T23:00:00Z"),
                    record(3, "ACME", "Backlog", "2026-10-01T00:00:00Z"),
                    record(4, "ACME", "Cacoo", "2026-11-22T09:00:00Z")));
            assertEquals(
                    Optional.of(Instant.parse("2026-11-22T10:00:00Z")),
                    store.lastLateRecord("ACME", "Backlog", OCTOBER));
            assertEquals(Optional.empty(), store.lastLateRecord("ACME", "Cacoo", OCTOBER), "another product");
            assertEquals(Optional.empty(), store.lastLateRecord("OTHER", "Backlog", OCTOBER), "another organization");

            // the next one moves the note; it survives a restart
            clock.set(Instant.parse("2026-11-23T08:30:00Z"));
            store.append(List.of(record(5, "ACME", "Backlog", "2026-10-15T12:00:00Z")));
        }
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            assertEquals(
                    Optional.of(Instant.parse("2026-11-23T08:30:00Z")),
                    store.lastLateRecord("ACME", "Backlog", OCTOBER));
        }
    }

    @Test
    void aRecordStoredInTheLastMinutesOfItsMonthIsNotedInCaseItsCommitComesAfterMidnight() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            clock.set(Instant.parse("2026-11-30T23:50:00Z"));
            store.append(List.of(record(1, "ACME", "Backlog", "2026-11-30T23:49:00Z")));
            assertEquals(Optional.empty(), store.lastLateRecord("ACME", "Backlog", NOVEMBER), "10 minutes to go");
            clock.set(Instant.parse("2026-11-30T23:57:00Z"));
            store.append(List.of(record(2, "ACME", "Backlog", "2026-11-30T23:56:00Z")));
            assertEquals(
                    Optional.of(Instant.parse("2026-11-30T23:57:00Z")),
                    store.lastLateRecord("ACME", "Backlog", NOVEMBER),
                    "within the margin");
        }
    }

    @Test
    void aRefusedBatchNotesNothing() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            AuditRecord tooLong = new AuditRecord(
                    2,
                    "ACME",
                    "Backlog",
                    Instant.parse("2026-10-02T00:00:00Z"),
                    "Member",
                    "x".repeat(5000),
                    "a",
                    "u1",
                    "Ann",
                    "",
                    "",
                    "",
                    "V1");
            StoreException e = assertThrows(
                    StoreException.class,
                    () -> store.append(List.of(record(1, "ACME", "Backlog", "2026-10-01T00:00:00Z"), tooLong)));
            assertInstanceOf(DataRefusedException.class, e, e.getMessage());
            assertEquals(Optional.empty(), store.lastLateRecord("ACME", "Backlog", OCTOBER));
        }
    }

    @Test
    void retentionTakesTheNotesOfExpiredMonthsAndOfDeletedOrganizations() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            store.append(List.of(
                    record(1, "ACME", "Backlog", "2025-10-15T00:00:00Z"),
                    record(2, "ACME", "Backlog", "2025-11-15T00:00:00Z"),
                    record(3, "GONE", "Backlog", "2026-10-15T00:00:00Z")));
            assertEquals(1, store.deleteDatedBefore(Instant.parse("2025-11-01T00:00:00Z")));
            assertEquals(Optional.empty(), store.lastLateRecord("ACME", "Backlog", YearMonth.of(2025, 10)));
            assertEquals(
                    Optional.of(Instant.parse("2026-11-22T10:00:00Z")),
                    store.lastLateRecord("ACME", "Backlog", YearMonth.of(2025, 11)));
            assertEquals(1, store.deleteOrganization("GONE"));
            assertEquals(Optional.empty(), store.lastLateRecord("GONE", "Backlog", OCTOBER));
        }
    }
}
