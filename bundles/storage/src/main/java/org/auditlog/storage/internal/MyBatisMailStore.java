package org.auditlog.storage.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.MailStatus;
import org.auditlog.api.store.MailStore;
import org.auditlog.api.store.QueuedMail;
import org.auditlog.api.store.StoreException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link MailStore} on MyBatis over {@code mail_outbox}. A mail is pending while it has no sent time; a new
 * one is due at once (its next attempt is its queued time). The unique key on {@code mail_key} makes
 * queuing race-free: of two threads queuing the same key, the database lets one insert and refuses the other.
 */
@Component(service = MailStore.class, property = StorageDatabase.STORE)
public class MyBatisMailStore implements MailStore {
    /** Size of {@code mail_outbox.last_error}; a longer error is cut rather than refused. */
    static final int ERROR_SIZE = 1000;

    private final Transactions tx;
    private final Supplier<Clock> clock;

    /** The component: the store on the bundle's database. */
    @Activate
    public MyBatisMailStore(@Reference StorageDatabase database) {
        this.tx = database.database().transactions();
        this.clock = database::clock;
    }

    @Override
    public boolean enqueue(MailMessage message, Instant queued) {
        Instant at = queued == null ? clock.get().instant() : queued;
        try {
            tx.update(
                    "could not queue mail " + message.key() + ": ",
                    session -> session.getMapper(MailMapper.class).insert(message, at));
            return true;
        } catch (StoreException e) {
            // Queued before, or by another thread just now: the database's unique key is the judge, so
            // there is no window between a look and an insert.
            if (SqlFailures.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * How long a mail given by {@link #due} is not given again: longer than any batch of sends takes, short
     * enough that a mail claimed by a server that was stopped goes out within minutes from another one.
     */
    static final Duration CLAIM = Duration.ofMinutes(10);

    @Override
    public List<QueuedMail> due(Instant now, int max) {
        if (max <= 0) {
            return List.of(); // HSQLDB reads LIMIT 0 as no limit at all
        }
        List<MailRow> due = tx.write("could not read the mails due: ", session -> {
            MailMapper mapper = session.getMapper(MailMapper.class);
            List<MailRow> rows = mapper.due(now, max);
            for (MailRow r : rows) {
                mapper.claim(r.id(), now.plus(CLAIM));
            }
            return rows;
        });
        return due.stream()
                .map(r -> new QueuedMail(
                        r.id(),
                        new MailMessage(r.key(), r.to(), r.subject(), r.text(), r.html()),
                        r.queued(),
                        r.attempts()))
                .toList();
    }

    /** Marks a pending mail sent; a mail already marked keeps its first sent time. */
    @Override
    public void markSent(long id, Instant sent) {
        Objects.requireNonNull(sent, "sent");
        tx.update(
                "could not mark mail " + id + " sent: ",
                session -> session.getMapper(MailMapper.class).markSent(id, sent));
    }

    /** Records a failed attempt of a pending mail; a mail sent meanwhile is left as it is. */
    @Override
    public void retryLater(long id, int attempts, Instant nextAttempt, String error) {
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        tx.update(
                "could not record the failed attempt of mail " + id + ": ",
                session -> session.getMapper(MailMapper.class)
                        .retryLater(id, attempts, nextAttempt, Columns.truncate(error, ERROR_SIZE)));
    }

    /** Marks a pending mail as refused for good; a mail sent (or failed) meanwhile is left as it is. */
    @Override
    public void markFailed(long id, int attempts, Instant failed, String error) {
        Objects.requireNonNull(failed, "failed");
        tx.update(
                "could not mark mail " + id + " failed: ",
                session -> session.getMapper(MailMapper.class)
                        .markFailed(id, attempts, failed, Columns.truncate(error, ERROR_SIZE)));
    }

    @Override
    public List<MailStatus> failed(int max) {
        if (max <= 0) {
            return List.of();
        }
        return tx.read(
                "could not read the failed mails: ",
                session -> List.copyOf(session.getMapper(MailMapper.class).failed(max)));
    }

    @Override
    public long failedCount() {
        return tx.read(
                "could not count the failed mails: ",
                session -> session.getMapper(MailMapper.class).failedCount());
    }

    @Override
    public Optional<MailStatus> status(String key) {
        return tx.read(
                "could not read mail " + key + ": ",
                session ->
                        Optional.ofNullable(session.getMapper(MailMapper.class).status(key)));
    }

    @Override
    public List<MailStatus> pending(int max) {
        if (max <= 0) {
            return List.of();
        }
        return tx.read(
                "could not read the pending mails: ",
                session -> List.copyOf(session.getMapper(MailMapper.class).pending(max)));
    }

    @Override
    public long pendingCount() {
        return tx.read(
                "could not count the pending mails: ",
                session -> session.getMapper(MailMapper.class).pendingCount());
    }

    @Override
    public Optional<Instant> nextDue() {
        return tx.read(
                "could not read when the next mail is due: ",
                session ->
                        Optional.ofNullable(session.getMapper(MailMapper.class).nextDue()));
    }

    @Override
    public int deleteSentBefore(Instant cutoff) {
        return tx.write(
                "could not delete old mails: ",
                session -> session.getMapper(MailMapper.class).deleteSentBefore(cutoff));
    }
}
