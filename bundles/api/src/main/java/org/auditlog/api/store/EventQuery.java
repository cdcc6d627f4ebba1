package org.auditlog.api.store;

import java.time.Instant;

/**
 * A filter over one organization's records.
 *
 * @param spaceKey the organization (required)
 * @param product only this product, or {@code null}
 * @param from only records dated at or after this instant, or {@code null}
 * @param to only records dated before this instant, or {@code null}
 * @param category only this category, or {@code null}
 * @param event only this event name, or {@code null}
 * @param user only records whose operation user id, name or email equals this, or {@code null}
 * @param limit the most records to return (1 to 1,000)
 * @param after continue after this position (from {@link EventPage#next()}), or {@code null} for the first page
 * @since 1.0
 */
public record EventQuery(
        String spaceKey,
        String product,
        Instant from,
        Instant to,
        String category,
        String event,
        String user,
        int limit,
        EventCursor after) {}
