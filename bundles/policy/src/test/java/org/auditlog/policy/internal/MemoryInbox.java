package org.auditlog.policy.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.store.InboxEntry;
import org.auditlog.api.store.InboxStore;

/** Inbox entries in memory, with the deletions retention uses; the drain's side is not needed here. */
final class MemoryInbox implements InboxStore {
    final List<InboxEntry> entries = new ArrayList<>();

    /** An entry naming the organization ({@code null}: none), received then, set aside when {@code failure} is set. */
    synchronized InboxEntry add(String spaceKey, String received, String failure) {
        InboxEntry e = new InboxEntry(
                entries.size() + 1,
                "Backlog",
                "application/json",
                "[{\"raw\":true}]",
                1,
                new IngestContext(spaceKey, null, null),
                Instant.parse(received),
                failure);
        entries.add(e);
        return e;
    }

    synchronized List<Long> ids() {
        return entries.stream().map(InboxEntry::id).toList();
    }

    @Override
    public synchronized int deleteOrganization(String spaceKey) {
        int before = entries.size();
        entries.removeIf(e -> spaceKey.equals(e.context().spaceKey()));
        return before - entries.size();
    }

    @Override
    public synchronized int deleteSetAsideBefore(Instant cutoff) {
        int before = entries.size();
        entries.removeIf(e -> e.failure() != null && e.received().isBefore(cutoff));
        return before - entries.size();
    }

    @Override
    public long enqueue(InboxEntry entry) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<InboxEntry> pending(String product, int max) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void consume(long entryId, List<AuditRecord> records) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void fail(long entryId, String reason) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<InboxEntry> failedEntries(String product, int max) {
        return new ArrayList<>();
    }

    @Override
    public Optional<InboxEntry> entry(long entryId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean retryEntry(long entryId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean deleteFailed(long entryId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long pendingEvents(String product) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long failedEvents(String product) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<String> knownProducts() {
        return Set.of();
    }

    @Override
    public void rememberProduct(String product) {
        throw new UnsupportedOperationException();
    }
}
