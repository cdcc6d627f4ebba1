package org.auditlog.export.internal;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.RecordCursor;

/**
 * A fake {@link AuditStore} for the export bundle's tests: {@link #stream} answers with the records a test gives
 * for each call; the export bundle uses nothing else of the store.
 */
abstract class RecordsStore implements AuditStore {

    /** The records one {@link #stream} call gives, in order. */
    abstract List<AuditRecord> month(String spaceKey, String product, Instant from, Instant to);

    @Override
    public RecordCursor stream(String spaceKey, String product, Instant from, Instant to) {
        Iterator<AuditRecord> it = month(spaceKey, product, from, to).iterator();
        return new RecordCursor() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public AuditRecord next() {
                return it.next();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void append(List<AuditRecord> records) {
        throw new UnsupportedOperationException();
    }

    @Override
    public EventPage query(EventQuery query) {
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
    public Optional<Instant> lastLateRecord(String spaceKey, String product,
            YearMonth month) {
        return Optional.empty();
    }

    @Override
    public long maxId() {
        return 0;
    }

    @Override
    public boolean isHealthy() {
        return true;
    }
}
