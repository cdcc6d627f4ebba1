package org.auditlog.policy.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and records what time changed in an organization a decision was asked about, on its own thread, once per
 * change: a decision asked from inside another service (the capture service asks on every ingest) never writes,
 * never records into that service, never waits for a lock.
 */
final class TimeChanges implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TimeChanges.class);

    private final ExecutorService thread;
    private final Consumer<String> apply;
    /** Space keys whose time change is waiting for the thread. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    /**
     * @param thread the thread ({@code auditlog-policy-time}), shut down by {@link #close}
     * @param apply saves and records what time changed in an organization
     */
    TimeChanges(ExecutorService thread, Consumer<String> apply) {
        this.thread = thread;
        this.apply = apply;
    }

    /** Saves and records what time changed in an organization, on the thread, unless that is pending already. */
    void later(String spaceKey) {
        if (!pending.add(spaceKey)) {
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    apply.accept(spaceKey);
                } catch (RuntimeException e) {
                    LOG.warn(
                            "Could not save what time changed in organization {}; the next decision or the daily "
                                    + "run tries again",
                            spaceKey,
                            e);
                } finally {
                    pending.remove(spaceKey);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(spaceKey); // stopping: the daily run at the next start saves it
        }
    }

    /** Waits until the time changes asked for so far are saved. */
    void await() throws InterruptedException {
        try {
            thread.submit(() -> {}).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("time changes did not finish: " + e, e);
        }
    }

    /** Lets the changes asked for so far finish (30 s at most), and stops the thread. */
    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(30, TimeUnit.SECONDS);
    }
}
