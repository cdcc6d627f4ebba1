/**
 * The stores: records, the inbox, tokens, organizations, export jobs, download tokens, the mail outbox and the
 * streams.
 *
 * <p>Every store interface is implemented by the storage bundle, and used by: {@link AuditStore} the capture bundle
 * (appends) and the readers (REST, export, policy); {@link InboxStore} capture; {@link TokenStore} the REST bundle;
 * {@link ExportJobStore} and {@link DownloadTokenStore} export; {@link MailStore} mail (and the REST bundle's mail
 * admin); {@link OrganizationStore} policy (and export, for the monthly mailing); {@link StreamStore} the streams
 * bundle (and policy, for an organization's purge). A store refuses with a {@link StoreException}.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package org.auditlog.api.store;
