package org.auditlog.storage.internal;

import java.time.Instant;

/** One pending row of {@code mail_outbox}, bodies included. */
public record MailRow(
        long id, String key, String to, String subject, String text, String html, Instant queued, int attempts) {}
