package org.auditlog.api.store;

import java.time.Instant;
import org.auditlog.api.mail.MailMessage;

/**
 * A stored mail waiting to be sent.
 *
 * @param id its id in the store
 * @param message the mail
 * @param queued when it was stored
 * @param attempts failed attempts so far
 * @since 1.0
 */
public record QueuedMail(long id, MailMessage message, Instant queued, int attempts) {}
