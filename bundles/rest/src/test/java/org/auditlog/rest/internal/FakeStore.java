package org.auditlog.rest.internal;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.RecordCursor;

/** A store that answers every query with {@link #page} (or throws {@link #failure}) and keeps the last query. */
final class FakeStore implements AuditStore {
    EventQuery lastQuery;
    EventPage page = new EventPage(List.of(), null);
    RuntimeException failure;

    @Override
    public EventPage query(EventQuery query) {
        lastQuery = query;
        if (failure != null) {
            throw failure;
        }
        return page;
    }

    @Override
    public void append(List<AuditRecord> records) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RecordCursor stream(String spaceKey, String product, Instant from, Instant to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Instant> lastLateRecord(String spaceKey, String product,
            YearMonth month) {
        return Optional.empty();
    }

    @Override
    public long maxId() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long deleteDatedBefore(Instant cutoff) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long deleteOrganization(String spaceKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isHealthy() {
        return true;
    }
}
