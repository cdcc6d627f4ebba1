package org.auditlog.work.internal;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.ReentrantLock;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.work.BackgroundWork;
import org.auditlog.api.work.LeaseTerms;
import org.auditlog.api.work.LeasedTask;
import org.auditlog.api.work.Schedule;
import org.auditlog.api.work.ScheduledWork;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@link BackgroundWork} service. Services used: {@link LeaseStore} (mandatory) and {@link Clock} (mandatory,
 * the highest ranked one: see {@code docs/event-path.md}), which the schedules of leased work are asked with.
 * No configuration.
 */
@Component(service = BackgroundWork.class)
public class Work implements BackgroundWork {
    private final LeaseStore leases;
    /** One run at a time per lease name: the same holder taking a lease it holds only renews it. */
    private final ConcurrentMap<String, ReentrantLock> running = new ConcurrentHashMap<>();

    private volatile Clock clock;

    @Activate
    public Work(@Reference LeaseStore leases) {
        this.leases = leases;
    }

    /** The time the schedules are asked with. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void setClock(Clock c) {
        this.clock = c;
    }

    public void unsetClock(Clock c) {
        // a greedy dynamic reference: the replacement is set before this is called, or the component stops
    }

    @Override
    public ThreadFactory threads(String job) {
        return new NamedThreads(job, false);
    }

    @Override
    public ScheduledExecutorService scheduler(String job) {
        return Executors.newSingleThreadScheduledExecutor(new NamedThreads(job, false));
    }

    @Override
    public ExecutorService workers(String job, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("workers need a count of 1 or more, not " + count);
        }
        return Executors.newFixedThreadPool(count, new NamedThreads(job, true));
    }

    @Override
    public ScheduledWork scheduleUnderLease(String job, LeaseTerms terms, Schedule schedule, LeasedTask task) {
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(task, "task");
        LeasedSchedule work = new LeasedSchedule(job, schedule, () -> runUnderLease(job, terms, task), () -> clock);
        work.start();
        return work;
    }

    @Override
    public boolean runUnderLease(String job, LeaseTerms terms, LeasedTask task) {
        ReentrantLock lock = running.computeIfAbsent(terms.name(), name -> new ReentrantLock());
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            return LeasedRun.once(job, terms, task, leases);
        } finally {
            lock.unlock();
        }
    }
}
