package org.auditlog.streams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.auditlog.api.access.Decision;
import org.auditlog.api.store.StoredStream;
import org.auditlog.api.store.StreamPosition;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.DeliveryContext;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamDestination;
import org.auditlog.api.stream.StreamEvent;
import org.auditlog.testing.MemoryLeases;
import org.auditlog.testing.MemoryStreams;
import org.auditlog.testing.SettableClock;
import org.junit.jupiter.api.Test;

class StreamDeliveryTest {
    final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T10:00:00Z"));
    final MemoryLeases leases = new MemoryLeases();
    final MemoryStreams streams = new MemoryStreams(leases);
    final Logs logs = new Logs();
    final Receiver receiver = new Receiver();
    final Map<String, Decision> plans = new java.util.HashMap<>();
    final NetworkGuard guard = new Networks(List.of(), host -> new java.net.InetAddress[0]);

    /** A destination that records every batch and answers from a queue of outcomes (accepted when empty). */
    static final class Receiver implements StreamDestination {
        final List<StreamBatch> batches = new ArrayList<>();
        final Deque<Delivery> outcomes = new ArrayDeque<>();
        DestinationSettings lastSettings;

        @Override
        public String type() {
            return "memory";
        }

        @Override
        public DestinationSettings check(Map<String, Object> given, DestinationSettings stored, NetworkGuard g) {
            return new DestinationSettings("memory", Map.of(), Map.of());
        }

        @Override
        public synchronized Delivery deliver(StreamBatch batch, DestinationSettings settings, DeliveryContext c) {
            batches.add(batch);
            lastSettings = settings;
            Delivery d = outcomes.poll();
            return d == null ? Delivery.accepted() : d;
        }

        /** Every event the receiver accepted... here: every event of every batch it was sent, in order. */
        List<Long> sequences(String org, String product) {
            List<Long> out = new ArrayList<>();
            for (StreamBatch b : batches) {
                if (b.organization().equals(org) && b.product().equals(product)) {
                    for (StreamEvent e : b.events()) {
                        out.add(e.sequence());
                    }
                }
            }
            return out;
        }
    }

    StreamDelivery delivery(String holder, int batchEvents) {
        return new StreamDelivery(
                streams,
                logs.events(),
                logs.evidence(),
                leases,
                type -> type.equals("memory") ? receiver : null,
                s -> Map.of("secret", "whsec_x"),
                guard,
                org -> plans.getOrDefault(org, Decision.ALLOWED),
                b -> {
                    throw new AssertionError("the memory destination asks for no file");
                },
                () -> clock,
                holder,
                new StreamDelivery.Settings(
                        batchEvents,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)),
                        Duration.ofDays(7)));
    }

    StoredStream stream(String id, String org, List<String> products, List<String> categories) {
        StoredStream s = new StoredStream(
                id,
                org,
                "stream " + id,
                "memory",
                Map.of(),
                new byte[0],
                products,
                categories,
                "active",
                null,
                clock.instant(),
                clock.instant(),
                0);
        streams.create(s);
        return s;
    }

    static void runAll(StreamDelivery d) {
        for (Runnable r : d.look()) {
            r.run();
        }
    }

    @Test
    void deliversEveryEventOnceInSequenceOrderInContiguousBatches() {
        logs.append("ACME", "Backlog", 25, "Issue");
        logs.append("ACME", "Apps", 3, "Member");
        logs.append("OTHER", "Backlog", 4, "Issue");
        stream("s1", "ACME", List.of(), List.of());
        StreamDelivery d = delivery("node-a", 10);

        runAll(d);

        assertEquals(range(0, 25), receiver.sequences("ACME", "Backlog"));
        assertEquals(range(0, 3), receiver.sequences("ACME", "Apps"));
        assertEquals(List.of(), receiver.sequences("OTHER", "Backlog"), "another organization's log");
        long expected = 0;
        for (StreamBatch b : receiver.batches) {
            if (b.product().equals("Backlog")) {
                assertEquals(expected, b.firstSequence(), "batches follow each other");
                expected = b.lastSequence() + 1;
                assertEquals("s1-ACME-Backlog-" + b.firstSequence() + "-" + b.lastSequence(), b.id());
                assertEquals(1, b.attempt());
            }
        }
        assertEquals("whsec_x", receiver.lastSettings.secret("secret"));
        assertEquals(25, place("s1", "ACME", "Backlog").next());

        // new events: only they are delivered
        logs.append("ACME", "Backlog", 2, "Issue");
        receiver.batches.clear();
        runAll(d);
        assertEquals(List.of(25L, 26L), receiver.sequences("ACME", "Backlog"));
        runAll(d);
        assertEquals(List.of(25L, 26L), receiver.sequences("ACME", "Backlog"), "nothing twice");
    }

    @Test
    void filtersKeepTheRangesContiguous() {
        logs.append("ACME", "Backlog", 4, "Issue");
        logs.append("ACME", "Backlog", 3, "Wiki");
        logs.append("ACME", "Backlog", 2, "Issue");
        logs.append("ACME", "Apps", 5, "Issue");
        stream("s1", "ACME", List.of("Backlog"), List.of("Wiki"));

        runAll(delivery("node-a", 100));

        assertEquals(List.of(4L, 5L, 6L), receiver.sequences("ACME", "Backlog"));
        assertEquals(List.of(), receiver.sequences("ACME", "Apps"), "a product the stream leaves out");
        StreamBatch b = receiver.batches.get(0);
        assertEquals(0, b.firstSequence(), "the filtered sequences are in the batch's range");
        assertEquals(8, b.lastSequence());
        assertEquals(9, place("s1", "ACME", "Backlog").next());
    }

    @Test
    void aFailedBatchIsSentAgainWithItsIdAfterItsBackoffAndTheStreamKeepsItsPlace() {
        logs.append("ACME", "Backlog", 5, "Issue");
        stream("s1", "ACME", List.of(), List.of());
        StreamDelivery d = delivery("node-a", 3);
        receiver.outcomes.add(Delivery.retry(Duration.ofSeconds(10), "server", "503 Service Unavailable"));

        runAll(d);
        assertEquals(1, receiver.batches.size(), "a failure ends the log's turn");
        StreamPosition p = place("s1", "ACME", "Backlog");
        assertEquals(0, p.next());
        assertEquals("server", p.errorCategory());
        assertEquals(clock.instant(), p.failingSince());

        // events arrive meanwhile; before Retry-After nothing is sent
        logs.append("ACME", "Backlog", 5, "Issue");
        clock.advance(Duration.ofSeconds(9));
        runAll(d);
        assertEquals(1, receiver.batches.size());

        clock.advance(Duration.ofSeconds(2));
        runAll(d);
        StreamBatch retried = receiver.batches.get(1);
        assertEquals(receiver.batches.get(0).id(), retried.id(), "the same sequences, the same id");
        assertEquals(receiver.batches.get(0).events(), retried.events());
        assertEquals(2, retried.attempt());
        assertEquals(
                List.of(0L, 1L, 2L, 0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), receiver.sequences("ACME", "Backlog"));
        StreamPosition after = place("s1", "ACME", "Backlog");
        assertEquals(10, after.next());
        assertNull(after.failingSince(), "a success clears the failure");
        assertNull(after.errorCategory());
    }

    @Test
    void aRefusalMakesTheStreamFailingUntilASuccessAndALongFailurePausesItWithItsPlace() {
        logs.append("ACME", "Backlog", 2, "Issue");
        stream("s1", "ACME", List.of(), List.of());
        StreamDelivery d = delivery("node-a", 10);
        AtomicReference<StoredStream> paused = new AtomicReference<>();
        d.onPausedForFailing = paused::set;

        receiver.outcomes.add(Delivery.refused("auth", "401 Unauthorized"));
        runAll(d);
        assertEquals("failing", streams.find("s1").orElseThrow().state());

        // refused for good: tried again at the longest backoff (60 s here), and it keeps failing for 7 days
        for (int day = 0; day < 7; day++) {
            clock.advance(Duration.ofDays(1));
            receiver.outcomes.add(Delivery.refused("auth", "401 Unauthorized"));
            runAll(d);
        }
        StoredStream s = streams.find("s1").orElseThrow();
        assertEquals("paused", s.state());
        assertEquals("failing", s.pausedBy());
        assertNotNull(paused.get(), "the admins are told");
        assertEquals(0, place("s1", "ACME", "Backlog").next(), "nothing skipped");

        // paused: nothing is sent; resumed, it goes on from its place
        int sent = receiver.batches.size();
        clock.advance(Duration.ofMinutes(5));
        runAll(d);
        assertEquals(sent, receiver.batches.size());
        streams.update(s.withState("active", null, clock.instant()), s.revision());
        runAll(d);
        assertEquals(2, place("s1", "ACME", "Backlog").next());
        assertEquals("active", streams.find("s1").orElseThrow().state());
    }

    @Test
    void aResumedStreamAndAClockThatWentBackAreTriedAtOnce() {
        logs.append("ACME", "Backlog", 2, "Issue");
        StoredStream s = stream("s1", "ACME", List.of(), List.of());
        StreamDelivery d = delivery("node-a", 10);
        receiver.outcomes.add(Delivery.retry(Duration.ofSeconds(50), "server", "503"));
        runAll(d);
        assertEquals(1, receiver.batches.size());

        // paused and resumed by an admin: no wait for the backoff
        StoredStream now = streams.find("s1").orElseThrow();
        streams.update(now.withState("paused", "user:ann", clock.instant()), now.revision());
        runAll(d);
        now = streams.find("s1").orElseThrow();
        streams.update(now.withState("active", null, clock.instant()), now.revision());
        runAll(d);
        assertEquals(2, receiver.batches.size(), "tried at once");
        assertEquals(2, place("s1", "ACME", "Backlog").next());

        // a clock moved back a day: a wait that would outlast the longest backoff (60 s) is not kept
        logs.append("ACME", "Backlog", 1, "Issue");
        receiver.outcomes.add(Delivery.retry(Duration.ofSeconds(50), "server", "503"));
        runAll(d);
        assertEquals(3, receiver.batches.size());
        clock.advance(Duration.ofDays(-1));
        runAll(d);
        assertEquals(4, receiver.batches.size());
        assertEquals(3, place("s1", "ACME", "Backlog").next());
        assertEquals(s.id(), "s1");
    }

    @Test
    void eventsRemovedBeforeDeliveryAreAGapInTheStreamsStateNeverPassedOverSilently() {
        logs.append("ACME", "Backlog", 10, "Issue");
        logs.remove("ACME", "Backlog", 0, 3);
        stream("s1", "ACME", List.of(), List.of());

        runAll(delivery("node-a", 100));

        assertEquals(range(4, 10), receiver.sequences("ACME", "Backlog"));
        assertEquals(4, receiver.batches.get(0).firstSequence(), "the receiver sees the jump too");
        StreamPosition p = place("s1", "ACME", "Backlog");
        assertEquals(10, p.next());
        assertEquals(0, p.gapFrom());
        assertEquals(3, p.gapTo());
    }

    @Test
    void aBacklogLongerThanATurnGoesOnAtOnceBehindTheOtherStreamsNotAtTheNextLook() {
        logs.append("ACME", "Backlog", 50, "Issue");
        logs.append("OTHER", "Backlog", 3, "Issue");
        stream("s1", "ACME", List.of(), List.of());
        stream("s2", "OTHER", List.of(), List.of());
        StreamDelivery d = delivery("node-a", 2); // 25 batches: more than one turn's 20
        Deque<Runnable> pool = new ArrayDeque<>(d.look());
        d.requeue = pool::addLast;
        List<String> order = new ArrayList<>();
        while (!pool.isEmpty()) {
            int before = receiver.batches.size();
            pool.removeFirst().run();
            order.add(receiver.batches.get(before).streamId() + "x" + (receiver.batches.size() - before));
        }
        assertEquals(List.of("s1x20", "s2x2", "s1x5"), order, "the rest of s1 after s2's turn, in the same look");
        assertEquals(range(0, 50), receiver.sequences("ACME", "Backlog"));
        assertEquals(2, d.look().size(), "neither stream is busy any more: the next look gives each a turn");
    }

    @Test
    void theLeaseIsRenewedOnceAThirdOfItsTimeHasPassedNotAtEveryLook() {
        logs.append("ACME", "Backlog", 1, "Issue");
        stream("s1", "ACME", List.of(), List.of());
        StreamDelivery d = delivery("node-a", 10);
        runAll(d);
        var first = leases.find(StreamDelivery.leaseName("s1")).orElseThrow();
        clock.advance(Duration.ofSeconds(9));
        runAll(d);
        assertEquals(
                first.expires(),
                leases.find(StreamDelivery.leaseName("s1")).orElseThrow().expires(),
                "kept");
        clock.advance(Duration.ofSeconds(2)); // 11 s: more than a third of 30 s
        runAll(d);
        var renewed = leases.find(StreamDelivery.leaseName("s1")).orElseThrow();
        assertTrue(renewed.expires().isAfter(first.expires()), "renewed");
        assertEquals(first.epoch(), renewed.epoch());
        clock.set(clock.instant().minus(Duration.ofHours(1))); // the clock went back: renewed at once
        runAll(d);
        assertTrue(leases.find(StreamDelivery.leaseName("s1"))
                .orElseThrow()
                .expires()
                .isAfter(renewed.expires()));
    }

    @Test
    void oneServerAtATimeAndAServerThatLostTheLeaseCannotMoveThePlace() {
        logs.append("ACME", "Backlog", 3, "Issue");
        StoredStream s = stream("s1", "ACME", List.of(), List.of());
        StreamDelivery a = delivery("node-a", 10);
        StreamDelivery b = delivery("node-b", 10);

        List<Runnable> ofA = a.look();
        assertEquals(1, ofA.size());
        assertEquals(0, b.look().size(), "node-a holds the stream");

        // node-a's lease goes to node-b (expired and taken over) while node-a delivers: its place does not move
        var lease = leases.find(StreamDelivery.leaseName("s1")).orElseThrow();
        leases.release(lease);
        List<Runnable> ofB = b.look();
        assertEquals(1, ofB.size());
        ofA.get(0).run();
        assertEquals(3, receiver.sequences("ACME", "Backlog").size(), "node-a sent its batch");
        assertTrue(streams.positions("s1").isEmpty(), "but could not move the place");
        // node-b, holding it now, sends the batch again and moves the place
        receiver.batches.clear();
        ofB.get(0).run();
        assertEquals(List.of(0L, 1L, 2L), receiver.sequences("ACME", "Backlog"));
        assertEquals(3, place("s1", "ACME", "Backlog").next());
        assertEquals(s.id(), streams.find("s1").orElseThrow().id());
    }

    @Test
    void aServerWideStreamDeliversEveryOrganization() {
        logs.append("ACME", "Backlog", 2, "Issue");
        logs.append("OTHER", "Cacoo", 3, "Diagram");
        stream("s1", null, List.of(), List.of());

        runAll(delivery("node-a", 10));

        assertEquals(List.of(0L, 1L), receiver.sequences("ACME", "Backlog"));
        assertEquals(List.of(0L, 1L, 2L), receiver.sequences("OTHER", "Cacoo"));
    }

    @Test
    void aStreamOfAMissingTypeWaitsWithItsPlace() {
        logs.append("ACME", "Backlog", 2, "Issue");
        StoredStream s = new StoredStream(
                "s2",
                "ACME",
                "elsewhere",
                "splunk-hec",
                Map.of(),
                new byte[0],
                List.of(),
                List.of(),
                "active",
                null,
                clock.instant(),
                clock.instant(),
                0);
        streams.create(s);
        assertTrue(delivery("node-a", 10).look().isEmpty());
        assertFalse(leases.find(StreamDelivery.leaseName("s2")).isPresent(), "no lease taken for it");
    }

    @Test
    void aStreamWaitsWhileThePlanKeepsTheLogInAndGoesOnFromItsPlace() {
        logs.append("ACME", "Backlog", 2, "Issue");
        logs.append("OTHER", "Backlog", 2, "Issue");
        stream("s1", "ACME", List.of(), List.of());
        stream("all", null, List.of(), List.of());
        StreamDelivery d = delivery("node-a", 10);
        plans.put("ACME", Decision.refused("plan_overdue", "The payment of organization ACME is overdue"));

        runAll(d);
        StoredStream s = streams.find("s1").orElseThrow();
        assertEquals("paused", s.state());
        assertEquals("plan: plan_overdue", s.pausedBy());
        assertTrue(streams.positions("s1").isEmpty());
        // the server-wide stream delivers the other organization and keeps ACME's place
        assertEquals(List.of(0L, 1L), receiver.sequences("OTHER", "Backlog"));
        assertEquals(List.of(), receiver.sequences("ACME", "Backlog"));

        // the plan lets the log out again: resumed, from its place
        plans.remove("ACME");
        runAll(d);
        runAll(d);
        assertEquals("active", streams.find("s1").orElseThrow().state(), "resumed by the plan");
        assertEquals(2, place("s1", "ACME", "Backlog").next());
        assertEquals(2, place("all", "ACME", "Backlog").next());
        // an admin's pause is not undone by the plan
        StoredStream active = streams.find("s1").orElseThrow();
        streams.update(active.withState("paused", "user:ann", clock.instant()), active.revision());
        runAll(d);
        assertEquals("user:ann", streams.find("s1").orElseThrow().pausedBy());
    }

    private StreamPosition place(String stream, String org, String product) {
        return streams.positions(stream).stream()
                .filter(p -> p.spaceKey().equals(org) && p.product().equals(product))
                .findFirst()
                .orElseThrow();
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}
