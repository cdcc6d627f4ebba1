/**
 * Export files of an organization's audit log.
 *
 * <p>{@link ExportService} is implemented by the export bundle. It is used by the REST bundle (exports,
 * downloads, the archive listing) and by the policy bundle's retention job.
 *
 * @since 1.0
 * @version 1.1: {@link ExportLimitException} and {@link ExportService#checkExportLimits}
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.auditlog.api.export;
