package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.EventCursor;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.Facets;
import org.auditlog.api.store.Histogram;
import org.auditlog.api.store.SearchClause;
import org.auditlog.api.store.SearchField;
import org.auditlog.api.store.SearchQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search language's clauses, alone, combined, negated and repeated, page through exactly the records the same
 * search selects in Java over all of them (written here apart from the store's own check), under work bounds that cut
 * many pages; the histogram and the facets give the counts Java gives; and a store whose words and counts were not
 * written (one from before them) answers the same while they are missing and after its backfill.
 */
class SearchLanguageTest {
    @TempDir
    java.nio.file.Path dir;

    TestStorage storage;
    Database db;
    MyBatisAuditStore store;

    final List<AuditRecord> all = new ArrayList<>();

    static final String[] PRODUCTS = {"Apps", "Backlog", "Cacoo", "Typetalk"};
    static final String[][] KINDS = {
        {"Billing", "Change payment"}, {"Member", "Add member"}, {"Project", "Delete project"}, {"Security", "Sign in"}
    };
    static final String[] WORDS = {
        "issue", "deleted", "was", "invited", "BLG-123", "wiki", "page", "rare", "Settings", "changed", "to"
    };
    static final String[] ADDRESSES = {
        "192.0.2.1", "192.0.2.77", "198.51.100.5", "203.0.113.9", "2001:db8::1", "2001:db8::ff", "2001:db8:1::5", ""
    };
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @BeforeEach
    void fill() throws Exception {
        storage = TestStorage.open(dir);
        db = storage.database();
        store = storage.activate(MyBatisAuditStore.class);
        Random random = new Random(5);
        List<AuditRecord> batch = new ArrayList<>();
        long id = 5000;
        for (int i = 0; i < 4000; i++) {
            String org = i % 8 == 7 ? "OTHER" : "ACME";
            String[] kind = KINDS[random.nextInt(KINDS.length)];
            StringBuilder action = new StringBuilder();
            int words = 1 + random.nextInt(5);
            for (int w = 0; w < words; w++) {
                String word = WORDS[random.nextInt(WORDS.length)];
                if (word.equals("rare") && random.nextInt(20) != 0) {
                    word = "common";
                }
                action.append(w == 0 ? "" : random.nextBoolean() ? " " : ", ")
                        .append(random.nextBoolean() ? word : word.toUpperCase(Locale.ROOT));
            }
            if (i % 97 == 0) {
                action.append(" 課題を追加しました");
            }
            int u = random.nextInt(12);
            AuditRecord r = new AuditRecord(
                    id++,
                    org,
                    PRODUCTS[random.nextInt(4)],
                    START.plusSeconds(random.nextInt(3 * 24 * 3600)),
                    kind[0],
                    kind[1],
                    action.toString(),
                    "u" + u,
                    u == 4 ? "Twin" : "User " + u,
                    "user" + u + "@example.com",
                    ADDRESSES[random.nextInt(ADDRESSES.length)],
                    "agent",
                    "V1");
            batch.add(r);
            all.add(r);
            if (batch.size() == 200) {
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

    /** The clauses a random search is made of. */
    static List<SearchClause> pool() {
        List<SearchClause> out = new ArrayList<>();
        out.add(SearchClause.of(SearchField.PRODUCT, false, "Backlog"));
        out.add(new SearchClause(SearchField.PRODUCT, false, List.of("Apps", "Cacoo")));
        out.add(SearchClause.of(SearchField.PRODUCT, true, "Typetalk"));
        out.add(SearchClause.of(SearchField.CATEGORY, false, "Member"));
        out.add(new SearchClause(SearchField.EVENT, false, List.of("Sign in", "Delete project")));
        out.add(SearchClause.of(SearchField.EVENT, true, "Sign in"));
        out.add(SearchClause.of(SearchField.ACTOR, false, "u3"));
        out.add(SearchClause.of(SearchField.ACTOR, false, "Twin"));
        out.add(new SearchClause(SearchField.ACTOR, false, List.of("user7@example.com", "u8")));
        out.add(SearchClause.of(SearchField.ACTOR, true, "User 2"));
        out.add(SearchClause.of(SearchField.IP, false, "192.0.2.0/24"));
        out.add(SearchClause.of(SearchField.IP, false, "2001:db8::/48"));
        out.add(SearchClause.of(SearchField.IP, false, "198.51.100.5"));
        out.add(new SearchClause(SearchField.IP, false, List.of("203.0.113.9", "2001:DB8::1")));
        out.add(SearchClause.of(SearchField.IP, true, "192.0.2.0/25"));
        out.add(SearchClause.of(SearchField.TEXT, false, "rare"));
        out.add(SearchClause.of(SearchField.TEXT, false, "deleted"));
        out.add(SearchClause.of(SearchField.TEXT, false, "was invited"));
        out.add(SearchClause.of(SearchField.TEXT, false, "blg-123"));
        out.add(SearchClause.of(SearchField.TEXT, false, "settings CHANGED to"));
        out.add(SearchClause.of(SearchField.TEXT, true, "issue"));
        out.add(SearchClause.of(SearchField.TEXT, false, "nothing-like-it"));
        return out;
    }

    /** The search in Java: each clause as its words say, on the record's fields. */
    static Predicate<AuditRecord> oracle(SearchQuery q) {
        Predicate<AuditRecord> p = r -> r.spaceKey().equals(q.spaceKey())
                && (q.from() == null || !r.date().isBefore(q.from()))
                && (q.to() == null || r.date().isBefore(q.to()));
        for (SearchClause c : q.clauses()) {
            Predicate<AuditRecord> any = r -> false;
            for (String v : c.values()) {
                Predicate<AuditRecord> one = switch (c.field()) {
                    case PRODUCT -> r -> r.product().equals(v);
                    case CATEGORY -> r -> r.category().equals(v);
                    case EVENT -> r -> r.event().equals(v);
                    case ACTOR ->
                        r -> r.operationUserId().equals(v)
                                || r.operationUserName().equals(v)
                                || r.operationUserEmail().equals(v);
                    case IP -> r -> inRange(r.ipAddress(), v);
                    case TEXT -> {
                        String[] words = v.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
                        Pattern phrase = Pattern.compile(
                                "(?<![\\p{L}\\p{N}])" + String.join("[^\\p{L}\\p{N}]+", words) + "(?![\\p{L}\\p{N}])");
                        yield r -> phrase.matcher(r.action().toLowerCase(Locale.ROOT))
                                .find();
                    }
                };
                any = any.or(one);
            }
            p = p.and(c.negated() ? any.negate() : any);
        }
        return p;
    }

    /** Whether an address is in a range, by the addresses of the test's data. */
    static boolean inRange(String address, String range) {
        if (address.isEmpty()) {
            return false;
        }
        return switch (range) {
            case "192.0.2.0/24" -> address.startsWith("192.0.2.");
            case "192.0.2.0/25" -> address.equals("192.0.2.1") || address.equals("192.0.2.77");
            case "2001:db8::/48" -> address.equals("2001:db8::1") || address.equals("2001:db8::ff");
            case "198.51.100.5" -> address.equals("198.51.100.5");
            case "203.0.113.9" -> address.equals("203.0.113.9");
            case "2001:DB8::1" -> address.equals("2001:db8::1");
            default -> throw new IllegalArgumentException(range);
        };
    }

    List<Long> expected(SearchQuery q) {
        return all.stream().filter(oracle(q)).map(AuditRecord::id).toList();
    }

    /** Every page of the search with the store's search of bound {@code scanRows}. */
    List<Long> paged(SearchQuery q, int limit, int scanRows) {
        EventSearch search = new EventSearch(scanRows, 0, db.searchIndex()::indexed);
        List<Long> got = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        EventCursor after = null;
        for (int pages = 0; pages < 100_000; pages++) {
            EventPage page = store.search(q, limit, after, search);
            assertTrue(page.events().size() <= limit);
            for (AuditRecord r : page.events()) {
                assertTrue(seen.add(r.id()), "record " + r.id() + " given twice for " + q);
                got.add(r.id());
            }
            if (page.searchedBackTo() != null) {
                assertTrue(page.events().size() < limit, "only a page the bound cut says how far it looked");
            }
            if (page.next() == null) {
                return got;
            }
            after = page.next();
        }
        throw new AssertionError("no end of pages for " + q);
    }

    @Test
    void everyClauseAloneCombinedNegatedAndRepeatedPagesThroughExactlyTheMatchingRecords() {
        List<SearchClause> pool = pool();
        for (SearchClause c : pool) {
            SearchQuery q = new SearchQuery("ACME", null, null, List.of(c));
            assertEquals(expected(q), paged(q, 50, 10_000), c.toString());
            assertEquals(expected(q), paged(q, 40, 150), "bound 150, " + c);
        }
        Random random = new Random(13);
        for (int round = 0; round < 20; round++) {
            List<SearchClause> clauses = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                clauses.add(pool.get(random.nextInt(pool.size())));
            }
            Instant from = random.nextInt(3) == 0 ? START.plus(20, ChronoUnit.HOURS) : null;
            Instant to = random.nextInt(3) == 0 ? START.plus(50, ChronoUnit.HOURS) : null;
            SearchQuery q = new SearchQuery("ACME", from, to, clauses);
            int limit = 5 + random.nextInt(40);
            int scanRows = 20 + random.nextInt(300);
            assertEquals(expected(q), paged(q, limit, scanRows), "limit " + limit + ", bound " + scanRows + ", " + q);
        }
    }

    @Test
    void wordsOfScriptsWithoutSpacesAreFoundAsPairsOfCharacters() {
        List<Long> withIt = all.stream()
                .filter(r -> r.spaceKey().equals("ACME") && r.action().contains("課題を追加"))
                .map(AuditRecord::id)
                .toList();
        assertTrue(withIt.size() > 10, "the data has such records");
        for (String phrase : List.of("課題", "課題を追加", "追加しました", "課")) {
            SearchQuery q =
                    new SearchQuery("ACME", null, null, List.of(SearchClause.of(SearchField.TEXT, false, phrase)));
            assertEquals(withIt, paged(q, 20, 10_000), phrase);
        }
        SearchQuery none =
                new SearchQuery("ACME", null, null, List.of(SearchClause.of(SearchField.TEXT, false, "追加課題")));
        assertEquals(List.of(), paged(none, 20, 10_000));
    }

    @Test
    void theHistogramAndTheFacetsCountWhatJavaCounts() {
        List<SearchClause> pool = pool();
        Random random = new Random(17);
        List<List<SearchClause>> searches = new ArrayList<>();
        searches.add(List.of());
        for (SearchClause c : pool) {
            searches.add(List.of(c));
        }
        for (int i = 0; i < 20; i++) {
            searches.add(List.of(pool.get(random.nextInt(pool.size())), pool.get(random.nextInt(pool.size()))));
        }
        List<Instant[]> ranges = List.of(
                new Instant[] {START, START.plus(3, ChronoUnit.DAYS)},
                new Instant[] {START.plus(90, ChronoUnit.MINUTES), START.plus(2000, ChronoUnit.MINUTES)});
        for (List<SearchClause> clauses : searches) {
            for (Instant[] range : ranges) {
                SearchQuery q = new SearchQuery("ACME", range[0], range[1], clauses);
                List<AuditRecord> matching = all.stream().filter(oracle(q)).toList();
                for (Histogram.Interval interval : Histogram.Interval.values()) {
                    Histogram h = store.histogram(q, interval);
                    assertNull(h.countedFrom(), "a count of a few thousand records is whole: " + q);
                    Map<Instant, Long> want = new HashMap<>();
                    for (AuditRecord r : matching) {
                        want.merge(Counts.floor(r.date(), interval), 1L, Long::sum);
                    }
                    for (Histogram.Bucket b : h.buckets()) {
                        assertEquals(want.getOrDefault(b.start(), 0L), b.count(), b.start() + " " + q);
                    }
                    assertEquals(
                            matching.size(),
                            h.buckets().stream()
                                    .mapToLong(Histogram.Bucket::count)
                                    .sum());
                }
                Facets f = store.facets(q);
                assertNull(f.countedFrom());
                assertEquals(top(matching, AuditRecord::product), values(f.products()), "products " + q);
                assertEquals(
                        top(
                                matching.stream()
                                        .filter(r -> !r.ipAddress().isEmpty())
                                        .toList(),
                                AuditRecord::ipAddress),
                        values(f.addresses()),
                        "addresses " + q);
                assertEquals(
                        top(matching, AuditRecord::operationUserId),
                        f.actors().stream()
                                .map(a -> a.userId() + "=" + a.count())
                                .toList(),
                        "actors " + q);
                assertEquals(
                        top(matching, AuditRecord::event),
                        f.events().stream()
                                .map(e -> e.event() + "=" + e.count())
                                .toList(),
                        "events " + q);
            }
        }
    }

    @Test
    void aCountOverTheBoundSaysFromWhereItCountedAndIsExactFromThere() {
        Counts small = new Counts(new EventSearch(10_000, 0, () -> true), 300, 0, () -> true);
        SearchQuery q = new SearchQuery(
                "ACME",
                START,
                START.plus(3, ChronoUnit.DAYS),
                List.of(SearchClause.of(SearchField.TEXT, false, "deleted")));
        try (SqlSession session = db.readSessions().openSession(true)) {
            Histogram h = small.histogram(session.getConnection(), q, Histogram.Interval.HOUR, false);
            Instant from = h.countedFrom();
            assertTrue(from != null && from.isAfter(START), "the bound stopped it: " + from);
            Map<Instant, Long> want = new HashMap<>();
            all.stream()
                    .filter(oracle(q))
                    .forEach(r -> want.merge(r.date().truncatedTo(ChronoUnit.HOURS), 1L, Long::sum));
            long counted = 0;
            for (Histogram.Bucket b : h.buckets()) {
                if (b.start().isBefore(from)) {
                    assertNull(b.count(), "not counted: " + b.start());
                } else {
                    assertEquals(
                            want.getOrDefault(b.start(), 0L),
                            b.count(),
                            b.start().toString());
                    counted += b.count();
                }
            }
            assertTrue(counted > 150, "it counted up to its bound, less the hour it stopped in: " + counted);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aStoreWithoutItsWordsAndCountsAnswersTheSameBeforeAndAfterItsBackfill() throws Exception {
        List<SearchQuery> searches = new ArrayList<>();
        List<SearchClause> pool = pool();
        for (int i = 0; i < pool.size(); i += 3) {
            searches.add(new SearchQuery("ACME", null, null, List.of(pool.get(i))));
        }
        SearchQuery counted = new SearchQuery(
                "ACME",
                START,
                START.plus(3, ChronoUnit.DAYS),
                List.of(SearchClause.of(SearchField.PRODUCT, false, "Backlog")));
        long before = store.histogram(counted, Histogram.Interval.DAY).buckets().stream()
                .mapToLong(Histogram.Bucket::count)
                .sum();
        // as a store of the version before: no words, no counts, every record to backfill
        try (Connection c = db.writePool().getConnection();
                Statement s = c.createStatement()) {
            for (String table :
                    List.of("audit_word", "audit_count", "audit_actor_count", "audit_ip_count", "audit_ip")) {
                s.execute("DELETE FROM " + table);
            }
            s.execute("UPDATE search_backfill SET next_id = 0, upto_id = (SELECT MAX(id) FROM audit_event)");
            c.commit();
        }
        db.searchIndex().forgetKnown(); // as a server starting on that store knows no rows
        SearchIndex index = new SearchIndex(db.dialect());
        index.readStateFrom(db.writePool());
        assertTrue(!index.indexed(), "there is a backfill to do");
        EventSearch unindexed = new EventSearch(10_000, 0, () -> false);
        for (SearchQuery q : searches) {
            List<Long> got = new ArrayList<>();
            EventCursor after = null;
            do {
                EventPage page = store.search(q, 100, after, unindexed);
                page.events().forEach(r -> got.add(r.id()));
                after = page.next();
            } while (after != null);
            assertEquals(expected(q), got, "without the index: " + q);
        }
        SearchBackfill backfill = new SearchBackfill(db);
        int chunks = 0;
        while (backfill.chunk() >= 0) {
            chunks++;
        }
        assertEquals((all.size() + SearchBackfill.CHUNK - 1) / SearchBackfill.CHUNK, chunks);
        assertTrue(SearchBackfill.done(db.writePool().getConnection()));
        for (SearchQuery q : searches) {
            assertEquals(expected(q), paged(q, 30, 10_000), "after the backfill: " + q);
        }
        assertEquals(
                before,
                store.histogram(counted, Histogram.Interval.DAY).buckets().stream()
                        .mapToLong(Histogram.Bucket::count)
                        .sum());
    }

    @Test
    void eachStatementOfTheLanguageReadsItsIndex() throws Exception {
        SearchQuery q = new SearchQuery(
                "ACME",
                START,
                START.plus(2, ChronoUnit.DAYS),
                List.of(SearchClause.of(SearchField.PRODUCT, false, "Backlog")));
        EventCursor after = new EventCursor(START.plus(1, ChronoUnit.DAYS), 7);
        EventSearch.Walk ip = new EventSearch.Walk(EventSearch.Index.IP, "192.0.2.1", true);
        EventSearch.Walk word = new EventSearch.Walk(EventSearch.Index.WORD, Words.key("ACME", "deleted"), true);
        byte[] lo = org.auditlog.api.store.IpRange.parse("192.0.2.0/24").first();
        byte[] hi = org.auditlog.api.store.IpRange.parse("192.0.2.0/24").last();
        record Case(String what, EventSearch.Sql sql, String hsqldb, String postgres) {}
        List<Case> cases = List.of(
                new Case(
                        "an address's walk",
                        EventSearch.walkSql(ip, q, after, null, Map.of(), false, 101, 0),
                        "index=AUDIT_EVENT_IP_ORG_DATE",
                        "audit_event_p\\d{6}_ip_org_date"),
                new Case(
                        "a word's minutes",
                        EventSearch.minutesSql(word, q, after, null, 64),
                        "table=AUDIT_WORD",
                        "audit_word_p\\d{6}_pkey"),
                new Case(
                        "a minute's records",
                        EventSearch.minuteSql(q, START.plus(90, ChronoUnit.MINUTES), after, 101),
                        "index=AUDIT_EVENT_ORG_DATE",
                        "audit_event_p\\d{6}_org_date"),
                new Case(
                        "the next address of a range",
                        EventSearch.nextAddressSql("ACME", lo, true, hi),
                        "table=AUDIT_IP",
                        "audit_ip_pkey"),
                new Case(
                        "the histogram's kept counts",
                        Counts.hoursSql(q, START, START.plus(2, ChronoUnit.DAYS)),
                        "table=AUDIT_COUNT",
                        "audit_count_pkey"),
                new Case(
                        "the facets' kept counts",
                        Counts.kindsSql(q, START, START.plus(2, ChronoUnit.DAYS)),
                        "table=AUDIT_COUNT",
                        "audit_count_pkey"));
        try (SqlSession session = db.readSessions().openSession(true)) {
            Connection c = session.getConnection();
            for (Case k : cases) {
                String plan = plan(c, k.sql());
                if (TestDatabases.onPostgres()) {
                    assertTrue(Pattern.compile(k.postgres()).matcher(plan).find(), k.what() + "\n" + plan);
                    assertTrue(!plan.contains("Seq Scan"), k.what() + ": no scan of a table\n" + plan);
                } else {
                    assertTrue(plan.contains(k.hsqldb()), k.what() + "\n" + plan);
                    assertTrue(!plan.contains("access=FULL SCAN"), k.what() + ": no scan of a table\n" + plan);
                }
            }
        }
    }

    /** The database's plan of a statement (PostgreSQL's with scans of whole tables off, as a search runs). */
    private static String plan(Connection c, EventSearch.Sql sql) throws Exception {
        String explain = TestDatabases.onPostgres() ? "EXPLAIN " : "EXPLAIN PLAN FOR ";
        if (TestDatabases.onPostgres()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET enable_seqscan = off");
                s.execute("SET enable_bitmapscan = off");
            }
        }
        // HSQLDB plans a statement without its parameters; PostgreSQL with them bound
        EventSearch.Sql explained =
                new EventSearch.Sql(explain + sql.text(), TestDatabases.onPostgres() ? sql.params() : List.of());
        try (java.sql.PreparedStatement ps = explained.prepare(c, 0);
                java.sql.ResultSet rs = ps.executeQuery()) {
            StringBuilder b = new StringBuilder();
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
            return b.toString();
        }
    }

    /** The ten most frequent values, as value=count, count descending, then value. */
    static List<String> top(List<AuditRecord> records, Function<AuditRecord, String> value) {
        Map<String, Long> counts = new HashMap<>();
        records.forEach(r -> counts.merge(value.apply(r), 1L, Long::sum));
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10)
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList();
    }

    static List<String> values(List<Facets.Value> values) {
        return values.stream().map(v -> v.value() + "=" + v.count()).toList();
    }
}
