package org.auditlog.capture.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.auditlog.api.store.StoreException;
import org.auditlog.testing.MemoryLeases;
import org.auditlog.work.internal.Work;
import org.junit.jupiter.api.Test;

/** Two running servers never make ids with the same node number. */
class NodeLeaseTest {
    static final Duration TTL = Duration.ofMillis(600);
    static final Duration RENEW = Duration.ofMillis(100);

    @Test
    void aSecondServerWithTheSameNumberWaitsOutTheLeaseThenRefusesToStart() throws Exception {
        MemoryLeases leases = new MemoryLeases();
        try (NodeLease first = new NodeLease(new Work(leases), leases, 3, TTL, RENEW)) {
            assertTrue(first.holder().startsWith("node-3/"), first.holder());
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> new NodeLease(new Work(leases), leases, 3, TTL, RENEW));
            assertTrue(
                    e.getMessage().contains("node number 3 is in use by another server (" + first.holder() + ")"),
                    e.getMessage());
            assertTrue(System.nanoTime() - start >= TTL.toNanos(), "it waited for the lease to run out first");
            // other numbers are free; the first server still makes ids
            try (NodeLease other = new NodeLease(new Work(leases), leases, 4, TTL, RENEW)) {
                assertEquals(4, other.nodeId());
            }
            assertDoesNotThrow(first::check);
        }
    }

    @Test
    void aNumberLeftByAStoppedServerIsTakenOnceItsLeaseRunsOutAndOneReleasedIsTakenAtOnce() throws Exception {
        MemoryLeases leases = new MemoryLeases();
        // killed: its lease stays until it runs out
        leases.acquire("node-5", "node-5/old-host/1/dead", TTL);
        try (NodeLease restarted = new NodeLease(new Work(leases), leases, 5, TTL, RENEW)) {
            assertEquals(2, leases.find("node-5").orElseThrow().epoch());
        }
        long start = System.nanoTime();
        try (NodeLease again = new NodeLease(new Work(leases), leases, 5, TTL, RENEW)) {
            assertTrue(System.nanoTime() - start < TTL.toNanos(), "a released number is free at once");
        }
    }

    @Test
    void aServerWhoseNumberWasTakenOverMakesNoIds() throws Exception {
        MemoryLeases leases = new MemoryLeases();
        try (NodeLease node = new NodeLease(new Work(leases), leases, 6, TTL, RENEW)) {
            // as if its renewals had not reached the database for longer than the lease: another server took it
            leases.release(leases.find("node-6").orElseThrow());
            leases.acquire("node-6", "node-6/intruder/9/x", Duration.ofMinutes(1));
            Thread.sleep(RENEW.toMillis() * 3);
            StoreException e = assertThrows(StoreException.class, node::check);
            assertTrue(e.getMessage().contains("node number 6 is held by another server"), e.getMessage());
        }
    }

    @Test
    void nodeIdMinusOneTakesTheLowestNumberNoRunningServerHolds() throws Exception {
        MemoryLeases leases = new MemoryLeases();
        try (NodeLease configured = new NodeLease(new Work(leases), leases, 0, TTL, RENEW);
                NodeLease first = NodeLease.anyFree(new Work(leases), leases, TTL, RENEW);
                NodeLease second = NodeLease.anyFree(new Work(leases), leases, TTL, RENEW)) {
            assertEquals(0, configured.nodeId());
            assertEquals(1, first.nodeId());
            assertEquals(2, second.nodeId());
            assertTrue(second.holder().startsWith("node-2/"), second.holder());
            long start = System.nanoTime();
            first.close();
            try (NodeLease again = NodeLease.anyFree(new Work(leases), leases, TTL, RENEW)) {
                assertEquals(1, again.nodeId(), "a released number is taken again, at once");
                assertTrue(System.nanoTime() - start < TTL.toNanos());
            }
        }
    }
}
