package org.auditlog.stream.splunk.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.stream.DeliveryContext;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;

/** Batches, tokens and attempt contexts for the tests (as the webhook destination's tests make them). */
final class Batches {
    private Batches() {}

    /** A fresh token in Splunk's form, a GUID. */
    static String token() {
        return UUID.randomUUID().toString();
    }

    static AuditRecord record(long id, Instant date, String action) {
        return new AuditRecord(
                id,
                "ACME",
                "Apps",
                date,
                "Member",
                "Invite a member",
                action,
                "u1",
                "Ann",
                "ann@acme.example",
                "203.0.113.5",
                "Mozilla/5.0",
                AuditRecord.V1);
    }

    /** A batch of stream s1's ACME Apps events {@code first} to {@code last}, one record each. */
    static StreamBatch batch(long first, long last, int attempt) {
        return batch("s1", first, last, attempt);
    }

    static StreamBatch batch(String stream, long first, long last, int attempt) {
        List<StreamEvent> events = new ArrayList<>();
        for (long s = first; s <= last; s++) {
            events.add(new StreamEvent(
                    s,
                    record(
                            912420565585756160L + s,
                            Instant.parse("2026-11-01T09:30:00Z").plusMillis(s),
                            "bob" + s + "@acme.example was invited")));
        }
        return new StreamBatch(
                stream + "-ACME-Apps-" + first + "-" + last, stream, "ACME", "Apps", first, last, events, attempt);
    }

    record Context(Duration timeout, NetworkGuard guard, Clock clock) implements DeliveryContext {}

    static DeliveryContext context(NetworkGuard guard, Clock clock) {
        return new Context(Duration.ofSeconds(10), guard, clock);
    }
}
