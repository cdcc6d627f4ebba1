package org.auditlog.api.mail;

import java.time.Instant;
import java.util.Locale;

/**
 * Where a queued mail is.
 *
 * @param key the mail's key
 * @param to its recipient
 * @param subject its subject
 * @param state pending, sent or failed
 * @param queued when it was stored
 * @param sent when the SMTP server accepted it (or it was written to the outbox folder), or {@code null}
 * @param attempts failed attempts so far
 * @param nextAttempt when it is tried next while pending, or {@code null}
 * @param lastError the last failure, or {@code null}
 * @since 1.0
 */
public record MailStatus(
        String key,
        String to,
        String subject,
        State state,
        Instant queued,
        Instant sent,
        int attempts,
        Instant nextAttempt,
        String lastError) {

    /** Whether a mail has gone out. */
    public enum State {
        /** Waiting for its (next) attempt. */
        PENDING,
        /** Taken by the mail server (or written to the outbox folder). */
        SENT,
        /** Refused by the mail server for good (a 5xx answer, such as an unknown recipient); not retried. */
        FAILED;

        /** The name used on the wire, in lower case. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
