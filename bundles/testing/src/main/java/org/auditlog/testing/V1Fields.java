package org.auditlog.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.auditlog.api.adapter.AuditRecord;

/**
 * The V1 fields a product adapter fills from a native event: when, what, who did it, and the organization when
 * the event names one. {@code null} means the field is expected empty (null): the server fills the organization
 * from the ingest token when the adapter leaves it out.
 */
public record V1Fields(
        Instant date,
        String category,
        String event,
        String action,
        String userId,
        String userName,
        String userEmail,
        String spaceKey) {

    /** The fields of a record dated {@code date} (ISO-8601, UTC), of no organization. */
    public static V1Fields v1(
            String date,
            String category,
            String event,
            String action,
            String userId,
            String userName,
            String userEmail) {
        return new V1Fields(Instant.parse(date), category, event, action, userId, userName, userEmail, null);
    }

    /** The same fields with another action (one record of several an event gives, or a changed example). */
    public V1Fields withAction(String otherAction) {
        return new V1Fields(date, category, event, otherAction, userId, userName, userEmail, spaceKey);
    }

    /** The same fields with another event and action (another type of the same native shape). */
    public V1Fields as(String otherEvent, String otherAction) {
        return new V1Fields(date, category, otherEvent, otherAction, userId, userName, userEmail, spaceKey);
    }

    /** The same fields of the organization {@code key}. */
    public V1Fields inSpace(String key) {
        return new V1Fields(date, category, event, action, userId, userName, userEmail, key);
    }

    /** Asserts that {@code record} has these fields, naming the example in a failure. */
    public void assertMatches(AuditRecord record, String example) {
        assertEquals(this, of(record), example);
    }

    /** The V1 fields of a record. */
    public static V1Fields of(AuditRecord record) {
        return new V1Fields(
                record.date(),
                record.category(),
                record.event(),
                record.action(),
                record.operationUserId(),
                record.operationUserName(),
                record.operationUserEmail(),
                record.spaceKey());
    }
}
