package org.auditlog.export.internal;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.mail.Mailer;
import org.auditlog.api.store.DownloadGrant;
import org.auditlog.api.store.DownloadTokenStore;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.IssuedDownload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail of an export job that ended, to the member who asked: the download link of a finished file (a
 * download token is issued for it), or why it failed. Queued through the durable {@link Mailer} under the job's
 * key, so a job run again after a crash never mails twice.
 */
final class JobMails {
    private static final Logger LOG = LoggerFactory.getLogger(JobMails.class);

    private final OrganizationService orgs;
    private final Mailer mailer;
    private final DownloadTokenStore tokens;
    private final Links links;
    private final Supplier<Clock> clock;

    JobMails(OrganizationService orgs, Mailer mailer, DownloadTokenStore tokens, Links links, Supplier<Clock> clock) {
        this.orgs = orgs;
        this.mailer = mailer;
        this.tokens = tokens;
        this.links = links;
        this.clock = clock;
    }

    /** Whether the mail of a job's file was queued already (by a run a stop interrupted). */
    boolean readyQueued(ExportJob job) {
        return mailer.status(ExportMails.jobMailKey(job.id())).isPresent();
    }

    /** Issues the file's download token and mails its link. */
    void ready(ExportJob job, long rows, String fileName) {
        OrganizationSnapshot org = orgs.get(job.spaceKey());
        Optional<Member> to = requester(job, org);
        if (to.isEmpty()) {
            return;
        }
        String mailKey = ExportMails.jobMailKey(job.id());
        IssuedDownload token = tokens.issue(new DownloadGrant(
                null,
                job.spaceKey(),
                job.id(),
                job.requestedBy(),
                mailKey,
                clock.get().instant()));
        mailer.queue(ExportMails.exportReady(
                job, org.organization(), to.get(), rows, fileName, links.download(job.spaceKey(), token.token())));
    }

    /** Mails why the job failed; a failure to do so is logged, not thrown. */
    void failed(ExportJob job, String reason) {
        try {
            OrganizationSnapshot org = orgs.get(job.spaceKey());
            requester(job, org)
                    .ifPresent(to -> mailer.queue(ExportMails.exportFailed(
                            job, org.organization(), to, reason, links.settings(job.spaceKey()))));
        } catch (RuntimeException e) {
            LOG.error("Export job {}: could not mail its requester about the failure", job.id(), e);
        }
    }

    /** The member who asked, if they are still a member with an email address. */
    private static Optional<Member> requester(ExportJob job, OrganizationSnapshot org) {
        Optional<Member> to = org.members().stream()
                .filter(m -> m.userId().equals(job.requestedBy()))
                .findFirst()
                .filter(m -> m.email() != null && !m.email().isBlank());
        if (to.isEmpty()) {
            LOG.warn(
                    "Export job {}: {} is no longer a member of {} with an email address; nobody is mailed",
                    job.id(),
                    job.requestedBy(),
                    job.spaceKey());
        }
        return to;
    }
}
