package org.auditlog.api.store;

import java.time.Instant;

/**
 * A position in the newest-first order of records: the date and id of the last record of a page.
 * Positions are keys, not offsets, so pages stay stable while new records arrive.
 *
 * @since 1.0
 */
public record EventCursor(Instant date, long id) {}
