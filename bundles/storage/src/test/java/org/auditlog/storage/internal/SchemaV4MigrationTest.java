package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.store.DownloadGrant;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.ExportJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An installation made before exports and mail (schema V3) gets their tables when it is opened. */
class SchemaV4MigrationTest {
    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aVersion3DatabaseIsMigratedToTheCurrentVersionOnOpenAndKeepsItsRecords() throws Exception {
        assertEquals(List.of("V4__exports_and_mail.sql", "V5__mail_failed.sql"), Database.HSQLDB_SCRIPTS.subList(3, 5));
        // what an earlier release left on disk: V1..V3 applied, one record stored
        // in the data folder dir, whose embedded database is in dir/db
        String url = "jdbc:hsqldb:file:" + dir.resolve("db/auditlog").toAbsolutePath() + ";hsqldb.lock_file=false";
        try (Connection c = DriverManager.getConnection(url, "SA", "")) {
            assertEquals(
                    List.of(1, 2, 3),
                    new SchemaMigrator("db/hsqldb", Database.HSQLDB_SCRIPTS.subList(0, 3)).migrate(c));
            try (Statement s = c.createStatement()) {
                s.executeUpdate(
                        "INSERT INTO audit_event VALUES (1, 'ACME', 'Apps', TIMESTAMP '2026-11-01 09:00:00+00:00', "
                                + "'Member', 'Add a member', 'ann was added', 'u1', 'Ann', 'ann@acme.example', '192.0.2.1', "
                                + "'Mozilla/5.0', 'V1')");
                c.commit();
                assertFalse(tables(c).contains("MAIL_OUTBOX"));
                s.execute("SHUTDOWN");
            }
        }

        try (TestStorage storage = TestStorage.embedded(dir, clock)) {
            try (SqlSession session = storage.database().sessions().openSession(true)) {
                Connection c = session.getConnection();
                assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), versions(c));
                assertTrue(tables(c)
                        .containsAll(
                                List.of("EXPORT_JOB", "MONTHLY_RUN", "DOWNLOAD_TOKEN", "MAIL_OUTBOX", "LATE_RECORD")));
            }
            assertEquals(
                    List.of(1L),
                    storage
                            .activate(MyBatisAuditStore.class)
                            .query(new EventQuery("ACME", null, null, null, null, null, null, 10, null))
                            .events()
                            .stream()
                            .map(r -> r.id())
                            .toList());
            // V6 filled the user directory from the records already there: a search by name finds them
            assertEquals(
                    List.of(1L),
                    storage
                            .activate(MyBatisAuditStore.class)
                            .query(new EventQuery("ACME", null, null, null, null, null, "Ann", 10, null))
                            .events()
                            .stream()
                            .map(r -> r.id())
                            .toList());
            assertEquals(
                    List.of(1L),
                    storage
                            .activate(MyBatisAuditStore.class)
                            .query(new EventQuery("ACME", "Apps", null, null, null, null, "ann@acme.example", 10, null))
                            .events()
                            .stream()
                            .map(r -> r.id())
                            .toList());

            ExportJob job = storage.activate(MyBatisExportJobStore.class)
                    .create(new ExportJob(
                            0,
                            "ACME",
                            "Apps",
                            "u1",
                            clock.instant(),
                            LocalDate.of(2026, 11, 1),
                            LocalDate.of(2026, 11, 22),
                            ExportJob.State.QUEUED,
                            0,
                            null,
                            null,
                            null,
                            null,
                            0));
            storage.activate(MyBatisExportJobStore.class).monthlyRunCompleted(YearMonth.of(2026, 10), clock.instant());
            String token = storage.activate(MyBatisDownloadTokenStore.class)
                    .issue(new DownloadGrant(null, "ACME", job.id(), "u1", "export-job:1:u1", null))
                    .token();
            assertTrue(storage.activate(MyBatisDownloadTokenStore.class)
                    .find(token)
                    .isPresent());
            assertTrue(storage.activate(MyBatisMailStore.class)
                    .enqueue(new MailMessage("export-job:1:u1", "ann@acme.example", "Ready", "text", "html"), null));
        }

        // opened again: nothing is applied twice, the new tables keep their rows
        try (TestStorage storage = TestStorage.embedded(dir, clock)) {
            try (SqlSession session = storage.database().sessions().openSession(true)) {
                assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), versions(session.getConnection()));
            }
            assertEquals(
                    1,
                    storage.activate(MyBatisExportJobStore.class).unfinished().size());
            assertEquals(1, storage.activate(MyBatisMailStore.class).pendingCount());
        }
    }

    private static List<Integer> versions(Connection c) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    private static List<String> tables(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME"));
            }
        }
        return out;
    }
}
