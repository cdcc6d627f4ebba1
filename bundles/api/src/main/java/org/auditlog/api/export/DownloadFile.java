package org.auditlog.api.export;

import java.time.Instant;
import org.auditlog.api.store.DownloadGrant;

/**
 * An export file opened with a download token.
 *
 * @param grant what the token was issued for (organization, job, member)
 * @param file the file
 * @param expires when the token stops working
 * @since 1.0
 */
public record DownloadFile(DownloadGrant grant, ArchiveFile file, Instant expires) {}
