package org.auditlog.api.export;

import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.store.ExportJob;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Export files of an organization's audit log (docs/rules.md sections 5 and 6). Access is decided by the caller
 * with {@link AccessPolicy#mayExport}; this service only makes and finds files.
 *
 * @since 1.0
 */
@ProviderType
public interface ExportService {

    /**
     * The file of a past month for one product ({@code auditlog-{YYYYMM}-{product}-csv.zip}), built from the
     * store now if it does not exist yet, or built again if the store holds records of the month that arrived
     * after it was built.
     *
     * @throws PolicyException INVALID when the month is not a past month within retention or the product
     *         name is not one a file name may hold
     */
    ArchiveFile pastMonth(String spaceKey, YearMonth month, String product);

    /**
     * The past months within retention, newest first, and for each the given products in their order, with
     * the file name each has and the size of the files already built. A product no file name can hold is
     * left out.
     */
    List<PastMonth> pastMonths(String spaceKey, List<String> products);

    /** The file of a past month for one product if it has been built, without building it. */
    Optional<ArchiveFile> findPastMonth(String spaceKey, YearMonth month, String product);

    /** Deletes every organization's files of months before {@code firstKept} (retention); returns how many. */
    int deleteMonthsBefore(YearMonth firstKept);

    /** Deletes all files of one organization (retention); returns how many. */
    int deleteOrganization(String spaceKey);

    /**
     * Asks for an export of the current month for one product (docs/rules.md section 5): stores a job and returns it
     * queued; a worker writes the file and mails the requester a download link. While a job of the same
     * member for the same product and day is queued or running, that job is returned instead of a new one.
     *
     * @param requestedBy user id of the member who asks; access is the caller's to decide beforehand
     * @throws PolicyException INVALID when the product name is not one a file name may hold
     * @throws ExportLimitException when another member's export of the product is queued or running, or the member
     *         or the organization asked for as many exports today as the configuration allows
     */
    ExportJob exportCurrentMonth(String spaceKey, String product, String requestedBy);

    /**
     * Whether {@link #exportCurrentMonth} would take the request now, without storing anything: a caller that
     * records the request before asking (the organization's own log) checks first, so that a refused request leaves
     * no record. {@link #exportCurrentMonth} checks again.
     *
     * @throws ExportLimitException as {@link #exportCurrentMonth} would
     * @since 1.1
     */
    default void checkExportLimits(String spaceKey, String product, String requestedBy) {
        // an implementation without bounds takes every request
    }

    /** A job of the organization by id; empty when there is none or it belongs to another organization. */
    Optional<ExportJob> job(String spaceKey, long id);

    /** The organization's jobs, newest first, at most {@code max}. */
    List<ExportJob> jobs(String spaceKey, int max);

    /**
     * The file a mailed download token opens. Which organization and member may use it is the caller's to
     * decide with {@link DownloadFile#grant()}.
     *
     * @throws PolicyException NOT_FOUND when the token is unknown or malformed, CONFLICT when the mail that
     *         carries it has not been sent yet, GONE when it expired (24 hours after that mail was sent) or
     *         its file has been deleted
     */
    DownloadFile openDownload(String token);
}
