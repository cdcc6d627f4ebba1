package org.auditlog.api;

import java.time.Instant;

/**
 * Where a queued mail is.
 *
 * @param key the mail's key
 * @param to its recipient
 * @param subject its subject
 * @param state pending or sent
 * @param queued when it was stored
 * @param sent when the SMTP server accepted it (or it was written to the outbox folder), or {@code null}
 * @param attempts failed attempts so far
 * @param nextAttempt when it is tried next while pending, or {@code null}
 * @param lastError the last failure, or {@code null}
 */
public record MailStatus(String key, String to, String subject, State state, Instant queued, Instant sent,
        int attempts, Instant nextAttempt, String lastError) {

    /** Whether a mail has gone out. */
    public enum State {
        PENDING, SENT;

        /** The name used on the wire, in lower case. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
