package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.store.StoredStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HSQLDB commits each DDL statement by itself, so a start stopped while V10 builds the index of sequences (minutes on
 * millions of events) or makes the streams' tables leaves some of them in place without the version recorded. The
 * next start finishes the script.
 */
class SchemaV10InterruptedTest {
    @TempDir
    Path dir;

    @Test
    void aV10StoppedHalfWayIsFinishedAtTheNextStart() throws Exception {
        String v10 = Database.HSQLDB_SCRIPTS.get(9);
        assertEquals("V10__streams.sql", v10);
        String url = "jdbc:hsqldb:file:" + dir.resolve("db/auditlog").toAbsolutePath() + ";hsqldb.lock_file=false";
        try (Connection c = DriverManager.getConnection(url, "SA", "")) {
            assertEquals(
                    List.of(1, 2, 3, 4, 5, 6, 7, 8, 9),
                    new SchemaMigrator("db/hsqldb", Database.HSQLDB_SCRIPTS.subList(0, 9)).migrate(c));
            List<String> statements = SchemaMigrator.statements(new String(
                    getClass()
                            .getClassLoader()
                            .getResourceAsStream("db/hsqldb/" + v10)
                            .readAllBytes(),
                    StandardCharsets.UTF_8));
            try (Statement s = c.createStatement()) {
                // V10 up to the table of places, as a stop while making it leaves it
                int done = 0;
                for (String sql : statements) {
                    if (sql.contains("stream_position")) {
                        break;
                    }
                    s.execute(sql);
                    done++;
                }
                assertEquals(2, done, "the index, the streams' table");
                c.commit();
                s.execute("SHUTDOWN");
            }
        }

        try (TestStorage storage = TestStorage.embedded(dir, Clock.systemUTC())) {
            try (SqlSession session = storage.database().sessions().openSession(true);
                    Statement s = session.getConnection().createStatement();
                    ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
                List<Integer> versions = new ArrayList<>();
                while (rs.next()) {
                    versions.add(rs.getInt(1));
                }
                assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), versions);
            }
            MyBatisStreamStore streams = storage.activate(MyBatisStreamStore.class);
            Instant t = Instant.parse("2026-11-22T10:00:00Z");
            streams.create(new StoredStream(
                    "s1", "ACME", "siem", "webhook", Map.of(), null, List.of(), List.of(), "active", null, t, t, 0));
            streams.gap("s1", "ACME", "Apps", 0, 9, t);
            assertEquals(9, streams.positions("s1").get(0).gapTo());
        }
    }
}
