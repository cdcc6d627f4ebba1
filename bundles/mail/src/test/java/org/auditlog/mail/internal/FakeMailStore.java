package org.auditlog.mail.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.MailStatus;
import org.auditlog.api.mail.MailStatus.State;
import org.auditlog.api.store.MailStore;
import org.auditlog.api.store.QueuedMail;
import org.auditlog.api.store.StoreException;

/**
 * An in-memory {@link MailStore} that keeps the contract: keys are unique, a new mail is due at once, due mails
 * come in order of their next attempt (then of their id), sent mails are never due again.
 */
final class FakeMailStore implements MailStore {

    private static final class Row {
        final long id;
        final MailMessage message;
        final Instant queued;
        Instant sent;
        Instant failed;
        int attempts;
        Instant nextAttempt;
        String lastError;

        Row(long id, MailMessage message, Instant queued) {
            this.id = id;
            this.message = message;
            this.queued = queued;
            this.nextAttempt = queued;
        }

        MailStatus status() {
            return new MailStatus(
                    message.key(),
                    message.to(),
                    message.subject(),
                    sent != null ? State.SENT : failed != null ? State.FAILED : State.PENDING,
                    queued,
                    sent,
                    attempts,
                    sent == null && failed == null ? nextAttempt : null,
                    lastError);
        }

        boolean pending() {
            return sent == null && failed == null;
        }
    }

    private final Map<String, Row> byKey = new LinkedHashMap<>();
    private long nextId = 1;
    /** How many of the next {@link #due} calls throw, to stand for a database that is briefly away. */
    final AtomicInteger failingDueCalls = new AtomicInteger();

    volatile Instant lastPurgeCutoff;

    @Override
    public synchronized boolean enqueue(MailMessage message, Instant queued) {
        if (byKey.containsKey(message.key())) {
            return false;
        }
        byKey.put(message.key(), new Row(nextId++, message, queued));
        return true;
    }

    @Override
    public synchronized List<QueuedMail> due(Instant now, int max) {
        if (failingDueCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreException("database unavailable (test)", null);
        }
        return byKey.values().stream()
                .filter(r -> r.pending() && !r.nextAttempt.isAfter(now))
                .sorted(Comparator.comparing((Row r) -> r.nextAttempt).thenComparingLong(r -> r.id))
                .limit(max)
                .map(r -> new QueuedMail(r.id, r.message, r.queued, r.attempts))
                .toList();
    }

    @Override
    public synchronized void markSent(long id, Instant sent) {
        Row r = byId(id);
        r.sent = sent;
    }

    @Override
    public synchronized void retryLater(long id, int attempts, Instant nextAttempt, String error) {
        Row r = byId(id);
        r.attempts = attempts;
        r.nextAttempt = nextAttempt;
        r.lastError = error;
    }

    @Override
    public synchronized void markFailed(long id, int attempts, Instant failed, String error) {
        Row r = byId(id);
        r.attempts = attempts;
        r.failed = failed;
        r.lastError = error;
    }

    @Override
    public synchronized List<MailStatus> failed(int max) {
        return byKey.values().stream()
                .filter(r -> r.failed != null)
                .limit(max)
                .map(Row::status)
                .toList();
    }

    @Override
    public synchronized long failedCount() {
        return byKey.values().stream().filter(r -> r.failed != null).count();
    }

    @Override
    public synchronized Optional<MailStatus> status(String key) {
        return Optional.ofNullable(byKey.get(key)).map(Row::status);
    }

    @Override
    public synchronized List<MailStatus> pending(int max) {
        return byKey.values().stream()
                .filter(Row::pending)
                .limit(max)
                .map(Row::status)
                .toList();
    }

    @Override
    public synchronized long pendingCount() {
        return byKey.values().stream().filter(Row::pending).count();
    }

    @Override
    public synchronized Optional<Instant> nextDue() {
        return byKey.values().stream()
                .filter(Row::pending)
                .map(r -> r.nextAttempt)
                .min(Comparator.naturalOrder());
    }

    @Override
    public synchronized int deleteSentBefore(Instant cutoff) {
        lastPurgeCutoff = cutoff;
        List<String> old = new ArrayList<>();
        byKey.forEach((k, r) -> {
            if ((r.sent != null && r.sent.isBefore(cutoff)) || (r.failed != null && r.failed.isBefore(cutoff))) {
                old.add(k);
            }
        });
        old.forEach(byKey::remove);
        return old.size();
    }

    synchronized int size() {
        return byKey.size();
    }

    private Row byId(long id) {
        return byKey.values().stream()
                .filter(r -> r.id == id)
                .findFirst()
                .orElseThrow(() -> new StoreException("no mail " + id, null));
    }
}
