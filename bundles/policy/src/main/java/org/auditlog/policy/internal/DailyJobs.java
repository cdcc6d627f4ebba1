package org.auditlog.policy.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.adapter.LogText;
import org.auditlog.api.capture.ServerNode;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.InboxStore;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.store.LeaseStore.Lease;
import org.auditlog.api.store.OrganizationStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link RetentionJob} once at start (a run missed while the server was down is caught up) and then
 * every day at the configured UTC time. Configured by PID {@value #PID}.
 *
 * <p>Servers sharing one database run it once between them: each run first takes the lease
 * {@value #LEASE_NAME} ({@link LeaseStore}); a server that finds it held by another leaves the day's run to it.
 * A run cut short by a stopped server is done by the next day's run (every step of retention can be done again).
 */
@Component(immediate = true, configurationPid = DailyJobs.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DailyJobs.Config.class)
public class DailyJobs {
    static final String PID = "org.auditlog.retention";
    static final String LEASE_NAME = "retention";
    /** Longer than a run takes; a run's lease is released when it ends. */
    static final Duration LEASE = Duration.ofHours(2);
    private static final Logger LOG = LoggerFactory.getLogger(DailyJobs.class);

    @ObjectClassDefinition(name = "Auditlog retention", description = "When the daily retention job runs.")
    public @interface Config {
        @AttributeDefinition(description = "Time of day (UTC, HH:mm) of the daily run.")
        String dailyAtUtc() default "03:00";
    }

    /** The export files, when the export bundle runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ExportService exports;

    /** The time; see {@code docs/event-path.md} for how every component takes the {@link Clock} service. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    private final RetentionJob job;
    private final LeaseStore leases;
    private final ServerNode node;
    private final LocalTime at;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "auditlog-retention");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public DailyJobs(@Reference OrganizationService organizations, @Reference OrganizationStore store,
            @Reference AuditStore events, @Reference InboxStore inbox, @Reference OrganizationPurge purge,
            @Reference LeaseStore leases, @Reference ServerNode node, Config config) {
        this.leases = leases;
        this.node = node;
        this.job = new RetentionJob(organizations, store, events, inbox, purge, () -> exports);
        this.at = LocalTime.parse(config.dailyAtUtc());
    }

    /** The first run, at start; DS calls it once the fields, the clock among them, are set. */
    @Activate
    void start() {
        scheduler.execute(this::runAndReschedule);
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
    }

    private void runAndReschedule() {
        try {
            Optional<Lease> lease = leases.acquire(LEASE_NAME, node.holder(), LEASE);
            if (lease.isEmpty()) {
                LOG.info("Retention runs on another server today ({})",
                        LogText.of(leases.find(LEASE_NAME).map(Lease::holder).orElse("?")));
            } else {
                try {
                    job.run(clock.instant());
                } finally {
                    leases.release(lease.get());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("The retention job failed; it runs again at the next daily time", e);
        }
        Duration wait = untilNext(clock.instant(), at);
        scheduler.schedule(this::runAndReschedule, Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** From {@code now} to the next occurrence of {@code at} (UTC), strictly later. */
    static Duration untilNext(Instant now, LocalTime at) {
        ZonedDateTime n = now.atZone(ZoneOffset.UTC);
        ZonedDateTime next = n.with(at);
        if (!next.isAfter(n)) {
            next = next.plusDays(1);
        }
        return Duration.between(n, next);
    }
}
