package org.auditlog.stream.splunk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;
import org.auditlog.stream.http.internal.Batches;
import org.junit.jupiter.api.Test;

class HecJsonTest {
    static HecSettings.Target target(String index, String host) {
        return new HecSettings.Target(
                "https://hec.test", false, "hec.test", 443, "t", index, "auditlog:v1", "auditlog", host, null, true);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void oneObjectPerEventOnALineOfItsOwnAsHecsBatchFormSays() {
        StreamBatch batch = Batches.batch(41, 42, 1);
        String body =
                new String(HecJson.events(batch, target("audit", "auditlog.example.com")), StandardCharsets.UTF_8);
        assertEquals(
                "{\"time\":1793525400.041,\"host\":\"auditlog.example.com\",\"source\":\"auditlog\","
                        + "\"sourcetype\":\"auditlog:v1\",\"index\":\"audit\",\"event\":{\"id\":\"912420565585756201\","
                        + "\"space_key\":\"ACME\",\"product\":\"Apps\",\"date\":\"2026-11-01T09:30:00.041Z\","
                        + "\"category\":\"Member\",\"event\":\"Invite a member\",\"action\":\"bob41@acme.example was"
                        + " invited\",\"operation_user_id\":\"u1\",\"operation_user_name\":\"Ann\","
                        + "\"operation_user_email\":\"ann@acme.example\",\"ip_address\":\"203.0.113.5\","
                        + "\"user_agent\":\"Mozilla/5.0\",\"version\":\"V1\",\"sequence\":41,"
                        + "\"batch\":\"s1-ACME-Apps-41-42\"},\"fields\":{\"organization\":\"ACME\",\"product\":\"Apps\","
                        + "\"sequence\":\"41\"}}\n"
                        + "{\"time\":1793525400.042,",
                body.substring(0, body.indexOf(',', body.indexOf('\n')) + 1));
        assertTrue(body.endsWith("\"sequence\":\"42\"}}\n"), body);
        assertEquals(2, body.split("\n").length);
    }

    @Test
    void withoutIndexNorHostTheTokensDefaultsApply() {
        String body = new String(HecJson.events(Batches.batch(1, 1, 1), target(null, null)), StandardCharsets.UTF_8);
        assertTrue(
                body.startsWith("{\"time\":1793525400.001,\"source\":\"auditlog\",\"sourcetype\":\"auditlog:v1\","
                        + "\"event\":"),
                body);
        assertFalse(body.contains("\"index\""));
        assertFalse(body.contains("\"host\""));
    }

    @Test
    void theTimeIsPlainSecondsWithMilliseconds() {
        assertEquals(
                "1793525400.000",
                HecJson.time(Instant.parse("2026-11-01T09:30:00Z")).toPlainString());
        assertEquals("0.001", HecJson.time(Instant.ofEpochMilli(1)).toPlainString());
        StreamBatch batch = new StreamBatch(
                "s1-ACME-Apps-0-0",
                "s1",
                "ACME",
                "Apps",
                0,
                0,
                List.of(new StreamEvent(0, Batches.record(1, Instant.parse("2286-11-20T17:46:40Z"), "a"))),
                1);
        String body = new String(HecJson.events(batch, target(null, null)), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("{\"time\":10000000000.000,"), "never in scientific notation: " + body);
    }

    @Test
    void aRecordWithoutDateLeavesTheTimeToTheCollector() {
        AuditRecord undated = Batches.record(1, null, "a");
        StreamBatch batch = new StreamBatch(
                "s1-ACME-Apps-0-0", "s1", "ACME", "Apps", 0, 0, List.of(new StreamEvent(0, undated)), 1);
        String body = new String(HecJson.events(batch, target(null, null)), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("{\"source\":"), body);
        assertTrue(body.contains("\"date\":null"), body);
    }

    @Test
    void theCollectorsAnswersAreRead() {
        assertEquals(
                new HecJson.Reply("Success", 0, 7L, null),
                HecJson.reply(bytes("{\"text\":\"Success\",\"code\":0,\"ackId\":7}")));
        assertEquals(
                new HecJson.Reply("Invalid data format", 6, null, 2),
                HecJson.reply(bytes("{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":2}")));
        assertEquals(
                new HecJson.Reply(null, 9, null, null),
                HecJson.reply(bytes("{\"extra\":{\"a\":[1,{}]},\"code\":9,\"text\":5}")));
        assertEquals(HecJson.Reply.NONE, HecJson.reply(bytes("<html>busy</html>")));
        assertEquals(HecJson.Reply.NONE, HecJson.reply(bytes("")));
        assertEquals(HecJson.Reply.NONE, HecJson.reply(bytes("[1]")));
        assertNull(HecJson.reply(bytes("{\"ackId\":\"7\"}")).ackId(), "an ackId is a number");
    }

    @Test
    void anAcknowledgementIsTrueForItsIdAlone() {
        assertEquals("{\"acks\":[7]}", new String(HecJson.ackQuery(7), StandardCharsets.US_ASCII));
        assertTrue(HecJson.acknowledged(bytes("{\"acks\":{\"7\":true}}"), 7));
        assertTrue(HecJson.acknowledged(bytes("{\"other\":[1],\"acks\":{\"6\":false,\"7\":true}}"), 7));
        assertFalse(HecJson.acknowledged(bytes("{\"acks\":{\"7\":false}}"), 7));
        assertFalse(HecJson.acknowledged(bytes("{\"acks\":{\"17\":true}}"), 7));
        assertFalse(HecJson.acknowledged(bytes("{\"acks\":{\"7\":\"true\"}}"), 7));
        assertFalse(HecJson.acknowledged(bytes("{\"acks\":[7]}"), 7));
        assertFalse(HecJson.acknowledged(bytes("not json"), 7));
    }
}
