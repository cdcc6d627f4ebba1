package org.auditlog.work.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Daemon threads named {@code auditlog-<job>}, or {@code auditlog-<job>-<n>} when numbered; escapes are logged. */
final class NamedThreads implements ThreadFactory {
    private static final Logger LOG = LoggerFactory.getLogger(NamedThreads.class);
    private static final Thread.UncaughtExceptionHandler LOGGED =
            (t, e) -> LOG.error("Thread {} ended by a failure", t.getName(), e);

    private final String name;
    private final boolean numbered;
    private final AtomicInteger count = new AtomicInteger();

    NamedThreads(String job, boolean numbered) {
        if (job == null || !job.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("a job's name is lower case words joined by dashes, not " + job);
        }
        this.name = "auditlog-" + job;
        this.numbered = numbered;
    }

    @Override
    public Thread newThread(Runnable body) {
        Thread t = new Thread(body, numbered ? name + "-" + count.incrementAndGet() : name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler(LOGGED);
        return t;
    }
}
