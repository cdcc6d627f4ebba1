/**
 * The Auditlog contract.
 *
 * <p>{@link org.auditlog.api.AuditRecord} is one row of the V1 file. Products reach the server through
 * {@link org.auditlog.api.ProductAdapter} services (implemented by product bundles); the server's own
 * bundles implement {@link org.auditlog.api.EventCapture}, {@link org.auditlog.api.AuditStore} and
 * {@link org.auditlog.api.TokenStore}. All time is read from a {@code java.time.Clock} service.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package org.auditlog.api;
