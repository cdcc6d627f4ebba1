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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.store.OrganizationChanges;
import org.auditlog.testing.RecordingCapture;
import org.auditlog.testing.SettableClock;
import org.junit.jupiter.api.Test;

/** The policy's cache of snapshots is bounded by size and age, whatever keys requests name. */
class DecisionCacheTest {

    @Test
    void fortyThousandMadeUpSpaceKeysLeaveAtMostTheBound() {
        FakeOrganizationStore store = new FakeOrganizationStore();
        PolicyService policy = new PolicyService(store, Fixtures.purge(store), Fixtures.WORK);
        policy.clock = new SettableClock(T0);
        policy.bindCapture(new RecordingCapture());
        for (int i = 0; i < 40_000; i++) {
            assertEquals(
                    Refusals.NO_SUCH_ORGANIZATION, policy.mayRecord("NOPE" + i).rule());
        }
        assertTrue(
                policy.decisionCacheSize() <= SnapshotCache.MAX_ENTRIES,
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
        PolicyService policy = new PolicyService(store, Fixtures.purge(store), Fixtures.WORK);
        policy.clock = new SettableClock(T0);
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

    @Test
    void aChangeAnotherServerAnnouncesIsSeenAtOnceAndOneNotAnnouncedWithinTheBound() throws Exception {
        FakeOrganizationStore store = new FakeOrganizationStore();
        PolicyService policy = new PolicyService(store, Fixtures.purge(store), Fixtures.WORK);
        policy.clock = new SettableClock(T0);
        policy.bindCapture(new RecordingCapture());
        policy.create(KEY, "Acme", 10, SYSTEM);
        policy.addMember(KEY, ANN, SYSTEM);
        assertFalse(policy.isMember(KEY, BOB.userId()));

        // another server adds Bob: this one still answers from its snapshot, for at most DECISION_CACHE_NANOS
        OrganizationSnapshot now = store.load(KEY).orElseThrow();
        Organization o = now.organization();
        List<Member> members = new ArrayList<>(now.members());
        members.add(BOB);
        store.saveNow(new OrganizationSnapshot(
                new Organization(
                        o.spaceKey(),
                        o.name(),
                        o.licenseCount(),
                        o.plan(),
                        o.planAdmin(),
                        o.planStarted(),
                        o.planEnded(),
                        o.graceEnds(),
                        o.created(),
                        o.deleted(),
                        o.revision() + 1),
                members,
                now.grants()));
        assertFalse(policy.isMember(KEY, BOB.userId()), "within the bound, without notices");

        List<Consumer<String>> listeners = new ArrayList<>();
        List<String> closed = new ArrayList<>();
        OrganizationChanges changes = listener -> {
            listeners.add(listener);
            return () -> closed.add("closed");
        };
        policy.bindChanges(changes);
        listeners.get(0).accept(KEY); // the store announces the other server's change
        assertTrue(policy.isMember(KEY, BOB.userId()), "seen at once");
        listeners.get(0).accept(null); // notices may have been missed: everything is loaded again
        int loads = store.loads.get();
        assertTrue(policy.isMember(KEY, ANN.userId()));
        assertEquals(loads + 1, store.loads.get());
        policy.unbindChanges(changes);
        assertEquals(List.of("closed"), closed);
    }
}
