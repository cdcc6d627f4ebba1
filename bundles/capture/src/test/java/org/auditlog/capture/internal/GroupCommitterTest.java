package org.auditlog.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.StoreException;
import org.auditlog.testing.MemoryAuditStore;
import org.auditlog.testing.MemoryLeases;
import org.auditlog.work.internal.Work;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

    /** An in-memory store that can hold the writer at a latch and refuse records of a poisoned space key. */
    static final class FakeStore extends MemoryAuditStore {
        final List<List<AuditRecord>> commits = Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public void append(List<AuditRecord> records) {
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (records.stream().anyMatch(r -> r.spaceKey().equals("POISON"))) {
                throw new StoreException("refused", null);
            }
            commits.add(List.copyOf(records));
        }
    }

    static AuditRecord rec(String space) {
        return new AuditRecord(0, space, "Apps", Instant.EPOCH, "c", "e", "a", "", "n", "", "", "", "V1");
    }

    @Test
    void concurrentRequestsShareCommitsAndGetTheirOwnIds() throws Exception {
        FakeStore store = new FakeStore();
        store.gate = new CountDownLatch(1);
        AtomicLong seq = new AtomicLong();
        GroupCommitter committer = new GroupCommitter(
                store, seq::incrementAndGet, 1000, 100, new Work(new MemoryLeases()).threads("group-commit"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            // the first request holds the writer; the next seven queue up behind it
            List<Future<List<AuditRecord>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> committer.append(List.of(rec("A"), rec("A")), 10_000)));
                if (i == 0) {
                    assertTrue(store.entered.await(10, TimeUnit.SECONDS));
                }
            }
            while (committer.queued() < 7) {
                Thread.onSpinWait();
            }
            store.gate.countDown();
            List<Long> ids = new ArrayList<>();
            for (Future<List<AuditRecord>> f : results) {
                List<AuditRecord> got = f.get(10, TimeUnit.SECONDS);
                assertEquals(2, got.size());
                got.forEach(r -> ids.add(r.id()));
            }
            assertEquals(16, ids.stream().distinct().count());
            assertEquals(2, store.commits.size(), "one commit for the first request, one for the seven queued");
        } finally {
            pool.shutdownNow();
            committer.close();
        }
    }

    @Test
    void oneFailingRequestDoesNotFailItsGroup() throws Exception {
        FakeStore store = new FakeStore();
        store.gate = new CountDownLatch(1);
        AtomicLong seq = new AtomicLong();
        GroupCommitter committer = new GroupCommitter(
                store, seq::incrementAndGet, 1000, 100, new Work(new MemoryLeases()).threads("group-commit"));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<List<AuditRecord>> first = pool.submit(() -> committer.append(List.of(rec("A")), 10_000));
            assertTrue(store.entered.await(10, TimeUnit.SECONDS));
            Future<List<AuditRecord>> poison = pool.submit(() -> committer.append(List.of(rec("POISON")), 10_000));
            Future<List<AuditRecord>> good = pool.submit(() -> committer.append(List.of(rec("B")), 10_000));
            while (committer.queued() < 2) {
                Thread.onSpinWait();
            }
            store.gate.countDown();
            assertEquals(1, first.get(10, TimeUnit.SECONDS).size());
            assertEquals("B", good.get(10, TimeUnit.SECONDS).get(0).spaceKey());
            Exception e = assertThrows(Exception.class, () -> poison.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof StoreException, String.valueOf(e.getCause()));
            assertTrue(store.commits.stream()
                    .flatMap(List::stream)
                    .noneMatch(r -> r.spaceKey().equals("POISON")));
        } finally {
            pool.shutdownNow();
            committer.close();
        }
    }

    @Test
    void closeCommitsWhatIsQueued() throws Exception {
        FakeStore store = new FakeStore();
        GroupCommitter committer = new GroupCommitter(
                store,
                new AtomicLong()::incrementAndGet,
                1000,
                100,
                new Work(new MemoryLeases()).threads("group-commit"));
        committer.append(List.of(rec("A")), 10_000);
        committer.close();
        assertEquals(1, store.commits.size());
        assertThrows(StoreException.class, () -> committer.append(List.of(rec("A")), 100));
    }
}
