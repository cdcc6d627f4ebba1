package org.auditlog.work.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.auditlog.api.work.HeldLease;
import org.auditlog.api.work.LeaseTerms;
import org.auditlog.api.work.LeasedTask;
import org.auditlog.api.work.Schedule;
import org.auditlog.api.work.ScheduledWork;
import org.junit.jupiter.api.Test;

class WorkTest {
    static final LeaseTerms TERMS = new LeaseTerms("retention", "node-1/here", Duration.ofMinutes(10));

    final OneLease leases = new OneLease();
    final Work work = new Work(leases);

    WorkTest() {
        work.setClock(Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void aTakenLeaseRunsTheTaskWithItsEpochAndIsReleasedAfter() {
        List<Long> epochs = new ArrayList<>();
        assertTrue(work.runUnderLease("test-job", TERMS, lease -> epochs.add(lease.epoch())));
        assertTrue(work.runUnderLease("test-job", TERMS, lease -> epochs.add(lease.epoch())));
        assertEquals(List.of(1L, 2L), epochs, "each run takes the lease anew: a new epoch");
        assertEquals(
                List.of(
                        "acquire retention node-1/here",
                        "release retention node-1/here 1",
                        "acquire retention node-1/here",
                        "release retention node-1/here 2"),
                leases.calls);
    }

    @Test
    void aLeaseHeldByAnotherServerLeavesTheWorkToIt() {
        leases.acquire("retention", "node-2/there", Duration.ofMinutes(10));
        AtomicInteger ran = new AtomicInteger();
        assertFalse(work.runUnderLease("test-job", TERMS, lease -> ran.incrementAndGet()));
        assertEquals(0, ran.get());
        assertEquals("node-2/there", leases.find("retention").orElseThrow().holder(), "the other's lease untouched");
    }

    @Test
    void workThatIsNotDueDoesNotTouchTheLease() {
        assertFalse(work.runUnderLease("test-job", TERMS, new LeasedTask() {
            @Override
            public void run(HeldLease lease) {
                throw new AssertionError("ran although not due");
            }

            @Override
            public boolean due() {
                return false;
            }
        }));
        assertEquals(List.of(), leases.calls);
    }

    @Test
    void aRunTakenOverOnTheWayLearnsItWhenItRenews() {
        List<Boolean> renewed = new ArrayList<>();
        assertTrue(work.runUnderLease("test-job", TERMS, lease -> {
            renewed.add(lease.renew());
            renewed.add(lease.holds());
            leases.takeOver("retention", "node-2/there");
            renewed.add(lease.renew());
            renewed.add(lease.holds());
        }));
        assertEquals(List.of(true, true, false, false), renewed);
        assertEquals(
                "node-2/there",
                leases.find("retention").orElseThrow().holder(),
                "the release of a run taken over leaves the new holder's lease");
    }

    @Test
    void aFailedRunIsLoggedAndReleasesTheLease() {
        assertFalse(work.runUnderLease("test-job", TERMS, lease -> {
            throw new IllegalStateException("the store is down");
        }));
        assertEquals(List.of("acquire retention node-1/here", "release retention node-1/here 1"), leases.calls);
    }

    @Test
    void aScheduledRunWaitsForARunOfTheSameLeaseInAnotherThread() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        Thread first = new Thread(() -> work.runUnderLease("test-job", TERMS, lease -> {
            order.add("first in");
            inside.countDown();
            leave.await(10, TimeUnit.SECONDS);
            order.add("first out");
        }));
        first.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        CountDownLatch second = new CountDownLatch(1);
        try (ScheduledWork w =
                work.scheduleUnderLease("second-job", TERMS, Schedule.every(Duration.ofDays(1)), lease -> {
                    order.add("second");
                    second.countDown();
                })) {
            leave.countDown();
            assertTrue(second.await(10, TimeUnit.SECONDS));
        }
        first.join(10_000);
        assertEquals(List.of("first in", "first out", "second"), order);
    }

    @Test
    void aFailedTimeIsLoggedAndTheScheduleGoesOn() throws Exception {
        CountDownLatch thirdTime = new CountDownLatch(3);
        List<String> threads = new CopyOnWriteArrayList<>();
        try (ScheduledWork w =
                work.scheduleUnderLease("failing-job", TERMS, Schedule.every(Duration.ofMillis(1)), lease -> {
                    threads.add(Thread.currentThread().getName());
                    thirdTime.countDown();
                    throw new IllegalStateException("the store is down");
                })) {
            assertTrue(thirdTime.await(10, TimeUnit.SECONDS), "the schedule stopped after a failure");
        }
        assertEquals("auditlog-failing-job", threads.get(0));
        assertTrue(leases.calls.contains("release retention node-1/here 1"), leases.calls.toString());
    }

    @Test
    void closingCancelsTheTimesToComeAndInterruptsTheRun() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        ScheduledWork w =
                work.scheduleUnderLease("blocking-job", TERMS, Schedule.every(Duration.ofMillis(1)), lease -> {
                    runs.incrementAndGet();
                    started.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Thread thread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("auditlog-blocking-job"))
                .findFirst()
                .orElseThrow();
        w.close();
        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the run was not interrupted");
        thread.join(10_000);
        assertFalse(thread.isAlive(), "the work's thread is still there");
        assertEquals(1, runs.get(), "no time after closing");
        assertTrue(leases.calls.contains("release retention node-1/here 1"), leases.calls.toString());
    }

    @Test
    void threadsAreNamedDaemonsAndWorkersNumbered() throws Exception {
        Thread t = work.threads("group-commit").newThread(() -> {});
        assertEquals("auditlog-group-commit", t.getName());
        assertTrue(t.isDaemon());
        ExecutorService workers = work.workers("export", 2);
        try {
            List<Future<String>> names = new ArrayList<>();
            CountDownLatch both = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                names.add(workers.submit(() -> {
                    both.countDown();
                    both.await(10, TimeUnit.SECONDS);
                    return Thread.currentThread().getName();
                }));
            }
            List<String> got = new ArrayList<>();
            for (Future<String> f : names) {
                got.add(f.get(10, TimeUnit.SECONDS));
            }
            got.sort(null);
            assertEquals(List.of("auditlog-export-1", "auditlog-export-2"), got);
        } finally {
            workers.shutdownNow();
        }
        var scheduler = work.scheduler("inbox");
        try {
            assertEquals(
                    "auditlog-inbox",
                    scheduler.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS));
        } finally {
            scheduler.shutdownNow();
        }
        assertThrows(IllegalArgumentException.class, () -> work.threads("Not A Name"));
        assertThrows(IllegalArgumentException.class, () -> work.workers("export", 0));
    }

    @Test
    void aDailyScheduleAsksForTheNextOccurrenceStrictlyLater() {
        Schedule three = Schedule.dailyAt(LocalTime.of(3, 0));
        assertEquals(Duration.ofMinutes(1), three.next(Instant.parse("2026-11-22T02:59:00Z")));
        assertEquals(Duration.ofDays(1), three.next(Instant.parse("2026-11-22T03:00:00Z")));
        assertEquals(Duration.ofHours(4), three.next(Instant.parse("2026-12-31T23:00:00Z")));
    }
}
