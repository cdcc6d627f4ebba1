package org.auditlog.capture.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer thread that appends the records of many concurrent requests in shared transactions: each
 * durable commit (a disk sync) is paid once per group, not once per request. A request's future completes
 * only after the transaction holding its records has committed.
 *
 * <p>Ids are assigned here, by the one writer, so they rise in commit order. If a group's transaction
 * fails, each request of the group is retried in a transaction of its own, so one request's fault never
 * fails another's.
 */
final class GroupCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    private record Pending(List<AuditRecord> records, CompletableFuture<List<AuditRecord>> done) {}

    private final AuditStore store;
    private final LongSupplier ids;
    private final int maxGroupRecords;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    private volatile boolean running = true;

    /** @param threads makes the writer thread ({@code auditlog-group-commit}) */
    GroupCommitter(AuditStore store, LongSupplier ids, int maxGroupRecords, int queueCapacity, ThreadFactory threads) {
        this.store = store;
        this.ids = ids;
        this.maxGroupRecords = maxGroupRecords;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = threads.newThread(this::run);
        this.writer.start();
    }

    /**
     * Appends records and waits for their commit.
     *
     * @return the records with their ids
     * @throws StoreException when the records were not stored (queue full, store failure, shut down)
     */
    List<AuditRecord> append(List<AuditRecord> records, long timeoutMillis) {
        if (records.isEmpty()) {
            return List.of();
        }
        Pending p = new Pending(records, new CompletableFuture<>());
        try {
            if (!running || !queue.offer(p, timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new StoreException(
                        running ? "the write queue is full; retry later" : "capture is stopping", null);
            }
            return p.done().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the commit", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof StoreException se
                    ? se
                    : new StoreException(String.valueOf(cause.getMessage()), cause);
        } catch (TimeoutException e) {
            throw new StoreException("the commit did not finish within " + timeoutMillis + " ms", e);
        }
    }

    /** Records waiting for the writer. */
    int queued() {
        return queue.size();
    }

    /** Commits what is queued, then stops the writer. */
    void close() {
        running = false;
        writer.interrupt();
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            commit(left);
        }
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = running ? queue.take() : queue.poll();
                if (first == null) {
                    break;
                }
                group.add(first);
                int size = first.records().size();
                Pending next;
                while (size < maxGroupRecords
                        && (next = queue.peek()) != null
                        && size + next.records().size() <= maxGroupRecords) {
                    group.add(queue.poll());
                    size += next.records().size();
                }
                commit(group);
            } catch (InterruptedException e) {
                // close() interrupts to stop waiting; the loop drains what is left
            } catch (RuntimeException e) {
                LOG.error("Group commit failed unexpectedly", e);
                group.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<Pending> group) {
        List<List<AuditRecord>> numbered = new ArrayList<>(group.size());
        List<AuditRecord> all = new ArrayList<>();
        for (Pending p : group) {
            List<AuditRecord> withIds = new ArrayList<>(p.records().size());
            for (AuditRecord r : p.records()) {
                withIds.add(r.withId(ids.getAsLong()));
            }
            numbered.add(withIds);
            all.addAll(withIds);
        }
        try {
            store.append(all);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(List.copyOf(numbered.get(i)));
            }
        } catch (RuntimeException groupFailure) {
            if (group.size() == 1) {
                group.get(0).done().completeExceptionally(groupFailure);
                return;
            }
            LOG.warn(
                    "A group of {} requests failed to commit ({}); committing them one by one",
                    group.size(),
                    groupFailure.getMessage());
            for (int i = 0; i < group.size(); i++) {
                try {
                    store.append(numbered.get(i));
                    group.get(i).done().complete(List.copyOf(numbered.get(i)));
                } catch (RuntimeException e) {
                    group.get(i).done().completeExceptionally(e);
                }
            }
        }
    }
}
