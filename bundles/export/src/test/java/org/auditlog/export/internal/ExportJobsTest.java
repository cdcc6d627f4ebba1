package org.auditlog.export.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.access.Role;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.export.DownloadFile;
import org.auditlog.api.export.ExportLimitException;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.MailStatus;
import org.auditlog.api.mail.Mailer;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.DownloadGrant;
import org.auditlog.api.store.DownloadTokenStore;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.ExportJob.State;
import org.auditlog.api.store.ExportJobStore;
import org.auditlog.api.store.IssuedDownload;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.verifier.FileVerifier;
import org.auditlog.testing.MemoryAuditStore;
import org.auditlog.testing.SettableClock;
import org.auditlog.work.internal.Work;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportJobsTest {
    @TempDir
    Path dir;

    final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
    final FakeJobs jobStore = new FakeJobs();
    final FakeTokens tokens = new FakeTokens();
    final FakeMailer mailer = new FakeMailer();
    volatile Decision decision = Decision.ALLOWED;
    volatile CountDownLatch streamGate = new CountDownLatch(0);
    final List<Instant[]> streamed = new ArrayList<>();
    ExportJobs jobs;
    JobClaims claims;
    JobFiles files;
    DownloadLinks downloads;
    /** The claim of a job run directly, not by a worker: kept, and the bundle not stopping. */
    static final ExportJobs.Claim KEPT = new ExportJobs.Claim() {
        @Override
        public boolean stopping() {
            return false;
        }

        @Override
        public boolean lost() {
            return false;
        }
    };

    final AccessPolicy policy = new AccessPolicy() {
        @Override
        public Decision mayRecord(String spaceKey) {
            return Decision.ALLOWED;
        }

        @Override
        public Decision mayUse(String spaceKey, String userId) {
            return Decision.ALLOWED;
        }

        @Override
        public Decision mayExport(String spaceKey, String userId) {
            return decision;
        }
    };

    final AuditStore store = new MemoryAuditStore() {
        @Override
        protected List<AuditRecord> period(String spaceKey, String product, Instant from, Instant to) {
            synchronized (streamed) {
                streamed.add(new Instant[] {from, to});
            }
            try {
                streamGate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(rec(1, "first, with \"quotes\""), rec(2, "二番目"));
        }
    };

    final OrganizationService orgs = (OrganizationService) java.lang.reflect.Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {OrganizationService.class}, (proxy, method, args) -> {
                if (method.getName().equals("get")) {
                    Organization o = new Organization(
                            "ACME",
                            "Acme <Ltd>",
                            10,
                            PlanState.PAID,
                            "ann",
                            Instant.parse("2026-01-01T00:00:00Z"),
                            null,
                            null,
                            Instant.parse("2026-01-01T00:00:00Z"),
                            null,
                            1);
                    return new OrganizationSnapshot(
                            o, List.of(new Member("ann", "Ann", "ann@acme.example", Role.ADMIN)), List.of());
                }
                throw new UnsupportedOperationException(method.getName());
            });

    @AfterEach
    void close() {
        if (claims != null) {
            claims.close();
        }
    }

    ExportJobs jobs() {
        return jobs(store);
    }

    ExportJobs jobs(AuditStore records) {
        return jobs(records, ExportJobs.Limits.DEFAULT);
    }

    ExportJobs jobs(AuditStore records, ExportJobs.Limits limits) {
        files = new JobFiles(dir, jobStore, tokens);
        downloads = new DownloadLinks(tokens, mailer, jobStore, files, () -> clock);
        jobs = new ExportJobs(
                jobStore,
                records,
                policy,
                new JobMails(
                        orgs,
                        mailer,
                        tokens,
                        new Links("https://audit.example.test/", "/orgs/{spaceKey}/settings/audit-log", null),
                        () -> clock),
                files,
                () -> clock,
                limits);
        claims = new JobClaims(
                jobStore,
                jobs,
                new Work(new CheckpointSignerTest.OneServer()),
                new JobClaims.Terms("node-0/test/1/this", "node-0/", JobClaims.CLAIM, 1));
        return jobs;
    }

    /** Jobs on a log's records, whose files carry their evidence signed with {@code signer}. */
    ExportJobs jobs(MemoryLog log, CheckpointSigner signer) {
        ExportJobs j = jobs(log);
        j.useEvidence(new ExportJobs.Evidence(log, signer));
        return j;
    }

    /** The checkpoint signer of the log, as DS activates it, on the test's clock. */
    CheckpointSigner signer(MemoryLog log) {
        return Components.signer(log, clock, dir.resolve("evidence/checkpoint.key"));
    }

    /** What {@code bin/auditlog-verify verify} finds wrong with a file. */
    static List<String> failures(Path file, CheckpointSigner signer) throws Exception {
        return FileVerifier.verify(file, List.of(NoteKeys.verifier(signer.key())), null)
                .failures();
    }

    static AuditRecord dated(long id, String date) {
        return new AuditRecord(
                id,
                "ACME",
                "Backlog",
                Instant.parse(date),
                "Issue",
                "Add an issue",
                "row " + id,
                "u1",
                "Ann",
                "ann@acme.example",
                "",
                "",
                "V1");
    }

    private static List<String> ids(Path file) throws Exception {
        return csv(file).stream().skip(1).map(r -> r.get(0)).toList();
    }

    @Test
    void aCurrentMonthFileVerifiesWhenRecordsArriveBetweenItsRequestAndItsRun() throws Exception {
        MemoryLog log = new MemoryLog(clock);
        clock.set(Instant.parse("2026-10-30T08:00:00Z"));
        log.append(List.of(dated(1, "2026-10-30T07:00:00Z")));
        clock.set(Instant.parse("2026-11-22T10:00:00Z"));
        log.append(List.of(
                dated(2, "2026-11-05T00:00:00Z"), dated(3, "2026-10-31T23:00:00Z"), dated(4, "2026-11-22T09:59:59Z")));
        ExportJob job = jobStore.create(new ExportJob(
                0,
                "ACME",
                "Backlog",
                "ann",
                clock.instant(),
                LocalDate.parse("2026-11-01"),
                LocalDate.parse("2026-11-22"),
                State.QUEUED,
                0,
                null,
                null,
                null,
                null,
                0));
        // while the job waits for a worker: records dated after its request (one a week ahead, one next month),
        // and one dated before it that was sent a moment late
        clock.set(Instant.parse("2026-11-22T10:00:05Z"));
        log.append(List.of(
                dated(5, "2026-11-22T10:00:01Z"),
                dated(6, "2026-11-22T09:59:00Z"),
                dated(7, "2026-11-29T00:00:00Z"),
                dated(8, "2026-12-02T00:00:00Z")));
        // and one committed while the file is written, after its checkpoint
        log.whileRead(() -> log.append(List.of(dated(9, "2026-11-22T09:58:00Z"))));
        CheckpointSigner signer = signer(log);
        jobs(log, signer).run(job.id(), KEPT);

        ExportJob done = jobStore.find(job.id()).orElseThrow();
        assertEquals(State.DONE, done.state(), done.failure());
        Path file = dir.resolve("ACME/jobs/" + done.id() + "/" + done.fileName());
        assertEquals(List.of(), failures(file, signer));
        assertEquals(List.of("2", "6", "4"), ids(file), "the records dated before the request, of the checkpoint");
        assertEquals(3, done.rows());
    }

    @Test
    void aJobAskedForOnTheMonthsLastEveningAndRunAfterMidnightVerifies() throws Exception {
        MemoryLog log = new MemoryLog(clock);
        clock.set(Instant.parse("2026-11-30T23:00:00Z"));
        log.append(List.of(dated(1, "2026-11-30T22:00:00Z"), dated(2, "2026-11-30T23:59:00Z")));
        clock.set(Instant.parse("2026-11-30T23:58:00Z"));
        ExportJob job = jobStore.create(new ExportJob(
                0,
                "ACME",
                "Backlog",
                "ann",
                clock.instant(),
                LocalDate.parse("2026-11-01"),
                LocalDate.parse("2026-11-30"),
                State.QUEUED,
                0,
                null,
                null,
                null,
                null,
                0));
        // December has begun when a worker takes the job: its records, and two of November's sent late
        clock.set(Instant.parse("2026-12-01T00:05:00Z"));
        log.append(List.of(
                dated(3, "2026-12-01T00:04:00Z"), dated(4, "2026-11-30T23:57:00Z"), dated(5, "2026-11-30T23:59:30Z")));
        CheckpointSigner signer = signer(log);
        jobs(log, signer).run(job.id(), KEPT);

        ExportJob done = jobStore.find(job.id()).orElseThrow();
        assertEquals(State.DONE, done.state(), done.failure());
        Path file = dir.resolve("ACME/jobs/" + done.id() + "/" + done.fileName());
        assertEquals(List.of(), failures(file, signer));
        assertEquals(List.of("1", "4"), ids(file), "November's records dated before the request");
    }

    @Test
    void aJobWritesTheMonthSoFarAndMailsTheRequesterALink() throws Exception {
        ExportJob asked = jobs().submit("ACME", "Backlog", "ann");
        assertEquals(LocalDate.parse("2026-11-01"), asked.firstDay());
        assertEquals(LocalDate.parse("2026-11-22"), asked.lastDay());
        ExportJob done = awaitEnd(asked.id());
        assertEquals(State.DONE, done.state());
        assertEquals(2, done.rows());
        assertEquals("auditlog-20261101-20261122-Backlog-csv.zip", done.fileName());
        assertEquals(1, done.attempts());
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), streamed.get(0)[0]);
        assertEquals(asked.requested(), streamed.get(0)[1]);

        Path file = dir.resolve("ACME/jobs/" + done.id() + "/" + done.fileName());
        List<CSVRecord> rows = csv(file);
        assertEquals(3, rows.size());
        assertEquals("first, with \"quotes\"", rows.get(1).get(6));
        assertEquals("二番目", rows.get(2).get(6));

        MailMessage mail = mailer.mails.get("export-job:" + done.id());
        assertEquals("ann@acme.example", mail.to());
        assertTrue(
                mail.subject().contains("Backlog")
                        && mail.subject().contains("Acme <Ltd> (ACME)")
                        && mail.subject().contains("2026-11-01 to 2026-11-22"),
                mail.subject());
        assertTrue(mail.html().contains("Acme &lt;Ltd&gt;"), mail.html());
        String token = tokens.lastIssued;
        assertTrue(
                mail.text().contains("https://audit.example.test/orgs/ACME/settings/audit-log?download=" + token),
                mail.text());
        assertEquals(
                new DownloadGrant("t1", "ACME", done.id(), "ann", "export-job:" + done.id(), clock.instant()),
                tokens.grants.get(token));
    }

    @Test
    void exportsAreBoundedOneAtATimePerProductAndPerMemberAndOrganizationADay() throws Exception {
        streamGate = new CountDownLatch(1);
        ExportJobs j = jobs(store, new ExportJobs.Limits(3, 4));
        ExportJob first = j.submit("ACME", "Backlog", "ann");
        assertEquals(first.id(), j.submit("ACME", "Backlog", "ann").id(), "the same member: the same job");
        ExportLimitException running =
                assertThrows(ExportLimitException.class, () -> j.submit("ACME", "Backlog", "bob"));
        assertEquals("export_in_progress", running.rule());
        assertEquals("product", running.field());
        assertEquals(Duration.ofSeconds(30), running.retryAfter());
        assertThrows(ExportLimitException.class, () -> j.check("ACME", "Backlog", "bob"));
        streamGate.countDown();
        assertEquals(State.DONE, awaitEnd(first.id()).state());

        assertEquals(
                State.DONE, awaitEnd(j.submit("ACME", "Backlog", "ann").id()).state());
        assertEquals(State.DONE, awaitEnd(j.submit("ACME", "Cacoo", "ann").id()).state());
        ExportLimitException member =
                assertThrows(ExportLimitException.class, () -> j.submit("ACME", "Typetalk", "ann"));
        assertEquals("exports_per_member_per_day", member.rule());
        assertTrue(member.getMessage().contains("you asked for 3 exports"), member.getMessage());
        assertEquals(Duration.ofHours(14), member.retryAfter(), "until midnight UTC (it is 10:00)");
        assertEquals(
                State.DONE, awaitEnd(j.submit("ACME", "Backlog", "bob").id()).state());
        ExportLimitException organization =
                assertThrows(ExportLimitException.class, () -> j.submit("ACME", "Backlog", "carol"));
        assertEquals("exports_per_organization_per_day", organization.rule());
        assertEquals(4, jobStore.jobs.size(), "no job made for a refused request");
        assertTrue(j.check("OTHER", "Backlog", "ann").isEmpty(), "another organization counts its own");

        clock.set(Instant.parse("2026-11-23T00:00:00Z"));
        assertTrue(j.check("ACME", "Backlog", "ann").isEmpty(), "a new day");
    }

    @Test
    void theSameMemberAskingAgainWhileItRunsGetsTheSameJob() throws Exception {
        streamGate = new CountDownLatch(1);
        ExportJobs j = jobs();
        ExportJob first = j.submit("ACME", "Backlog", "ann");
        assertEquals(first.id(), j.submit("ACME", "Backlog", "ann").id());
        assertFalse(first.id() == j.submit("ACME", "Cacoo", "ann").id());
        streamGate.countDown();
        assertEquals(State.DONE, awaitEnd(first.id()).state());
        assertFalse(first.id() == j.submit("ACME", "Backlog", "ann").id(), "a finished job is not reused");
    }

    @Test
    void aPlanThatNoLongerAllowsExportsFailsTheJobWithTheReason() throws Exception {
        decision = Decision.refused("plan_overdue", "the plan is overdue: exports wait until it is paid");
        ExportJob done = awaitEnd(jobs().submit("ACME", "Backlog", "ann").id());
        assertEquals(State.FAILED, done.state());
        assertTrue(done.failure().contains("the plan is overdue"), done.failure());
        MailMessage mail = mailer.mails.get("export-job-failed:" + done.id());
        assertEquals("ann@acme.example", mail.to());
        assertTrue(mail.subject().startsWith("Audit log export failed: Backlog, Acme <Ltd> (ACME)"), mail.subject());
        assertTrue(mail.text().contains("the plan is overdue: exports wait until it is paid"), mail.text());
        assertTrue(mail.html().contains("https://audit.example.test/orgs/ACME/settings/audit-log\""), mail.html());
        assertEquals(1, mailer.mails.size());
        assertTrue(tokens.grants.isEmpty(), "no download link for a failed job");
    }

    /** A failure reason as the page shows it and the mail carries it: a fixed sentence and an incident id. */
    static final java.util.regex.Pattern REASON = java.util.regex.Pattern.compile("(The file could not be written on "
            + "the server|The audit log could not be read) \\(incident [0-9a-f]{12}\\)\\. Ask for the export again "
            + "later; if it fails again, give the incident to the server's operator, whose log has the cause under "
            + "it\\.");

    @Test
    void aDatabaseFailureIsReportedAsAnIncidentWithoutItsMessage() throws Exception {
        AuditStore failing = new MemoryAuditStore() {
            @Override
            protected List<AuditRecord> period(String spaceKey, String product, Instant from, Instant to) {
                throw new org.auditlog.api.store.StoreException(
                        "could not read records: FATAL: terminating "
                                + "connection to db-primary.internal:5432 (/var/lib/postgresql/16/main)",
                        null);
            }
        };
        ExportJob done = awaitEnd(jobs(failing).submit("ACME", "Backlog", "ann").id());
        assertEquals(State.FAILED, done.state());
        assertTrue(REASON.matcher(done.failure()).matches(), done.failure());
        assertTrue(done.failure().startsWith("The audit log could not be read"), done.failure());
        MailMessage mail = mailer.mails.get("export-job-failed:" + done.id());
        assertTrue(mail.text().contains(done.failure()), mail.text());
        for (String leaked : List.of("db-primary", "5432", "/var/lib", "FATAL")) {
            assertFalse(mail.text().contains(leaked) || mail.html().contains(leaked), leaked);
        }
    }

    @Test
    void aFolderThatCannotBeWrittenIsReportedAsAnIncidentWithoutItsPath() throws Exception {
        Files.writeString(dir.resolve("ACME"), "a file where the organization's folder goes");
        ExportJob done = awaitEnd(jobs().submit("ACME", "Backlog", "ann").id());
        assertEquals(State.FAILED, done.state());
        assertTrue(REASON.matcher(done.failure()).matches(), done.failure());
        assertTrue(done.failure().startsWith("The file could not be written on the server"), done.failure());
        MailMessage mail = mailer.mails.get("export-job-failed:" + done.id());
        assertTrue(mail.text().contains(done.failure()), mail.text());
        assertFalse(mail.text().contains(dir.toString()), mail.text());
    }

    @Test
    void jobsLeftQueuedOrRunningRunAtStartAndMailOnce() throws Exception {
        ExportJob queued = jobStore.create(job(State.QUEUED, 0));
        ExportJob running = jobStore.create(job(State.RUNNING, 1));
        ExportJobs j = jobs();
        claims.start();
        assertEquals(State.DONE, awaitEnd(queued.id()).state());
        assertEquals(State.DONE, awaitEnd(running.id()).state());
        assertEquals(2, jobStore.find(running.id()).orElseThrow().attempts());
        assertEquals(2, mailer.mails.size());

        // Stopped after the mail was queued but before the job was marked done: it is not mailed again.
        ExportJob done = jobStore.find(running.id()).orElseThrow();
        jobStore.update(done.with(State.RUNNING, done.rows(), null, null, done.started(), null, done.attempts()));
        j.run(running.id(), KEPT);
        assertEquals(State.DONE, jobStore.find(running.id()).orElseThrow().state());
        assertEquals(2, mailer.queued.get());
    }

    @Test
    void aDownloadLinkOpensTheFileFor24HoursAfterItsMailWasSent() throws Exception {
        ExportJob done = awaitEnd(jobs().submit("ACME", "Backlog", "ann").id());
        String token = tokens.lastIssued;
        assertEquals(
                "link_not_mailed_yet",
                assertThrows(PolicyException.class, () -> downloads.open(token)).rule());

        Instant sent = clock.instant().plus(Duration.ofHours(3)); // the mail server was down for three hours
        mailer.sent("export-job:" + done.id(), sent);
        clock.set(sent.plus(Duration.ofHours(24)).minusMillis(1));
        DownloadFile file = downloads.open(token);
        assertEquals(done.fileName(), file.file().fileName());
        assertEquals(sent.plus(Duration.ofHours(24)), file.expires());
        assertEquals(Files.size(file.file().path()), file.file().size());

        clock.set(sent.plus(Duration.ofHours(24)));
        PolicyException expired = assertThrows(PolicyException.class, () -> downloads.open(token));
        assertEquals(PolicyException.Kind.GONE, expired.kind());
        assertEquals("download_link_expired", expired.rule());

        PolicyException unknown = assertThrows(PolicyException.class, () -> downloads.open("dl_nope"));
        assertEquals(PolicyException.Kind.NOT_FOUND, unknown.kind());
    }

    @Test
    void aLinkWhoseFileWasDeletedIsGone() throws Exception {
        ExportJob done = awaitEnd(jobs().submit("ACME", "Backlog", "ann").id());
        mailer.sent("export-job:" + done.id(), clock.instant());
        clock.set(clock.instant().plus(Duration.ofDays(8)));
        assertEquals(1, files.deleteFinishedBefore(clock.instant().minus(Duration.ofDays(7))));
        assertFalse(Files.exists(dir.resolve("ACME/jobs/" + done.id())));
        clock.set(clock.instant().minus(Duration.ofDays(8)).plusSeconds(1));
        assertEquals(
                "unknown_download_link",
                assertThrows(PolicyException.class, () -> downloads.open(tokens.lastIssued))
                        .rule());
    }

    @Test
    void aJobInterruptedByAStopStaysRunningForTheNextStart() throws Exception {
        streamGate = new CountDownLatch(1);
        ExportJobs j = jobs();
        ExportJob job = j.submit("ACME", "Backlog", "ann");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (jobStore.find(job.id()).orElseThrow().state() != State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            streamGate.countDown();
        });
        release.start();
        claims.close();
        claims = null;
        release.join();
        assertEquals(State.RUNNING, jobStore.find(job.id()).orElseThrow().state());
        assertTrue(mailer.mails.isEmpty());
        try (var files = Files.walk(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".zip")), "no file left behind");
        }
    }

    @Test
    void theMonthlyRunIsDueFrom0200UtcOnTheFirst() {
        assertEquals(
                java.time.YearMonth.parse("2026-09"), MonthlyMailing.dueMonth(Instant.parse("2026-11-01T01:59:59Z")));
        assertEquals(
                java.time.YearMonth.parse("2026-10"), MonthlyMailing.dueMonth(Instant.parse("2026-11-01T02:00:00Z")));
        assertEquals(
                java.time.YearMonth.parse("2026-10"), MonthlyMailing.dueMonth(Instant.parse("2026-11-30T23:59:59Z")));
        assertEquals(
                java.time.YearMonth.parse("2026-12"), MonthlyMailing.dueMonth(Instant.parse("2027-01-01T02:00:00Z")));
    }

    @Test
    void linksRefuseABaseUrlThatIsNotHttp() {
        assertEquals(
                "http://localhost:9090/orgs/A%2BB/settings/audit-log?download=x",
                new Links("", "/orgs/{spaceKey}/settings/audit-log", "9090").download("A+B", "x"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Links("ftp://host", "/x", null));
        assertTrue(e.getMessage().startsWith("baseUrl"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Links("https://host", "x", null));
    }

    // ---------------------------------------------------------------------------------------------------------

    private ExportJob job(State state, int attempts) {
        return new ExportJob(
                0,
                "ACME",
                "Backlog",
                "ann",
                Instant.parse("2026-11-21T09:00:00Z"),
                LocalDate.parse("2026-11-01"),
                LocalDate.parse("2026-11-21"),
                state,
                0,
                null,
                null,
                null,
                null,
                attempts);
    }

    private ExportJob awaitEnd(long id) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            ExportJob j = jobStore.find(id).orElseThrow();
            if (j.state() == State.DONE || j.state() == State.FAILED) {
                return j;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("job " + id + " did not end: " + jobStore.find(id));
    }

    private static List<CSVRecord> csv(Path zip) throws Exception {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip), StandardCharsets.UTF_8)) {
            in.getNextEntry();
            return CSVFormat.RFC4180
                    .parse(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getRecords();
        }
    }

    static AuditRecord rec(long id, String action) {
        return new AuditRecord(
                id,
                "ACME",
                "Backlog",
                Instant.parse("2026-11-05T00:00:00Z"),
                "Issue",
                "Add an issue",
                action,
                "u1",
                "Ann",
                "ann@acme.example",
                "",
                "",
                "V1");
    }

    static final class FakeJobs implements ExportJobStore {
        final Map<Long, ExportJob> jobs = new ConcurrentHashMap<>();
        final AtomicLong ids = new AtomicLong();

        @Override
        public ExportJob create(ExportJob job) {
            ExportJob stored = new ExportJob(
                    ids.incrementAndGet(),
                    job.spaceKey(),
                    job.product(),
                    job.requestedBy(),
                    job.requested(),
                    job.firstDay(),
                    job.lastDay(),
                    job.state(),
                    job.rows(),
                    job.fileName(),
                    job.failure(),
                    job.started(),
                    job.finished(),
                    job.attempts());
            jobs.put(stored.id(), stored);
            return stored;
        }

        @Override
        public Optional<ExportJob> find(long id) {
            return Optional.ofNullable(jobs.get(id));
        }

        @Override
        public List<ExportJob> list(String spaceKey, int max) {
            return jobs.values().stream()
                    .filter(j -> j.spaceKey().equals(spaceKey))
                    .sorted(Comparator.comparingLong(ExportJob::id).reversed())
                    .limit(max)
                    .toList();
        }

        /** Claims: job id to holder and expiry. */
        final Map<Long, Map.Entry<String, Instant>> claims = new ConcurrentHashMap<>();

        @Override
        public synchronized Optional<ExportJob> claim(String holder, Duration ttl) {
            Instant now = Instant.now();
            Optional<ExportJob> next = unfinished().stream()
                    .filter(j -> {
                        Map.Entry<String, Instant> c = claims.get(j.id());
                        return c == null || c.getValue().isBefore(now);
                    })
                    .findFirst();
            next.ifPresent(j -> claims.put(j.id(), Map.entry(holder, now.plus(ttl))));
            return next;
        }

        @Override
        public synchronized boolean renewClaim(long id, String holder, Duration ttl) {
            Map.Entry<String, Instant> c = claims.get(id);
            if (c == null || !c.getKey().equals(holder) || !jobs.containsKey(id)) {
                return false;
            }
            claims.put(id, Map.entry(holder, Instant.now().plus(ttl)));
            return true;
        }

        @Override
        public synchronized int releaseClaims(String prefix, String except) {
            List<Long> gone = claims.entrySet().stream()
                    .filter(e -> e.getValue().getKey().startsWith(prefix)
                            && !e.getValue().getKey().equals(except))
                    .map(Map.Entry::getKey)
                    .toList();
            gone.forEach(claims::remove);
            return gone.size();
        }

        @Override
        public List<ExportJob> unfinished() {
            return jobs.values().stream()
                    .filter(j -> j.state() == State.QUEUED || j.state() == State.RUNNING)
                    .sorted(Comparator.comparingLong(ExportJob::id))
                    .toList();
        }

        @Override
        public void update(ExportJob job) {
            jobs.put(job.id(), job);
        }

        @Override
        public void progress(long id, long rows) {
            jobs.computeIfPresent(
                    id,
                    (k, j) -> j.with(
                            j.state(), rows, j.fileName(), j.failure(), j.started(), j.finished(), j.attempts()));
        }

        @Override
        public int deleteFinishedBefore(Instant cutoff) {
            List<Long> old = jobs.values().stream()
                    .filter(j -> j.finished() != null && j.finished().isBefore(cutoff))
                    .map(ExportJob::id)
                    .toList();
            old.forEach(jobs::remove);
            return old.size();
        }

        @Override
        public int deleteJobsOf(String spaceKey) {
            return 0;
        }

        @Override
        public Optional<Instant> monthlyRunCompleted(java.time.YearMonth month) {
            return Optional.empty();
        }

        @Override
        public void monthlyRunCompleted(java.time.YearMonth month, Instant at) {}
    }

    static final class FakeTokens implements DownloadTokenStore {
        final Map<String, DownloadGrant> grants = new HashMap<>();
        volatile String lastIssued;
        int n;

        @Override
        public synchronized IssuedDownload issue(DownloadGrant grant) {
            String id = "t" + (++n);
            DownloadGrant stored = new DownloadGrant(
                    id, grant.spaceKey(), grant.jobId(), grant.userId(), grant.mailKey(), grant.created());
            String token = "dl_" + id + "_secret";
            grants.put(token, stored);
            lastIssued = token;
            return new IssuedDownload(token, stored);
        }

        @Override
        public synchronized Optional<DownloadGrant> find(String presented) {
            return Optional.ofNullable(grants.get(presented));
        }

        @Override
        public synchronized int deleteIssuedBefore(Instant cutoff) {
            int before = grants.size();
            grants.values().removeIf(g -> g.created().isBefore(cutoff));
            return before - grants.size();
        }

        @Override
        public synchronized int deleteTokensOf(String spaceKey) {
            return 0;
        }
    }

    static final class FakeMailer implements Mailer {
        final Map<String, MailMessage> mails = new ConcurrentHashMap<>();
        final Map<String, Instant> sent = new ConcurrentHashMap<>();
        final AtomicLong queued = new AtomicLong();

        @Override
        public boolean queue(MailMessage message) {
            if (mails.putIfAbsent(message.key(), message) != null) {
                return false;
            }
            queued.incrementAndGet();
            return true;
        }

        void sent(String key, Instant at) {
            sent.put(key, at);
        }

        @Override
        public Optional<MailStatus> status(String key) {
            MailMessage m = mails.get(key);
            if (m == null) {
                return Optional.empty();
            }
            Instant at = sent.get(key);
            return Optional.of(new MailStatus(
                    key,
                    m.to(),
                    m.subject(),
                    at == null ? MailStatus.State.PENDING : MailStatus.State.SENT,
                    Instant.EPOCH,
                    at,
                    0,
                    null,
                    null));
        }
    }
}
