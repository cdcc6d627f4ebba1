package org.auditlog.rest.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.MailStatus;
import org.auditlog.api.store.MailStore;
import org.auditlog.api.store.QueuedMail;

/** The outbox the operator looks at: pending and failed mails as the test puts them. */
final class FakeMail implements MailStore {
    final List<MailStatus> pending = new ArrayList<>();
    final List<MailStatus> failed = new ArrayList<>();
    Instant nextDue;
    final List<Integer> asked = new ArrayList<>();

    @Override
    public List<MailStatus> pending(int max) {
        asked.add(max);
        return pending.stream().limit(max).toList();
    }

    @Override
    public long pendingCount() {
        return pending.size();
    }

    @Override
    public Optional<Instant> nextDue() {
        return Optional.ofNullable(nextDue);
    }

    @Override
    public List<MailStatus> failed(int max) {
        asked.add(max);
        return failed.stream().limit(max).toList();
    }

    @Override
    public long failedCount() {
        return failed.size();
    }

    @Override
    public boolean enqueue(MailMessage message, Instant queued) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<QueuedMail> due(Instant now, int max) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void markSent(long id, Instant sent) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void retryLater(long id, int attempts, Instant nextAttempt, String error) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void markFailed(long id, int attempts, Instant failed, String error) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<MailStatus> status(String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int deleteSentBefore(Instant cutoff) {
        throw new UnsupportedOperationException();
    }
}
