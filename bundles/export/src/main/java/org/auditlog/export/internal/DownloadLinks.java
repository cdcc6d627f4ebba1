package org.auditlog.export.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.export.ArchiveFile;
import org.auditlog.api.export.DownloadFile;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.mail.MailStatus;
import org.auditlog.api.mail.Mailer;
import org.auditlog.api.store.DownloadGrant;
import org.auditlog.api.store.DownloadTokenStore;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.ExportJob.State;
import org.auditlog.api.store.ExportJobStore;

/**
 * The mailed download links of finished export jobs ({@link ExportService#openDownload}): a link works once its
 * mail was sent, for {@link #LINK_LIFETIME} from then, while its file is there.
 */
final class DownloadLinks {
    /** How long a mailed link works, counted from the moment its mail was sent (docs/rules.md section 5). */
    static final Duration LINK_LIFETIME = Duration.ofHours(24);

    private final DownloadTokenStore tokens;
    private final Mailer mailer;
    private final ExportJobStore jobs;
    private final JobFiles files;
    private final Supplier<Clock> clock;

    DownloadLinks(
            DownloadTokenStore tokens, Mailer mailer, ExportJobStore jobs, JobFiles files, Supplier<Clock> clock) {
        this.tokens = tokens;
        this.mailer = mailer;
        this.jobs = jobs;
        this.files = files;
        this.clock = clock;
    }

    /** The file of a job by its download token; see {@link ExportService#openDownload}. */
    DownloadFile open(String token) {
        DownloadGrant grant = tokens.find(token)
                .orElseThrow(() -> new PolicyException(
                        PolicyException.Kind.NOT_FOUND,
                        "unknown_download_link",
                        "token",
                        "this download link is not known; check that it was copied whole"));
        Optional<MailStatus> mail = mailer.status(grant.mailKey());
        if (mail.isPresent() && mail.get().state() == MailStatus.State.FAILED) {
            throw new PolicyException(
                    PolicyException.Kind.GONE,
                    "link_not_delivered",
                    "token",
                    "the mail carrying this download link could not be delivered; ask for a new export");
        }
        if (mail.isEmpty() || mail.get().state() != MailStatus.State.SENT) {
            throw new PolicyException(
                    PolicyException.Kind.CONFLICT,
                    "link_not_mailed_yet",
                    "token",
                    "the mail carrying this download link has not been sent yet");
        }
        Instant expires = mail.get().sent().plus(LINK_LIFETIME);
        if (!clock.get().instant().isBefore(expires)) {
            throw new PolicyException(
                    PolicyException.Kind.GONE,
                    "download_link_expired",
                    "token",
                    "this download link expired at " + ExportMails.time(expires)
                            + " (24 hours after its mail was sent); ask for a new export");
        }
        ExportJob job = jobs.find(grant.jobId())
                .filter(j -> j.state() == State.DONE && j.fileName() != null)
                .orElseThrow(DownloadLinks::gone);
        Path file = files.folder(job).resolve(job.fileName());
        try {
            return new DownloadFile(grant, new ArchiveFile(job.fileName(), file, Files.size(file)), expires);
        } catch (IOException e) {
            throw gone();
        }
    }

    private static PolicyException gone() {
        return new PolicyException(
                PolicyException.Kind.GONE,
                "export_file_deleted",
                "token",
                "the file of this download link has been deleted; ask for a new export");
    }
}
