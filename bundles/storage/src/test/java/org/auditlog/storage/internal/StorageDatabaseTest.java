package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.MailStatus;
import org.auditlog.api.store.DownloadGrant;
import org.auditlog.api.store.DownloadTokenStore;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.ExportJobStore;
import org.auditlog.api.store.MailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/**
 * The database component, configured as DS gives it its configuration, and each store component on it as
 * DS activates it: every kind of record kept and deleted by its own store only.
 */
class StorageDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void theComponentServesEveryStoreOfItsDatabase() throws Exception {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> StorageDatabase.DATA_PROPERTY.equals(args[0]) ? dir.toString() : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        // the embedded database in the data folder, or this test's PostgreSQL database under the profile postgresql
        String url = TestDatabases.onPostgres() ? TestDatabases.urlOf(TestDatabases.databaseFor(dir)) : "";
        StorageDatabase.Config config = (StorageDatabase.Config) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {StorageDatabase.Config.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "url" -> url;
                    case "jdbcUrl", "_password", "user" -> "";
                    case "connectWaitSeconds" -> 0;
                    case "postgresqlIngest" -> "insert";
                    case "maxConnections", "exportConnections" -> 2;
                    case "writeConnections", "readConnections" -> 0;
                    case "readWaitMillis" -> 2000L;
                    case "queryTimeoutSeconds" -> 10;
                    case "searchScanRows" -> 10_000;
                    case "searchBusyPercent" -> 25;
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        StorageDatabase database = new StorageDatabase(context, config);
        Field clockField = StorageDatabase.class.getDeclaredField("clock");
        clockField.setAccessible(true);
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        clockField.set(database, clock);
        try {
            ExportJobStore jobs = new MyBatisExportJobStore(database);
            DownloadTokenStore downloads = new MyBatisDownloadTokenStore(database);
            MailStore mail = new MyBatisMailStore(database);
            MyBatisAuditStore events = new MyBatisAuditStore(database);

            ExportJob job = jobs.create(new ExportJob(
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
            assertEquals(Optional.of(job), jobs.find(job.id()));
            String token = downloads
                    .issue(new DownloadGrant(null, "ACME", job.id(), "u1", "export-job:1:u1", null))
                    .token();
            assertEquals(clock.instant(), downloads.find(token).orElseThrow().created(), "the component's clock");

            assertTrue(mail.enqueue(new MailMessage("export-job:1:u1", "ann@acme.example", "Ready", "t", "h"), null));
            assertEquals(
                    Optional.of(MailStatus.State.PENDING),
                    mail.status("export-job:1:u1").map(MailStatus::state));
            assertEquals(1, mail.pendingCount());

            // each deletes its own kind only
            assertEquals(1, jobs.deleteJobsOf("ACME"));
            assertEquals(1, downloads.deleteTokensOf("ACME"));
            assertEquals(0, events.deleteOrganization("ACME"));
            assertEquals(1, mail.pendingCount());
        } finally {
            database.deactivate();
        }
    }
}
