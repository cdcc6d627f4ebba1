package org.auditlog.api.store;

import java.time.Instant;
import java.util.List;
import org.auditlog.api.adapter.AuditRecord;

/**
 * One page of records, newest first.
 *
 * <p>A search with filters that its index cannot answer alone looks at a bounded number of records per page.
 * When that bound ends the search before the page is full, the page holds fewer records than asked for (maybe
 * none), {@code next} continues from where it stopped, and {@code searchedBackTo} says how far back in time it
 * looked.
 *
 * @param events the records of this page
 * @param next where the next page starts, or {@code null} when this is the last page
 * @param searchedBackTo the date of the oldest record this page looked at when the work bound cut it short, or
 *        {@code null} when the page is complete (full, or the last one)
 * @since 1.0
 */
public record EventPage(List<AuditRecord> events, EventCursor next, Instant searchedBackTo) {
    /** A complete page: full, or the last one. */
    public EventPage(List<AuditRecord> events, EventCursor next) {
        this(events, next, null);
    }
}
