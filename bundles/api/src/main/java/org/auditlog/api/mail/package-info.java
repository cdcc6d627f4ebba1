/**
 * Mail through a durable outbox.
 *
 * <p>{@link Mailer} is implemented by the mail bundle and used by the export bundle. The outbox it writes to is
 * the store package's {@code MailStore}.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.auditlog.api.mail;
