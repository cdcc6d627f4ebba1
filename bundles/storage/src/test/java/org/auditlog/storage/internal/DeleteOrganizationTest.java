package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.evidence.SignedCheckpoint;
import org.auditlog.api.store.EventQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An organization's purge ({@link MyBatisAuditStore#deleteOrganization}) leaves no row of it in any table keyed by
 * its space key, touches no other organization (a key that differs only in case included), and a later
 * organization of the key starts with empty trees.
 */
class DeleteOrganizationTest {
    /** Every table that holds rows of an organization's records, by space key. */
    static final List<String> TABLES = List.of(
            "audit_event",
            "audit_user",
            "late_record",
            "evidence_tree",
            "evidence_tile",
            "evidence_month",
            "evidence_stray",
            "evidence_checkpoint");

    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    static AuditRecord record(long id, String spaceKey, String product, String date) {
        return new AuditRecord(
                id,
                spaceKey,
                product,
                Instant.parse(date),
                "Member",
                "Add a member",
                "row " + id,
                "u" + id,
                "User " + id,
                "u" + id + "@acme.example",
                "192.0.2.1",
                "Mozilla/5.0",
                "V1");
    }

    @Test
    void nothingOfThePurgedOrganizationIsLeftAndItsKeyStartsAfresh() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            Database db = storage.database();
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            JdbcEvidenceStore evidence = storage.activate(JdbcEvidenceStore.class);
            List<AuditRecord> records = new ArrayList<>();
            long id = 1;
            for (String key : List.of("ACME", "acme")) {
                for (String product : List.of("Apps", "Backlog")) {
                    records.add(record(id++, key, product, "2026-11-02T00:00:00Z"));
                    records.add(record(id++, key, product, "2026-10-31T00:00:00Z")); // a stray, and a late record
                }
            }
            store.append(records);
            for (String key : List.of("ACME", "acme")) {
                evidence.saveCheckpoint(
                        new SignedCheckpoint(key, "Backlog", 2, new byte[32], clock.instant(), key), Optional.empty());
            }
            Map<String, Long> before = rows(db, "ACME");
            for (String table : TABLES) {
                assertEquals(true, before.get(table) > 0, table + " holds rows of ACME before: " + before);
            }
            Map<String, Long> other = rows(db, "acme");

            assertEquals(4, store.deleteOrganization("ACME"));
            assertEquals(zeros(), rows(db, "ACME"));
            assertEquals(other, rows(db, "acme"), "nothing of another organization");

            // a checkpoint a signer made from the tree before the purge is not stored after it
            evidence.saveCheckpoint(
                    new SignedCheckpoint("ACME", "Backlog", 2, new byte[32], clock.instant(), "old"), Optional.empty());
            assertEquals(Optional.empty(), evidence.latestCheckpoint("ACME", "Backlog"));

            // the next organization of the key: its first record is leaf 0 of a tree of one
            store.append(List.of(record(id, "ACME", "Backlog", "2026-11-22T09:00:00Z")));
            assertEquals(1, evidence.head("ACME", "Backlog").size());
            assertEquals(0, evidence.locate(id).orElseThrow().sequence());
            assertEquals(
                    1,
                    store.query(new EventQuery("ACME", null, null, null, null, null, null, 10, null))
                            .events()
                            .size());
        }
    }

    private static Map<String, Long> zeros() {
        Map<String, Long> out = new LinkedHashMap<>();
        TABLES.forEach(t -> out.put(t, 0L));
        return out;
    }

    private static Map<String, Long> rows(Database db, String spaceKey) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (SqlSession session = db.sessions().openSession(true)) {
            Connection c = session.getConnection();
            for (String table : TABLES) {
                try (PreparedStatement ps =
                        c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE space_key = ?")) {
                    ps.setString(1, spaceKey);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        out.put(table, rs.getLong(1));
                    }
                }
            }
        }
        return out;
    }
}
