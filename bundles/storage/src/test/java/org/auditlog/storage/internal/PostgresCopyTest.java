package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.api.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest with COPY on PostgreSQL (postgresqlIngest = copy): what goes in comes back exactly, refusals are data's. */
class PostgresCopyTest {
    @TempDir
    Path dir;

    static AuditRecord record(long id, String date, String action) {
        return new AuditRecord(
                id,
                "ACME",
                "Backlog",
                Instant.parse(date),
                "Issue",
                "Update an issue",
                action,
                "u1",
                "渡辺 \\ back\\slash",
                "ann@acme.example",
                "2001:db8::1",
                "Mozilla/5.0\t(X11)",
                "V1");
    }

    @Test
    void everyCharacterCopiesAndReadsBackExactly() throws Exception {
        List<AuditRecord> records = new ArrayList<>();
        records.add(record(1, "2026-11-01T00:00:00Z", "tab\there, newline\nthere, return\r, backslash \\N \\t \\\\"));
        records.add(record(2, "2026-11-15T12:30:45.678Z", "quotes \" ' , comma; emoji 🧾 and \u2028"));
        records.add(record(3, "1970-01-01T00:00:00Z", ""));
        records.add(record(4, "9999-12-31T23:59:59.999Z", "\\."));
        try (TestStorage storage = TestStorage.open(dir, Clock.systemUTC(), "postgresqlIngest", "copy")) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            store.append(records);
            List<AuditRecord> read =
                    new ArrayList<>(store.query(new EventQuery("ACME", null, null, null, null, null, null, 10, null))
                            .events());
            read.sort(Comparator.comparingLong(AuditRecord::id));
            assertEquals(records, read);
            List<AuditRecord> streamed = new ArrayList<>();
            try (RecordCursor c = store.stream(
                    "ACME", "Backlog", Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"))) {
                c.forEachRemaining(streamed::add);
            }
            assertEquals(records.subList(0, 2), streamed);
        }
    }

    @Test
    void whatTheDatabaseRefusesIsRefusedAsDataAndNothingOfTheBatchStays() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, Clock.systemUTC(), "postgresqlIngest", "copy")) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            store.append(List.of(record(1, "2026-11-01T00:00:00Z", "first")));
            StoreException duplicate = assertThrows(
                    StoreException.class,
                    () -> store.append(List.of(
                            record(2, "2026-11-02T00:00:00Z", "new"), record(1, "2026-11-01T00:00:00Z", "again"))));
            assertInstanceOf(DataRefusedException.class, duplicate, duplicate.getMessage());
            StoreException nul = assertThrows(
                    StoreException.class,
                    () -> store.append(List.of(record(3, "2026-11-03T00:00:00Z", "nul \0 inside"))));
            assertInstanceOf(DataRefusedException.class, nul, nul.getMessage());
            StoreException tooLong = assertThrows(
                    StoreException.class,
                    () -> store.append(List.of(record(4, "2026-11-04T00:00:00Z", "x".repeat(1025)))));
            assertInstanceOf(DataRefusedException.class, tooLong, tooLong.getMessage());
            assertEquals(
                    List.of(1L),
                    store.query(new EventQuery("ACME", null, null, null, null, null, null, 10, null)).events().stream()
                            .map(AuditRecord::id)
                            .toList());
        }
    }
}
