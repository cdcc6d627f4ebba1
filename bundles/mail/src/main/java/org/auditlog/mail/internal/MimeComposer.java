package org.auditlog.mail.internal;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import org.auditlog.api.mail.MailMessage;

/**
 * Turns a {@link MailMessage} into a MIME message: From, To, a UTF-8 subject, {@code Auto-Submitted}, a
 * {@code Message-ID} derived from the mail's key, and a {@code multipart/alternative} body (plain text, then
 * HTML). Callers hold javax.mail's class loader as the thread context class loader (see
 * {@link OutboxMailer}).
 */
final class MimeComposer {
    private static final String UTF_8 = "UTF-8";

    private final Session session;
    private final InternetAddress from;

    MimeComposer(Session session, Settings settings) {
        this.session = session;
        try {
            InternetAddress parsed = new InternetAddress(settings.from(), true);
            this.from = new InternetAddress(
                    parsed.getAddress(), settings.fromName().isEmpty() ? null : settings.fromName(), UTF_8);
        } catch (MessagingException | UnsupportedEncodingException e) {
            // Settings validated the address already; UTF-8 is always supported.
            throw new IllegalArgumentException("Invalid from address " + settings.from(), e);
        }
    }

    /**
     * @param queued when the mail was queued: its {@code Date}, so that a resend carries the same headers
     */
    MimeMessage compose(MailMessage mail, Instant queued) throws MessagingException {
        MimeMessage message = new KeyedMimeMessage(session, messageId(mail.key()));
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
        message.setSubject(mail.subject(), UTF_8);
        message.setSentDate(Date.from(queued));
        // RFC 3834: tells vacation responders and other robots not to answer.
        message.setHeader("Auto-Submitted", "auto-generated");

        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), UTF_8, "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), UTF_8, "html");
        // multipart/alternative lists the preferred version last: clients that render HTML show the HTML part.
        MimeMultipart body = new MimeMultipart("alternative");
        body.addBodyPart(text);
        body.addBodyPart(html);
        message.setContent(body);
        message.saveChanges();
        return message;
    }

    /**
     * The same for every attempt at the same mail: when the server accepted a mail but the process stopped
     * before it was marked sent, the resend carries the same {@code Message-ID} and can be recognised as a
     * duplicate by the server or the recipient's client.
     */
    static String messageId(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "<" + HexFormat.of().formatHex(hash).substring(0, 32) + "@auditlog>";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /** javax.mail replaces the Message-ID on every {@code saveChanges()}; this one keeps the key's. */
    private static final class KeyedMimeMessage extends MimeMessage {
        private final String messageId;

        KeyedMimeMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
