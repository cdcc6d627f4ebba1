package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.store.EventQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HSQLDB commits each DDL statement by itself, so a start stopped while V6 builds its indexes leaves some
 * of them in place without the version recorded. The next start must finish the script, not fail on it.
 */
class SchemaV6InterruptedTest {
    @TempDir
    Path dir;

    @Test
    void aV6StoppedHalfWayIsFinishedAtTheNextStart() throws Exception {
        String v6 = Database.HSQLDB_SCRIPTS.get(5);
        assertEquals("V6__event_search_indexes.sql", v6);
        // in the data folder dir, whose embedded database is in dir/db
        String url = "jdbc:hsqldb:file:" + dir.resolve("db/auditlog").toAbsolutePath() + ";hsqldb.lock_file=false";
        try (Connection c = DriverManager.getConnection(url, "SA", "")) {
            assertEquals(
                    List.of(1, 2, 3, 4, 5),
                    new SchemaMigrator("db/hsqldb", Database.HSQLDB_SCRIPTS.subList(0, 5)).migrate(c));
            try (Statement s = c.createStatement()) {
                s.executeUpdate(
                        "INSERT INTO audit_event VALUES (1, 'ACME', 'Apps', TIMESTAMP '2026-11-01 09:00:00+00:00', "
                                + "'Member', 'Add a member', 'ann was added', 'u1', 'Ann', 'ann@acme.example', '192.0.2.1', "
                                + "'Mozilla/5.0', 'V1')");
                c.commit();
                // V6 up to its user table, as a stop during CREATE INDEX audit_user_name leaves it
                List<String> statements = SchemaMigrator.statements(new String(
                        getClass()
                                .getClassLoader()
                                .getResourceAsStream("db/hsqldb/" + v6)
                                .readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));
                int done = 0;
                for (String sql : statements) {
                    if (sql.contains("audit_user_name")) {
                        break;
                    }
                    s.execute(sql);
                    done++;
                }
                assertEquals(4, done, "drop, two event indexes, the user table");
                c.commit();
                s.execute("SHUTDOWN");
            }
        }

        try (TestStorage storage = TestStorage.embedded(dir, Clock.systemUTC())) {
            try (SqlSession session = storage.database().sessions().openSession(true)) {
                Connection c = session.getConnection();
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
                    List<Integer> versions = new ArrayList<>();
                    while (rs.next()) {
                        versions.add(rs.getInt(1));
                    }
                    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), versions);
                }
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery(
                                "SELECT COUNT(*) FROM audit_user WHERE user_name = 'Ann' AND user_id = 'u1'")) {
                    rs.next();
                    assertEquals(1, rs.getInt(1), "the user table is filled once");
                }
            }
            assertEquals(
                    List.of(1L),
                    storage
                            .activate(MyBatisAuditStore.class)
                            .query(new EventQuery("ACME", null, null, null, null, null, "ann@acme.example", 10, null))
                            .events()
                            .stream()
                            .map(r -> r.id())
                            .toList());
        }
    }
}
