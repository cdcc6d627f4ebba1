package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.ExportJob.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MyBatisExportJobStoreTest {
    @TempDir
    Path dir;

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    static ExportJob queued(String space, String product, Instant requested) {
        return new ExportJob(
                0,
                space,
                product,
                "alice",
                requested,
                LocalDate.of(2026, 11, 1),
                LocalDate.of(2026, 11, 22),
                State.QUEUED,
                0,
                null,
                null,
                null,
                null,
                0);
    }

    @Test
    void aJobIsStoredWithAnIdAndReadsBackAsCreated() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            ExportJob a = jobs.create(queued("ACME", "Backlog", Instant.parse("2026-11-22T10:15:30.123456789Z")));
            ExportJob b = jobs.create(queued("ACME", "Apps", T0));
            assertTrue(a.id() > 0);
            assertTrue(b.id() > 0 && b.id() != a.id());
            // the column keeps milliseconds: what create answers is what find reads
            assertEquals(Instant.parse("2026-11-22T10:15:30.123Z"), a.requested());
            assertEquals(Optional.of(a), jobs.find(a.id()));
            ExportJob found = jobs.find(b.id()).orElseThrow();
            assertEquals("ACME", found.spaceKey());
            assertEquals("Apps", found.product());
            assertEquals("alice", found.requestedBy());
            assertEquals(T0, found.requested());
            assertEquals(LocalDate.of(2026, 11, 1), found.firstDay());
            assertEquals(LocalDate.of(2026, 11, 22), found.lastDay());
            assertEquals(State.QUEUED, found.state());
            assertEquals(0, found.attempts());
            assertEquals(Optional.empty(), jobs.find(b.id() + 1000));
        }
    }

    @Test
    void idsAreRandomPositiveJsonSafeNumbersThatTellNothingOfOtherJobs() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            java.util.Set<Long> seen = new java.util.HashSet<>();
            long previous = -1;
            for (int i = 0; i < 50; i++) {
                long id = jobs.create(queued(i % 2 == 0 ? "ACME" : "OTHER", "Backlog", T0.plusMillis(i)))
                        .id();
                assertTrue(id > 0 && id < (1L << 53), "id " + id);
                assertTrue(Math.abs(id - previous) > 1, "consecutive ids " + previous + ", " + id);
                assertTrue(seen.add(id), "id " + id + " given twice");
                previous = id;
            }
        }
    }

    @Test
    void anIdAlreadyTakenIsDrawnAgain() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            java.util.Iterator<Long> draws = List.of(7L, 7L, 7L, 9L).iterator();
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            jobs.ids = draws::next;
            assertEquals(7, jobs.create(queued("ACME", "Backlog", T0)).id());
            ExportJob second = jobs.create(queued("OTHER", "Apps", T0));
            assertEquals(9, second.id());
            assertEquals("OTHER", jobs.find(9).orElseThrow().spaceKey());
            assertEquals("ACME", jobs.find(7).orElseThrow().spaceKey());
        }
    }

    @Test
    void listIsNewestFirstPerOrganizationAndBoundedByMax() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            long a = jobs.create(queued("ACME", "Backlog", T0)).id();
            long other = jobs.create(queued("OTHER", "Backlog", T0)).id();
            long b = jobs.create(queued("ACME", "Apps", T0.plusSeconds(1))).id();
            long c = jobs.create(queued("ACME", "Cacoo", T0.plusSeconds(2))).id();
            assertEquals(List.of(c, b, a), ids(jobs.list("ACME", 10)));
            assertEquals(List.of(c, b), ids(jobs.list("ACME", 2)));
            assertEquals(List.of(other), ids(jobs.list("OTHER", 10)));
            assertEquals(List.of(), jobs.list("NOBODY", 10));
            assertEquals(List.of(), jobs.list("ACME", 0));
        }
    }

    @Test
    void updateWritesTheChangingFieldsAndProgressOnlyTheRows() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            ExportJob job = jobs.create(queued("ACME", "Backlog", T0));
            ExportJob untouched = jobs.create(queued("ACME", "Apps", T0));

            ExportJob running = job.with(State.RUNNING, 0, null, null, T0.plusSeconds(1), null, 1);
            jobs.update(running);
            assertEquals(Optional.of(running), jobs.find(job.id()));

            jobs.progress(job.id(), 12_345);
            ExportJob progressed = jobs.find(job.id()).orElseThrow();
            assertEquals(12_345, progressed.rows());
            assertEquals(running.with(State.RUNNING, 12_345, null, null, T0.plusSeconds(1), null, 1), progressed);

            ExportJob done = running.with(
                    State.DONE,
                    20_000,
                    "auditlog-20261101-20261122-Backlog-csv.zip",
                    null,
                    T0.plusSeconds(1),
                    T0.plusSeconds(90),
                    1);
            jobs.update(done);
            assertEquals(Optional.of(done), jobs.find(job.id()));
            assertEquals(Optional.of(untouched), jobs.find(untouched.id()));
        }
    }

    @Test
    void aLongFailureIsCutToTheColumnInsteadOfRefused() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            ExportJob job = jobs.create(queued("ACME", "Backlog", T0));
            String reason = "disk full: " + "x".repeat(5000);
            jobs.update(job.with(State.FAILED, 10, null, reason, T0, T0.plusSeconds(5), 3));
            ExportJob failed = jobs.find(job.id()).orElseThrow();
            assertEquals(State.FAILED, failed.state());
            assertEquals(3, failed.attempts());
            assertTrue(
                    failed.failure().length() <= 1000,
                    "length " + failed.failure().length());
            assertTrue(failed.failure().startsWith("disk full: xxx"));

            ExportJob createdFailed =
                    jobs.create(queued("ACME", "Apps", T0).with(State.FAILED, 0, null, reason, null, T0, 1));
            assertEquals(Optional.of(createdFailed), jobs.find(createdFailed.id()));
            assertTrue(createdFailed.failure().length() <= 1000);
        }
    }

    @Test
    void unfinishedAreTheQueuedAndRunningOnesOldestFirstAndSurviveARestart() throws Exception {
        long queuedFirst;
        long running;
        long queuedLast;
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            // ids are random, so "oldest first" is by the time each job was asked for
            queuedFirst = jobs.create(queued("ACME", "Backlog", T0)).id();
            ExportJob r = jobs.create(queued("OTHER", "Apps", T0.plusMillis(1)));
            jobs.update(r.with(State.RUNNING, 5, null, null, T0, null, 1));
            running = r.id();
            ExportJob d = jobs.create(queued("ACME", "Apps", T0.plusMillis(2)));
            jobs.update(d.with(State.DONE, 5, "f.zip", null, T0, T0.plusSeconds(1), 1));
            ExportJob f = jobs.create(queued("ACME", "Cacoo", T0.plusMillis(3)));
            jobs.update(f.with(State.FAILED, 0, null, "broken", T0, T0.plusSeconds(1), 1));
            queuedLast =
                    jobs.create(queued("ACME", "Typetalk", T0.plusMillis(4))).id();
            assertEquals(List.of(queuedFirst, running, queuedLast), ids(jobs.unfinished()));
        }
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            List<ExportJob> unfinished = jobs.unfinished();
            assertEquals(List.of(queuedFirst, running, queuedLast), ids(unfinished));
            assertEquals(State.RUNNING, unfinished.get(1).state());
            assertEquals(5, unfinished.get(1).rows());
        }
    }

    @Test
    void deleteFinishedBeforeRemovesOnlyEndedJobsThatEndedBeforeTheCutoff() throws Exception {
        Instant cutoff = T0.plusSeconds(3600);
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            ExportJob oldDone = finish(jobs, State.DONE, cutoff.minusMillis(1));
            ExportJob oldFailed = finish(jobs, State.FAILED, T0);
            ExportJob atCutoff = finish(jobs, State.DONE, cutoff);
            ExportJob recent = finish(jobs, State.DONE, cutoff.plusSeconds(1));
            // a running job carries a finish time of an earlier attempt: it is not over
            ExportJob rerun = jobs.create(
                    queued("ACME", "Backlog", T0).with(State.RUNNING, 0, null, null, T0, T0.plusSeconds(1), 2));
            ExportJob waiting = jobs.create(queued("ACME", "Backlog", T0));

            assertEquals(2, jobs.deleteFinishedBefore(cutoff));
            assertFalse(jobs.find(oldDone.id()).isPresent());
            assertFalse(jobs.find(oldFailed.id()).isPresent());
            for (ExportJob kept : List.of(atCutoff, recent, rerun, waiting)) {
                assertTrue(jobs.find(kept.id()).isPresent(), "job " + kept.id() + " kept");
            }
            assertEquals(0, jobs.deleteFinishedBefore(cutoff));
        }
    }

    @Test
    void deleteJobsOfRemovesEveryJobOfThatOrganizationOnly() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            jobs.create(queued("ACME", "Backlog", T0));
            finish(jobs, State.DONE, T0);
            long other = jobs.create(queued("OTHER", "Backlog", T0)).id();
            assertEquals(2, jobs.deleteJobsOf("ACME"));
            assertEquals(List.of(), jobs.list("ACME", 10));
            assertEquals(List.of(other), ids(jobs.unfinished()));
            assertEquals(0, jobs.deleteJobsOf("ACME"));
        }
    }

    @Test
    void theMonthlyLedgerKeepsTheFirstCompletionAcrossRestarts() throws Exception {
        YearMonth october = YearMonth.of(2026, 10);
        Instant first = Instant.parse("2026-11-01T00:05:00.250Z");
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            assertEquals(Optional.empty(), jobs.monthlyRunCompleted(october));
            jobs.monthlyRunCompleted(october, first);
            jobs.monthlyRunCompleted(october, first.plusSeconds(3600));
            assertEquals(Optional.of(first), jobs.monthlyRunCompleted(october));
            assertEquals(Optional.empty(), jobs.monthlyRunCompleted(YearMonth.of(2026, 9)));
            assertEquals(Optional.empty(), jobs.monthlyRunCompleted(YearMonth.of(2025, 10)));
        }
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            assertEquals(Optional.of(first), jobs.monthlyRunCompleted(october));
            jobs.monthlyRunCompleted(october, first.plusSeconds(7200));
            assertEquals(Optional.of(first), jobs.monthlyRunCompleted(october));
            jobs.monthlyRunCompleted(YearMonth.of(2026, 11), first.plusSeconds(86400 * 30L));
            assertEquals(Optional.of(first.plusSeconds(86400 * 30L)), jobs.monthlyRunCompleted(YearMonth.of(2026, 11)));
        }
    }

    @Test
    void recordingTheSameMonthFromManyThreadsAtOnceNeverFails() throws Exception {
        int threads = 8;
        try (TestStorage storage = TestStorage.open(dir, Clock.systemUTC(), "writeConnections", threads)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int round = 1; round <= 10; round++) {
                    YearMonth month = YearMonth.of(2026, round);
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<?>> results = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        Instant at = T0.plusSeconds(t);
                        results.add(pool.submit(() -> {
                            start.await();
                            jobs.monthlyRunCompleted(month, at);
                            return null;
                        }));
                    }
                    start.countDown();
                    for (Future<?> f : results) {
                        f.get(); // a StoreException would surface here
                    }
                    Instant kept = jobs.monthlyRunCompleted(month).orElseThrow();
                    assertTrue(!kept.isBefore(T0) && kept.isBefore(T0.plusSeconds(threads)), kept.toString());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static ExportJob finish(MyBatisExportJobStore jobs, State state, Instant finished) {
        ExportJob job = jobs.create(queued("ACME", "Backlog", T0));
        ExportJob ended = job.with(
                state, 1, state == State.DONE ? "f.zip" : null, state == State.FAILED ? "no" : null, T0, finished, 1);
        jobs.update(ended);
        return ended;
    }

    private static List<Long> ids(List<ExportJob> jobs) {
        return jobs.stream().map(ExportJob::id).toList();
    }
}
