package org.auditlog.policy.internal;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.RecordCursor;

/** Records in memory, with the deletions retention uses. */
final class MemoryEvents implements AuditStore {
    final List<AuditRecord> records = new ArrayList<>();

    synchronized void add(String spaceKey, String date) {
        records.add(new AuditRecord(records.size() + 1, spaceKey, "Apps", Instant.parse(date), "c", "e", "a", "",
                "n", "", "", "", "V1"));
    }

    synchronized long count(String spaceKey) {
        return records.stream().filter(r -> r.spaceKey().equals(spaceKey)).count();
    }

    @Override
    public synchronized void append(List<AuditRecord> r) {
        records.addAll(r);
    }

    @Override
    public EventPage query(EventQuery query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RecordCursor stream(String spaceKey, String product, Instant from, Instant to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Instant> lastLateRecord(String spaceKey, String product, YearMonth month) {
        return Optional.empty();
    }

    @Override
    public synchronized long maxId() {
        return records.size();
    }

    @Override
    public synchronized long deleteDatedBefore(Instant cutoff) {
        long before = records.size();
        records.removeIf(r -> r.date().isBefore(cutoff));
        return before - records.size();
    }

    @Override
    public synchronized long deleteOrganization(String spaceKey) {
        long before = records.size();
        records.removeIf(r -> r.spaceKey().equals(spaceKey));
        return before - records.size();
    }

    @Override
    public boolean isHealthy() {
        return true;
    }
}
