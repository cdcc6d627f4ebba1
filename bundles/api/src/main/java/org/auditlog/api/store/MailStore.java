package org.auditlog.api.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.MailStatus;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The mail bundle's durable outbox. Implemented by the storage bundle; used by the mail bundle only.
 *
 * @since 1.0
 */
@ProviderType
public interface MailStore {

    /**
     * Stores a mail, committed when it returns.
     *
     * @return {@code false} when a mail with the same key is already stored (nothing is written)
     */
    boolean enqueue(MailMessage message, Instant queued);

    /**
     * Pending mails whose next attempt is due at {@code now}, oldest first, at most {@code max}; each one given is
     * claimed for a while (the store's claim time), so that no server sharing the store is given it again
     * meanwhile. The caller then marks it sent, failed or due later, which ends the claim; a server stopped in
     * between leaves it to be tried again, by any server, once the claim has run out (at once by the next start
     * of a store no other server shares). The mail's next attempt, as {@link #status} tells it, is unchanged.
     */
    List<QueuedMail> due(Instant now, int max);

    /** Marks a mail as sent. */
    void markSent(long id, Instant sent);

    /** Records a failed attempt: the mail stays pending until {@code nextAttempt}. */
    void retryLater(long id, int attempts, Instant nextAttempt, String error);

    /** Records that the mail server refused a mail for good: it is not tried again. */
    void markFailed(long id, int attempts, Instant failed, String error);

    /** Failed mails, the latest first, at most {@code max}. */
    List<MailStatus> failed(int max);

    /** How many mails failed for good (and are still kept). */
    long failedCount();

    /** The status of the mail with this key. */
    Optional<MailStatus> status(String key);

    /** Pending mails, oldest first, at most {@code max}. */
    List<MailStatus> pending(int max);

    /** How many mails are pending. */
    long pendingCount();

    /** When the earliest pending mail is due, if any is pending. */
    Optional<Instant> nextDue();

    /** Deletes mails sent, or failed for good, before {@code cutoff}; returns how many. */
    int deleteSentBefore(Instant cutoff);
}
