package org.auditlog.api.mail;

import java.util.Objects;

/**
 * A mail to send, with a plain-text and an HTML part.
 *
 * @param key what the mail is about, unique among all mails ever queued, e.g.
 *        {@code export-job:42:alice} or {@code monthly:202610:SPACE:alice}: a mail whose key was queued
 *        before is not queued again, so work that is repeated after a crash never mails anyone twice
 * @param to the recipient's address
 * @param subject the subject line
 * @param text the plain-text body
 * @param html the HTML body
 * @since 1.0
 */
public record MailMessage(String key, String to, String subject, String text, String html) {
    public MailMessage {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
    }
}
