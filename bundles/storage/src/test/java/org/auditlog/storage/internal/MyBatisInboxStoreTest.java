package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.InboxEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MyBatisInboxStoreTest {
    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    static InboxEntry entry(String product, String payloads, int events) {
        return new InboxEntry(
                0,
                product,
                "application/json",
                payloads,
                events,
                new IngestContext("ACME", "203.0.113.5", "Firefox"),
                null,
                null);
    }

    @Test
    void entriesWaitSurviveReopenAndAreConsumedExactlyOnce() throws Exception {
        long id;
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisInboxStore inbox = storage.activate(MyBatisInboxStore.class);
            id = inbox.enqueue(entry("Backlog", "[{\"type\":1},{\"type\":2}]", 2));
            inbox.enqueue(entry("Backlog", "[{\"type\":3}]", 1));
            inbox.enqueue(entry("Cacoo", "[{}]", 1));
            assertEquals(3, inbox.pendingEvents("Backlog"));
        }
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisAuditStore events = storage.activate(MyBatisAuditStore.class);
            MyBatisInboxStore inbox = storage.activate(MyBatisInboxStore.class);
            List<InboxEntry> pending = inbox.pending("Backlog", 10);
            assertEquals(2, pending.size());
            InboxEntry first = pending.get(0);
            assertEquals(id, first.id());
            assertEquals("[{\"type\":1},{\"type\":2}]", first.payloads());
            assertEquals(new IngestContext("ACME", "203.0.113.5", "Firefox"), first.context());
            assertEquals(clock.instant(), first.received());

            inbox.consume(
                    first.id(),
                    List.of(
                            MyBatisStoresTest.record(1, "ACME", "Backlog", "2026-11-01T00:00:00Z", "u1"),
                            MyBatisStoresTest.record(2, "ACME", "Backlog", "2026-11-01T00:00:00Z", "u2")));
            // a second drain of the same entry stores nothing more
            inbox.consume(
                    first.id(), List.of(MyBatisStoresTest.record(3, "ACME", "Backlog", "2026-11-01T00:00:00Z", "u3")));
            assertEquals(
                    2,
                    events.query(new EventQuery("ACME", null, null, null, null, null, null, 10, null))
                            .events()
                            .size());
            assertEquals(1, inbox.pendingEvents("Backlog"));

            inbox.fail(pending.get(1).id(), "type must be a number");
            assertEquals(0, inbox.pendingEvents("Backlog"));
            assertEquals(1, inbox.failedEvents("Backlog"));
            assertTrue(inbox.pending("Backlog", 10).isEmpty());
            assertEquals(1, inbox.pendingEvents("Cacoo"));
        }
    }

    static InboxEntry received(String spaceKey, String when) {
        return new InboxEntry(
                0,
                "Backlog",
                "application/json",
                "[{\"secret\":\"" + spaceKey + "\"}]",
                1,
                new IngestContext(spaceKey, null, null),
                Instant.parse(when),
                null);
    }

    @Test
    void anOrganizationsPurgeTakesItsEntriesWaitingOrSetAsideAndNoOthers() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisInboxStore inbox = storage.activate(MyBatisInboxStore.class);
            long waiting = inbox.enqueue(received("ACME", "2026-11-01T00:00:00Z"));
            long setAside = inbox.enqueue(received("ACME", "2026-11-01T00:00:00Z"));
            inbox.fail(setAside, "There is no organization ACME.");
            long other = inbox.enqueue(received("acme", "2026-11-01T00:00:00Z"));
            long unnamed = inbox.enqueue(received(null, "2026-11-01T00:00:00Z"));
            inbox.fail(unnamed, "the payload names no organization");

            assertEquals(2, inbox.deleteOrganization("ACME"));
            assertTrue(inbox.entry(waiting).isEmpty());
            assertTrue(inbox.entry(setAside).isEmpty());
            assertTrue(inbox.entry(other).isPresent());
            assertTrue(inbox.entry(unnamed).isPresent());
            assertEquals(0, inbox.deleteOrganization("ACME"));
        }
    }

    @Test
    void setAsideEntriesGoByAgeWhateverTheyNameAndWaitingOnesStay() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisInboxStore inbox = storage.activate(MyBatisInboxStore.class);
            Instant cutoff = Instant.parse("2025-11-01T00:00:00Z");
            long oldUnnamed = inbox.enqueue(received(null, "2025-10-31T23:59:59.999Z"));
            inbox.fail(oldUnnamed, "the payload names no organization");
            long oldNamed = inbox.enqueue(received("ACME", "2024-01-01T00:00:00Z"));
            inbox.fail(oldNamed, "The plan of ACME has ended.");
            long atCutoff = inbox.enqueue(received(null, "2025-11-01T00:00:00Z"));
            inbox.fail(atCutoff, "the payload names no organization");
            long oldWaiting = inbox.enqueue(received("ACME", "2024-01-01T00:00:00Z"));

            assertEquals(2, inbox.deleteSetAsideBefore(cutoff));
            assertTrue(inbox.entry(oldUnnamed).isEmpty());
            assertTrue(inbox.entry(oldNamed).isEmpty());
            assertEquals(
                    List.of(atCutoff),
                    inbox.failedEntries("Backlog", 10).stream()
                            .map(InboxEntry::id)
                            .toList());
            assertEquals(
                    List.of(oldWaiting),
                    inbox.pending("Backlog", 10).stream().map(InboxEntry::id).toList());
            assertEquals(0, inbox.deleteSetAsideBefore(cutoff));
        }
    }

    @Test
    void knownProductsAreRememberedOnce() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisInboxStore inbox = storage.activate(MyBatisInboxStore.class);
            inbox.rememberProduct("Backlog");
            inbox.rememberProduct("Apps");
            inbox.rememberProduct("Backlog");
            assertEquals(Set.of("Apps", "Backlog"), inbox.knownProducts());
        }
    }
}
