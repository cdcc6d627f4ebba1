package org.auditlog.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.RecordCursor;
import org.junit.jupiter.api.Test;

/** The in-memory store numbers each log as the storage bundle's evidence log does, and reads it by sequence. */
class MemoryAuditStoreTest {
    final MemoryAuditStore store = new MemoryAuditStore();

    static AuditRecord record(long id, String org, String product, String date) {
        return new AuditRecord(
                id, org, product, Instant.parse(date), "c", "e", "a", "u", "n", "m", "", "", AuditRecord.V1);
    }

    /** A page as "sequence:id". */
    List<String> page(String org, String product, long from, int limit) {
        List<String> out = new ArrayList<>();
        try (RecordCursor cursor = store.sequenced(org, product, from, limit)) {
            while (cursor.hasNext()) {
                AuditRecord r = cursor.next();
                out.add(cursor.sequence() + ":" + r.id());
            }
        }
        return out;
    }

    @Test
    void eachLogIsNumberedFromZeroInTheOrderOfItsAppends() {
        store.append(List.of(
                record(1, "ACME", "Apps", "2026-11-02T00:00:00Z"),
                record(2, "ACME", "Backlog", "2026-11-01T00:00:00Z"),
                record(3, "OTHER", "Apps", "2026-11-01T00:00:00Z")));
        store.append(List.of(record(4, "ACME", "Apps", "2026-11-01T00:00:00Z")));
        store.add("ACME", "2026-11-03T00:00:00Z"); // Apps, id 5
        store.records.add(record(6, "ACME", "Apps", "2026-11-04T00:00:00Z")); // put in directly

        assertEquals(List.of("0:1", "1:4", "2:5", "3:6"), page("ACME", "Apps", 0, 10));
        assertEquals(List.of("1:4", "2:5"), page("ACME", "Apps", 1, 2));
        assertEquals(List.of(), page("ACME", "Apps", 4, 2));
        assertEquals(List.of("0:2"), page("ACME", "Backlog", 0, 10));
        assertEquals(List.of("0:3"), page("OTHER", "Apps", 0, 10));

        assertEquals(0, store.firstSequenceDatedFrom("ACME", "Apps", Instant.parse("2026-11-01T00:00:00Z")));
        // the lowest sequence dated from then, not the first record by date
        assertEquals(0, store.firstSequenceDatedFrom("ACME", "Apps", Instant.parse("2026-11-01T00:00:00.001Z")));
        assertEquals(2, store.firstSequenceDatedFrom("ACME", "Apps", Instant.parse("2026-11-02T00:00:00.001Z")));
        assertEquals(4, store.firstSequenceDatedFrom("ACME", "Apps", Instant.parse("2026-12-01T00:00:00Z")));
        assertEquals(0, store.firstSequenceDatedFrom("NOBODY", "Apps", Instant.EPOCH));
    }

    @Test
    void retentionLeavesGapsAndAPurgeStartsTheLogsAgain() {
        store.append(List.of(
                record(1, "ACME", "Apps", "2025-01-01T00:00:00Z"),
                record(2, "ACME", "Apps", "2026-11-01T00:00:00Z"),
                record(3, "ACME", "Apps", "2024-01-01T00:00:00Z")));
        store.deleteDatedBefore(Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(List.of("1:2"), page("ACME", "Apps", 0, 10));
        store.append(List.of(record(4, "ACME", "Apps", "2026-11-02T00:00:00Z")));
        assertEquals(List.of("1:2", "3:4"), page("ACME", "Apps", 0, 10), "the deleted keep their numbers");

        store.deleteOrganization("ACME");
        store.append(List.of(record(5, "ACME", "Apps", "2026-11-03T00:00:00Z")));
        assertEquals(List.of("0:5"), page("ACME", "Apps", 0, 10));
    }
}
