package org.auditlog.policy.internal;

import static org.auditlog.policy.internal.Fixtures.ANN;
import static org.auditlog.policy.internal.Fixtures.BOB;
import static org.auditlog.policy.internal.Fixtures.KEY;
import static org.auditlog.policy.internal.Fixtures.SYSTEM;
import static org.auditlog.policy.internal.Fixtures.T0;
import static org.auditlog.policy.internal.Fixtures.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.auditlog.api.access.PlanState;
import org.junit.jupiter.api.Test;

/** The policy's cache of snapshots is bounded by size and age, whatever keys requests name. */
class DecisionCacheTest {

    @Test
    void fortyThousandMadeUpSpaceKeysLeaveAtMostTheBound() {
        PolicyService policy = new PolicyService(new FakeOrganizationStore());
        policy.clock = new MovableClock(T0);
        policy.bindCapture(new RecordingCapture());
        for (int i = 0; i < 40_000; i++) {
            assertEquals(Refusals.NO_SUCH_ORGANIZATION, policy.mayRecord("NOPE" + i).rule());
        }
        assertTrue(policy.decisionCacheSize() <= PolicyService.DECISION_CACHE_ENTRIES,
                "cache holds " + policy.decisionCacheSize() + " entries");
    }

    @Test
    void entriesExpireAndTheLeastRecentlyUsedGoesFirst() {
        AtomicLong now = new AtomicLong();
        ExpiringLru<String, String> cache = new ExpiringLru<>(2, 100, now::get);
        cache.put("a", "A");
        cache.put("b", "B");
        assertEquals("A", cache.get("a")); // a is now the most recently used
        cache.put("c", "C");
        assertNull(cache.get("b"), "the least recently used entry is evicted");
        assertEquals(2, cache.size());
        now.set(101);
        assertNull(cache.get("a"), "an entry older than its time to live is not answered");
        assertEquals(1, cache.size());
    }

    @Test
    void membershipIsAnsweredFromTheSnapshotAndFollowsRemoval() {
        FakeOrganizationStore store = new FakeOrganizationStore();
        PolicyService policy = new PolicyService(store);
        policy.clock = new MovableClock(T0);
        policy.bindCapture(new RecordingCapture());
        policy.create(KEY, "Acme", 10, SYSTEM);
        policy.addMember(KEY, ANN, SYSTEM);
        policy.addMember(KEY, BOB, SYSTEM);
        policy.changePlan(KEY, PlanState.TRIAL, ANN.userId(), as(ANN));
        assertTrue(policy.isMember(KEY, BOB.userId()));
        int loads = store.loads.get();
        for (int i = 0; i < 100; i++) {
            assertTrue(policy.isMember(KEY, ANN.userId()));
        }
        assertEquals(loads, store.loads.get(), "answered from the cache, not the store");
        policy.removeMember(KEY, BOB.userId(), SYSTEM);
        assertFalse(policy.isMember(KEY, BOB.userId()));
        assertFalse(policy.isMember("OTHER", ANN.userId()));
        policy.delete(KEY, SYSTEM);
        assertFalse(policy.isMember(KEY, ANN.userId()));
    }
}
