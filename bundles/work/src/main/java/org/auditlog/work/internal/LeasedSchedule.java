package org.auditlog.work.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.auditlog.api.work.Schedule;
import org.auditlog.api.work.ScheduledWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One piece of periodic work on its own thread: a time at once, then one after each as its {@link Schedule} says. */
final class LeasedSchedule implements ScheduledWork {
    private static final Logger LOG = LoggerFactory.getLogger(LeasedSchedule.class);
    /** How long after a schedule that failed to say when it is asked again. */
    static final Duration AFTER_SCHEDULE_FAILURE = Duration.ofMinutes(1);

    private final String job;
    private final Schedule schedule;
    private final BooleanSupplier time;
    private final Supplier<Clock> clock;
    private final ScheduledExecutorService thread;

    /** @param time one time of the work (under its lease) */
    LeasedSchedule(String job, Schedule schedule, BooleanSupplier time, Supplier<Clock> clock) {
        this.job = job;
        this.schedule = schedule;
        this.time = time;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(new NamedThreads(job, false));
    }

    void start() {
        thread.execute(this::timeThenNext);
    }

    private void timeThenNext() {
        time.getAsBoolean();
        Duration wait;
        try {
            wait = schedule.next(clock.get().instant());
        } catch (RuntimeException e) {
            LOG.error("Background work {}: its schedule failed; asked again in {}", job, AFTER_SCHEDULE_FAILURE, e);
            wait = AFTER_SCHEDULE_FAILURE;
        }
        try {
            thread.schedule(this::timeThenNext, Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: no next time
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
