package org.auditlog.export.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.ExportJob.State;
import org.auditlog.api.store.ExportJobStore;
import org.auditlog.api.work.BackgroundWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims export jobs from the {@link ExportJobStore} for this server's workers, which build them
 * ({@link ExportJobs#run}). Whichever server sharing the store has a free worker claims a job, every {@link #POLL}
 * and at once when a job is asked for here; a running job's claim is renewed every poll, so a job whose server
 * stopped (or was killed) is claimed by another once its claim has run out ({@code claimSeconds}), or by the same
 * node number at its next start at once, and run again from the start. A server that finds its claim taken over
 * stops its run.
 */
final class JobClaims implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobClaims.class);
    /** How long a claim lasts unless renewed, by default: how long a job of a killed server waits for another. */
    static final Duration CLAIM = Duration.ofSeconds(60);
    /** How often free workers look for claimable jobs, and running jobs' claims are renewed. */
    static final Duration POLL = Duration.ofSeconds(2);

    /**
     * How this server claims: as {@code holder} (of the node number {@code holderPrefix}), for {@code claim}, with
     * {@code workers} workers.
     */
    record Terms(String holder, String holderPrefix, Duration claim, int workers) {}

    private final ExportJobStore jobs;
    private final ExportJobs runs;
    private final Terms terms;
    private final ExecutorService workers;
    /** Free workers: a job is claimed only when one is free. */
    private final Semaphore free;
    /** Jobs running here, and whether their claim is still ours. */
    private final ConcurrentMap<Long, Boolean> running = new ConcurrentHashMap<>();

    private final ScheduledExecutorService poller;
    private volatile boolean closing;

    JobClaims(ExportJobStore jobs, ExportJobs runs, BackgroundWork work, Terms terms) {
        this.jobs = jobs;
        this.runs = runs;
        this.terms = terms;
        this.free = new Semaphore(terms.workers());
        this.workers = work.workers("export", terms.workers());
        this.poller = work.scheduler("export-claims");
        runs.whenQueued(this::claimSoon);
    }

    /**
     * Frees the claims an earlier run of this node number left (that run has ended: the node number is this
     * server's), then claims work every {@link #POLL}: the jobs left queued or running by a stop run again.
     */
    void start() {
        int released = jobs.releaseClaims(terms.holderPrefix(), terms.holder());
        if (released > 0) {
            LOG.info("Released {} export job claim(s) of an earlier run of this server", released);
        }
        poller.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Claims jobs at once, on the poller's thread, while a worker is free. */
    void claimSoon() {
        try {
            poller.execute(this::claimWhileFreeQuietly);
        } catch (RejectedExecutionException e) {
            LOG.info("Export jobs stay queued: the export bundle is stopping; a server claims them later");
        }
    }

    /** Renews the claims of the jobs running here, then claims jobs while a worker is free. */
    private void poll() {
        try {
            for (Long id : running.keySet()) {
                if (!jobs.renewClaim(id, terms.holder(), terms.claim())) {
                    running.put(id, Boolean.FALSE);
                    LOG.warn("Export job {} was claimed by another server; its run here stops", id);
                }
            }
            claimWhileFree();
        } catch (RuntimeException e) {
            LOG.warn("Could not look for export jobs: {}", e.getMessage());
        }
    }

    private void claimWhileFree() {
        while (!closing && free.tryAcquire()) {
            Optional<ExportJob> claimed;
            try {
                claimed = jobs.claim(terms.holder(), terms.claim());
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
                        runs.run(id, claimOf(id));
                    } finally {
                        running.remove(id);
                        free.release();
                        claimSoon();
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
            LOG.warn("Could not look for export jobs: {}", e.getMessage());
        }
    }

    private ExportJobs.Claim claimOf(long id) {
        return new ExportJobs.Claim() {
            @Override
            public boolean stopping() {
                return closing;
            }

            @Override
            public boolean lost() {
                return Boolean.FALSE.equals(running.get(id));
            }
        };
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
