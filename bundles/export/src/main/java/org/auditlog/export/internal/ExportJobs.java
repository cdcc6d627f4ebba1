package org.auditlog.export.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Decision;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.export.ExportLimitException;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.ExportJob.State;
import org.auditlog.api.store.ExportJobStore;
import org.auditlog.api.store.RecordCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Current-month export jobs (docs/rules.md section 5): asked for within {@link Limits}, and each built to its end
 * by a worker of {@link JobClaims}.
 *
 * <p>A job is stored before it is acknowledged and its state is kept in the {@link ExportJobStore}. A job's file is
 * written to a temporary name and moved into place, so a half-written file is never seen, into
 * {@link JobFiles#folder}; when it is in place the requester is mailed ({@link JobMails}), and a job run again
 * after a crash never mails twice.
 */
final class ExportJobs {
    private static final Logger LOG = LoggerFactory.getLogger(ExportJobs.class);

    private final ExportJobStore jobs;
    private final AuditStore store;
    private final AccessPolicy policy;
    private final JobMails mails;
    private final JobFiles files;
    private final Supplier<Clock> clock;
    private final Limits limits;
    /** Told when a job is queued here (claims look for work at once). */
    private volatile Runnable queued = () -> {};
    /** Where files get their evidence; null (files without evidence) in tests of jobs alone. */
    private volatile Evidence evidence;

    /** The tamper-evident log's store and signer, which every file's evidence comes from ({@link FileSeal}). */
    record Evidence(EvidenceStore store, CheckpointService signer) {}

    /** Whether the run of a claimed job should stop: the export bundle stops, or another server claimed it. */
    interface Claim {
        boolean stopping();

        boolean lost();
    }

    /**
     * The bounds of export requests, each job being a file kept {@code keepJobsDays} and a mail: besides one queued
     * or running export per organization and product, how many one member and one organization may ask for per UTC
     * day ({@link ExportConfig}).
     */
    record Limits(int perMemberPerDay, int perOrganizationPerDay) {
        static final Limits DEFAULT = new Limits(10, 50);

        Limits {
            if (perMemberPerDay < 1 || perOrganizationPerDay < 1 || perOrganizationPerDay > 10_000) {
                throw new IllegalArgumentException("exportsPerMemberPerDay must be 1 or more and "
                        + "exportsPerOrganizationPerDay 1 to 10000, not " + perMemberPerDay + " and "
                        + perOrganizationPerDay);
            }
        }
    }

    /** When to ask again after another export of the same organization and product was found running. */
    static final Duration RETRY_WHILE_RUNNING = Duration.ofSeconds(30);

    ExportJobs(
            ExportJobStore jobs,
            AuditStore store,
            AccessPolicy policy,
            JobMails mails,
            JobFiles files,
            Supplier<Clock> clock,
            Limits limits) {
        this.jobs = jobs;
        this.store = store;
        this.policy = policy;
        this.mails = mails;
        this.files = files;
        this.clock = clock;
        this.limits = limits;
    }

    /** Gives every file written from now on its evidence. */
    void useEvidence(Evidence e) {
        this.evidence = e;
    }

    /** Who is told when a job is queued ({@link JobClaims#claimSoon}). */
    void whenQueued(Runnable r) {
        this.queued = r;
    }

    /**
     * The job a request is answered with when the same member's export of the product and day is queued or running,
     * or empty when a new job may be made.
     *
     * @throws ExportLimitException when another export of the organization and product is queued or running, or the
     *         member or the organization asked for as many exports today as {@link Limits} allow
     */
    synchronized Optional<ExportJob> check(String spaceKey, String product, String requestedBy) {
        Instant now = clock.get().instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Optional<ExportJob> running = jobs.unfinished().stream()
                .filter(j -> j.spaceKey().equals(spaceKey) && j.product().equals(product))
                .findFirst();
        if (running.isPresent()) {
            ExportJob j = running.get();
            if (j.requestedBy().equals(requestedBy) && j.lastDay().equals(today)) {
                return running;
            }
            throw new ExportLimitException(
                    "export_in_progress",
                    "product",
                    "an export of " + product
                            + " of this organization is " + j.state().wireName() + " (asked for by " + j.requestedBy()
                            + "); one runs at a time per product: ask again when it is done",
                    RETRY_WHILE_RUNNING);
        }
        Instant midnight = today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Duration untilMidnight = Duration.between(now, midnight);
        List<ExportJob> asked = jobs.list(spaceKey, limits.perOrganizationPerDay()).stream()
                .filter(j -> !j.requested().isBefore(today.atStartOfDay().toInstant(ZoneOffset.UTC)))
                .toList();
        if (asked.size() >= limits.perOrganizationPerDay()) {
            throw new ExportLimitException(
                    "exports_per_organization_per_day",
                    null,
                    "this organization asked for "
                            + asked.size()
                            + " exports today, the most it may (exportsPerOrganizationPerDay); ask again after "
                            + "midnight UTC",
                    untilMidnight);
        }
        long mine =
                asked.stream().filter(j -> j.requestedBy().equals(requestedBy)).count();
        if (mine >= limits.perMemberPerDay()) {
            throw new ExportLimitException(
                    "exports_per_member_per_day",
                    null,
                    "you asked for " + mine
                            + " exports of this organization today, the most a member may (exportsPerMemberPerDay); ask "
                            + "again after midnight UTC",
                    untilMidnight);
        }
        return Optional.empty();
    }

    synchronized ExportJob submit(String spaceKey, String product, String requestedBy) {
        Optional<ExportJob> same = check(spaceKey, product, requestedBy);
        if (same.isPresent()) {
            return same.get();
        }
        Instant now = clock.get().instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        ExportJob job = jobs.create(new ExportJob(
                0,
                spaceKey,
                product,
                requestedBy,
                now,
                today.withDayOfMonth(1),
                today,
                State.QUEUED,
                0,
                null,
                null,
                null,
                null,
                0));
        LOG.info(
                "Export job {} queued: {} of {} for {} to {}",
                job.id(),
                product,
                spaceKey,
                job.firstDay(),
                job.lastDay());
        queued.run(); // claimed at once, if a worker here is free
        return job;
    }

    Optional<ExportJob> find(String spaceKey, long id) {
        return jobs.find(id).filter(j -> j.spaceKey().equals(spaceKey));
    }

    List<ExportJob> list(String spaceKey, int max) {
        return jobs.list(spaceKey, max);
    }

    /** Runs one job to its end: done (file in place, requester mailed) or failed (with the reason). */
    void run(long id, Claim claim) {
        Optional<ExportJob> found = jobs.find(id);
        if (found.isEmpty()
                || (found.get().state() != State.QUEUED && found.get().state() != State.RUNNING)) {
            return;
        }
        ExportJob job = found.get();
        Instant started = clock.get().instant();
        job = job.with(State.RUNNING, 0, null, null, started, null, job.attempts() + 1);
        jobs.update(job);
        try {
            Decision allowed = policy.mayExport(job.spaceKey(), job.requestedBy());
            if (!allowed.allowed()) {
                fail(job, "refused when it ran: " + allowed.detail());
                return;
            }
            String name = ExportFileNames.currentMonth(job.firstDay(), job.lastDay(), job.product());
            Path folder = files.folder(job);
            Path target = folder.resolve(name);
            long rows;
            if (mails.readyQueued(job) && Files.isRegularFile(target)) {
                // Stopped after the mail was queued: the file and the mail are there; only the state is not.
                rows = found.get().rows();
            } else {
                OwnerOnlyFolders.create(folder);
                long jobId = job.id();
                Instant from = job.firstDay().atStartOfDay().toInstant(ZoneOffset.UTC);
                Evidence e = evidence;
                FileSeal seal = e == null
                        ? null
                        : new FileSeal(
                                e.store(),
                                e.signer(),
                                job.spaceKey(),
                                job.product(),
                                YearMonth.from(job.firstDay()),
                                from,
                                job.requested(),
                                ExportFileNames.csvEntryName(name),
                                clock.get());
                try (RecordCursor records = store.stream(
                        job.spaceKey(), job.product(), from, seal == null ? job.requested() : seal.readTo())) {
                    CsvZipWriter writer = seal == null ? new CsvZipWriter() : new CsvZipWriter().withSeal(seal);
                    rows = writer.write(target, seal == null ? records : seal.rows(records), written -> {
                        if (claim.stopping()) {
                            throw new CancellationException("the export bundle is stopping");
                        }
                        if (claim.lost()) {
                            throw new CancellationException("another server claimed the job");
                        }
                        jobs.progress(jobId, written);
                    });
                }
                mails.ready(job, rows, name);
            }
            jobs.update(
                    job.with(State.DONE, rows, name, null, started, clock.get().instant(), job.attempts()));
            LOG.info("Export job {} done: {} ({} rows)", job.id(), name, rows);
        } catch (CancellationException e) {
            LOG.info(
                    "Export job {} interrupted ({}); it runs again where it is claimed next", job.id(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (claim.stopping()) {
                LOG.info(
                        "Export job {} interrupted by a stop ({}); it runs again at the next start",
                        job.id(),
                        e.getMessage());
                return;
            }
            String incident = FailureReasons.incident();
            LOG.error("Export job {} of {} failed (incident {})", job.id(), job.spaceKey(), incident, e);
            fail(job, FailureReasons.of(e, incident));
        }
    }

    private void fail(ExportJob job, String why) {
        String reason = why.length() > 900 ? why.substring(0, 899) + "\u2026" : why;
        // The mail first: a stop in between runs the job again, and the mail's key keeps it to one mail.
        mails.failed(job, reason);
        jobs.update(job.with(
                State.FAILED,
                job.rows(),
                null,
                reason,
                job.started(),
                clock.get().instant(),
                job.attempts()));
        LOG.warn("Export job {} of {} failed: {}", job.id(), job.spaceKey(), reason);
    }
}
