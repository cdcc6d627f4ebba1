package org.auditlog.stream.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;
import org.junit.jupiter.api.Test;

class BatchJsonTest {
    @Test
    void aBatchIsItsOrganizationProductSequencesAndEventsAsTheRestApiWritesThem() {
        AuditRecord r = new AuditRecord(
                912420565585756160L,
                "ACME",
                "Apps",
                Instant.parse("2026-11-01T09:30:00Z"),
                "Member",
                "Invite a member",
                "bob@acme.example was invited \"now\"\n",
                "u1",
                "Ann",
                "ann@acme.example",
                "203.0.113.5",
                "",
                "V1");
        AuditRecord later = new AuditRecord(
                912420565585756161L,
                "ACME",
                "Apps",
                Instant.parse("2026-11-01T09:30:01.25Z"),
                "Member",
                "Remove a member",
                "Bob was removed – 日本語",
                "",
                "Nulab Support",
                "",
                "",
                "",
                "V1");
        // sequence 42 is left out by the stream's filters
        StreamBatch b = new StreamBatch(
                "s1-ACME-Apps-41-43",
                "s1",
                "ACME",
                "Apps",
                41,
                43,
                List.of(new StreamEvent(41, r), new StreamEvent(43, later)),
                1);
        assertEquals(
                "{\"organization\":\"ACME\",\"product\":\"Apps\",\"firstSequence\":41,\"lastSequence\":43,\"events\":["
                        + "{\"id\":\"912420565585756160\",\"space_key\":\"ACME\",\"product\":\"Apps\","
                        + "\"date\":\"2026-11-01T09:30:00.000Z\",\"category\":\"Member\",\"event\":\"Invite a member\","
                        + "\"action\":\"bob@acme.example was invited \\\"now\\\"\\n\",\"operation_user_id\":\"u1\","
                        + "\"operation_user_name\":\"Ann\",\"operation_user_email\":\"ann@acme.example\","
                        + "\"ip_address\":\"203.0.113.5\",\"user_agent\":\"\",\"version\":\"V1\",\"sequence\":41},"
                        + "{\"id\":\"912420565585756161\",\"space_key\":\"ACME\",\"product\":\"Apps\","
                        + "\"date\":\"2026-11-01T09:30:01.250Z\",\"category\":\"Member\",\"event\":\"Remove a member\","
                        + "\"action\":\"Bob was removed – 日本語\",\"operation_user_id\":\"\","
                        + "\"operation_user_name\":\"Nulab Support\",\"operation_user_email\":\"\",\"ip_address\":\"\","
                        + "\"user_agent\":\"\",\"version\":\"V1\",\"sequence\":43}]}",
                new String(BatchJson.write(b), StandardCharsets.UTF_8));
    }

    @Test
    void aBatchWhoseEventsWereAllFilteredOutStillSaysItsSequences() {
        StreamBatch b = new StreamBatch("s1-ACME-Apps-7-9", "s1", "ACME", "Apps", 7, 9, List.of(), 2);
        assertEquals(
                "{\"organization\":\"ACME\",\"product\":\"Apps\",\"firstSequence\":7,\"lastSequence\":9,\"events\":[]}",
                new String(BatchJson.write(b), StandardCharsets.UTF_8));
    }
}
