package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.store.RecordCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL database of schema version 3, whose month partitions were made with the three indexes of the searches,
 * gets the index of sequences on them at the next start (V4 makes it on the partitioned table), and a stream's page
 * reads it there (run by the Maven profile postgresql).
 */
class PostgresStreamsMigrationTest {
    @TempDir
    Path dir;

    @Test
    void theMonthsMadeBeforeV4GetTheIndexOfSequences() throws Exception {
        String url = TestDatabases.urlOf(TestDatabases.databaseFor(dir));
        try (Connection c = DriverManager.getConnection(url)) {
            assertEquals(
                    List.of(1, 2, 3),
                    new SchemaMigrator(
                                    "db/postgresql",
                                    Dialect.POSTGRESQL.scripts().subList(0, 3))
                            .migrate(c));
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                // a month as Partitions made it before V4: its table, the searches' three indexes, attached
                s.execute(
                        "CREATE TABLE audit_event_p202611 (LIKE audit_event INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
                s.execute(
                        "CREATE INDEX audit_event_p202611_org_date ON audit_event_p202611 (space_key, event_date, id)");
                s.execute("CREATE INDEX audit_event_p202611_product_org_date ON audit_event_p202611 "
                        + "(product, space_key, event_date, id)");
                s.execute("CREATE INDEX audit_event_p202611_user_org_date ON audit_event_p202611 "
                        + "(operation_user_id, space_key, event_date, id)");
                s.execute("ALTER TABLE audit_event ATTACH PARTITION audit_event_p202611 "
                        + "FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00')");
                for (int i = 0; i < 5; i++) {
                    s.execute("INSERT INTO audit_event VALUES (" + (100 + i) + ", 'ACME', 'Apps', "
                            + "TIMESTAMPTZ '2026-11-0" + (i + 1)
                            + " 00:00:00+00', 'c', 'e', 'a', 'u', 'n', 'm', '', '', "
                            + "'V1', " + i + ")");
                }
                s.execute("INSERT INTO evidence_tree VALUES ('ACME', 'Apps', 5, '202611')");
            }
        }

        try (TestStorage storage = TestStorage.open(dir, Clock.systemUTC())) {
            Database db = storage.database();
            try (SqlSession session = db.sessions().openSession(false)) {
                Connection c = session.getConnection();
                List<String> indexes = new ArrayList<>();
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = "
                                + "'audit_event_p202611' AND indexdef LIKE '%(space_key, product, seq)'")) {
                    while (rs.next()) {
                        indexes.add(rs.getString(1));
                    }
                }
                assertEquals(List.of("audit_event_p202611_space_key_product_seq_idx"), indexes);

                MyBatisAuditStore.followIndexes(c);
                StringBuilder plan = new StringBuilder();
                try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + MyBatisAuditStore.SEQUENCED_SQL)) {
                    ps.setString(1, "ACME");
                    ps.setString(2, "Apps");
                    ps.setLong(3, 2);
                    ps.setInt(4, 2);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            plan.append(rs.getString(1)).append('\n');
                        }
                    }
                }
                c.rollback();
                assertTrue(
                        plan.toString()
                                .contains("audit_event_p202611_space_key_product_seq_idx on audit_event_p202611"),
                        plan.toString());
            }
            List<Long> ids = new ArrayList<>();
            try (RecordCursor page = storage.activate(MyBatisAuditStore.class).sequenced("ACME", "Apps", 2, 2)) {
                while (page.hasNext()) {
                    ids.add(page.next().id());
                }
            }
            assertEquals(List.of(102L, 103L), ids);
        }
    }
}
