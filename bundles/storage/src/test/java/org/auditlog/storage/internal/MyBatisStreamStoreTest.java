package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.LeaseStore.Lease;
import org.auditlog.api.store.StoredStream;
import org.auditlog.api.store.StreamPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streams and their places, on HSQLDB and (profile postgresql) PostgreSQL: what is stored comes back as it was,
 * names are unique per organization and among the server-wide streams, a revision guards every update, and a place
 * moves only under the stream's lease at its epoch and from where it was expected.
 */
class MyBatisStreamStoreTest {
    static final Instant T = Instant.parse("2026-11-22T10:00:00.123Z");

    @TempDir
    Path dir;

    TestStorage storage;
    MyBatisStreamStore streams;
    MyBatisLeaseStore leases;

    @BeforeEach
    void open() throws Exception {
        storage = TestStorage.open(dir, Clock.systemUTC(), "writeConnections", 8);
        streams = storage.activate(MyBatisStreamStore.class);
        leases = storage.activate(MyBatisLeaseStore.class);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    static StoredStream stream(String id, String spaceKey, String name) {
        return new StoredStream(
                id,
                spaceKey,
                name,
                "webhook",
                Map.of("url", "https://siem.example/in", "format", "ndjson"),
                new byte[] {1, 2, 3},
                List.of(),
                List.of(),
                "active",
                null,
                T,
                T,
                0);
    }

    @Test
    void aStreamComesBackAsItWasStored() {
        StoredStream odd = new StoredStream(
                "s-odd",
                "ACME",
                "Splunk \"prod\", Tokyo",
                "splunk-hec",
                Map.of(
                        "url", "https://hec.example:8088/services/collector",
                        "quote\"and\\backslash", "line\nbreak\ttab\u0001 and 日本語 and \ud83d\ude00",
                        "empty", ""),
                new byte[] {0, -1, 127, -128, 42},
                List.of("Backlog", "Apps"),
                List.of("Member, and more", "Billing"),
                "paused",
                "user:u1",
                T,
                T.plusSeconds(5),
                3);
        streams.create(odd);
        assertEquals(Optional.of(odd), streams.find("s-odd"));
        StoredStream back = streams.find("s-odd").orElseThrow();
        assertArrayEquals(new byte[] {0, -1, 127, -128, 42}, back.sealedSecrets());
        assertEquals(List.of("Backlog", "Apps"), back.products(), "the filters keep their order");
        assertEquals(Optional.empty(), streams.find("nope"));

        StoredStream bare = new StoredStream(
                "s-bare", null, "all", "syslog", Map.of(), null, List.of(), List.of(), "active", null, T, T, 0);
        streams.create(bare);
        assertEquals(Optional.of(bare), streams.find("s-bare"));
        assertEquals(0, streams.find("s-bare").orElseThrow().sealedSecrets().length);
    }

    @Test
    void timesAreKeptToTheMillisecond() {
        Instant fine = Instant.parse("2026-11-22T10:00:00.123987654Z");
        StoredStream s = stream("s1", "ACME", "a").withState("active", null, fine);
        streams.create(s);
        assertEquals(
                Instant.parse("2026-11-22T10:00:00.123Z"),
                streams.find("s1").orElseThrow().updated(),
                "cut, not rounded");
    }

    @Test
    void streamsAreListedByOrganizationAndNameTheServerWideOnesApart() {
        streams.create(stream("s1", "ACME", "b-splunk"));
        streams.create(stream("s2", "ACME", "a-webhook"));
        streams.create(stream("s3", "OTHER", "a-webhook"));
        streams.create(stream("s4", null, "z-ops"));
        streams.create(stream("s5", null, "a-ops"));

        assertEquals(List.of("s2", "s1"), ids(streams.list("ACME")));
        assertEquals(List.of("s3"), ids(streams.list("OTHER")));
        assertEquals(List.of("s5", "s4"), ids(streams.list(null)));
        assertEquals(List.of(), streams.list("NONE"));
        assertEquals(List.of("s5", "s4", "s2", "s1", "s3"), ids(streams.all()), "server-wide first");
    }

    @Test
    void aNameIsTakenOncePerOrganizationAndOnceAmongTheServerWideStreams() {
        streams.create(stream("s1", "ACME", "siem"));
        DataRefusedException sameName =
                assertThrows(DataRefusedException.class, () -> streams.create(stream("s2", "ACME", "siem")));
        assertTrue(sameName.getMessage().contains("siem"), sameName.getMessage());
        DataRefusedException sameId =
                assertThrows(DataRefusedException.class, () -> streams.create(stream("s1", "OTHER", "other")));
        assertTrue(sameId.getMessage().contains("s1"), sameId.getMessage());

        streams.create(stream("s3", "OTHER", "siem")); // another organization
        streams.create(stream("s4", null, "siem")); // the server-wide ones
        assertThrows(DataRefusedException.class, () -> streams.create(stream("s5", null, "siem")));
        assertEquals(
                List.of("s1", "s3", "s4"), ids(streams.all()).stream().sorted().toList());

        // renaming to a name taken is refused too, and changes nothing
        streams.create(stream("s6", "ACME", "other"));
        StoredStream renamed = rename(streams.find("s6").orElseThrow(), "siem");
        assertThrows(DataRefusedException.class, () -> streams.update(renamed, 0));
        assertEquals("other", streams.find("s6").orElseThrow().name());
        assertEquals(0, streams.find("s6").orElseThrow().revision());
    }

    @Test
    void anUpdateNeedsTheRevisionItWasReadAt() {
        streams.create(stream("s1", "ACME", "siem"));
        StoredStream read = streams.find("s1").orElseThrow();
        StoredStream paused = read.withState("paused", "user:u1", T.plusSeconds(60));
        assertTrue(streams.update(paused, 0));
        StoredStream stored = streams.find("s1").orElseThrow();
        assertEquals("paused", stored.state());
        assertEquals("user:u1", stored.pausedBy());
        assertEquals(T.plusSeconds(60), stored.updated());
        assertEquals(T, stored.created());
        assertEquals(1, stored.revision());

        // a second writer that read revision 0 too is refused, and changes nothing
        assertFalse(streams.update(read.withState("active", null, T.plusSeconds(61)), 0));
        assertEquals("paused", streams.find("s1").orElseThrow().state());

        StoredStream changed = new StoredStream(
                "s1",
                "OTHER", // the organization stays the stored one
                "siem 2",
                "splunk-hec",
                Map.of("url", "https://hec.example/"),
                new byte[] {9},
                List.of("Apps"),
                List.of("Member"),
                "active",
                null,
                T.plusSeconds(999), // and so does the creation time
                T.plusSeconds(120),
                7);
        assertTrue(streams.update(changed, 1));
        StoredStream now = streams.find("s1").orElseThrow();
        assertEquals("ACME", now.spaceKey());
        assertEquals(T, now.created());
        assertEquals("siem 2", now.name());
        assertEquals("splunk-hec", now.type());
        assertEquals(Map.of("url", "https://hec.example/"), now.settings());
        assertArrayEquals(new byte[] {9}, now.sealedSecrets());
        assertEquals(List.of("Apps"), now.products());
        assertEquals(List.of("Member"), now.categories());
        assertEquals(2, now.revision(), "expected + 1, whatever the stream said");
        assertEquals(List.of("s1"), ids(streams.list("ACME")));

        assertFalse(streams.update(stream("gone", "ACME", "x"), 0), "a stream that is not there");
    }

    @Test
    void aDeletedStreamTakesItsPlacesAlong() {
        streams.create(stream("s1", "ACME", "siem"));
        streams.create(stream("s2", "ACME", "other"));
        Lease lease = lease("stream:s1", "node-1/a");
        assertTrue(advance("s1", "ACME", "Apps", 0, 10, lease));
        streams.failed("s2", "ACME", "Apps", 0, T, "network", "connection refused");

        assertTrue(streams.delete("s1"));
        assertFalse(streams.delete("s1"));
        assertEquals(Optional.empty(), streams.find("s1"));
        assertEquals(List.of(), streams.positions("s1"));
        assertEquals(1, streams.positions("s2").size(), "another stream's place stays");

        // nothing brings a deleted stream's place back
        assertFalse(advance("s1", "ACME", "Apps", 10, 20, lease));
        assertFalse(advance("s1", "ACME", "Apps", 0, 20, lease));
        streams.failed("s1", "ACME", "Apps", 10, T, "network", "connection refused");
        streams.moveTo("s1", "ACME", Map.of("Apps", 5L));
        streams.gap("s1", "ACME", "Apps", 0, 4, T);
        assertEquals(List.of(), streams.positions("s1"));
    }

    @Test
    void aPlaceMovesOnUnderTheLeaseFromWhereItWasExpected() {
        streams.create(stream("s1", "ACME", "siem"));
        Lease lease = lease("stream:s1", "node-1/a");

        // a place not stored yet counts as expected, and is made
        assertTrue(advance("s1", "ACME", "Apps", 0, 100, lease));
        StreamPosition p = only(streams.positions("s1"));
        assertEquals(new StreamPosition("s1", "ACME", "Apps", 100, T, 250, null, null, null, null, -1, -1), p);

        // from anywhere else: refused
        assertFalse(advance("s1", "ACME", "Apps", 0, 200, lease));
        assertFalse(advance("s1", "ACME", "Apps", 99, 200, lease));
        assertEquals(100, only(streams.positions("s1")).next());

        assertTrue(
                streams.advance("s1", "ACME", "Apps", 100, 100, T.plusSeconds(1), -1, lease.name(), lease.holder(), 1));
        assertEquals(T.plusSeconds(1), only(streams.positions("s1")).lastSuccess(), "a success without a move");
        assertEquals(-1, only(streams.positions("s1")).lastLag());

        assertThrows(IllegalArgumentException.class, () -> advance("s1", "ACME", "Apps", 100, 99, lease));
        assertThrows(IllegalArgumentException.class, () -> advance("s1", "ACME", "Apps", -1, 5, lease));

        // places are per organization and product
        streams.create(stream("s9", null, "ops"));
        Lease ops = lease("stream:s9", "node-1/a");
        assertTrue(advance("s9", "ACME", "Apps", 0, 3, ops));
        assertTrue(advance("s9", "OTHER", "Apps", 0, 4, ops));
        assertTrue(advance("s9", "ACME", "Backlog", 0, 5, ops));
        assertEquals(
                List.of("ACME Apps 3", "ACME Backlog 5", "OTHER Apps 4"),
                streams.positions("s9").stream()
                        .map(x -> x.spaceKey() + " " + x.product() + " " + x.next())
                        .toList());
    }

    @Test
    void aServerThatLostTheLeaseCannotMoveThePlace() throws Exception {
        streams.create(stream("s1", "ACME", "siem"));
        assertFalse(advance("s1", "ACME", "Apps", 0, 10, new Lease("stream:s1", "node-1/a", 1, T)), "never taken");

        Lease first =
                leases.acquire("stream:s1", "node-1/a", Duration.ofMillis(300)).orElseThrow();
        assertTrue(advance("s1", "ACME", "Apps", 0, 10, first));
        assertFalse(
                streams.advance("s1", "ACME", "Apps", 10, 20, T, 0, first.name(), "node-2/b", first.epoch()),
                "another holder");
        assertFalse(
                streams.advance("s1", "ACME", "Apps", 10, 20, T, 0, first.name(), first.holder(), first.epoch() + 1),
                "another epoch");
        assertFalse(
                streams.advance("s1", "ACME", "Apps", 10, 20, T, 0, "stream:other", first.holder(), first.epoch()),
                "another lease");

        Thread.sleep(400); // expired, not taken over yet: its holder may not go on either
        assertFalse(advance("s1", "ACME", "Apps", 10, 20, first));

        Lease second =
                leases.acquire("stream:s1", "node-2/b", Duration.ofMinutes(1)).orElseThrow();
        assertEquals(first.epoch() + 1, second.epoch());
        assertFalse(advance("s1", "ACME", "Apps", 10, 20, first), "the lease was taken over");
        // the first holder takes it again later: a new epoch, and the old one stays refused
        leases.release(second);
        Lease third =
                leases.acquire("stream:s1", "node-1/a", Duration.ofMinutes(1)).orElseThrow();
        assertEquals(first.holder(), third.holder());
        assertFalse(advance("s1", "ACME", "Apps", 10, 20, first), "a stale epoch of the same holder");
        assertEquals(10, only(streams.positions("s1")).next());

        assertTrue(advance("s1", "ACME", "Apps", 10, 20, third));
        assertEquals(20, only(streams.positions("s1")).next());
    }

    @Test
    void anAdvanceWaitsForATakeoverUnderWayAndIsThenRefused() throws Exception {
        streams.create(stream("s1", "ACME", "siem"));
        Lease held = lease("stream:s1", "node-1/a");
        assertTrue(advance("s1", "ACME", "Apps", 0, 10, held));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (SqlSession other = storage.database().sessions().openSession(false)) {
            // another server takes the lease over (as if it had expired): its row is changed, not committed yet
            Connection c = other.getConnection();
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT holder FROM lease WHERE name = 'stream:s1' FOR UPDATE")
                        .close();
                s.executeUpdate("UPDATE lease SET holder = 'node-2/b', epoch = epoch + 1 WHERE name = 'stream:s1'");
            }
            Future<Boolean> move = thread.submit(() -> advance("s1", "ACME", "Apps", 10, 20, held));
            Thread.sleep(500);
            assertFalse(move.isDone(), "the advance waits on the lease's row");
            c.commit();
            assertFalse(move.get(30, TimeUnit.SECONDS), "then finds the lease taken over");
        } finally {
            thread.shutdownNow();
        }
        assertEquals(10, only(streams.positions("s1")).next());
    }

    @Test
    void ofAdvancesFromOnePlaceAtOnceExactlyOneMovesIt() throws Exception {
        streams.create(stream("s1", "ACME", "siem"));
        Lease lease = lease("stream:s1", "node-1/a");
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 4; round++) {
                long from = round * 100L;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> asks = new ArrayList<>();
                for (int t = 1; t <= 6; t++) {
                    long to = from + 100 + t;
                    asks.add(threads.submit(() -> {
                        go.await();
                        return advance("s1", "ACME", "Apps", from, to, lease);
                    }));
                }
                go.countDown();
                int moved = 0;
                for (Future<Boolean> f : asks) {
                    moved += f.get() ? 1 : 0;
                }
                assertEquals(1, moved, "round " + round);
                long next = only(streams.positions("s1")).next();
                assertTrue(next > from + 100 && next <= from + 106, "moved by the one that won: " + next);
                streams.moveTo("s1", "ACME", Map.of("Apps", from + 100));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void failuresAreRecordedWithoutMovingThePlaceUntilASuccessClearsThem() throws Exception {
        streams.create(stream("s1", "ACME", "siem"));
        Lease lease = lease("stream:s1", "node-1/a");

        streams.failed("s1", "ACME", "Apps", 7, T, "network", "connection refused");
        assertEquals(
                new StreamPosition("s1", "ACME", "Apps", 7, null, -1, T, "network", "connection refused", T, -1, -1),
                only(streams.positions("s1")),
                "a place not stored yet is made where it was asked");

        String longMessage = "x".repeat(1500);
        streams.failed("s1", "ACME", "Apps", 99, T.plusSeconds(30), "server", longMessage);
        StreamPosition p = only(streams.positions("s1"));
        assertEquals(7, p.next(), "a failure never moves the place");
        assertEquals(T.plusSeconds(30), p.lastError());
        assertEquals("server", p.errorCategory());
        assertEquals("x".repeat(1000), p.errorMessage());
        assertEquals(T, p.failingSince(), "failing since the first failure");

        assertTrue(advance("s1", "ACME", "Apps", 7, 9, lease));
        p = only(streams.positions("s1"));
        assertEquals(new StreamPosition("s1", "ACME", "Apps", 9, T, 250, null, null, null, null, -1, -1), p);

        streams.failed("s1", "ACME", "Apps", 9, T.plusSeconds(90), "timeout", "no answer in 10 s");
        assertEquals(T.plusSeconds(90), only(streams.positions("s1")).failingSince(), "failing again since then");
    }

    @Test
    void placesMadeAtOnceByFailuresAreOne() throws Exception {
        streams.create(stream("s1", "ACME", "siem"));
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> asks = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int n = t;
                asks.add(threads.submit(() -> {
                    go.await();
                    streams.failed("s1", "ACME", "Apps", 5, T.plusSeconds(n), "network", "attempt " + n);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : asks) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
        StreamPosition p = only(streams.positions("s1"));
        assertEquals(5, p.next());
        assertEquals("network", p.errorCategory());
    }

    @Test
    void aReplayMovesTheNamedProductsAndClearsTheirFailures() {
        streams.create(stream("s1", "ACME", "siem"));
        Lease lease = lease("stream:s1", "node-1/a");
        assertTrue(advance("s1", "ACME", "Apps", 0, 50, lease));
        assertTrue(advance("s1", "ACME", "Backlog", 0, 60, lease));
        assertTrue(advance("s1", "ACME", "Cacoo", 0, 70, lease));
        streams.failed("s1", "ACME", "Apps", 50, T, "auth", "401 Unauthorized");

        streams.moveTo("s1", "ACME", Map.of("Apps", 10L, "Backlog", 0L, "Typetalk", 3L));
        List<StreamPosition> places = streams.positions("s1");
        assertEquals(
                List.of("Apps 10", "Backlog 0", "Cacoo 70", "Typetalk 3"),
                places.stream().map(x -> x.product() + " " + x.next()).toList());
        StreamPosition apps = places.get(0);
        assertNull(apps.lastError());
        assertNull(apps.errorCategory());
        assertNull(apps.errorMessage());
        assertNull(apps.failingSince());
        assertEquals(T, apps.lastSuccess(), "the last success stays");

        // a delivery under way from the old place finds it moved
        assertFalse(advance("s1", "ACME", "Apps", 50, 80, lease));
        assertTrue(advance("s1", "ACME", "Apps", 10, 80, lease));

        assertThrows(IllegalArgumentException.class, () -> streams.moveTo("s1", "ACME", Map.of("Apps", -1L)));
        assertEquals(80, streams.positions("s1").get(0).next());
    }

    @Test
    void aGapIsRecordedWithoutMovingThePlace() {
        streams.create(stream("s1", "ACME", "siem"));
        Lease lease = lease("stream:s1", "node-1/a");
        streams.gap("s1", "ACME", "Apps", 0, 41, T);
        StreamPosition p = only(streams.positions("s1"));
        assertEquals(0, p.next(), "made at the gap's start");
        assertEquals(0, p.gapFrom());
        assertEquals(41, p.gapTo());

        assertTrue(advance("s1", "ACME", "Apps", 0, 42, lease));
        streams.gap("s1", "ACME", "Apps", 60, 99, T);
        p = only(streams.positions("s1"));
        assertEquals(42, p.next());
        assertEquals(60, p.gapFrom(), "the last gap only");
        assertEquals(99, p.gapTo());
        assertThrows(IllegalArgumentException.class, () -> streams.gap("s1", "ACME", "Apps", 5, 4, T));
    }

    @Test
    void anOrganizationsPurgeTakesItsStreamsAndEveryPlaceInItsLogs() {
        streams.create(stream("acme-1", "ACME", "siem"));
        streams.create(stream("acme-2", "ACME", "other"));
        streams.create(stream("other-1", "OTHER", "siem"));
        streams.create(stream("ops", null, "ops"));
        // ACMEX starts like ACME: a key is matched whole
        streams.create(stream("acmex-1", "ACMEX", "siem"));
        Lease lease = lease("streams", "node-1/a");
        assertTrue(advance("acme-1", "ACME", "Apps", 0, 5, lease));
        assertTrue(advance("other-1", "OTHER", "Apps", 0, 6, lease));
        assertTrue(advance("ops", "ACME", "Apps", 0, 7, lease));
        assertTrue(advance("ops", "ACME", "Backlog", 0, 8, lease));
        assertTrue(advance("ops", "OTHER", "Apps", 0, 9, lease));
        assertTrue(advance("ops", "ACMEX", "Apps", 0, 10, lease));

        assertEquals(2, streams.deleteOrganization("ACME"));
        assertEquals(List.of("ops", "acmex-1", "other-1"), ids(streams.all()));
        assertEquals(List.of(), streams.positions("acme-1"));
        assertEquals(
                List.of("ACMEX Apps 10", "OTHER Apps 9"),
                streams.positions("ops").stream()
                        .map(x -> x.spaceKey() + " " + x.product() + " " + x.next())
                        .toList(),
                "the server-wide stream starts ACME's logs again from nothing");
        assertEquals(6, only(streams.positions("other-1")).next());
        assertEquals(0, streams.deleteOrganization("ACME"));

        // a new organization of the key starts with no stream, and a name free again
        streams.create(stream("acme-3", "ACME", "siem"));
        assertEquals(List.of("acme-3"), ids(streams.list("ACME")));
    }

    private Lease lease(String name, String holder) {
        return leases.acquire(name, holder, Duration.ofMinutes(5)).orElseThrow();
    }

    /** Advances at {@link #T} with a lag of 250 ms under {@code lease}. */
    private boolean advance(String stream, String spaceKey, String product, long from, long to, Lease lease) {
        return streams.advance(
                stream, spaceKey, product, from, to, T, 250, lease.name(), lease.holder(), lease.epoch());
    }

    private static StoredStream rename(StoredStream s, String name) {
        return new StoredStream(
                s.id(),
                s.spaceKey(),
                name,
                s.type(),
                s.settings(),
                s.sealedSecrets(),
                s.products(),
                s.categories(),
                s.state(),
                s.pausedBy(),
                s.created(),
                s.updated(),
                s.revision());
    }

    private static List<String> ids(List<StoredStream> list) {
        return list.stream().map(StoredStream::id).toList();
    }

    private static StreamPosition only(List<StreamPosition> places) {
        assertEquals(1, places.size(), places.toString());
        return places.get(0);
    }
}
