package org.auditlog.policy.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.capture.ServerNode;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.InboxStore;
import org.auditlog.api.store.OrganizationStore;
import org.auditlog.api.work.BackgroundWork;
import org.auditlog.api.work.LeaseTerms;
import org.auditlog.api.work.Schedule;
import org.auditlog.api.work.ScheduledWork;
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

/**
 * Runs the {@link RetentionJob} once at start (a run missed while the server was down is caught up) and then
 * every day at the configured UTC time. Configured by PID {@value #PID}.
 *
 * <p>Servers sharing one database run it once between them: each run first takes the lease
 * {@value #LEASE_NAME} ({@link BackgroundWork#scheduleUnderLease}); a server that finds it held by another leaves
 * the day's run to it. A run cut short by a stopped server is done by the next day's run (every step of retention
 * can be done again).
 */
@Component(
        immediate = true,
        configurationPid = RetentionSchedule.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RetentionSchedule.Config.class)
public class RetentionSchedule {
    static final String PID = "org.auditlog.retention";
    static final String LEASE_NAME = "retention";
    /** Longer than a run takes; a run's lease is released when it ends. */
    static final Duration LEASE = Duration.ofHours(2);

    @ObjectClassDefinition(name = "Auditlog retention", description = "When the daily retention job runs.")
    public @interface Config {
        @AttributeDefinition(
                name = "Daily at (UTC)",
                description = "Time of day (UTC, HH:mm) of the daily run; it also runs at start.")
        String dailyAtUtc() default "03:00";
    }

    /** The export files, when the export bundle runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ExportService exports;

    /** The time; see {@code docs/event-path.md} for how every component takes the {@link Clock} service. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    private final RetentionJob job;
    private final BackgroundWork work;
    private final LeaseTerms lease;
    private final Schedule daily;
    private volatile ScheduledWork scheduled;

    @Activate
    public RetentionSchedule(
            @Reference OrganizationService organizations,
            @Reference OrganizationStore store,
            @Reference AuditStore events,
            @Reference InboxStore inbox,
            @Reference OrganizationPurge purge,
            @Reference BackgroundWork work,
            @Reference ServerNode node,
            Config config) {
        this.work = work;
        this.lease = new LeaseTerms(LEASE_NAME, node.holder(), LEASE);
        this.job = new RetentionJob(organizations, store, events, inbox, purge, () -> exports);
        this.daily = Schedule.dailyAt(LocalTime.parse(config.dailyAtUtc()));
    }

    /** The first run, at start; DS calls it once the fields, the clock among them, are set. */
    @Activate
    void start() {
        scheduled = work.scheduleUnderLease(LEASE_NAME, lease, daily, held -> job.run(clock.instant()));
    }

    @Deactivate
    void stop() {
        scheduled.close();
    }
}
