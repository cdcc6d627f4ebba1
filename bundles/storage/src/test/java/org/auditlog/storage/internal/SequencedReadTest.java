package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.RecordCursor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream's reads ({@link MyBatisAuditStore#sequenced}, {@link MyBatisAuditStore#firstSequenceDatedFrom}), on HSQLDB
 * and (profile postgresql) PostgreSQL: each log of an organization and product in sequence order, page after page,
 * nothing of another log; the index audit_event_org_product_seq serves the page in its order on both databases.
 */
class SequencedReadTest {
    static final Instant START = Instant.parse("2026-10-30T00:00:00Z");
    static final List<String> ORGS = List.of("ACME", "OTHER");
    static final List<String> PRODUCTS = List.of("Apps", "Backlog");

    @TempDir
    Path dir;

    TestStorage storage;
    MyBatisAuditStore store;
    /** Each log's records in the order appended, by "organization product". */
    final Map<String, List<Long>> appended = new LinkedHashMap<>();

    @BeforeEach
    void open() throws Exception {
        storage = TestStorage.open(dir, Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
        store = storage.activate(MyBatisAuditStore.class);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    /** 4 logs, 10 or 11 records each, appended interleaved in 5 batches, dated across two months. */
    void fill() {
        long id = 1000;
        for (int batch = 0; batch < 5; batch++) {
            List<AuditRecord> records = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                String org = ORGS.get((i + batch) % 2);
                String product = PRODUCTS.get(i / 2 % 2);
                // dated out of order: a log's sequence is the order of its appends, not of its dates
                Instant date = START.plusSeconds(3600L * 24 * ((id * 7) % 5));
                records.add(record(id, org, product, date));
                appended.computeIfAbsent(org + " " + product, k -> new ArrayList<>())
                        .add(id);
                id++;
            }
            store.append(records);
        }
    }

    @Test
    void eachLogIsReadInSequenceOrderPageAfterPageAndNothingOfAnotherLog() {
        fill();
        for (String org : ORGS) {
            for (String product : PRODUCTS) {
                List<Long> expected = appended.get(org + " " + product);
                assertTrue(expected.size() >= 10, expected.toString());
                List<Long> got = new ArrayList<>();
                long from = 0;
                int pages = 0;
                while (true) {
                    List<long[]> page = page(org, product, from, 4);
                    if (page.isEmpty()) {
                        break;
                    }
                    pages++;
                    assertTrue(page.size() <= 4);
                    for (long[] row : page) {
                        assertEquals(from, row[0], org + " " + product + ": gapless from where the page began");
                        got.add(row[1]);
                        from = row[0] + 1;
                    }
                }
                assertTrue(pages >= 3, pages + " pages");
                assertEquals(expected, got, org + " " + product);
            }
        }
        // from the middle, and past the end
        List<Long> acmeApps = appended.get("ACME Apps");
        assertEquals(acmeApps.subList(5, 7), ids(page("ACME", "Apps", 5, 2)));
        assertEquals(List.of(), page("ACME", "Apps", acmeApps.size(), 10));
        assertEquals(List.of(), page("NOBODY", "Apps", 0, 10));
        assertThrows(IllegalArgumentException.class, () -> store.sequenced("ACME", "Apps", 0, 0));
    }

    @Test
    void retentionLeavesAGapAndRecordsWithoutASequenceAreNotRead() throws Exception {
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // three in October, three in November
            records.add(
                    record(100 + i, "ACME", "Apps", START.minusSeconds(86_400).plusSeconds(86_400L * i)));
        }
        store.append(records);
        // a record stored before the evidence log was kept: no sequence
        try (SqlSession s = storage.database().sessions().openSession(false)) {
            Connection c = s.getConnection();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (" + EventSearch.COLUMNS
                    + ", seq) VALUES (99, 'ACME', 'Apps', ?, 'c', 'e', 'a', 'u', 'n', 'm', '', '', 'V1', NULL)")) {
                ps.setObject(1, START.plusSeconds(60).atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            c.commit();
        }
        assertEquals(List.of(100L, 101L, 102L, 103L, 104L, 105L), ids(page("ACME", "Apps", 0, 100)));

        store.deleteDatedBefore(Instant.parse("2026-11-01T00:00:00Z"));
        List<long[]> kept = page("ACME", "Apps", 0, 100);
        assertEquals(List.of(103L, 104L, 105L), ids(kept), "the page starts after the gap");
        assertEquals(3, kept.get(0)[0]);
        assertEquals(List.of(103L, 104L), ids(page("ACME", "Apps", 0, 2)), "a page of deleted sequences goes on after");
        assertEquals(List.of(104L, 105L), ids(page("ACME", "Apps", 4, 2)));
        assertEquals(List.of(), page("ACME", "Apps", 6, 2), "past the end");
        assertEquals(3, store.firstSequenceDatedFrom("ACME", "Apps", Instant.EPOCH));
    }

    @Test
    void aPageIsFullAcrossTheHolesRetentionLeft() {
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // sequences 2 and 5 dated in October (a product that sent late), the others in November
            Instant date = i == 2 || i == 5 ? START : START.plusSeconds(86_400L * 5 + i);
            records.add(record(200 + i, "ACME", "Apps", date));
        }
        store.append(records);
        store.deleteDatedBefore(Instant.parse("2026-11-01T00:00:00Z"));
        List<long[]> page = page("ACME", "Apps", 0, 4);
        assertEquals(List.of(200L, 201L, 203L, 204L), ids(page));
        assertEquals(List.of(0L, 1L, 3L, 4L), page.stream().map(row -> row[0]).toList());
        assertEquals(List.of(206L, 207L), ids(page("ACME", "Apps", 5, 4)), "fewer only at the end of the log");
    }

    @Test
    void theFirstSequenceDatedFromAnInstant() {
        Instant t = Instant.parse("2026-11-10T00:00:00Z");
        store.append(List.of(
                record(1, "ACME", "Apps", t.minusSeconds(10)),
                record(2, "ACME", "Apps", t),
                record(3, "ACME", "Apps", t.plusSeconds(10)),
                record(4, "ACME", "Backlog", t.plusSeconds(20))));
        // a late record: dated before t, appended after
        store.append(List.of(record(5, "ACME", "Apps", t.minusSeconds(3600))));
        store.append(List.of(record(6, "ACME", "Apps", t.plusSeconds(5))));

        assertEquals(0, store.firstSequenceDatedFrom("ACME", "Apps", Instant.EPOCH));
        assertEquals(1, store.firstSequenceDatedFrom("ACME", "Apps", t), "dated at t");
        assertEquals(2, store.firstSequenceDatedFrom("ACME", "Apps", t.plusMillis(1)));
        assertEquals(
                2, store.firstSequenceDatedFrom("ACME", "Apps", t.plusSeconds(5)), "the lowest, not the first dated");
        // from the late record's date: every record of the log is dated from then, the first of them sequence 0
        assertEquals(0, store.firstSequenceDatedFrom("ACME", "Apps", t.minusSeconds(3600)));
        assertEquals(5, store.firstSequenceDatedFrom("ACME", "Apps", t.plusSeconds(11)), "none: the log's size");
        assertEquals(0, store.firstSequenceDatedFrom("ACME", "Backlog", t));
        assertEquals(1, store.firstSequenceDatedFrom("ACME", "Backlog", t.plusSeconds(21)));
        assertEquals(0, store.firstSequenceDatedFrom("ACME", "Cacoo", t), "a log never written");
        assertEquals(0, store.firstSequenceDatedFrom("NOBODY", "Apps", t));
    }

    /** The page's statement walks the index of organization, product and sequence, in its order, on both databases. */
    @Test
    void aPageIsARangeOfTheSequenceIndexInItsOrder() throws Exception {
        fill();
        try (SqlSession session = storage.database().sessions().openSession(false)) {
            Connection c = session.getConnection();
            String plan = plan(c);
            System.out.println(
                    TestDatabases.onPostgres()
                            ? "Plan of MyBatisAuditStore.SEQUENCED_SQL on PostgreSQL:\n" + plan
                            : "Plan of MyBatisAuditStore.HSQLDB_SEQUENCED_SQL on HSQLDB:\n" + plan);
            if (TestDatabases.onPostgres()) {
                // each month's partition walked on its index, merged in order: no sort
                assertTrue(
                        Pattern.compile("Index Scan using audit_event_p\\d{6}_org_product_seq on audit_event_p\\d{6}")
                                .matcher(plan)
                                .find(),
                        plan);
                assertFalse(plan.matches("(?s).*\\bSort\\s+\\(cost.*"), plan);
                assertFalse(plan.contains("Seq Scan"), plan);
            } else {
                // one lookup per sequence, all three columns compared for equality, in the new index
                int at = plan.indexOf("index=AUDIT_EVENT_ORG_PRODUCT_SEQ");
                assertTrue(at > 0, plan);
                String lookup = plan.substring(at, plan.indexOf("order by=", at));
                assertTrue(lookup.contains("start conditions"), plan);
                for (String column : List.of("SPACE_KEY", "PRODUCT", "SEQ")) {
                    assertTrue(
                            Pattern.compile("EQUAL arg_left=\\[\\s+COLUMN: PUBLIC.AUDIT_EVENT." + column + "\\s")
                                    .matcher(lookup)
                                    .find(),
                            column + "\n" + plan);
                }
                assertFalse(lookup.contains("other condition"), plan);
            }
            c.rollback();

            // the first sequence dated from an instant: a range of the product index from that date on
            String first = firstDatedPlan(c);
            System.out.println("Plan of MyBatisAuditStore.FIRST_DATED_SQL on "
                    + (TestDatabases.onPostgres() ? "PostgreSQL" : "HSQLDB") + ":\n" + first);
            if (TestDatabases.onPostgres()) {
                assertFalse(first.contains("Seq Scan"), first);
                assertTrue(first.contains("Index"), first);
            } else {
                int at = first.indexOf("index=AUDIT_EVENT_PRODUCT_ORG_DATE");
                assertTrue(at > 0, first);
                String range = first.substring(at, first.indexOf("]]", at));
                assertTrue(
                        Pattern.compile("start conditions=(?s).*GREATER_EQUAL arg_left=\\[\\s+COLUMN: "
                                        + "PUBLIC.AUDIT_EVENT.EVENT_DATE")
                                .matcher(range)
                                .find(),
                        first);
            }
            c.rollback();
        }
    }

    private static String firstDatedPlan(Connection c) throws Exception {
        StringBuilder b = new StringBuilder();
        if (TestDatabases.onPostgres()) {
            MyBatisAuditStore.followIndexes(c);
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + MyBatisAuditStore.FIRST_DATED_SQL)) {
                ps.setString(1, "ACME");
                ps.setString(2, "Apps");
                ps.setObject(3, START.plusSeconds(86_400).atOffset(ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        b.append(rs.getString(1)).append('\n');
                    }
                }
            }
            return b.toString();
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + MyBatisAuditStore.FIRST_DATED_SQL)) {
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * HSQLDB's plan of the statement; PostgreSQL's with its parameters bound, in a transaction that follows the
     * indexes as the store's does ({@link MyBatisAuditStore#followIndexes}).
     */
    private static String plan(Connection c) throws Exception {
        StringBuilder b = new StringBuilder();
        if (TestDatabases.onPostgres()) {
            MyBatisAuditStore.followIndexes(c);
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + MyBatisAuditStore.SEQUENCED_SQL)) {
                ps.setString(1, "ACME");
                ps.setString(2, "Apps");
                ps.setLong(3, 4);
                ps.setInt(4, 4);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        b.append(rs.getString(1)).append('\n');
                    }
                }
            }
            return b.toString();
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + MyBatisAuditStore.HSQLDB_SEQUENCED_SQL)) {
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
        }
        return b.toString();
    }

    /** A page as (sequence, id) pairs, checked to be of the log asked. */
    private List<long[]> page(String org, String product, long from, int limit) {
        List<long[]> out = new ArrayList<>();
        try (RecordCursor cursor = store.sequenced(org, product, from, limit)) {
            assertEquals(-1, cursor.sequence(), "no sequence before the first record");
            while (cursor.hasNext()) {
                AuditRecord r = cursor.next();
                assertEquals(org, r.spaceKey());
                assertEquals(product, r.product());
                out.add(new long[] {cursor.sequence(), r.id()});
            }
        }
        return out;
    }

    private static List<Long> ids(List<long[]> page) {
        return page.stream().map(row -> row[1]).toList();
    }

    static AuditRecord record(long id, String org, String product, Instant date) {
        return new AuditRecord(
                id,
                org,
                product,
                date,
                "Member",
                "Add a member",
                "row " + id,
                "u" + id % 3,
                "User",
                "user@example.com",
                "192.0.2.1",
                "agent",
                "V1");
    }
}
