package org.auditlog.export.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.OwnRecords;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.ProductStatus;
import org.auditlog.api.capture.ServerNode;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.Mailer;
import org.auditlog.api.store.AuditUnavailableException;
import org.auditlog.api.store.ExportJobStore;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.store.OrganizationStore;
import org.auditlog.api.work.BackgroundWork;
import org.auditlog.api.work.HeldLease;
import org.auditlog.api.work.LeaseTerms;
import org.auditlog.api.work.LeasedTask;
import org.auditlog.api.work.Schedule;
import org.auditlog.api.work.ScheduledWork;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monthly mailing (docs/rules.md section 6): at 02:00 UTC on the 1st, last month's file is built for every product
 * of every organization whose plan records events, and every Audit Log Admin is mailed the links.
 *
 * <p>The clock is looked at every {@code checkSeconds} (and at start) rather than sleeping until the next 1st:
 * a run missed while the server was down is caught up at start, and a moved clock (a test's, or the
 * system's after a suspend) is noticed. A month's run is remembered in the {@link ExportJobStore} when it
 * has completed; each mail's key names the month, the organization and the admin, so a run repeated after a
 * stop in its middle mails nobody twice and finishes the rest. Configured by PID {@value ZipExportService#PID}.
 *
 * <p>Servers sharing one database run a month once between them: a run holds the lease {@value #LEASE_NAME}
 * ({@link LeaseStore}, through {@link BackgroundWork#scheduleUnderLease}), renewed before each organization; a server that finds it held by another does nothing,
 * and one whose lease was taken over (it stalled for longer than {@link #LEASE}) stops. A run cut short by a
 * stopped server is taken up by another at its next look once the lease has run out, and the mail keys keep it
 * to one mail each.
 */
@Component(
        immediate = true,
        configurationPid = ZipExportService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class MonthlyMailing {
    private static final Logger LOG = LoggerFactory.getLogger(MonthlyMailing.class);
    /** Hour (UTC) of the 1st at which last month's run is due. */
    static final int HOUR_UTC = 2;

    static final String LEASE_NAME = "monthly-mailing";
    /** How long the run's lease lasts unless renewed (before each organization). */
    static final Duration LEASE = Duration.ofMinutes(10);

    /**
     * The time; see {@code docs/event-path.md} for how every component takes the {@link Clock} service. Set by DS
     * before {@link #start} schedules the first look (package-private for tests).
     */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;

    private final ExportService exports;
    private final ExportJobStore ledger;
    private final Mailer mailer;
    private final OrganizationService orgs;
    private final OrganizationStore orgStore;
    private final AccessPolicy policy;
    private final EventCapture capture;
    private final Links links;
    private final Schedule looks;
    private final BackgroundWork work;
    final LeaseTerms lease;
    private volatile ScheduledWork scheduled;

    @Activate
    public MonthlyMailing(
            BundleContext context,
            @Reference ExportService exports,
            @Reference ExportJobStore ledger,
            @Reference Mailer mailer,
            @Reference OrganizationService orgs,
            @Reference OrganizationStore orgStore,
            @Reference AccessPolicy policy,
            @Reference EventCapture capture,
            @Reference BackgroundWork work,
            @Reference ServerNode node,
            ExportConfig config) {
        this.work = work;
        this.lease = new LeaseTerms(LEASE_NAME, node.holder(), LEASE);
        this.exports = exports;
        this.ledger = ledger;
        this.mailer = mailer;
        this.orgs = orgs;
        this.orgStore = orgStore;
        this.policy = policy;
        this.capture = capture;
        this.links =
                new Links(config.baseUrl(), config.settingsPath(), context.getProperty("org.osgi.service.http.port"));
        this.looks = Schedule.every(Duration.ofSeconds(Math.max(1, config.checkSeconds())));
    }

    /** Schedules the looks, the first at once; DS calls it once the fields, the clock among them, are set. */
    @Activate
    void start() {
        scheduled = work.scheduleUnderLease("monthly", lease, looks, look);
    }

    @Deactivate
    void deactivate() {
        scheduled.close();
    }

    /** The month whose run is due at {@code now}: last month from 02:00 UTC on the 1st, else the one before. */
    static YearMonth dueMonth(Instant now) {
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        Instant fire = current.atDay(1).atTime(HOUR_UTC, 0).toInstant(ZoneOffset.UTC);
        return now.isBefore(fire) ? current.minusMonths(2) : current.minusMonths(1);
    }

    /** One look: the month due, unless its run completed, under the lease. */
    final LeasedTask look = new LeasedTask() {
        @Override
        public boolean due() {
            return ledger.monthlyRunCompleted(dueMonth(clock.instant())).isEmpty();
        }

        @Override
        public void run(HeldLease held) {
            YearMonth month = dueMonth(clock.instant());
            if (MonthlyMailing.this.run(month, held) && held.holds()) {
                ledger.monthlyRunCompleted(month, clock.instant());
            }
        }
    };

    /**
     * Builds and mails one month's files for every organization that records events.
     *
     * @return whether every organization was served (else the run is tried again at the next look)
     */
    boolean run(YearMonth month, HeldLease lease) {
        List<String> products = capture.productStatus().stream()
                .map(ProductStatus::product)
                .filter(p -> p.matches(ExportFileNames.PRODUCT_RULE))
                .sorted()
                .toList();
        LOG.info("Monthly mailing of {} started: products {}", month, products);
        boolean complete = true;
        int organizations = 0;
        int mails = 0;
        for (String spaceKey : orgStore.spaceKeys()) {
            if (!lease.renew()) {
                LOG.warn("Monthly mailing of {}: another server took the run over; it stops here", month);
                return false;
            }
            try {
                if (!policy.mayRecord(spaceKey).allowed()) {
                    continue;
                }
                mails += serve(spaceKey, month, products);
                organizations++;
            } catch (PolicyException e) {
                if (e.kind() != PolicyException.Kind.NOT_FOUND) {
                    LOG.error("Monthly mailing of {}: {} refused: {}", month, spaceKey, e.getMessage());
                    complete = false;
                }
            } catch (RuntimeException e) {
                LOG.error("Monthly mailing of {}: {} failed; it is tried again", month, spaceKey, e);
                complete = false;
            }
        }
        LOG.info(
                "Monthly mailing of {} {}: {} organization(s), {} mail(s) queued",
                month,
                complete ? "done" : "incomplete",
                organizations,
                mails);
        return complete;
    }

    private int serve(String spaceKey, YearMonth month, List<String> products) {
        OrganizationSnapshot org = orgs.get(spaceKey);
        List<ExportMails.MonthlyFile> files = new ArrayList<>();
        for (String product : products) {
            files.add(new ExportMails.MonthlyFile(
                    product, exports.pastMonth(spaceKey, month, product), links.archive(spaceKey, month, product)));
        }
        List<Member> admins = orgs.auditAdmins(spaceKey);
        List<MailMessage> toQueue = new ArrayList<>();
        List<String> mailed = new ArrayList<>();
        for (Member admin : admins) {
            if (admin.email() == null || admin.email().isBlank()) {
                continue;
            }
            MailMessage mail = ExportMails.monthly(
                    month,
                    org.organization(),
                    admin,
                    files,
                    policy.mayExport(spaceKey, admin.userId()),
                    links.settings(spaceKey));
            if (mailer.status(mail.key()).isEmpty()) { // not queued by an earlier, interrupted run
                toQueue.add(mail);
                mailed.add(admin.email());
            }
        }
        if (toQueue.isEmpty()) {
            return 0;
        }
        // Fail closed: the run is recorded before its mails are queued; when the record cannot be written this
        // throws, nothing is mailed, and the organization is tried again at the next look.
        recordInOwnLog(spaceKey, month, files, mailed);
        int queued = 0;
        for (MailMessage mail : toQueue) {
            if (mailer.queue(mail)) {
                queued++;
            }
        }
        return queued;
    }

    /** The run is recorded in the organization's own log, by the System user, as the server's own use. */
    private void recordInOwnLog(
            String spaceKey, YearMonth month, List<ExportMails.MonthlyFile> files, List<String> mailed) {
        String action = "The audit logs of " + month + " were exported ("
                + String.join(", ", files.stream().map(f -> f.file().fileName()).toList()) + ") and mailed to "
                + String.join(", ", mailed);
        try {
            capture.record(List.of(OwnRecords.of(
                    spaceKey, clock.instant(), "Audit log", "Export audit logs", action, Actor.system())));
        } catch (RuntimeException | PayloadRejectedException e) {
            throw new AuditUnavailableException(
                    "the monthly mailing of " + month + " was not recorded in the log of " + spaceKey + " ("
                            + e.getMessage() + "); nothing was mailed",
                    e);
        }
    }
}
