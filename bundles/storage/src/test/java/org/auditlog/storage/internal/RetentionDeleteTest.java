package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.adapter.AuditRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention deletes exactly the records dated before the cutoff, of every organization, also more than one
 * transaction's worth of one organization, and reads the store through the organization index, not row by row.
 */
class RetentionDeleteTest {
    @TempDir
    java.nio.file.Path dir;

    TestStorage storage;
    Database db;
    MyBatisAuditStore store;

    static final Instant CUTOFF = Instant.parse("2025-11-01T00:00:00Z");

    @BeforeEach
    void open() throws Exception {
        storage = TestStorage.open(dir);
        db = storage.database();
        store = storage.activate(MyBatisAuditStore.class);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void everyOrganizationLosesItsExpiredRecordsAndNothingElse() {
        // BIG: more expired rows than one chunk; the others a few each, on both sides of the cutoff
        long id = 1;
        List<AuditRecord> batch = new ArrayList<>();
        int bigExpired = MyBatisAuditStore.RETENTION_CHUNK * 2 + 17;
        for (int i = 0; i < bigExpired; i++) {
            batch.add(record(id++, "BIG", CUTOFF.minusSeconds(1 + i)));
            if (batch.size() == 1000) {
                store.append(batch);
                batch.clear();
            }
        }
        for (int i = 0; i < 300; i++) {
            batch.add(record(id++, "BIG", CUTOFF.plusSeconds(i))); // the cutoff itself is kept
        }
        for (String org : List.of("A", "M", "Z-last", "a-lower")) {
            batch.add(record(id++, org, CUTOFF.minusSeconds(86_400)));
            batch.add(record(id++, org, CUTOFF.minusMillis(1)));
            batch.add(record(id++, org, CUTOFF.plusMillis(1)));
        }
        batch.add(record(id++, "ONLY-NEW", CUTOFF.plusSeconds(60)));
        batch.add(record(id++, "ONLY-OLD", CUTOFF.minusSeconds(60)));
        store.append(batch);

        assertEquals(bigExpired + 4 * 2 + 1, store.deleteDatedBefore(CUTOFF));

        Map<String, Long> left = new TreeMap<>();
        try (SqlSession s = db.sessions().openSession(true);
                Statement st = s.getConnection().createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT space_key, COUNT(*), MIN(event_date) FROM audit_event " + "GROUP BY space_key")) {
            while (rs.next()) {
                left.put(rs.getString(1), rs.getLong(2));
                assertFalse(
                        rs.getObject(3, java.time.OffsetDateTime.class)
                                .toInstant()
                                .isBefore(CUTOFF),
                        rs.getString(1) + " keeps a record dated before the cutoff");
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        assertEquals(Map.of("A", 1L, "BIG", 300L, "M", 1L, "ONLY-NEW", 1L, "Z-last", 1L, "a-lower", 1L), left);
        assertEquals(0, store.deleteDatedBefore(CUTOFF), "a second run finds nothing");
    }

    @Test
    void anEmptyStoreHasNothingToDelete() {
        assertEquals(0, store.deleteDatedBefore(CUTOFF));
    }

    @Test
    void bothStatementsWalkTheOrganizationIndex() throws Exception {
        if (TestDatabases.onPostgres()) {
            // PostgreSQL drops whole months; the statements below serve a cutoff inside a month. Scans of whole
            // tables are off: a test table is too small for the planner to prefer an index at all.
            try (SqlSession s = db.sessions().openSession(false);
                    Statement st = s.getConnection().createStatement()) {
                st.execute("SET enable_seqscan = off");
                st.execute("SET enable_bitmapscan = off");
                String next = pgPlan(
                        st,
                        "SELECT space_key FROM audit_event WHERE space_key > 'A' "
                                + "ORDER BY space_key, event_date, id FETCH FIRST 1 ROWS ONLY");
                // a merge of each month's index walk, in order: no sort node
                assertTrue(
                        next.contains("_org_date on audit_event_p") && !next.matches("(?s).*\\bSort\\s+\\(cost.*"),
                        next);
                String delete = pgPlan(
                        st,
                        "DELETE FROM audit_event WHERE (id, event_date) IN (SELECT id, event_date "
                                + "FROM audit_event WHERE space_key = 'A' AND event_date < TIMESTAMPTZ '9999-01-01 00:00:00+00' "
                                + "ORDER BY event_date, id LIMIT 10000)");
                assertTrue(
                        delete.contains("_org_date on audit_event_p") && !delete.matches("(?s).*\\bSort\\s+\\(cost.*"),
                        delete);
            }
            return;
        }
        try (SqlSession s = db.sessions().openSession(true)) {
            Connection c = s.getConnection();
            String next = plan(
                    c,
                    "SELECT space_key FROM audit_event WHERE space_key > 'A' "
                            + "ORDER BY space_key, event_date, id FETCH FIRST 1 ROWS ONLY");
            assertTrue(
                    next.contains("index=AUDIT_EVENT_ORG_DATE")
                            && next.contains("start conditions")
                            && next.contains("uses index"),
                    next);
            String delete = plan(
                    c,
                    "DELETE FROM audit_event WHERE space_key = 'A' "
                            + "AND event_date < TIMESTAMP '2025-11-01 00:00:00+00:00' LIMIT 10000");
            assertTrue(delete.contains("index=AUDIT_EVENT_ORG_DATE") && delete.contains("end condition"), delete);
            // and the mapper's statements are these
            String xml = new String(
                            getClass().getResourceAsStream("EventMapper.xml").readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8)
                    .replaceAll("\\s+", " ");
            assertTrue(xml.contains("ORDER BY space_key, event_date, id FETCH FIRST 1 ROWS ONLY"), xml);
            assertTrue(
                    xml.contains("DELETE FROM audit_event WHERE space_key = #{spaceKey} AND event_date &lt; "
                            + "#{cutoff} LIMIT #{limit}"),
                    xml);
        }
    }

    private static String pgPlan(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
            StringBuilder b = new StringBuilder();
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
            return b.toString();
        }
    }

    private static String plan(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("EXPLAIN PLAN FOR " + sql)) {
            StringBuilder b = new StringBuilder();
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
            return b.toString();
        }
    }

    private static AuditRecord record(long id, String org, Instant date) {
        return new AuditRecord(
                id,
                org,
                "Apps",
                date,
                "Member",
                "Add member",
                "did " + id,
                "u" + (id % 7),
                "User",
                "u@example.com",
                "192.0.2.1",
                "agent",
                "V1");
    }
}
