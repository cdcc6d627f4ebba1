package org.auditlog.stream.syslog.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;
import org.junit.jupiter.api.Test;

/** The RFC 5424 message of an event, octet for octet. */
class SyslogMessageTest {
    private static final int LOCAL0 = 16;

    private static AuditRecord record(String action, String userAgent) {
        return new AuditRecord(
                912420565585756160L,
                "ACME",
                "Backlog",
                Instant.parse("2026-11-01T09:30:00Z"),
                "Issue",
                "Add an issue",
                action,
                "u1",
                "Ann \\ \"A\" [x]",
                "ann@acme.example",
                "203.0.113.5",
                userAgent,
                AuditRecord.V1);
    }

    private static StreamBatch batch(AuditRecord record) {
        return new StreamBatch(
                "s1-ACME-Backlog-41-41", "s1", "ACME", "Backlog", 41, 41, List.of(new StreamEvent(41, record)), 1);
    }

    private static byte[] format(AuditRecord record, int facility) {
        StreamBatch batch = batch(record);
        return SyslogMessage.format(batch, batch.events().get(0), facility, "host.example", 32473);
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    @Test
    void anEventIsOneRfc5424Message() throws Exception {
        byte[] message = format(record("PROJECT-1 was added\r\n] 課題", "Mozilla/5.0"), LOCAL0);

        assertEquals(
                "<134>1 2026-11-01T09:30:00.000Z host.example auditlog - Backlog [auditlog@32473"
                        + " id=\"912420565585756160\" sequence=\"41\" organization=\"ACME\" product=\"Backlog\""
                        + " batch=\"s1-ACME-Backlog-41-41\" category=\"Issue\" event=\"Add an issue\" user=\"u1\""
                        + " userName=\"Ann \\\\ \\\"A\\\" [x\\]\" email=\"ann@acme.example\" ip=\"203.0.113.5\""
                        + " userAgent=\"Mozilla/5.0\"] \uFEFFPROJECT-1 was added\r\n] 課題",
                decode(message));
        // MSG-UTF8: the byte order mark EF BB BF, then the action in UTF-8.
        String head = new String(message, StandardCharsets.ISO_8859_1);
        int bom = head.indexOf("] \u00EF\u00BB\u00BF");
        assertTrue(bom > 0);
        assertArrayEquals(
                "PROJECT-1 was added\r\n] 課題".getBytes(StandardCharsets.UTF_8),
                java.util.Arrays.copyOfRange(message, bom + 5, message.length));
    }

    @Test
    void priIsTheFacilityTimesEightPlusInformational() throws Exception {
        assertTrue(decode(format(record("x", ""), 1)).startsWith("<14>1 "));
        assertTrue(decode(format(record("x", ""), 23)).startsWith("<190>1 "));
        assertTrue(decode(format(record("x", ""), 0)).startsWith("<6>1 "));
    }

    @Test
    void msgIdIsThePrintableProductOfAtMost32Characters() {
        assertEquals("Backlog", SyslogMessage.msgId("Backlog"));
        assertEquals("My_product", SyslogMessage.msgId("My product"));
        assertEquals("a".repeat(32), SyslogMessage.msgId("a".repeat(40)));
        assertEquals("-", SyslogMessage.msgId(""));
    }

    @Test
    void aLongActionIsCutTo8192OctetsAndMarked() throws Exception {
        String action = "a".repeat(9000);

        byte[] message = format(record(action, ""), LOCAL0);

        assertEquals(8192, message.length);
        String text = decode(message);
        assertTrue(text.contains(" cut=\"msg\"]"), text.substring(0, 500));
        String msg = text.substring(text.indexOf('\uFEFF') + 1);
        assertTrue(action.startsWith(msg) && msg.length() > 7000, Integer.toString(msg.length()));
    }

    @Test
    void aCutNeverSplitsACharacter() throws Exception {
        for (String character : List.of("é", "課", "😀")) {
            byte[] message = format(record(character.repeat(5000), ""), LOCAL0);

            assertTrue(message.length <= 8192 && message.length > 8192 - 4, Integer.toString(message.length));
            String text = decode(message); // fails on a broken sequence
            String msg = text.substring(text.indexOf('\uFEFF') + 1);
            assertEquals(character.repeat(msg.length() / character.length()), msg);
        }
    }

    @Test
    void aShortActionIsNotMarked() throws Exception {
        assertFalse(decode(format(record("short", ""), LOCAL0)).contains("cut="));
    }

    @Test
    void valuesTooLongForAnyActionAreCutToo() throws Exception {
        // Longer than any V1 column allows: the message still fits, the action keeps room, the cuts are named.
        byte[] message = format(record("the action", "u".repeat(20_000)), LOCAL0);

        assertTrue(message.length <= 8192, Integer.toString(message.length));
        String text = decode(message);
        assertTrue(text.contains(" cut=\"userAgent\"]"), text.substring(text.length() - 100));
        assertTrue(text.endsWith("\uFEFFthe action"));
    }

    @Test
    void sdParamValuesEscapeQuoteBackslashAndBracket() {
        assertEquals("a\\\"b\\\\c\\]d[e", SyslogMessage.escape("a\"b\\c]d[e"));
    }
}
