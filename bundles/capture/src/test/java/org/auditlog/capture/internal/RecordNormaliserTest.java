package org.auditlog.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.auditlog.api.AuditRecord;
import org.auditlog.api.IngestContext;
import org.auditlog.api.PayloadRejectedException;
import org.junit.jupiter.api.Test;

class RecordNormaliserTest {
    static final IngestContext NONE = new IngestContext(null, null, null);

    static AuditRecord raw(String spaceKey, String name) {
        return new AuditRecord(0, spaceKey, null, Instant.parse("2026-11-01T18:30:00.123456+09:00".replace("+09:00", "Z")),
                "Member", "Add a member", "ann was added", "u1", name, "ann@acme.example", "192.0.2.1", "Mozilla/5.0", null);
    }

    @Test
    void supportAndSystemActorsLoseTheirDetails() throws Exception {
        for (String actor : new String[] {"Nulab Support", "System user"}) {
            AuditRecord r = RecordNormaliser.normalise(raw("ACME", actor), "Apps", new IngestContext(null, "203.0.113.9", "curl"));
            assertEquals(actor, r.operationUserName());
            assertEquals("", r.operationUserId());
            assertEquals("", r.operationUserEmail());
            assertEquals("", r.ipAddress());
            assertEquals("", r.userAgent());
        }
    }

    @Test
    void fillsVersionProductMillisecondsAndForwardedClient() throws Exception {
        AuditRecord in = new AuditRecord(0, "ACME", null, Instant.parse("2026-11-01T09:30:00.123456Z"), "Member",
                "Add a member", "ann was added", null, "Ann", null, null, "", null);
        AuditRecord r = RecordNormaliser.normalise(in, "Apps", new IngestContext(null, "203.0.113.9", "Firefox"));
        assertEquals("V1", r.version());
        assertEquals("Apps", r.product());
        assertEquals(Instant.parse("2026-11-01T09:30:00.123Z"), r.date());
        assertEquals("", r.operationUserId());
        assertEquals("", r.operationUserEmail());
        assertEquals("203.0.113.9", r.ipAddress());
        assertEquals("Firefox", r.userAgent());
    }

    @Test
    void aTokenBoundToAnOrganizationGivesItsSpaceKeyAndRefusesOthers() throws Exception {
        IngestContext bound = new IngestContext("ACME", null, null);
        assertEquals("ACME", RecordNormaliser.normalise(raw(null, "Ann"), "Apps", bound).spaceKey());
        assertEquals("ACME", RecordNormaliser.normalise(raw("ACME", "Ann"), "Apps", bound).spaceKey());
        PayloadRejectedException e = assertThrows(PayloadRejectedException.class,
                () -> RecordNormaliser.normalise(raw("OTHER", "Ann"), "Apps", bound));
        assertEquals("space_key", e.field());
    }

    @Test
    void requiredFieldsAndLimitsNameTheField() {
        assertField("space_key", "is required: send it in the event, or use an ingest token bound to the organization",
                raw(null, "Ann"));
        assertField("space_key", "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit",
                raw("AC ME", "Ann"));
        assertField("space_key", "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit",
                raw("A".repeat(65), "Ann"));
        assertField("operation_user_name", "is required", raw("ACME", " "));
        AuditRecord noDate = new AuditRecord(0, "ACME", null, null, "c", "e", "a", "", "Ann", "", "", "", null);
        assertField("date", "is required", noDate);
        AuditRecord longAction = new AuditRecord(0, "ACME", null, Instant.EPOCH, "c", "e", "x".repeat(1025), "", "Ann",
                "", "", "", null);
        assertField("action", "is longer than 1024 characters (1025)", longAction);
    }

    private static void assertField(String field, String rule, AuditRecord r) {
        PayloadRejectedException e = assertThrows(PayloadRejectedException.class,
                () -> RecordNormaliser.normalise(r, "Apps", NONE));
        assertEquals(field, e.field());
        assertEquals(rule, e.rule());
    }
}
