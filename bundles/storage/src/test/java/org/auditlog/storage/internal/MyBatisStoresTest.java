package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.IssuedToken;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.api.store.StoreException;
import org.auditlog.api.store.TokenGrant;
import org.auditlog.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MyBatisStoresTest {
    @TempDir
    Path dir;

    static AuditRecord record(long id, String space, String product, String date, String user) {
        return new AuditRecord(
                id,
                space,
                product,
                Instant.parse(date),
                "Member",
                "Add a member",
                "ann was added",
                user,
                user + " name",
                user + "@acme.example",
                "192.0.2.1",
                "Mozilla/5.0",
                "V1");
    }

    @Test
    void recordsSurviveReopenAndReadBackExactly() throws Exception {
        AuditRecord r = new AuditRecord(
                7,
                "ACME",
                "Apps",
                Instant.parse("2026-11-01T09:30:00.123Z"),
                "Member",
                "Add a member",
                "Zoë \"quoted\", comma\nnewline",
                "u1",
                "Ann",
                "ann@acme.example",
                "2001:db8::1",
                "Mozilla/5.0 (X11)",
                "V1");
        try (TestStorage storage = TestStorage.open(dir)) {
            storage.activate(MyBatisAuditStore.class).append(List.of(r));
        }
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            EventPage page = store.query(new EventQuery("ACME", null, null, null, null, null, null, 10, null));
            assertEquals(List.of(r), page.events());
            assertNull(page.next());
            assertEquals(7, store.maxId());
        }
    }

    @Test
    void aMonthStreamsInFileOrderWithinItsBoundsForOneOrganizationAndProduct() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            AuditRecord full = new AuditRecord(
                    5,
                    "ACME",
                    "Backlog",
                    Instant.parse("2026-10-15T12:00:00.123Z"),
                    "Issue",
                    "Add an issue",
                    "渡辺 \"quoted\", comma\nnewline",
                    "u1",
                    "Ann",
                    "ann@acme.example",
                    "2001:db8::1",
                    "Mozilla/5.0 (X11)",
                    "V1");
            store.append(List.of(
                    record(1, "ACME", "Backlog", "2026-10-01T00:00:00Z", "first"),
                    record(9, "ACME", "Backlog", "2026-10-31T23:59:59.999Z", "last"),
                    full,
                    record(3, "ACME", "Backlog", "2026-10-15T12:00:00.123Z", "tie"),
                    record(2, "ACME", "Backlog", "2026-09-30T23:59:59.999Z", "before"),
                    record(4, "ACME", "Backlog", "2026-11-01T00:00:00Z", "after"),
                    record(6, "ACME", "Apps", "2026-10-10T00:00:00Z", "other product"),
                    record(7, "OTHER", "Backlog", "2026-10-10T00:00:00Z", "other organization")));
            List<AuditRecord> read = new ArrayList<>();
            try (RecordCursor cursor = store.stream(
                    "ACME", "Backlog", Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z"))) {
                cursor.forEachRemaining(read::add);
                assertFalse(cursor.hasNext());
                assertThrows(java.util.NoSuchElementException.class, cursor::next);
            }
            assertEquals(
                    List.of(1L, 3L, 5L, 9L), read.stream().map(AuditRecord::id).toList());
            assertEquals(
                    4,
                    store.count(
                            "ACME",
                            "Backlog",
                            Instant.parse("2026-10-01T00:00:00Z"),
                            Instant.parse("2026-11-01T00:00:00Z")));
            assertEquals(
                    0,
                    store.count(
                            "ACME",
                            "Cacoo",
                            Instant.parse("2026-10-01T00:00:00Z"),
                            Instant.parse("2026-11-01T00:00:00Z")));
            assertEquals(full, read.get(2));
        }
    }

    @Test
    void pagesAreNewestFirstAndStableWhileRecordsArrive() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            List<AuditRecord> all = new ArrayList<>();
            for (int i = 1; i <= 25; i++) {
                // two records share each date, so the id breaks ties
                all.add(record(i, "ACME", "Apps", "2026-11-01T00:00:" + String.format("%02d", i / 2) + "Z", "u" + i));
            }
            store.append(all);
            store.append(List.of(record(100, "OTHER", "Apps", "2026-11-02T00:00:00Z", "x")));

            EventQuery first = new EventQuery("ACME", null, null, null, null, null, null, 10, null);
            EventPage p1 = store.query(first);
            assertEquals(10, p1.events().size());
            // a newer record arriving between pages does not shift the following pages
            store.append(List.of(record(200, "ACME", "Apps", "2026-11-03T00:00:00Z", "late")));
            EventPage p2 = store.query(withAfter(first, p1));
            EventPage p3 = store.query(withAfter(first, p2));
            assertNull(p3.next());
            List<Long> ids = new ArrayList<>();
            for (EventPage p : List.of(p1, p2, p3)) {
                p.events().forEach(e -> ids.add(e.id()));
            }
            List<Long> expected = new ArrayList<>();
            for (long i = 25; i >= 1; i--) {
                expected.add(i);
            }
            assertEquals(expected, ids);
        }
    }

    @Test
    void filtersNarrowByProductDateCategoryAndUser() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            store.append(List.of(
                    record(1, "ACME", "Apps", "2026-10-31T23:59:59Z", "u1"),
                    record(2, "ACME", "Backlog", "2026-11-01T00:00:00Z", "u1"),
                    record(3, "ACME", "Apps", "2026-11-01T00:00:00Z", "u2")));
            assertEquals(
                    List.of(3L),
                    ids(
                            store,
                            new EventQuery(
                                    "ACME",
                                    "Apps",
                                    Instant.parse("2026-11-01T00:00:00Z"),
                                    null,
                                    null,
                                    null,
                                    null,
                                    10,
                                    null)));
            assertEquals(
                    List.of(1L),
                    ids(
                            store,
                            new EventQuery(
                                    "ACME",
                                    null,
                                    null,
                                    Instant.parse("2026-11-01T00:00:00Z"),
                                    null,
                                    null,
                                    null,
                                    10,
                                    null)));
            assertEquals(
                    List.of(2L, 1L),
                    ids(store, new EventQuery("ACME", null, null, null, "Member", null, "u1@acme.example", 10, null)));
            assertEquals(List.of(), ids(store, new EventQuery("ACME", null, null, null, "Wiki", null, null, 10, null)));
        }
    }

    @Test
    void aMonthOfOneProductStreamsOldestFirstWithinItsBounds() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            List<AuditRecord> batch = new ArrayList<>();
            for (int i = 0; i < 25_000; i++) {
                batch.add(record(i + 1, "ACME", "Apps", "2026-10-01T00:00:00Z", "u")
                        .withId(i + 1));
            }
            store.append(batch);
            store.append(List.of(
                    record(90_001, "ACME", "Apps", "2026-09-30T23:59:59.999Z", "before"),
                    record(90_002, "ACME", "Apps", "2026-11-01T00:00:00Z", "after"),
                    record(90_003, "ACME", "Backlog", "2026-10-15T00:00:00Z", "other product"),
                    record(90_004, "OTHER", "Apps", "2026-10-15T00:00:00Z", "other org"),
                    record(90_005, "ACME", "Apps", "2026-10-31T23:59:59.999Z", "last")));
            long count = 0;
            long lastId = 0;
            try (RecordCursor c = store.stream(
                    "ACME", "Apps", Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z"))) {
                while (c.hasNext()) {
                    AuditRecord r = c.next();
                    assertTrue(r.id() > lastId, "oldest first, then by id");
                    lastId = r.id();
                    count++;
                }
            }
            assertEquals(25_001, count);
            assertEquals(90_005, lastId);
        }
    }

    @Test
    void aFailedBatchStoresNothing() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisAuditStore store = storage.activate(MyBatisAuditStore.class);
            // the second record repeats the first id: the whole batch must be refused
            assertThrows(
                    StoreException.class,
                    () -> store.append(List.of(
                            record(1, "ACME", "Apps", "2026-11-01T00:00:00Z", "u1"),
                            record(1, "ACME", "Apps", "2026-11-01T00:00:00Z", "u2"))));
            assertEquals(0, store.maxId());
        }
    }

    @Test
    void aSecondServerOnTheSameFolderIsRefused() throws Exception {
        try (Database db = Database.openEmbedded(dir, 2)) {
            SQLException e = assertThrows(SQLException.class, () -> Database.openEmbedded(dir, 2));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new AssertionError("lock must be reported as an SQLException", e);
        }
    }

    @Test
    void tokensVerifyOnlyWithTheirExactSecretAndNotAfterRevocation() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisTokenStore tokens = storage.activate(MyBatisTokenStore.class);
            IssuedToken issued = tokens.issue(new TokenGrant(null, TokenGrant.INGEST, "Backlog", null, null, null));
            IssuedToken other = tokens.issue(new TokenGrant(null, TokenGrant.INGEST, "Apps", null, null, null));
            assertNotEquals(issued.token(), other.token());
            TokenGrant grant = tokens.verify(issued.token()).orElseThrow();
            assertEquals("Backlog", grant.product());
            assertEquals(clock.instant(), grant.created());
            String tampered = issued.token().substring(0, issued.token().length() - 1)
                    + (issued.token().endsWith("A") ? "B" : "A");
            assertFalse(tokens.verify(tampered).isPresent());
            assertFalse(tokens.verify("alt_nonsense").isPresent());
            assertFalse(tokens.verify(null).isPresent());
            assertEquals(2, tokens.list().size());
            assertTrue(tokens.revoke(grant.id()));
            assertFalse(tokens.verify(issued.token()).isPresent());
            assertEquals(1, tokens.list().size());
        }
    }

    @Test
    void memberTokensStopWorkingWhenTheyExpire() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisTokenStore tokens = storage.activate(MyBatisTokenStore.class);
            IssuedToken issued = tokens.issue(new TokenGrant(
                    null, TokenGrant.MEMBER, null, "ACME", "u1", null, Instant.parse("2026-11-23T10:00:00Z")));
            assertEquals("u1", tokens.verify(issued.token()).orElseThrow().userId());
            clock.set(Instant.parse("2026-11-23T09:59:59.999Z"));
            assertTrue(tokens.verify(issued.token()).isPresent());
            clock.set(Instant.parse("2026-11-23T10:00:00Z"));
            assertFalse(tokens.verify(issued.token()).isPresent(), "expired at its expiry instant");
        }
    }

    private static EventQuery withAfter(EventQuery q, EventPage page) {
        return new EventQuery(
                q.spaceKey(), q.product(), q.from(), q.to(), q.category(), q.event(), q.user(), q.limit(), page.next());
    }

    private static List<Long> ids(MyBatisAuditStore store, EventQuery q) {
        return store.query(q).events().stream().map(AuditRecord::id).toList();
    }
}
