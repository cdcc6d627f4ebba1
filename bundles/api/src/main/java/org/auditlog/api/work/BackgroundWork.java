package org.auditlog.api.work;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where every component gets its background threads, and its periodic work that one server at a time does.
 *
 * <p>Threads are daemon threads named {@code auditlog-<job>}, so that a thread dump names the work, and a failure
 * that escapes a thread is logged with that name. Executors returned here belong to the caller, which shuts them
 * down when it stops (in its {@code @Deactivate}).
 *
 * <p>Implemented by the work bundle (a DS component that uses the {@link org.auditlog.api.store.LeaseStore} and the
 * highest ranked {@link java.time.Clock} service); used by the capture, policy, export and mail bundles.
 *
 * @since 1.0
 */
@ProviderType
public interface BackgroundWork {
    /**
     * Makes daemon threads named {@code auditlog-<job>}, for work that owns a thread for its whole life (a
     * writer, a sender); the caller starts and stops them.
     *
     * @param job a short name of the work, in lower case with dashes ({@code group-commit})
     */
    ThreadFactory threads(String job);

    /** One daemon thread {@code auditlog-<job>} that runs what is scheduled or queued on it, in order. */
    ScheduledExecutorService scheduler(String job);

    /**
     * {@code count} daemon threads {@code auditlog-<job>-<n>} ({@code n} from 1) sharing an unbounded queue.
     *
     * @throws IllegalArgumentException when {@code count} is below 1
     */
    ExecutorService workers(String job, int count);

    /**
     * Does {@code task} on its own thread {@code auditlog-<job>}: at once, then again {@link Schedule#next} after
     * each time. Each time, if {@link LeasedTask#due} says so, the lease of {@code terms} is taken (or renewed, when
     * this holder has it already); when another holder has it the task is left to that server this time. Otherwise
     * the task runs with the {@link HeldLease} (its fencing epoch) and the lease is released when it ends. A
     * failure of the task (or of the lease store) is logged and the schedule goes on.
     *
     * @param job a short name of the work for its thread and its log lines ({@code retention})
     * @return the scheduled work; closing it cancels the times to come
     */
    ScheduledWork scheduleUnderLease(String job, LeaseTerms terms, Schedule schedule, LeasedTask task);

    /**
     * Does {@code task} once now, in the calling thread, as one time of {@link #scheduleUnderLease} does: if due,
     * under the lease of {@code terms}, released after; a failure is logged. Never at the same time as another run
     * under the same lease name through this service (a scheduled time of the same work waits, or this does).
     *
     * @return whether the task ran to its end (it was due, the lease was taken, and it did not fail)
     */
    boolean runUnderLease(String job, LeaseTerms terms, LeasedTask task);
}
