package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.LeaseStore.Lease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases (one holder at a time, epochs that fence) and export job claims, on HSQLDB and (profile postgresql)
 * PostgreSQL.
 */
class LeasesAndClaimsTest {
    @TempDir
    Path dir;

    @Test
    void aLeaseHasOneHolderAtATimeAndItsEpochGrowsWithEveryNewHolder() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, Clock.systemUTC(), "writeConnections", 4)) {
            MyBatisLeaseStore leases = storage.activate(MyBatisLeaseStore.class);
            Lease a =
                    leases.acquire("monthly", "node-1/a", Duration.ofMinutes(1)).orElseThrow();
            assertEquals(1, a.epoch());
            assertEquals(Optional.empty(), leases.acquire("monthly", "node-2/b", Duration.ofMinutes(1)));
            Lease renewed =
                    leases.acquire("monthly", "node-1/a", Duration.ofMinutes(2)).orElseThrow();
            assertEquals(1, renewed.epoch(), "a renewal keeps the epoch");
            assertTrue(renewed.expires().isAfter(a.expires()));
            assertTrue(leases.holds(renewed));

            leases.release(renewed);
            assertFalse(leases.holds(renewed));
            Lease b = leases.acquire("monthly", "node-2/b", Duration.ofMillis(300))
                    .orElseThrow();
            assertEquals(2, b.epoch());
            assertFalse(leases.holds(a), "the first holder's epoch is over");
            assertEquals("node-2/b", leases.find("monthly").orElseThrow().holder());

            Thread.sleep(400); // b expires without renewing: another holder takes over
            assertFalse(leases.holds(b));
            Lease c =
                    leases.acquire("monthly", "node-1/c", Duration.ofMinutes(1)).orElseThrow();
            assertEquals(3, c.epoch());
            assertEquals(Optional.empty(), leases.acquire("monthly", "node-2/b", Duration.ofMinutes(1)));
            // leases on other work are apart
            assertEquals(
                    1,
                    leases.acquire("retention", "node-2/b", Duration.ofMinutes(1))
                            .orElseThrow()
                            .epoch());
        }
    }

    @Test
    void ofHoldersAskingAtOnceExactlyOneGetsANewLease() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, Clock.systemUTC(), "writeConnections", 8)) {
            MyBatisLeaseStore leases = storage.activate(MyBatisLeaseStore.class);
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 5; round++) {
                    String name = "work-" + round;
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Optional<Lease>>> asks = new ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        String holder = "node-" + t + "/x";
                        asks.add(threads.submit(() -> {
                            go.await();
                            return leases.acquire(name, holder, Duration.ofMinutes(1));
                        }));
                    }
                    go.countDown();
                    int held = 0;
                    for (Future<Optional<Lease>> f : asks) {
                        held += f.get().isPresent() ? 1 : 0;
                    }
                    assertEquals(1, held, name);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void aJobIsClaimedByOneServerUntilItsClaimRunsOut() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, Clock.systemUTC(), "writeConnections", 4)) {
            MyBatisExportJobStore jobs = storage.activate(MyBatisExportJobStore.class);
            Instant t = Instant.parse("2026-11-22T10:00:00Z");
            ExportJob first = jobs.create(job(t));
            ExportJob second = jobs.create(job(t.plusSeconds(1)));

            assertEquals(
                    first.id(),
                    jobs.claim("node-1/a", Duration.ofMillis(300)).orElseThrow().id());
            assertEquals(
                    second.id(),
                    jobs.claim("node-2/b", Duration.ofMinutes(1)).orElseThrow().id());
            assertEquals(Optional.empty(), jobs.claim("node-2/b", Duration.ofMinutes(1)), "nothing left to claim");
            assertTrue(jobs.renewClaim(second.id(), "node-2/b", Duration.ofMinutes(1)));
            assertFalse(jobs.renewClaim(second.id(), "node-1/a", Duration.ofMinutes(1)), "not a's job");

            Thread.sleep(400); // a stopped: its claim runs out and the job goes to another server
            assertEquals(
                    first.id(),
                    jobs.claim("node-2/b", Duration.ofMinutes(1)).orElseThrow().id());
            assertFalse(jobs.renewClaim(first.id(), "node-1/a", Duration.ofMinutes(1)), "a lost it");

            // b starts again under its node number: its earlier run's claims go at once
            assertEquals(2, jobs.releaseClaims("node-2/", "node-2/b2"));
            assertEquals(
                    first.id(),
                    jobs.claim("node-2/b2", Duration.ofMinutes(1)).orElseThrow().id());

            // a finished job is never claimed
            ExportJob done = jobs.find(second.id()).orElseThrow();
            jobs.update(done.with(ExportJob.State.DONE, 5, "f.zip", null, t, t.plusSeconds(9), 1));
            assertEquals(Optional.empty(), jobs.claim("node-3/c", Duration.ofMinutes(1)));
        }
    }

    private static ExportJob job(Instant requested) {
        return new ExportJob(
                0,
                "ACME",
                "Apps",
                "u1",
                requested,
                LocalDate.of(2026, 11, 1),
                LocalDate.of(2026, 11, 22),
                ExportJob.State.QUEUED,
                0,
                null,
                null,
                null,
                null,
                0);
    }
}
