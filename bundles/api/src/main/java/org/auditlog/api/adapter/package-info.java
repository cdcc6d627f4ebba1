/**
 * The V1 record and the product adapter SPI.
 *
 * <p>{@link AuditRecord} is one row of the V1 file, {@link Column} its columns. Product bundles implement
 * {@link ProductAdapter} (a consumer type), declared with {@link ProductAdapterService}, and read their payloads
 * with {@link PayloadFields}; the capture bundle routes payloads to them. Every other bundle uses the record.
 * {@link LogText} is deprecated: the server's log layout escapes every record. This package depends on no other
 * package of the API: an adapter imports it alone.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.auditlog.api.adapter;
