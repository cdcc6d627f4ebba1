package org.auditlog.stream.syslog.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;

/** Records and batches as the streams bundle hands them to a destination. */
final class Events {
    static final Instant DATE = Instant.parse("2026-11-01T09:30:00.123Z");

    private Events() {}

    /** A Backlog record of {@code organization}, its id {@code 912420565585756160 + n}, acted by Ann. */
    static AuditRecord record(String organization, long n, String action) {
        return new AuditRecord(
                912420565585756160L + n,
                organization,
                "Backlog",
                DATE.plusSeconds(n),
                "Issue",
                "Add an issue",
                action,
                "u1",
                "Ann \"the admin\"",
                "ann@acme.example",
                "203.0.113.5",
                "Mozilla/5.0 (X11; Linux x86_64)",
                AuditRecord.V1);
    }

    /** The batch of sequences {@code first} to {@code first + actions.length - 1}, one event per action. */
    static StreamBatch batch(String organization, long first, String... actions) {
        List<StreamEvent> events = new ArrayList<>();
        for (int i = 0; i < actions.length; i++) {
            events.add(new StreamEvent(first + i, record(organization, first + i, actions[i])));
        }
        long last = first + actions.length - 1;
        return new StreamBatch(
                "s1-" + organization + "-Backlog-" + first + "-" + last,
                "s1",
                organization,
                "Backlog",
                first,
                last,
                events,
                1);
    }
}
