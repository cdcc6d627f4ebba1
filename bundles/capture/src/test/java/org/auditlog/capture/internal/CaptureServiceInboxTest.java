package org.auditlog.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.CanonicalRecords;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.adapter.ProductAdapter;
import org.auditlog.api.adapter.ProductCatalog;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.UnknownProductException;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.InboxEntry;
import org.auditlog.api.store.InboxStore;
import org.auditlog.api.store.StoreException;
import org.auditlog.testing.MemoryAuditStore;
import org.auditlog.testing.MemoryLeases;
import org.auditlog.work.internal.Work;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

/**
 * The inbox drain: an entry refused for good (by the store, the V1 rules or the adapter) is set aside with its
 * reason and the entries behind it are stored; a store that is down leaves every entry waiting.
 */
class CaptureServiceInboxTest {
    static final IngestContext ACME = new IngestContext("ACME", "203.0.113.5", "Firefox");

    /** An in-memory inbox whose consume refuses entries holding a record with action "refuse", like a store would. */
    static final class MemoryInbox implements InboxStore {
        final Map<Long, InboxEntry> entries = Collections.synchronizedMap(new LinkedHashMap<>());
        final List<AuditRecord> stored = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong nextId = new AtomicLong(1);
        volatile boolean down;

        @Override
        public long enqueue(InboxEntry e) {
            long id = nextId.getAndIncrement();
            entries.put(
                    id,
                    new InboxEntry(
                            id,
                            e.product(),
                            e.contentType(),
                            e.payloads(),
                            e.events(),
                            e.context(),
                            e.received(),
                            null));
            return id;
        }

        @Override
        public List<InboxEntry> pending(String product, int max) {
            synchronized (entries) {
                return entries.values().stream()
                        .filter(e -> e.product().equals(product) && e.failure() == null)
                        .limit(max)
                        .toList();
            }
        }

        @Override
        public void consume(long entryId, List<AuditRecord> records) {
            if (down) {
                throw new StoreException("connection refused", null);
            }
            if (records.stream().anyMatch(r -> r.action().equals("refuse"))) {
                throw new DataRefusedException(
                        "could not store the events of inbox entry " + entryId
                                + ": data exception: datetime field overflow",
                        null);
            }
            if (entries.remove(entryId) != null) {
                stored.addAll(records);
            }
        }

        @Override
        public void fail(long entryId, String reason) {
            entries.computeIfPresent(
                    entryId,
                    (id, e) -> new InboxEntry(
                            id,
                            e.product(),
                            e.contentType(),
                            e.payloads(),
                            e.events(),
                            e.context(),
                            e.received(),
                            reason));
        }

        @Override
        public List<InboxEntry> failedEntries(String product, int max) {
            synchronized (entries) {
                return entries.values().stream()
                        .filter(e -> e.product().equals(product) && e.failure() != null)
                        .limit(max)
                        .toList();
            }
        }

        @Override
        public Optional<InboxEntry> entry(long entryId) {
            return Optional.ofNullable(entries.get(entryId));
        }

        @Override
        public boolean retryEntry(long entryId) {
            InboxEntry e = entries.get(entryId);
            if (e == null || e.failure() == null) {
                return false;
            }
            entries.put(
                    entryId,
                    new InboxEntry(
                            entryId,
                            e.product(),
                            e.contentType(),
                            e.payloads(),
                            e.events(),
                            e.context(),
                            e.received(),
                            null));
            return true;
        }

        @Override
        public boolean deleteFailed(long entryId) {
            InboxEntry e = entries.get(entryId);
            return e != null && e.failure() != null && entries.remove(entryId) != null;
        }

        @Override
        public int deleteOrganization(String spaceKey) {
            throw new UnsupportedOperationException("retention");
        }

        @Override
        public int deleteSetAsideBefore(java.time.Instant cutoff) {
            throw new UnsupportedOperationException("retention");
        }

        @Override
        public long pendingEvents(String product) {
            return pending(product, Integer.MAX_VALUE).stream()
                    .mapToLong(InboxEntry::events)
                    .sum();
        }

        @Override
        public long failedEvents(String product) {
            return failedEntries(product, Integer.MAX_VALUE).stream()
                    .mapToLong(InboxEntry::events)
                    .sum();
        }

        @Override
        public Set<String> knownProducts() {
            return Set.of("Backlog");
        }

        @Override
        public void rememberProduct(String product) {}
    }

    /** Reads {"n": 1, "date": "...", "action": "..."}: one record per payload. */
    static final class SimpleAdapter implements ProductAdapter {
        @Override
        public String product() {
            return "Backlog";
        }

        @Override
        public ProductCatalog catalog() {
            return new ProductCatalog(Map.of());
        }

        @Override
        public List<AuditRecord> translate(NativePayload payload, IngestContext context)
                throws PayloadRejectedException {
            Map<?, ?> m = (Map<?, ?>) payload.json();
            Instant date = CanonicalRecords.parseDate("date", (String) m.get("date"));
            String action = m.containsKey("action") ? (String) m.get("action") : "Issue " + m.get("n") + " was added";
            return List.of(new AuditRecord(
                    0, null, "Backlog", date, "Issue", "Add an issue", action, "u1", "Ann", "", null, null, null));
        }
    }

    final MemoryInbox inbox = new MemoryInbox();
    final MemoryAuditStore store = new MemoryAuditStore();
    CaptureService capture;
    ServiceReference<ProductAdapter> ref;

    @BeforeEach
    void start() throws Exception {
        MemoryLeases leases = new MemoryLeases();
        capture = new CaptureService(null, store, inbox, leases, new Work(leases), config());
        Field clock = CaptureService.class.getDeclaredField("clock");
        clock.setAccessible(true);
        clock.set(capture, Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
        ref = reference();
    }

    @AfterEach
    void stop() throws Exception {
        capture.deactivate();
    }

    String body(int n, String date) {
        return "{\"n\":" + n + ",\"date\":\"" + date + "\"}";
    }

    void queue(String... jsons) throws Exception {
        List<NativePayload> payloads = new ArrayList<>();
        for (int i = 0; i < jsons.length; i++) {
            payloads.add(new NativePayload("application/json", Api.parse(jsons[i]), jsons.length == 1 ? -1 : i));
        }
        assertTrue(capture.ingest("Backlog", payloads, ACME).isQueued());
    }

    @Test
    void anEntryTheStoreRefusesIsSetAsideAndTheOthersAreStored() throws Exception {
        queue(body(1, "2026-11-01T10:00:00Z"));
        queue("{\"n\":2,\"date\":\"2026-11-01T10:00:00Z\",\"action\":\"refuse\"}");
        queue(body(3, "2026-11-01T10:00:00Z"), body(4, "2026-11-01T10:00:00Z"));

        capture.bindAdapter(ref, new SimpleAdapter());
        capture.drainNow("Backlog");

        assertEquals(
                List.of("Issue 1 was added", "Issue 3 was added", "Issue 4 was added"),
                inbox.stored.stream().map(AuditRecord::action).toList());
        List<InboxEntry> failed = capture.failedInboxEntries("Backlog", 10);
        assertEquals(1, failed.size());
        assertEquals(2, failed.get(0).id());
        assertTrue(
                failed.get(0).failure().startsWith("refused by the store: "),
                failed.get(0).failure());
        assertTrue(failed.get(0).failure().contains("datetime field overflow"));
        assertEquals(0, inbox.pendingEvents("Backlog"));
        assertEquals(1, inbox.failedEvents("Backlog"));
    }

    @Test
    void anEntryTheV1RulesRefuseIsSetAsideWithTheRule() throws Exception {
        queue(body(1, "9999-12-31T12:00:00-12:00")); // year 10000 in UTC
        queue(body(2, "1969-12-31T23:59:59Z"));
        queue(body(3, "2026-11-01T10:00:00Z"));
        capture.bindAdapter(ref, new SimpleAdapter());
        capture.drainNow("Backlog");

        assertEquals(
                List.of("Issue 3 was added"),
                inbox.stored.stream().map(AuditRecord::action).toList());
        List<InboxEntry> failed = capture.failedInboxEntries("Backlog", 10);
        assertEquals(List.of(1L, 2L), failed.stream().map(InboxEntry::id).toList());
        for (InboxEntry e : failed) {
            assertTrue(e.failure().startsWith("[0].date: " + RecordNormaliser.DATE_RULE), e.failure());
        }
    }

    @Test
    void aStoreThatIsDownLeavesEveryEntryWaiting() throws Exception {
        queue(body(1, "2026-11-01T10:00:00Z"));
        queue(body(2, "2026-11-01T10:00:00Z"));
        inbox.down = true;
        capture.bindAdapter(ref, new SimpleAdapter());
        capture.drainNow("Backlog");
        assertEquals(List.of(), capture.failedInboxEntries("Backlog", 10));
        assertEquals(2, inbox.pendingEvents("Backlog"));
        assertEquals(List.of(), inbox.stored);

        inbox.down = false;
        capture.drainNow("Backlog");
        assertEquals(2, inbox.stored.size());
        assertEquals(0, inbox.pendingEvents("Backlog"));
    }

    @Test
    void theOperatorRetriesAndDeletesEntriesSetAside() throws Exception {
        queue("{\"n\":1,\"date\":\"2026-11-01T10:00:00Z\",\"action\":\"refuse\"}");
        queue(body(2, "+10000-01-01T00:00:00Z"));
        queue(body(3, "2026-11-01T10:00:00Z"));
        assertThrows(
                IllegalStateException.class,
                () -> capture.retryInboxEntry("Backlog", 3),
                "a waiting entry is not retried");
        assertThrows(
                IllegalStateException.class,
                () -> capture.deleteInboxEntry("Backlog", 3),
                "a waiting entry is never deleted");
        capture.bindAdapter(ref, new SimpleAdapter());
        capture.drainNow("Backlog");
        assertEquals(2, capture.failedInboxEntries("Backlog", 10).size());

        // still refused: set aside again, with the reason
        Optional<InboxEntry> again = capture.retryInboxEntry("Backlog", 2);
        assertTrue(again.isPresent());
        assertTrue(again.get().failure().startsWith("[0].date: "), again.get().failure());

        // the store accepts it now (in real life: a fixed adapter or schema): stored, gone from the inbox
        InboxEntry one = inbox.entries.get(1L);
        inbox.entries.put(
                1L,
                new InboxEntry(
                        1,
                        "Backlog",
                        one.contentType(),
                        "[" + body(1, "2026-11-01T10:00:00Z") + "]",
                        1,
                        one.context(),
                        one.received(),
                        one.failure()));
        assertEquals(Optional.empty(), capture.retryInboxEntry("Backlog", 1));
        assertEquals(2, inbox.stored.size());

        capture.deleteInboxEntry("Backlog", 2);
        assertEquals(Optional.empty(), capture.inboxEntry("Backlog", 2));
        assertThrows(java.util.NoSuchElementException.class, () -> capture.deleteInboxEntry("Backlog", 2));
        assertThrows(java.util.NoSuchElementException.class, () -> capture.retryInboxEntry("Backlog", 99));
        assertEquals(0, inbox.failedEvents("Backlog"));
    }

    @Test
    void anEntryOfAnotherProductIsNotFound() throws Exception {
        queue(body(1, "2026-11-01T10:00:00Z"));
        assertTrue(capture.inboxEntry("Backlog", 1).isPresent());
        // "Backlog" is known; any other product's view of entry 1 is empty, an unknown product is refused
        assertThrows(UnknownProductException.class, () -> capture.inboxEntry("Nope", 1));
    }

    @Test
    void canonicalRecordsAreCheckedBeforeTheyAreQueued() throws Exception {
        NativePayload bad = new NativePayload(
                EventCapture.CANONICAL_MEDIA_TYPE,
                Api.parse("{\"space_key\":\"ACME\",\"date\":\"9999-12-31T23:59:59.999-00:01\",\"category\":\"Issue\","
                        + "\"event\":\"Add an issue\",\"action\":\"x\",\"operation_user_name\":\"Ann\"}"),
                1);
        NativePayload good = new NativePayload(
                EventCapture.CANONICAL_MEDIA_TYPE,
                Api.parse("{\"space_key\":\"ACME\",\"date\":\"9999-12-31T23:59:59.999Z\",\"category\":\"Issue\","
                        + "\"event\":\"Add an issue\",\"action\":\"x\",\"operation_user_name\":\"Ann\"}"),
                0);
        PayloadRejectedException e =
                assertThrows(PayloadRejectedException.class, () -> capture.ingest("Backlog", List.of(good, bad), ACME));
        assertEquals("[1].date", e.field());
        assertEquals(0, inbox.entries.size());

        NativePayload badIp = new NativePayload(
                EventCapture.CANONICAL_MEDIA_TYPE,
                Api.parse("{\"space_key\":\"ACME\",\"date\":\"2026-11-01T00:00:00Z\",\"category\":\"Issue\","
                        + "\"event\":\"Add an issue\",\"action\":\"x\",\"operation_user_name\":\"Ann\","
                        + "\"ip_address\":\"host.acme.example\"}"),
                -1);
        assertEquals(
                "ip_address",
                assertThrows(PayloadRejectedException.class, () -> capture.ingest("Backlog", List.of(badIp), ACME))
                        .field());
        assertEquals(0, inbox.entries.size());

        assertTrue(capture.ingest("Backlog", List.of(good), ACME).isQueued());
        assertEquals(1, inbox.entries.size());
    }

    @Test
    void aForwardedAddressThatIsNoAddressIsRefusedNamingTheHeader() throws Exception {
        NativePayload p = new NativePayload("application/json", Api.parse(body(1, "2026-11-01T10:00:00Z")), -1);
        IngestContext badHeader = new IngestContext("ACME", "proxy.acme.example", null);
        PayloadRejectedException queued =
                assertThrows(PayloadRejectedException.class, () -> capture.ingest("Backlog", List.of(p), badHeader));
        assertEquals("X-Auditlog-Client-Ip", queued.field());
        assertEquals(0, inbox.entries.size());
        capture.bindAdapter(ref, new SimpleAdapter());
        PayloadRejectedException direct =
                assertThrows(PayloadRejectedException.class, () -> capture.ingest("Backlog", List.of(p), badHeader));
        assertEquals("X-Auditlog-Client-Ip", direct.field());
        assertEquals(List.of(), store.records);
    }

    /** JSON parsing for the payloads, as the REST bundle does it. */
    static final class Api {
        static Object parse(String json) throws Exception {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Object.class);
        }
    }

    static CaptureService.Config config() {
        return new CaptureService.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CaptureService.Config.class;
            }

            @Override
            public int maxGroupRecords() {
                return 5000;
            }

            @Override
            public int queueCapacity() {
                return 16;
            }

            @Override
            public long commitTimeoutMillis() {
                return 10_000;
            }

            @Override
            public int nodeId() {
                return 0;
            }

            @Override
            public int inboxCheckSeconds() {
                return 3600;
            }
        };
    }

    @SuppressWarnings("unchecked")
    static ServiceReference<ProductAdapter> reference() {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(
                Bundle.class.getClassLoader(),
                new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> "org.auditlog.product.backlog";
                    case "getVersion" -> Version.parseVersion("1.0.0");
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        return (ServiceReference<ProductAdapter>) Proxy.newProxyInstance(
                ServiceReference.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> ProductAdapter.PRODUCT_PROPERTY.equals(args[0]) ? "Backlog" : null;
                    case "getBundle" -> bundle;
                    case "compareTo" -> proxy == args[0] ? 0 : 1;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }
}
