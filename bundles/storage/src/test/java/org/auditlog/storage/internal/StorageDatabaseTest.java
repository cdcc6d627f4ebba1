package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * The database component, activated by DS with its configuration, and each store component on it as DS activates
 * it: every kind of record kept and deleted by its own store only.
 */
class StorageDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void theComponentServesEveryStoreOfItsDatabase() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        // the embedded database in the data folder, or this test's PostgreSQL database under the profile postgresql;
        // the write pool's size by its older name, as a configuration may still give it
        try (TestStorage storage = TestStorage.open(dir, clock, "writeConnections", 0, "maxConnections", 2)) {
            assertEquals(2, storage.database().pools().writeConnections());
            ExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            DownloadTokenStore downloads = storage.activate(MyBatisDownloadTokenStore.class);
            MailStore mail = storage.activate(MyBatisMailStore.class);
            MyBatisAuditStore events = storage.activate(MyBatisAuditStore.class);

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
        }
    }
}
