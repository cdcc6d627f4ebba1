package org.auditlog.storage.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.ibatis.session.SqlSession;
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

    private final Database db;
    private final Supplier<Clock> clock;

    /** The component: the store on the bundle's database. */
    @Activate
    public MyBatisMailStore(@Reference StorageDatabase database) {
        this(database.database(), database::clock);
    }

    MyBatisMailStore(Database db, Supplier<Clock> clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public boolean enqueue(MailMessage message, Instant queued) {
        Instant at = queued == null ? clock.get().instant() : queued;
        try (SqlSession session = db.sessions().openSession(false)) {
            try {
                session.getMapper(MailMapper.class).insert(message, at);
                session.commit(true);
                return true;
            } catch (RuntimeException e) {
                session.rollback(true);
                // Queued before, or by another thread just now: the database's unique key is the judge, so
                // there is no window between a look and an insert.
                if (MyBatisAuditStore.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        } catch (RuntimeException e) {
            throw new StoreException("could not queue mail " + message.key() + ": " + MyBatisAuditStore.rootMessage(e),
                    e);
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
        try (SqlSession session = db.sessions().openSession(false)) {
            MailMapper mapper = session.getMapper(MailMapper.class);
            List<MailRow> due = mapper.due(now, max);
            for (MailRow r : due) {
                mapper.claim(r.id(), now.plus(CLAIM));
            }
            session.commit(true);
            return due.stream()
                    .map(r -> new QueuedMail(r.id(), new MailMessage(r.key(), r.to(), r.subject(), r.text(), r.html()),
                            r.queued(), r.attempts()))
                    .toList();
        } catch (RuntimeException e) {
            throw new StoreException("could not read the mails due: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    /** Marks a pending mail sent; a mail already marked keeps its first sent time. */
    @Override
    public void markSent(long id, Instant sent) {
        Objects.requireNonNull(sent, "sent");
        try (SqlSession session = db.sessions().openSession(false)) {
            session.getMapper(MailMapper.class).markSent(id, sent);
            session.commit(true);
        } catch (RuntimeException e) {
            throw new StoreException("could not mark mail " + id + " sent: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    /** Records a failed attempt of a pending mail; a mail sent meanwhile is left as it is. */
    @Override
    public void retryLater(long id, int attempts, Instant nextAttempt, String error) {
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        try (SqlSession session = db.sessions().openSession(false)) {
            session.getMapper(MailMapper.class).retryLater(id, attempts, nextAttempt,
                    MyBatisAuditStore.truncate(error, ERROR_SIZE));
            session.commit(true);
        } catch (RuntimeException e) {
            throw new StoreException("could not record the failed attempt of mail " + id + ": "
                    + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    /** Marks a pending mail as refused for good; a mail sent (or failed) meanwhile is left as it is. */
    @Override
    public void markFailed(long id, int attempts, Instant failed, String error) {
        Objects.requireNonNull(failed, "failed");
        try (SqlSession session = db.sessions().openSession(false)) {
            session.getMapper(MailMapper.class).markFailed(id, attempts, failed,
                    MyBatisAuditStore.truncate(error, ERROR_SIZE));
            session.commit(true);
        } catch (RuntimeException e) {
            throw new StoreException("could not mark mail " + id + " failed: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public List<MailStatus> failed(int max) {
        if (max <= 0) {
            return List.of();
        }
        try (SqlSession session = db.sessions().openSession(true)) {
            return List.copyOf(session.getMapper(MailMapper.class).failed(max));
        } catch (RuntimeException e) {
            throw new StoreException("could not read the failed mails: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public long failedCount() {
        try (SqlSession session = db.sessions().openSession(true)) {
            return session.getMapper(MailMapper.class).failedCount();
        } catch (RuntimeException e) {
            throw new StoreException("could not count the failed mails: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public Optional<MailStatus> status(String key) {
        try (SqlSession session = db.sessions().openSession(true)) {
            return Optional.ofNullable(session.getMapper(MailMapper.class).status(key));
        } catch (RuntimeException e) {
            throw new StoreException("could not read mail " + key + ": " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public List<MailStatus> pending(int max) {
        if (max <= 0) {
            return List.of();
        }
        try (SqlSession session = db.sessions().openSession(true)) {
            return List.copyOf(session.getMapper(MailMapper.class).pending(max));
        } catch (RuntimeException e) {
            throw new StoreException("could not read the pending mails: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public long pendingCount() {
        try (SqlSession session = db.sessions().openSession(true)) {
            return session.getMapper(MailMapper.class).pendingCount();
        } catch (RuntimeException e) {
            throw new StoreException("could not count the pending mails: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public Optional<Instant> nextDue() {
        try (SqlSession session = db.sessions().openSession(true)) {
            return Optional.ofNullable(session.getMapper(MailMapper.class).nextDue());
        } catch (RuntimeException e) {
            throw new StoreException("could not read when the next mail is due: " + MyBatisAuditStore.rootMessage(e),
                    e);
        }
    }

    @Override
    public int deleteSentBefore(Instant cutoff) {
        try (SqlSession session = db.sessions().openSession(false)) {
            int n = session.getMapper(MailMapper.class).deleteSentBefore(cutoff);
            session.commit(true);
            return n;
        } catch (RuntimeException e) {
            throw new StoreException("could not delete old mails: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }
}
