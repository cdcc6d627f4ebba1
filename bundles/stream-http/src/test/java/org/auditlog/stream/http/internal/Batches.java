package org.auditlog.stream.http.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.stream.DeliveryContext;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;

/** Batches, secrets, tokens and attempt contexts for the HTTP destinations' tests. */
public final class Batches {
    private Batches() {}

    /** A fresh secret in the specification's form: {@code whsec_} and the base64 of {@code bytes} random bytes. */
    public static String secret(int bytes) {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /** A fresh token in Splunk's form, a GUID. */
    public static String token() {
        return UUID.randomUUID().toString();
    }

    public static AuditRecord record(long id, Instant date, String action) {
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

    /** A batch of stream s1's ACME Apps events {@code first} to {@code last}, one record each, on the given attempt. */
    public static StreamBatch batch(long first, long last, int attempt) {
        return batch("s1", first, last, attempt);
    }

    /** A batch of {@code stream}'s ACME Apps events {@code first} to {@code last}, one record each. */
    public static StreamBatch batch(String stream, long first, long last, int attempt) {
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

    public record Context(Duration timeout, NetworkGuard guard, Clock clock) implements DeliveryContext {
        @Override
        public java.util.Optional<org.auditlog.api.stream.BatchFile> file(StreamBatch batch) {
            return java.util.Optional.empty(); // these destinations send requests, not files
        }
    }

    public static DeliveryContext context(NetworkGuard guard, Clock clock) {
        return new Context(Duration.ofSeconds(10), guard, clock);
    }
}
