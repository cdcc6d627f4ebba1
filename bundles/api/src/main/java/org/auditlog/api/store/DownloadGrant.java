package org.auditlog.api.store;

import java.time.Instant;
import org.auditlog.api.mail.Mailer;

/**
 * What a download token opens: the file of one export job of one organization. The token is mailed to the
 * job's requester; it expires 24 hours after that mail was sent, which the export bundle reads from
 * {@link Mailer#status(String)} with {@link #mailKey()}.
 *
 * @param id public id of the token (not secret)
 * @param spaceKey the organization whose file it opens
 * @param jobId the export job whose file it opens
 * @param userId the member it was mailed to
 * @param mailKey the key of the mail that carried it
 * @param created when it was issued
 * @since 1.0
 */
public record DownloadGrant(String id, String spaceKey, long jobId, String userId, String mailKey, Instant created) {}
