package org.auditlog.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

class MimeComposerTest {

    @Test
    void theMessageIdIsStablePerKey() {
        String id = MimeComposer.messageId("export-job:42:alice");
        assertEquals(id, MimeComposer.messageId("export-job:42:alice"));
        assertNotEquals(id, MimeComposer.messageId("export-job:43:alice"));
        assertTrue(id.matches("<[0-9a-f]{32}@auditlog>"), id);
    }

    @Test
    void composingTheSameMailTwiceGivesTheSameIdAndDate() throws Exception {
        MimeComposer composer =
                new MimeComposer(Session.getInstance(new Properties()), OutboxMailerTest.outboxSettings());
        Instant queued = Instant.parse("2026-10-05T08:30:15Z");

        MimeMessage first = composer.compose(OutboxMailerTest.mail("k", "a@example.com"), queued);
        MimeMessage second = composer.compose(OutboxMailerTest.mail("k", "a@example.com"), queued);

        assertEquals(MimeComposer.messageId("k"), first.getMessageID());
        assertEquals(first.getMessageID(), second.getMessageID());
        assertEquals(first.getHeader("Date", null), second.getHeader("Date", null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        first.writeTo(out);
        // The non-ASCII subject is encoded (RFC 2047), not sent as raw bytes.
        String raw = out.toString(StandardCharsets.US_ASCII);
        assertTrue(raw.contains("Subject: =?UTF-8?"), raw);
        assertTrue(raw.contains("Message-ID: " + MimeComposer.messageId("k")), raw);
    }
}
