package org.auditlog.streams.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.api.access.Member;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.store.StoredStream;
import org.auditlog.api.store.StreamPosition;

/** The mail to each Audit Log Admin of an organization whose stream was paused after failing too long. */
final class PausedMails {
    private PausedMails() {}

    /**
     * One mail per admin with an address, keyed by stream and pause time so that a pause is mailed once whatever
     * server or retry queues it.
     */
    static List<MailMessage> of(
            StoredStream stream,
            List<StreamPosition> places,
            List<Member> admins,
            Instant pausedAt,
            String settingsLink) {
        StreamPosition failing = null;
        for (StreamPosition p : places) {
            if (p.failingSince() != null && (failing == null || p.failingSince().isBefore(failing.failingSince()))) {
                failing = p;
            }
        }
        String since = failing == null ? "a long time" : failing.failingSince().toString();
        String why = failing == null || failing.errorCategory() == null
                ? "no detail"
                : failing.errorCategory() + ": " + failing.errorMessage();
        String subject = "Audit log stream \"" + oneLine(stream.name()) + "\" of " + stream.spaceKey() + " was paused";
        String text = "The audit log stream \"" + stream.name() + "\" (" + stream.type() + ") of organization "
                + stream.spaceKey() + " failed to deliver since " + since + " and was paused at " + pausedAt + ".\n\n"
                + "Last error: " + why + "\n\n"
                + "Nothing was skipped: the stream keeps its place and delivers from there when it is resumed,\n"
                + "in the audit log settings (" + settingsLink + ") or with POST /api/v1/orgs/" + stream.spaceKey()
                + "/streams/" + stream.id() + "/resume.\n";
        String html = "<p>The audit log stream <b>" + escape(stream.name()) + "</b> (" + escape(stream.type())
                + ") of organization " + escape(stream.spaceKey()) + " failed to deliver since " + escape(since)
                + " and was paused at " + escape(pausedAt.toString()) + ".</p><p>Last error: " + escape(why)
                + "</p><p>Nothing was skipped: the stream keeps its place and delivers from there when it is resumed, "
                + "in the <a href=\"" + escape(settingsLink) + "\">audit log settings</a>.</p>";
        List<MailMessage> out = new ArrayList<>();
        for (Member m : admins) {
            if (m.email() == null || m.email().isBlank()) {
                continue;
            }
            String key = "stream-paused-" + stream.id() + "-" + pausedAt.toEpochMilli() + "-" + m.userId();
            out.add(new MailMessage(key, m.email(), subject, text, html));
        }
        return out;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\p{Cntrl}", " ");
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
