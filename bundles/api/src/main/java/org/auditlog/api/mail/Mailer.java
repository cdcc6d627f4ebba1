package org.auditlog.api.mail;

import java.util.Optional;
import org.auditlog.api.store.StoreException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends mail through a durable outbox: a mail is stored before {@link #queue} returns, then sent as soon as
 * the mail server takes it, retried with backoff while it does not. Implemented by the mail bundle; used by
 * the export bundle.
 *
 * @since 1.0
 */
@ProviderType
public interface Mailer {

    /**
     * Stores a mail and wakes the sender.
     *
     * @return {@code true} when it was queued, {@code false} when a mail with the same key was queued before
     *         (and is not queued again)
     * @throws StoreException when it could not be stored
     */
    boolean queue(MailMessage message);

    /** Where the mail with this key is, if one was queued. */
    Optional<MailStatus> status(String key);
}
