package org.auditlog.api.store;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable state of the export bundle: current-month export jobs and the months whose monthly run (docs/rules.md
 * section 6) has completed. Implemented by the storage bundle; used by the export bundle only.
 *
 * @since 1.0
 */
@ProviderType
public interface ExportJobStore {

    /** Stores a new job (its id is ignored) and returns it with the id given. Committed when it returns. */
    ExportJob create(ExportJob job);

    /** A job by id. */
    Optional<ExportJob> find(long id);

    /** Jobs of an organization, newest first, at most {@code max}. */
    List<ExportJob> list(String spaceKey, int max);

    /** Jobs queued or running, oldest first. */
    List<ExportJob> unfinished();

    /**
     * Claims the oldest job that is queued, or running under a claim that has expired (the server running it
     * stopped), for {@code holder} for {@code ttl}, and returns it; its state is left as it was. Servers sharing
     * the database never hold a claim on the same job at once; a job's claim is kept by
     * {@link #renewClaim} while it runs.
     *
     * @since 1.1
     */
    Optional<ExportJob> claim(String holder, Duration ttl);

    /**
     * Extends {@code holder}'s claim on a job by {@code ttl} from now; false when the job is no longer claimed by
     * {@code holder} (its claim expired and another server took the job over, or the job was deleted).
     *
     * @since 1.1
     */
    boolean renewClaim(long id, String holder, Duration ttl);

    /**
     * Ends every claim held by a holder whose id starts with {@code prefix}, other than {@code except}: a server
     * started again under its node number frees the jobs its earlier run held at once. Returns how many.
     *
     * @since 1.1
     */
    int releaseClaims(String prefix, String except);

    /** Writes a job's state, rows, file name, failure, start, end and attempts. */
    void update(ExportJob job);

    /** Records progress of a running job (rows written so far); cheap enough to call every few seconds. */
    void progress(long id, long rows);

    /** Deletes jobs that ended before {@code cutoff}; returns how many. */
    int deleteFinishedBefore(Instant cutoff);

    /** Deletes every job of an organization; returns how many. */
    int deleteJobsOf(String spaceKey);

    /** When the monthly run for {@code month} (the month the files cover) completed, if it did. */
    Optional<Instant> monthlyRunCompleted(YearMonth month);

    /** Remembers that the monthly run for {@code month} completed; idempotent (the first time is kept). */
    void monthlyRunCompleted(YearMonth month, Instant at);
}
