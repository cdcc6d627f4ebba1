package org.auditlog.api;

import java.time.Instant;

/**
 * A stored mail waiting to be sent.
 *
 * @param id its id in the store
 * @param message the mail
 * @param queued when it was stored
 * @param attempts failed attempts so far
 */
public record QueuedMail(long id, MailMessage message, Instant queued, int attempts) {
}
