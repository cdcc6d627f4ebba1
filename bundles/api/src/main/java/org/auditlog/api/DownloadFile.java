package org.auditlog.api;

import java.time.Instant;

/**
 * An export file opened with a download token.
 *
 * @param grant what the token was issued for (organization, job, member)
 * @param file the file
 * @param expires when the token stops working
 */
public record DownloadFile(DownloadGrant grant, ArchiveFile file, Instant expires) {
}
