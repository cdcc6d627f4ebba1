package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.EventCursor;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.SearchQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL of every filter combination walks the index its order needs (checked in HSQLDB's own plan), and
 * paging with any filter, under a small work bound that cuts most pages, gives exactly the rows the filter
 * gives in Java over all rows, in order, none twice, none skipped.
 */
class EventSearchTest {
    @TempDir
    java.nio.file.Path dir;

    TestStorage storage;
    Database db;
    /** The store as DS activates it; each test asks it with searches of the bounds it tries. */
    MyBatisAuditStore store;

    final List<AuditRecord> all = new ArrayList<>();

    static final String[] PRODUCTS = {"Apps", "Backlog", "Cacoo", "Typetalk"};
    static final String[][] KINDS = {
        {"Billing", "Change payment"},
        {"Member", "Add member"},
        {"Member", "Remove member"},
        {"Project", "Create project"},
        {"Security", "Sign in"}
    };

    @BeforeEach
    void fill() throws Exception {
        storage = TestStorage.open(dir);
        db = storage.database();
        store = storage.activate(MyBatisAuditStore.class);
        Random random = new Random(7);
        long id = 1000;
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        List<AuditRecord> batch = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String org = i % 10 == 9 ? "OTHER" : "ACME";
            int u = random.nextInt(40);
            String[] kind = KINDS[random.nextInt(KINDS.length)];
            // many records share a date, so the id decides their order
            Instant date = start.plusSeconds(random.nextInt(2000) * 60L);
            // a renamed user: the same id under two names; and two ids under one name
            String name = u == 3 && random.nextBoolean() ? "Old Name" : u == 4 ? "Twin" : u == 5 ? "Twin" : "User " + u;
            AuditRecord r = new AuditRecord(
                    id++,
                    org,
                    PRODUCTS[random.nextInt(4)],
                    date,
                    kind[0],
                    kind[1],
                    "did " + i,
                    "u" + u,
                    name,
                    "user" + u + "@example.com",
                    "192.0.2.1",
                    "agent",
                    "V1");
            batch.add(r);
            all.add(r);
            if (batch.size() == 250) {
                store.append(batch);
                batch.clear();
            }
        }
        store.append(batch);
        all.sort(Comparator.comparing(AuditRecord::date)
                .thenComparingLong(AuditRecord::id)
                .reversed());
    }

    @AfterEach
    void close() {
        storage.close();
    }

    /** The search of a store configured with {@code searchScanRows} = {@code scanRows}. */
    EventSearch bound(int scanRows) {
        return new EventSearch(scanRows, db.pools().queryTimeoutSeconds());
    }

    @Test
    void everyFilterCombinationPagesThroughExactlyTheMatchingRowsUnderAWorkBound() {
        List<String> users = List.of("u3", "Old Name", "Twin", "user7@example.com", "nobody", "u12");
        Random random = new Random(11);
        for (int round = 0; round < 60; round++) {
            String product = random.nextInt(3) == 0 ? PRODUCTS[random.nextInt(4)] : null;
            String[] kind = KINDS[random.nextInt(KINDS.length)];
            String category = random.nextInt(3) == 0 ? kind[0] : null;
            String event = random.nextInt(4) == 0 ? kind[1] : null;
            String user = random.nextInt(2) == 0 ? users.get(random.nextInt(users.size())) : null;
            Instant from = random.nextInt(4) == 0 ? Instant.parse("2026-11-01T10:00:00Z") : null;
            Instant to = random.nextInt(4) == 0 ? Instant.parse("2026-11-02T01:00:00Z") : null;
            int limit = 1 + random.nextInt(30);
            int scanRows = 1 + random.nextInt(200);
            check(new EventQuery("ACME", product, from, to, category, event, user, limit, null), scanRows);
        }
        // a name two user ids carry: two walks, each cut by the bound at its own place, merged
        for (int round = 0; round < 40; round++) {
            String category = round % 2 == 0 ? null : KINDS[round % KINDS.length][0];
            check(
                    new EventQuery("ACME", null, null, null, category, null, "Twin", 1 + random.nextInt(20), null),
                    1 + random.nextInt(40));
        }
    }

    @Test
    void aFilterThatMatchesNothingLooksAtMostTheBoundAndSaysHowFarBack() {
        EventSearch search = bound(100);
        EventPage page =
                store.query(new EventQuery("ACME", null, null, null, "Nothing like it", null, null, 50, null), search);
        assertEquals(List.of(), page.events());
        assertNotNull(page.next(), "the page says where to go on");
        // 100 entries back from the newest of ACME's records
        List<AuditRecord> acme =
                all.stream().filter(r -> r.spaceKey().equals("ACME")).toList();
        assertEquals(acme.get(99).date(), page.searchedBackTo());
        assertEquals(new EventCursor(acme.get(99).date(), acme.get(99).id()), page.next());
        // a user the organization's records never carried costs no walk at all, and is the last page
        EventPage nobody =
                store.query(new EventQuery("ACME", null, null, null, null, null, "nobody", 50, null), search);
        assertEquals(List.of(), nobody.events());
        assertNull(nobody.next());
        assertNull(nobody.searchedBackTo());
    }

    @Test
    void eachWalkUsesTheIndexOfItsOrder() throws Exception {
        EventQuery base = new EventQuery(
                "ACME",
                null,
                null,
                null,
                null,
                null,
                null,
                100,
                new EventCursor(Instant.parse("2026-11-01T12:00:00Z"), 5));
        Instant from = Instant.parse("2026-11-01T00:00:00Z");
        Instant to = Instant.parse("2026-11-02T00:00:00Z");
        EventCursor floor = new EventCursor(Instant.parse("2026-11-01T06:00:00Z"), 7);
        record Case(EventQuery q, EventSearch.Walk walk, String index) {}
        List<Case> cases = new ArrayList<>();
        for (boolean withCursor : new boolean[] {false, true}) {
            EventCursor after = withCursor ? base.after() : null;
            for (String category : new String[] {null, "Billing"}) {
                for (String event : new String[] {null, "Change payment"}) {
                    for (Instant f : new Instant[] {null, from}) {
                        EventQuery org = new EventQuery(
                                "ACME", null, f, f == null ? null : to, category, event, null, 100, after);
                        cases.add(new Case(org, EventSearch.plan(org, List.of()).get(0), "AUDIT_EVENT_ORG_DATE"));
                        EventQuery product =
                                new EventQuery("ACME", "Backlog", f, null, category, event, null, 100, after);
                        cases.add(new Case(
                                product, EventSearch.plan(product, List.of()).get(0), "AUDIT_EVENT_PRODUCT_ORG_DATE"));
                        for (String p : new String[] {null, "Backlog"}) {
                            EventQuery user = new EventQuery("ACME", p, f, null, category, event, "Twin", 100, after);
                            cases.add(new Case(
                                    user,
                                    EventSearch.plan(user, List.of("u4", "u5")).get(1),
                                    "AUDIT_EVENT_USER_ORG_DATE"));
                            EventQuery many = new EventQuery("ACME", p, f, null, category, event, "Admin", 100, after);
                            List<String> ids = new ArrayList<>();
                            for (int i = 0; i <= EventSearch.MAX_USER_IDS; i++) {
                                ids.add("id" + i);
                            }
                            cases.add(new Case(
                                    many,
                                    EventSearch.plan(many, ids).get(0),
                                    p == null ? "AUDIT_EVENT_ORG_DATE" : "AUDIT_EVENT_PRODUCT_ORG_DATE"));
                        }
                    }
                }
            }
        }
        try (SqlSession session = db.readSessions().openSession(true)) {
            Connection c = session.getConnection();
            for (Case k : cases) {
                for (boolean positionsOnly : new boolean[] {false, true}) {
                    for (EventCursor f : new EventCursor[] {null, floor}) {
                        EventSearch.Sql sql = EventSearch.walkSql(
                                k.walk(),
                                SearchQuery.of(k.q()),
                                k.q().after(),
                                f,
                                Map.of(),
                                positionsOnly,
                                101,
                                positionsOnly ? 9_999 : 0);
                        String plan = plan(c, sql);
                        if (TestDatabases.onPostgres()) {
                            // the index of each month's partition, and no sort: the walk follows the index
                            String suffix = k.index().toLowerCase(Locale.ROOT).replace("audit_event", "");
                            assertTrue(
                                    Pattern.compile("audit_event_p\\d{6}" + suffix + " on ")
                                            .matcher(plan)
                                            .find(),
                                    sql.text() + "\n" + plan);
                            assertFalse(plan.matches("(?s).*\\bSort\\s+\\(cost.*"), sql.text() + "\n" + plan);
                            continue;
                        }
                        assertTrue(plan.contains("index=" + k.index()), sql.text() + "\n" + plan);
                        // the walk follows the index: no sort of the rows found
                        assertTrue(plan.contains("uses index"), sql.text() + "\n" + plan);
                    }
                }
            }
        }
    }

    /**
     * HSQLDB's plan of a statement; PostgreSQL's with its parameters bound and scans of whole tables turned off:
     * a test table is too small for the planner to prefer an index, so the question is whether one can serve
     * the statement's order (the benchmark reads the plans at millions of rows).
     */
    private static String plan(Connection c, EventSearch.Sql sql) throws Exception {
        if (TestDatabases.onPostgres()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET enable_seqscan = off");
                s.execute("SET enable_bitmapscan = off");
            }
            try (PreparedStatement ps = new EventSearch.Sql("EXPLAIN " + sql.text(), sql.params()).prepare(c, 0)) {
                try (ResultSet rs = ps.executeQuery()) {
                    StringBuilder b = new StringBuilder();
                    while (rs.next()) {
                        b.append(rs.getString(1)).append('\n');
                    }
                    return b.toString();
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN PLAN FOR " + sql.text());
                ResultSet rs = ps.executeQuery()) {
            StringBuilder b = new StringBuilder();
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
            return b.toString();
        }
    }

    private void check(EventQuery first, int scanRows) {
        EventSearch search = bound(scanRows);
        Predicate<AuditRecord> filter = r -> r.spaceKey().equals(first.spaceKey())
                && (first.product() == null || r.product().equals(first.product()))
                && (first.category() == null || r.category().equals(first.category()))
                && (first.event() == null || r.event().equals(first.event()))
                && (first.user() == null
                        || r.operationUserId().equals(first.user())
                        || r.operationUserName().equals(first.user())
                        || r.operationUserEmail().equals(first.user()))
                && (first.from() == null || !r.date().isBefore(first.from()))
                && (first.to() == null || r.date().isBefore(first.to()));
        List<Long> expected = all.stream().filter(filter).map(AuditRecord::id).toList();
        List<Long> got = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        EventQuery q = first;
        for (int pages = 0; pages < 10_000; pages++) {
            EventPage page = store.query(q, search);
            assertTrue(page.events().size() <= q.limit());
            for (AuditRecord r : page.events()) {
                assertTrue(seen.add(r.id()), "record " + r.id() + " given twice for " + first);
                got.add(r.id());
            }
            if (page.searchedBackTo() != null) {
                assertTrue(page.events().size() < q.limit(), "only a page the bound cut says how far it looked");
                assertEquals(page.next().date(), page.searchedBackTo());
            }
            if (page.next() == null) {
                break;
            }
            q = new EventQuery(
                    q.spaceKey(),
                    q.product(),
                    q.from(),
                    q.to(),
                    q.category(),
                    q.event(),
                    q.user(),
                    q.limit(),
                    page.next());
        }
        assertEquals(expected, got, "scanRows " + scanRows + ", " + first);
    }
}
