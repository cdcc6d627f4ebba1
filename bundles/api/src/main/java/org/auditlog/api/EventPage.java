package org.auditlog.api;

import java.util.List;

/**
 * One page of records, newest first.
 *
 * @param events the records of this page
 * @param next where the next page starts, or {@code null} when this is the last page
 */
public record EventPage(List<AuditRecord> events, EventCursor next) {
}
