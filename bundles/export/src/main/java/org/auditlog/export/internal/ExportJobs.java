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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.adapter.LogText;
import org.auditlog.api.export.ArchiveFile;
import org.auditlog.api.export.DownloadFile;
import org.auditlog.api.export.ExportLimitException;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.mail.MailStatus;
import org.auditlog.api.mail.Mailer;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.DownloadGrant;
import org.auditlog.api.store.DownloadTokenStore;
import org.auditlog.api.store.ExportJob.State;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.ExportJobStore;
import org.auditlog.api.store.IssuedDownload;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.EvidenceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Current-month export jobs (docs/rules.md section 5) on a bounded pool of workers.
 *
 * <p>A job is stored before it is acknowledged and its state is kept in the {@link ExportJobStore}. Jobs are
 * claimed from the store ({@link ExportJobStore#claim}) by whichever server sharing it has a free worker, every
 * {@link #POLL} and at once when a job is asked for here; a running job's claim is renewed every poll, so a job
 * whose server stopped (or was killed) is claimed by another once its claim has run out ({@code claimSeconds}), or by
 * the same node number at its next start at once, and run again from the start (the file is written to a
 * temporary name and moved into place, so a half-written file is never seen). A server that finds its claim
 * taken over stops its run. When the file
 * is in place a download token is issued and the requester mailed through the durable {@link Mailer}; the
 * mail's key is the job's, so a job run again after a crash never mails twice. Job files live in
 * {@code <exports>/<spaceKey>/jobs/<id>/}.
 */
final class ExportJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExportJobs.class);
    /** How long a mailed link works, counted from the moment its mail was sent (docs/rules.md section 5). */
    static final Duration LINK_LIFETIME = Duration.ofHours(24);
    static final String JOBS_FOLDER = "jobs";
    /** How long a claim lasts unless renewed, by default: how long a job of a killed server waits for another. */
    static final Duration CLAIM = Duration.ofSeconds(60);
    /** How often free workers look for claimable jobs, and running jobs' claims are renewed. */
    static final Duration POLL = Duration.ofSeconds(2);

    private final ExportJobStore jobs;
    private final DownloadTokenStore tokens;
    private final Mailer mailer;
    private final AuditStore store;
    private final OrganizationService orgs;
    private final AccessPolicy policy;
    private final Supplier<Clock> clock;
    private final Path root;
    private final Links links;
    private final ExecutorService workers;
    /** Free workers: a job is claimed only when one is free. */
    private final Semaphore free;
    /** Jobs running here, and whether their claim is still ours. */
    private final ConcurrentMap<Long, Boolean> running = new ConcurrentHashMap<>();
    private final String holder;
    private final String holderPrefix;
    private final Duration claim;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "auditlog-export-claims");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closing;
    /** Where files get their evidence; null (files without evidence) in tests of jobs alone. */
    private volatile Evidence evidence;
    private final Limits limits;

    /** The tamper-evident log's store and signer, which every file's evidence comes from ({@link FileSeal}). */
    record Evidence(EvidenceStore store, CheckpointService signer) {
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

    /** Gives every file written from now on its evidence. */
    void useEvidence(Evidence e) {
        this.evidence = e;
    }

    ExportJobs(ExportJobStore jobs, DownloadTokenStore tokens, Mailer mailer, AuditStore store,
            OrganizationService orgs, AccessPolicy policy, Supplier<Clock> clock, Path root, Links links,
            int workerCount, String holder, String holderPrefix) {
        this(jobs, tokens, mailer, store, orgs, policy, clock, root, links, workerCount, holder, holderPrefix, CLAIM);
    }

    ExportJobs(ExportJobStore jobs, DownloadTokenStore tokens, Mailer mailer, AuditStore store,
            OrganizationService orgs, AccessPolicy policy, Supplier<Clock> clock, Path root, Links links,
            int workerCount, String holder, String holderPrefix, Duration claim) {
        this(jobs, tokens, mailer, store, orgs, policy, clock, root, links, workerCount, holder, holderPrefix, claim,
                Limits.DEFAULT);
    }

    ExportJobs(ExportJobStore jobs, DownloadTokenStore tokens, Mailer mailer, AuditStore store,
            OrganizationService orgs, AccessPolicy policy, Supplier<Clock> clock, Path root, Links links,
            int workerCount, String holder, String holderPrefix, Duration claim, Limits limits) {
        this.limits = limits;
        this.claim = claim;
        this.holder = holder;
        this.holderPrefix = holderPrefix;
        this.free = new Semaphore(workerCount);
        this.jobs = jobs;
        this.tokens = tokens;
        this.mailer = mailer;
        this.store = store;
        this.orgs = orgs;
        this.policy = policy;
        this.clock = clock;
        this.root = root;
        this.links = links;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(workerCount, workerCount, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "auditlog-export-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Frees the claims an earlier run of this node number left (that run has ended: the node number is this
     * server's), then claims work every {@link #POLL}: the jobs left queued or running by a stop run again.
     */
    void start() {
        int released = jobs.releaseClaims(holderPrefix, holder);
        if (released > 0) {
            LOG.info("Released {} export job claim(s) of an earlier run of this server", released);
        }
        poller.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Renews the claims of the jobs running here, then claims jobs while a worker is free. */
    private void poll() {
        try {
            for (Long id : running.keySet()) {
                if (!jobs.renewClaim(id, holder, claim)) {
                    running.put(id, Boolean.FALSE);
                    LOG.warn("Export job {} was claimed by another server; its run here stops", id);
                }
            }
            claimWhileFree();
        } catch (RuntimeException e) {
            LOG.warn("Could not look for export jobs: {}", LogText.of(e.getMessage()));
        }
    }

    private void claimWhileFree() {
        while (!closing && free.tryAcquire()) {
            Optional<ExportJob> claimed;
            try {
                claimed = jobs.claim(holder, claim);
            } catch (RuntimeException e) {
                free.release();
                throw e;
            }
            if (claimed.isEmpty()) {
                free.release();
                return;
            }
            long id = claimed.get().id();
            if (claimed.get().state() == State.RUNNING) {
                LOG.info("Export job {} was left running by a stopped server; it runs again here", id);
            }
            running.put(id, Boolean.TRUE);
            try {
                workers.execute(() -> {
                    try {
                        run(id);
                    } finally {
                        running.remove(id);
                        free.release();
                        poller.execute(this::claimWhileFreeQuietly);
                    }
                });
            } catch (RejectedExecutionException e) {
                running.remove(id);
                free.release();
                LOG.info("Export job {} stays queued: the export bundle is stopping", id);
                return;
            }
        }
    }

    private void claimWhileFreeQuietly() {
        try {
            claimWhileFree();
        } catch (RuntimeException e) {
            LOG.warn("Could not look for export jobs: {}", LogText.of(e.getMessage()));
        }
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
                .filter(j -> j.spaceKey().equals(spaceKey) && j.product().equals(product)).findFirst();
        if (running.isPresent()) {
            ExportJob j = running.get();
            if (j.requestedBy().equals(requestedBy) && j.lastDay().equals(today)) {
                return running;
            }
            throw new ExportLimitException("export_in_progress", "product", "an export of " + product
                    + " of this organization is " + j.state().wireName() + " (asked for by " + j.requestedBy()
                    + "); one runs at a time per product: ask again when it is done", RETRY_WHILE_RUNNING);
        }
        Instant midnight = today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Duration untilMidnight = Duration.between(now, midnight);
        List<ExportJob> asked = jobs.list(spaceKey, limits.perOrganizationPerDay()).stream()
                .filter(j -> !j.requested().isBefore(today.atStartOfDay().toInstant(ZoneOffset.UTC))).toList();
        if (asked.size() >= limits.perOrganizationPerDay()) {
            throw new ExportLimitException("exports_per_organization_per_day", null, "this organization asked for "
                    + asked.size() + " exports today, the most it may (exportsPerOrganizationPerDay); ask again after "
                    + "midnight UTC", untilMidnight);
        }
        long mine = asked.stream().filter(j -> j.requestedBy().equals(requestedBy)).count();
        if (mine >= limits.perMemberPerDay()) {
            throw new ExportLimitException("exports_per_member_per_day", null, "you asked for " + mine
                    + " exports of this organization today, the most a member may (exportsPerMemberPerDay); ask "
                    + "again after midnight UTC", untilMidnight);
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
        ExportJob job = jobs.create(new ExportJob(0, spaceKey, product, requestedBy, now, today.withDayOfMonth(1), today,
                State.QUEUED, 0, null, null, null, null, 0));
        LOG.info("Export job {} queued: {} of {} for {} to {}", job.id(), LogText.of(product), LogText.of(spaceKey),
                job.firstDay(),
                job.lastDay());
        try {
            poller.execute(this::claimWhileFreeQuietly); // at once, if a worker here is free
        } catch (RejectedExecutionException e) {
            LOG.info("Export job {} stays queued: the export bundle is stopping; a server claims it later", job.id());
        }
        return job;
    }

    Optional<ExportJob> find(String spaceKey, long id) {
        return jobs.find(id).filter(j -> j.spaceKey().equals(spaceKey));
    }

    List<ExportJob> list(String spaceKey, int max) {
        return jobs.list(spaceKey, max);
    }

    /** The file of a job by its download token; see {@link ExportService#openDownload}. */
    DownloadFile open(String token) {
        DownloadGrant grant = tokens.find(token).orElseThrow(() -> new PolicyException(PolicyException.Kind.NOT_FOUND,
                "unknown_download_link", "token", "this download link is not known; check that it was copied whole"));
        Optional<MailStatus> mail = mailer.status(grant.mailKey());
        if (mail.isPresent() && mail.get().state() == MailStatus.State.FAILED) {
            throw new PolicyException(PolicyException.Kind.GONE, "link_not_delivered", "token",
                    "the mail carrying this download link could not be delivered; ask for a new export");
        }
        if (mail.isEmpty() || mail.get().state() != MailStatus.State.SENT) {
            throw new PolicyException(PolicyException.Kind.CONFLICT, "link_not_mailed_yet", "token",
                    "the mail carrying this download link has not been sent yet");
        }
        Instant expires = mail.get().sent().plus(LINK_LIFETIME);
        if (!clock.get().instant().isBefore(expires)) {
            throw new PolicyException(PolicyException.Kind.GONE, "download_link_expired", "token",
                    "this download link expired at " + ExportMails.time(expires)
                            + " (24 hours after its mail was sent); ask for a new export");
        }
        ExportJob job = jobs.find(grant.jobId()).filter(j -> j.state() == State.DONE && j.fileName() != null)
                .orElseThrow(() -> gone(grant));
        Path file = jobFolder(job).resolve(job.fileName());
        try {
            return new DownloadFile(grant, new ArchiveFile(job.fileName(), file, Files.size(file)), expires);
        } catch (IOException e) {
            throw gone(grant);
        }
    }

    private static PolicyException gone(DownloadGrant grant) {
        return new PolicyException(PolicyException.Kind.GONE, "export_file_deleted", "token",
                "the file of this download link has been deleted; ask for a new export");
    }

    Path jobFolder(ExportJob job) {
        return root.resolve(job.spaceKey()).resolve(JOBS_FOLDER).resolve(Long.toString(job.id()));
    }

    /** Runs one job to its end: done (file in place, requester mailed) or failed (with the reason). */
    void run(long id) {
        Optional<ExportJob> found = jobs.find(id);
        if (found.isEmpty() || (found.get().state() != State.QUEUED && found.get().state() != State.RUNNING)) {
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
            Path folder = jobFolder(job);
            Path target = folder.resolve(name);
            String mailKey = ExportMails.jobMailKey(job.id());
            long rows;
            if (mailer.status(mailKey).isPresent() && Files.isRegularFile(target)) {
                // Stopped after the mail was queued: the file and the mail are there; only the state is not.
                rows = found.get().rows();
            } else {
                OwnerOnlyFolders.create(folder);
                long jobId = job.id();
                Instant from = job.firstDay().atStartOfDay().toInstant(ZoneOffset.UTC);
                Evidence e = evidence;
                FileSeal seal = e == null ? null : new FileSeal(e.store(), e.signer(), job.spaceKey(), job.product(),
                        YearMonth.from(job.firstDay()), from, job.requested(), ExportFileNames.csvEntryName(name),
                        clock.get());
                try (RecordCursor records = store.stream(job.spaceKey(), job.product(), from,
                        seal == null ? job.requested() : seal.readTo())) {
                    CsvZipWriter writer = seal == null ? new CsvZipWriter() : new CsvZipWriter().withSeal(seal);
                    rows = writer.write(target, seal == null ? records : seal.rows(records), written -> {
                        if (closing) {
                            throw new CancellationException("the export bundle is stopping");
                        }
                        if (Boolean.FALSE.equals(running.get(jobId))) {
                            throw new CancellationException("another server claimed the job");
                        }
                        jobs.progress(jobId, written);
                    });
                }
                mail(job, rows, name);
            }
            jobs.update(job.with(State.DONE, rows, name, null, started, clock.get().instant(), job.attempts()));
            LOG.info("Export job {} done: {} ({} rows)", job.id(), LogText.of(name), rows);
        } catch (CancellationException e) {
            LOG.info("Export job {} interrupted ({}); it runs again where it is claimed next", job.id(),
                    LogText.of(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            if (closing) {
                LOG.info("Export job {} interrupted by a stop ({}); it runs again at the next start", job.id(),
                        LogText.of(e.getMessage()));
                return;
            }
            String incident = FailureReasons.incident();
            LOG.error("Export job {} of {} failed (incident {})", job.id(), LogText.of(job.spaceKey()), incident, e);
            fail(job, FailureReasons.of(e, incident));
        }
    }

    private void mail(ExportJob job, long rows, String fileName) {
        OrganizationSnapshot org = orgs.get(job.spaceKey());
        Optional<Member> to = requester(job, org);
        if (to.isEmpty()) {
            return;
        }
        String mailKey = ExportMails.jobMailKey(job.id());
        IssuedDownload token = tokens.issue(new DownloadGrant(null, job.spaceKey(), job.id(), job.requestedBy(),
                mailKey, clock.get().instant()));
        mailer.queue(ExportMails.exportReady(job, org.organization(), to.get(), rows, fileName,
                links.download(job.spaceKey(), token.token())));
    }

    private void fail(ExportJob job, String why) {
        String reason = why.length() > 900 ? why.substring(0, 899) + "\u2026" : why;
        // The mail first: a stop in between runs the job again, and the mail's key keeps it to one mail.
        try {
            OrganizationSnapshot org = orgs.get(job.spaceKey());
            requester(job, org).ifPresent(to -> mailer.queue(ExportMails.exportFailed(job, org.organization(), to,
                    reason, links.settings(job.spaceKey()))));
        } catch (RuntimeException e) {
            LOG.error("Export job {}: could not mail its requester about the failure", job.id(), e);
        }
        jobs.update(job.with(State.FAILED, job.rows(), null, reason, job.started(), clock.get().instant(),
                job.attempts()));
        LOG.warn("Export job {} of {} failed: {}", job.id(), LogText.of(job.spaceKey()), LogText.of(reason));
    }

    /** The member who asked, if they are still a member with an email address. */
    private static Optional<Member> requester(ExportJob job, OrganizationSnapshot org) {
        Optional<Member> to = org.members().stream().filter(m -> m.userId().equals(job.requestedBy())).findFirst()
                .filter(m -> m.email() != null && !m.email().isBlank());
        if (to.isEmpty()) {
            LOG.warn("Export job {}: {} is no longer a member of {} with an email address; nobody is mailed",
                    job.id(), LogText.of(job.requestedBy()), LogText.of(job.spaceKey()));
        }
        return to;
    }

    /** Deletes jobs, their files and download tokens that ended before {@code cutoff}; returns the jobs deleted. */
    int deleteFinishedBefore(Instant cutoff) {
        for (String spaceKey : folderNames(root)) {
            Path jobsDir = root.resolve(spaceKey).resolve(JOBS_FOLDER);
            for (String id : folderNames(jobsDir)) {
                Optional<ExportJob> job = id.matches("\\d{1,18}") ? jobs.find(Long.parseLong(id)) : Optional.empty();
                boolean old = job.map(j -> j.finished() != null && j.finished().isBefore(cutoff)).orElse(true);
                if (old && job.map(j -> j.state() != State.QUEUED && j.state() != State.RUNNING).orElse(true)) {
                    deleteTree(jobsDir.resolve(id));
                }
            }
        }
        tokens.deleteIssuedBefore(cutoff);
        return jobs.deleteFinishedBefore(cutoff);
    }

    /** Deletes an organization's jobs and tokens (its files go with its folder). */
    void deleteOrganization(String spaceKey) {
        tokens.deleteTokensOf(spaceKey);
        jobs.deleteJobsOf(spaceKey);
    }

    static List<String> folderNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            LOG.warn("Could not list {}: {}", LogText.of(dir), LogText.of(e.getMessage()));
            return List.of();
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", LogText.of(dir), LogText.of(e.getMessage()));
        }
    }

    @Override
    public void close() {
        closing = true;
        poller.shutdownNow();
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Export workers still busy after 10 s; their jobs run again at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
