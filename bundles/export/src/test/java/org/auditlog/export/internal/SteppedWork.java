package org.auditlog.export.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.work.BackgroundWork;
import org.auditlog.api.work.LeaseTerms;
import org.auditlog.api.work.LeasedTask;
import org.auditlog.api.work.Schedule;
import org.auditlog.api.work.ScheduledWork;
import org.auditlog.work.internal.Work;

/**
 * The BackgroundWork service of a test's server: the work bundle's {@link Work} on the lease store given, except
 * that work scheduled under a lease runs only when the test runs it ({@link #runScheduled}), each time as one time
 * of its schedule does (if due, under its lease). A component's looks then happen at the instants the test sets
 * its clock to, not on a thread of their own from its activation on.
 */
final class SteppedWork implements BackgroundWork {
    private final Work work;
    private final Map<String, List<Runnable>> scheduled = new ConcurrentHashMap<>();

    SteppedWork(LeaseStore leases) {
        this.work = new Work(leases);
    }

    /** Runs one time of the work scheduled as {@code job} (by every component that did); false if none did. */
    boolean runScheduled(String job) {
        List<Runnable> times = scheduled.getOrDefault(job, List.of());
        times.forEach(Runnable::run);
        return !times.isEmpty();
    }

    @Override
    public ScheduledWork scheduleUnderLease(String job, LeaseTerms terms, Schedule schedule, LeasedTask task) {
        Runnable time = () -> work.runUnderLease(job, terms, task);
        scheduled.computeIfAbsent(job, j -> new CopyOnWriteArrayList<>()).add(time);
        return () -> scheduled.get(job).remove(time);
    }

    @Override
    public boolean runUnderLease(String job, LeaseTerms terms, LeasedTask task) {
        return work.runUnderLease(job, terms, task);
    }

    @Override
    public ThreadFactory threads(String job) {
        return work.threads(job);
    }

    @Override
    public ScheduledExecutorService scheduler(String job) {
        return work.scheduler(job);
    }

    @Override
    public ExecutorService workers(String job, int count) {
        return work.workers(job, count);
    }
}
