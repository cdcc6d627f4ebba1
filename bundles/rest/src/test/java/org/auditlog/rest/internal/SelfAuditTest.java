package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Decision;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.IngestResult;
import org.auditlog.api.capture.ProductStatus;
import org.auditlog.api.store.AuditUnavailableException;
import org.auditlog.api.store.InboxEntry;
import org.auditlog.api.store.StoreException;
import org.junit.jupiter.api.Test;

class SelfAuditTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC);
    static final Actor ANN = new Actor("ann", "Ann", "ann@acme.example", "203.0.113.5", "Agent/" + "x".repeat(5000));

    /** Records what it is given, or fails as told. */
    static final class Capture implements EventCapture {
        final List<AuditRecord> records = new ArrayList<>();
        RuntimeException failure;

        @Override
        public List<AuditRecord> record(List<AuditRecord> batch) {
            if (failure != null) {
                throw failure;
            }
            records.addAll(batch);
            return batch;
        }

        @Override
        public IngestResult ingest(String product, List<NativePayload> payloads, IngestContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<String> products() {
            return Set.of();
        }

        @Override
        public List<ProductStatus> productStatus() {
            return List.of();
        }

        @Override
        public List<InboxEntry> failedInboxEntries(String product, int max) {
            return List.of();
        }

        @Override
        public Optional<InboxEntry> inboxEntry(String product, long entryId) {
            return Optional.empty();
        }

        @Override
        public Optional<InboxEntry> retryInboxEntry(String product, long entryId) {
            return Optional.empty();
        }

        @Override
        public void deleteInboxEntry(String product, long entryId) {
        }
    }

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
        Capture capture = new Capture();
        new SelfAudit(recording(true), capture, () -> CLOCK).record("ACME", ANN, "Search audit logs", "Audit logs were searched");
        assertEquals(1, capture.records.size());
        AuditRecord r = capture.records.get(0);
        assertEquals(Column.USER_AGENT.maxLength(), r.userAgent().length());
        assertTrue(r.userAgent().endsWith("(shortened from 5006)"), r.userAgent());
        assertEquals("Audit log", r.category());
        assertEquals(CLOCK.instant(), r.date());
    }

    @Test
    void aRecordThatCannotBeWrittenRefusesTheAction() {
        Capture capture = new Capture();
        capture.failure = new StoreException("Connection to db.internal.example:5432 refused", null);
        SelfAudit audit = new SelfAudit(recording(true), capture, () -> CLOCK);
        AuditUnavailableException e = assertThrows(AuditUnavailableException.class,
                () -> audit.record("ACME", ANN, "Download audit logs", "x.zip was downloaded"));
        assertTrue(e.getMessage().contains("Download audit logs"), e.getMessage());
        assertTrue(e.getMessage().matches(".*\\(incident [0-9a-f]{12}\\)"), e.getMessage());
        assertFalse(e.getMessage().contains("db.internal"), "the database's words go to the log only");
    }

    @Test
    void anOrganizationThatDoesNotRecordGetsNoRecordAndNoRefusal() {
        Capture capture = new Capture();
        capture.failure = new StoreException("never asked", null);
        new SelfAudit(recording(false), capture, () -> CLOCK).record("ACME", ANN, "Search audit logs", "searched");
        assertEquals(List.of(), capture.records);
    }
}
