package org.auditlog.api.store;

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

    /** Jobs queued or running, oldest first: the work to resume at start. */
    List<ExportJob> unfinished();

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
