package org.auditlog.api.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;

/**
 * An export of the current month for one product (docs/rules.md section 5), asked for by an Audit Log Admin and run on
 * the export bundle's workers. A job is stored before it is acknowledged, so it survives a restart: one that
 * was queued or running when the server stopped is run again from the start.
 *
 * @param id the job's id (0 before it is stored)
 * @param spaceKey the organization
 * @param product the product whose records the file holds
 * @param requestedBy user id of the member who asked (the one mailed when the file is ready)
 * @param requested when the job was asked for; the file holds the records dated from the first day at 00:00
 *        UTC up to this instant
 * @param firstDay the first day of the period (the 1st of the month, UTC)
 * @param lastDay the last day of the period, the day of the request (UTC)
 * @param state where the job is
 * @param rows records written so far (while running) or in all (when done)
 * @param fileName the file's name once done, e.g. {@code auditlog-20261101-20261122-Backlog-csv.zip}
 * @param failure why it failed, or {@code null}
 * @param started when the latest attempt started, or {@code null}
 * @param finished when it ended, or {@code null}
 * @param attempts how many times it has been started
 * @since 1.0
 */
public record ExportJob(
        long id,
        String spaceKey,
        String product,
        String requestedBy,
        Instant requested,
        LocalDate firstDay,
        LocalDate lastDay,
        State state,
        long rows,
        String fileName,
        String failure,
        Instant started,
        Instant finished,
        int attempts) {

    /** Where a job is. */
    public enum State {
        /** Stored, waiting for a worker. */
        QUEUED,
        /** A worker is writing the file. */
        RUNNING,
        /** The file is in place and the requester has been mailed. */
        DONE,
        /** It could not be written; {@link ExportJob#failure()} says why. */
        FAILED;

        /** The name used on the wire, in lower case. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** This job in another state, the other fields unchanged. */
    public ExportJob with(
            State newState,
            long newRows,
            String newFileName,
            String newFailure,
            Instant newStarted,
            Instant newFinished,
            int newAttempts) {
        return new ExportJob(
                id,
                spaceKey,
                product,
                requestedBy,
                requested,
                firstDay,
                lastDay,
                newState,
                newRows,
                newFileName,
                newFailure,
                newStarted,
                newFinished,
                newAttempts);
    }
}
