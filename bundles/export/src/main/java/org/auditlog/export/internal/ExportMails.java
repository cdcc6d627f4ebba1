package org.auditlog.export.internal;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.export.ArchiveFile;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.store.ExportJob;

/**
 * The wording of the mails the export bundle sends, in a plain-text and an HTML part saying the same. The
 * subject and the body name the organization, the product(s) and the period.
 */
final class ExportMails {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final String SIGNATURE = "Auditlog";

    private ExportMails() {}

    /** The key of the mail that tells a job's requester the file is ready. */
    static String jobMailKey(long jobId) {
        return "export-job:" + jobId;
    }

    /** The key of the mail that tells a job's requester the export failed. */
    static String jobFailedMailKey(long jobId) {
        return "export-job-failed:" + jobId;
    }

    /** Tells the requester that a current-month export failed, and why. */
    static MailMessage exportFailed(ExportJob job, Organization org, Member to, String reason, String settingsLink) {
        String org_ = org.name() + " (" + org.spaceKey() + ")";
        String period = job.firstDay() + " to " + job.lastDay();
        String subject = "Audit log export failed: " + job.product() + ", " + org_ + ", " + period;
        String text = "Hello " + to.name() + ",\n\n"
                + "The export of the " + job.product() + " audit log of " + org_ + " for " + period
                + " (UTC) that you asked for could not be made:\n\n  " + reason + "\n\n"
                + "You can ask for it again from the audit log settings page:\n" + settingsLink + "\n\n-- \n"
                + SIGNATURE + "\n";
        String html = "<!DOCTYPE html><html><body>"
                + "<p>Hello " + esc(to.name()) + ",</p>"
                + "<p>The export of the <b>" + esc(job.product()) + "</b> audit log of <b>" + esc(org_) + "</b> for "
                + esc(period) + " (UTC) that you asked for could not be made:</p>"
                + "<blockquote>" + esc(reason) + "</blockquote>"
                + "<p>You can ask for it again from the <a href=\"" + esc(settingsLink)
                + "\">audit log settings page</a>.</p>"
                + "<p>-- <br>" + SIGNATURE + "</p></body></html>";
        return new MailMessage(jobFailedMailKey(job.id()), to.email(), subject, text, html);
    }

    /** The key of the monthly mail of one month to one Audit Log Admin of one organization. */
    static String monthlyMailKey(YearMonth month, String spaceKey, String userId) {
        return "monthly:" + month + ":" + spaceKey + ":" + userId;
    }

    /** Tells the requester that a current-month export is ready, with the download link. */
    static MailMessage exportReady(
            ExportJob job, Organization org, Member to, long rows, String fileName, String link) {
        String org_ = org.name() + " (" + org.spaceKey() + ")";
        String period = job.firstDay() + " to " + job.lastDay();
        String subject = "Audit log export ready: " + job.product() + ", " + org_ + ", " + period;
        String text = "Hello " + to.name() + ",\n\n"
                + "The export of the " + job.product() + " audit log of " + org_ + " that you asked for is ready.\n\n"
                + "Period:  " + period + " (UTC), records up to " + TIME.format(job.requested()) + "\n"
                + "Records: " + String.format(Locale.ROOT, "%,d", rows) + "\n"
                + "File:    " + fileName + "\n\n"
                + "Download it from the audit log settings page, signed in as an Audit Log Admin of " + org.name()
                + ":\n" + link + "\n\n"
                + "The link expires 24 hours after this mail was sent.\n\n-- \n" + SIGNATURE + "\n";
        String html = "<!DOCTYPE html><html><body>"
                + "<p>Hello " + esc(to.name()) + ",</p>"
                + "<p>The export of the <b>" + esc(job.product()) + "</b> audit log of <b>" + esc(org_)
                + "</b> that you asked for is ready.</p>"
                + "<table><tr><td>Period</td><td>" + esc(period) + " (UTC), records up to "
                + esc(TIME.format(job.requested())) + "</td></tr>"
                + "<tr><td>Records</td><td>" + String.format(Locale.ROOT, "%,d", rows) + "</td></tr>"
                + "<tr><td>File</td><td>" + esc(fileName) + "</td></tr></table>"
                + "<p><a href=\"" + esc(link) + "\">Download it from the audit log settings page</a>, signed in as an "
                + "Audit Log Admin of " + esc(org.name()) + ".</p>"
                + "<p>The link expires 24 hours after this mail was sent.</p>"
                + "<p>-- <br>" + SIGNATURE + "</p></body></html>";
        return new MailMessage(jobMailKey(job.id()), to.email(), subject, text, html);
    }

    /**
     * One past month's file of one product, for the monthly mail, with the month's root in the tamper-evident log
     * ({@link FileSeal#monthRoot}; null for a file without evidence).
     */
    record MonthlyFile(String product, ArchiveFile file, String link, String root) {
        MonthlyFile(String product, ArchiveFile file, String link) {
            this(product, file, link, FileSeal.monthRoot(file.path()));
        }
    }

    /**
     * The monthly mail to one Audit Log Admin: last month's file of every product, with links, and, when the
     * plan does not allow downloads now, why.
     */
    static MailMessage monthly(
            YearMonth month,
            Organization org,
            Member to,
            List<MonthlyFile> files,
            Decision mayDownload,
            String settingsLink) {
        String org_ = org.name() + " (" + org.spaceKey() + ")";
        String monthName = month.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + month.getYear();
        String period = month.atDay(1) + " to " + month.atEndOfMonth();
        String products =
                String.join(", ", files.stream().map(MonthlyFile::product).toList());
        String kept = month.plusMonths(13).getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " 1, "
                + month.plusMonths(13).getYear();
        String subject = "Audit logs of " + org_ + " for " + monthName + ": " + products;
        StringBuilder text = new StringBuilder("Hello " + to.name() + ",\n\n"
                + "The audit log files of " + org_ + " for " + monthName + " (" + period + ", UTC) are ready, one per "
                + "product:\n\n");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body><p>Hello " + esc(to.name()) + ",</p>"
                + "<p>The audit log files of <b>" + esc(org_) + "</b> for <b>" + esc(monthName) + "</b> ("
                + esc(period) + ", UTC) are ready, one per product:</p><ul>");
        for (MonthlyFile f : files) {
            text.append("  ")
                    .append(f.product())
                    .append(": ")
                    .append(f.file().fileName())
                    .append(" (")
                    .append(size(f.file().size()))
                    .append(")\n  ")
                    .append(f.link())
                    .append("\n");
            if (f.root() != null) {
                text.append("  Evidence: ").append(f.root()).append("\n");
            }
            text.append("\n");
            html.append("<li><a href=\"")
                    .append(esc(f.link()))
                    .append("\">")
                    .append(esc(f.product()))
                    .append("</a>: ")
                    .append(esc(f.file().fileName()))
                    .append(" (")
                    .append(size(f.file().size()))
                    .append(")")
                    .append(f.root() == null ? "" : "<br>Evidence: <code>" + esc(f.root()) + "</code>")
                    .append("</li>");
        }
        html.append("</ul>");
        if (!mayDownload.allowed()) {
            text.append("Downloads are not available right now: ")
                    .append(mayDownload.detail())
                    .append("\n\n");
            html.append("<p><b>Downloads are not available right now:</b> ")
                    .append(esc(mayDownload.detail()))
                    .append("</p>");
        }
        text.append("Sign in as an Audit Log Admin of ")
                .append(org.name())
                .append(" to download them from the ")
                .append("audit log settings page, ")
                .append(settingsLink)
                .append(", until ")
                .append(kept)
                .append(", when they are deleted.\n\n-- \n")
                .append(SIGNATURE)
                .append("\n");
        html.append("<p>Sign in as an Audit Log Admin of ")
                .append(esc(org.name()))
                .append(" to download them from the ")
                .append("<a href=\"")
                .append(esc(settingsLink))
                .append("\">audit log settings page</a> until ")
                .append(esc(kept))
                .append(", when they are deleted.</p><p>-- <br>")
                .append(SIGNATURE)
                .append("</p></body></html>");
        return new MailMessage(
                monthlyMailKey(month, org.spaceKey(), to.userId()),
                to.email(),
                subject,
                text.toString(),
                html.toString());
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    /** Escapes text for HTML element content and double-quoted attributes. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
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

    static String time(Instant t) {
        return TIME.format(t);
    }
}
