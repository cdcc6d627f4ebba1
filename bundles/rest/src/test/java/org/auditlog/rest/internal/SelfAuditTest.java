package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Decision;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;
import org.auditlog.api.store.AuditUnavailableException;
import org.auditlog.api.store.StoreException;
import org.auditlog.testing.RecordingCapture;
import org.junit.jupiter.api.Test;

class SelfAuditTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC);
    static final Actor ANN = new Actor("ann", "Ann", "ann@acme.example", "203.0.113.5", "Agent/" + "x".repeat(5000));

    static AccessPolicy recording(boolean records) {
        return new AccessPolicy() {
            @Override
            public Decision mayRecord(String spaceKey) {
                return records ? Decision.ALLOWED : Decision.refused("plan_ended", "ended");
            }

            @Override
            public Decision mayUse(String spaceKey, String userId) {
                return Decision.ALLOWED;
            }

            @Override
            public Decision mayExport(String spaceKey, String userId) {
                return Decision.ALLOWED;
            }
        };
    }

    @Test
    void aUserAgentLongerThanItsColumnIsShortenedAndTheRecordWritten() {
        RecordingCapture capture = new RecordingCapture();
        new SelfAudit(recording(true), capture, () -> CLOCK)
                .record("ACME", ANN, "Search audit logs", "Audit logs were searched");
        assertEquals(1, capture.records.size());
        AuditRecord r = capture.records.get(0);
        assertEquals(Column.USER_AGENT.maxLength(), r.userAgent().length());
        assertTrue(r.userAgent().endsWith("(shortened from 5006)"), r.userAgent());
        assertEquals("Audit log", r.category());
        assertEquals(CLOCK.instant(), r.date());
    }

    @Test
    void aRecordThatCannotBeWrittenRefusesTheAction() {
        RecordingCapture capture = new RecordingCapture();
        capture.failure = new StoreException("Connection to db.internal.example:5432 refused", null);
        SelfAudit audit = new SelfAudit(recording(true), capture, () -> CLOCK);
        AuditUnavailableException e = assertThrows(
                AuditUnavailableException.class,
                () -> audit.record("ACME", ANN, "Download audit logs", "x.zip was downloaded"));
        assertTrue(e.getMessage().contains("Download audit logs"), e.getMessage());
        assertTrue(e.getMessage().matches(".*\\(incident [0-9a-f]{12}\\)"), e.getMessage());
        assertFalse(e.getMessage().contains("db.internal"), "the database's words go to the log only");
    }

    @Test
    void aRecordOfAChangeAlreadyMadeThatCannotBeWrittenSaysTheChangeWasMade() {
        RecordingCapture capture = new RecordingCapture();
        capture.failure = new StoreException("Connection to db.internal.example:5432 refused", null);
        SelfAudit audit = new SelfAudit(recording(true), capture, () -> CLOCK);
        AuditUnavailableException e = assertThrows(
                AuditUnavailableException.class,
                () -> audit.recordDone("ACME", ANN, "Change a stream", "The stream 'SIEM' (webhook) was changed"));
        assertTrue(
                e.getMessage()
                        .matches("'Change a stream' was done, but its record could not be written to the "
                                + "organization's audit log \\(incident [0-9a-f]{12}\\); the same request sent "
                                + "again writes it"),
                e.getMessage());
        assertFalse(e.getMessage().contains("db.internal"), "the database's words go to the log only");

        capture.failure = null;
        audit.recordDone("ACME", ANN, "Change a stream", "The stream 'SIEM' (webhook) was changed");
        assertEquals("Change a stream", capture.records.get(0).event());
        assertEquals("Audit log", capture.records.get(0).category());
    }

    @Test
    void anOrganizationThatDoesNotRecordGetsNoRecordAndNoRefusal() {
        RecordingCapture capture = new RecordingCapture();
        capture.failure = new StoreException("never asked", null);
        new SelfAudit(recording(false), capture, () -> CLOCK).record("ACME", ANN, "Search audit logs", "searched");
        assertEquals(List.of(), capture.records);
    }
}
