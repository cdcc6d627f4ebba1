package org.auditlog.api;

import java.time.YearMonth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Export files of an organization's audit log (SPEC sections 5 and 6). Access is decided by the caller
 * with {@link AccessPolicy#mayExport}; this service only makes and finds files.
 */
@ProviderType
public interface ExportService {

    /**
     * The file of a past month for one product ({@code auditlog-{YYYYMM}-{product}-csv.zip}), built from the
     * store now if it does not exist yet.
     *
     * @throws PolicyException INVALID when the month is not a past month within retention or the product
     *         name is not one a file name may hold
     */
    ArchiveFile pastMonth(String spaceKey, YearMonth month, String product);

    /** The file of a past month for one product if it has been built, without building it. */
    java.util.Optional<ArchiveFile> findPastMonth(String spaceKey, YearMonth month, String product);

    /** Deletes every organization's files of months before {@code firstKept} (retention); returns how many. */
    int deleteMonthsBefore(YearMonth firstKept);

    /** Deletes all files of one organization (retention); returns how many. */
    int deleteOrganization(String spaceKey);
}
