/**
 * Background work, done one way in every bundle: named daemon threads ({@link BackgroundWork#threads},
 * {@link BackgroundWork#scheduler}, {@link BackgroundWork#workers}), and periodic work that one server at a time
 * does under a lease of the {@link org.auditlog.api.store.LeaseStore} ({@link BackgroundWork#scheduleUnderLease}).
 *
 * <p>{@link BackgroundWork} is implemented by the work bundle and used by capture, policy, export and mail.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.auditlog.api.work;
