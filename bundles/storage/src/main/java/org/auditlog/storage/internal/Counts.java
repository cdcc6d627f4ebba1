package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.EventCursor;
import org.auditlog.api.store.Facets;
import org.auditlog.api.store.Histogram;
import org.auditlog.api.store.SearchClause;
import org.auditlog.api.store.SearchField;
import org.auditlog.api.store.SearchQuery;

/**
 * The histogram and the facets of a search: exact counts, from the counts kept at every append ({@link SearchIndex})
 * where the search allows, else counted record by record within a bound.
 *
 * <ul>
 * <li>A search of products, categories and events only (each may be negated or repeated) is answered from
 * {@code audit_count} (per hour): the histogram and the events and products facets, whatever the size of the range.
 * The parts of the range before its first whole hour and after its last are counted on the records.</li>
 * <li>A search without clauses over whole days (as the default range of the last 30 days) also takes its actors and
 * addresses from {@code audit_actor_count} and {@code audit_ip_count} (per day).</li>
 * <li>Any other search (an actor, an address, a word; actors or addresses with a product; a range in hours) walks its
 * records newest first as a page does ({@link EventSearch}), reading at most {@link #countRows} records. When the
 * bound stops it, the counts go back to the start of the last whole hour read (the histogram: the last whole
 * bucket), and say so ({@code countedFrom}); never a scan of the organization.</li>
 * </ul>
 */
final class Counts {
    /** Default bound on the records one count reads. */
    static final int DEFAULT_COUNT_ROWS = 200_000;

    /** The most buckets one histogram has. */
    static final int MAX_BUCKETS = 10_000;

    /** Records per page of a count's walk. */
    static final int COUNT_PAGE = 5_000;

    /** The bound on the index entries of one page of a count's walk. */
    static final int COUNT_SCAN_ROWS = 50_000;

    /** The most pages of one count's walk: at most 1,000,000 index entries looked at. */
    static final int COUNT_PAGES = 20;

    private final EventSearch search;
    private final EventSearch walker;
    private final int countRows;
    private final int timeoutSeconds;
    private final BooleanSupplier indexed;

    Counts(EventSearch search, int countRows, int timeoutSeconds, BooleanSupplier indexed) {
        this.search = search;
        this.walker = new EventSearch(COUNT_SCAN_ROWS, timeoutSeconds, indexed);
        this.countRows = countRows;
        this.timeoutSeconds = timeoutSeconds;
        this.indexed = indexed;
    }

    /** Whether the kept counts of kinds of event answer the search: products, categories and events only. */
    static boolean byKinds(SearchQuery q) {
        for (SearchClause c : q.clauses()) {
            if (c.field() != SearchField.PRODUCT
                    && c.field() != SearchField.CATEGORY
                    && c.field() != SearchField.EVENT) {
                return false;
            }
        }
        return true;
    }

    static Instant floor(Instant t, Histogram.Interval interval) {
        return t.truncatedTo(interval == Histogram.Interval.HOUR ? ChronoUnit.HOURS : ChronoUnit.DAYS);
    }

    static Instant ceil(Instant t, Histogram.Interval interval) {
        Instant f = floor(t, interval);
        return f.equals(t) ? t : f.plus(interval.length());
    }

    Histogram histogram(Connection c, SearchQuery q, Histogram.Interval interval, boolean postgres)
            throws SQLException {
        if (q.from() == null || q.to() == null || !q.from().isBefore(q.to())) {
            throw new IllegalArgumentException("a histogram needs a range: from before to");
        }
        Instant first = floor(q.from(), interval);
        Instant end = ceil(q.to(), interval);
        long buckets = (end.getEpochSecond() - first.getEpochSecond())
                / interval.length().getSeconds();
        if (buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("the range has " + buckets + " "
                    + interval.name().toLowerCase() + "s; a histogram has at most " + MAX_BUCKETS + " buckets");
        }
        TreeMap<Instant, Long> counts = new TreeMap<>();
        for (Instant t = first; t.isBefore(end); t = t.plus(interval.length())) {
            counts.put(t, 0L);
        }
        Instant countedFrom = null;
        if (indexed.getAsBoolean() && byKinds(q)) {
            Instant hourFrom = ceil(q.from(), Histogram.Interval.HOUR);
            Instant hourTo = floor(q.to(), Histogram.Interval.HOUR);
            if (hourFrom.isBefore(hourTo)) {
                try (PreparedStatement ps = hoursSql(q, hourFrom, hourTo).prepare(c, timeoutSeconds);
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant hour = rs.getObject(1, OffsetDateTime.class).toInstant();
                        counts.merge(floor(hour, interval), rs.getLong(2), Long::sum);
                    }
                }
                edges(c, q, hourFrom, hourTo, postgres, r -> counts.merge(floor(r.date(), interval), 1L, Long::sum));
            } else {
                edges(c, q, q.to(), q.to(), postgres, r -> counts.merge(floor(r.date(), interval), 1L, Long::sum));
            }
        } else {
            countedFrom = walk(c, q, postgres, interval, r -> counts.merge(floor(r.date(), interval), 1L, Long::sum));
            if (countedFrom != null) {
                for (Map.Entry<Instant, Long> e : counts.entrySet()) {
                    if (e.getKey().isBefore(countedFrom)) {
                        e.setValue(null);
                    }
                }
            }
        }
        List<Histogram.Bucket> out = new ArrayList<>();
        for (Map.Entry<Instant, Long> e : counts.entrySet()) {
            out.add(new Histogram.Bucket(e.getKey(), e.getValue()));
        }
        return new Histogram(interval, first, end, out, countedFrom);
    }

    Facets facets(Connection c, SearchQuery q, boolean postgres) throws SQLException {
        if (q.from() == null || q.to() == null || !q.from().isBefore(q.to())) {
            throw new IllegalArgumentException("facets need a range: from before to");
        }
        Map<String, Long> products = new HashMap<>();
        Map<List<String>, Long> events = new HashMap<>();
        Map<String, Long> actors = new HashMap<>();
        Map<String, Long> addresses = new HashMap<>();
        Map<String, String[]> actorNames = new HashMap<>();
        Instant countedFrom = null;
        boolean wholeDays = floor(q.from(), Histogram.Interval.DAY).equals(q.from())
                && floor(q.to(), Histogram.Interval.DAY).equals(q.to());
        if (indexed.getAsBoolean() && q.clauses().isEmpty() && wholeDays) {
            kinds(c, q, q.from(), q.to(), products, events);
            top(
                    c,
                    "SELECT user_id, SUM(n) FROM audit_actor_count WHERE space_key = ? AND day >= ? AND day < ? "
                            + "GROUP BY user_id",
                    q,
                    actors);
            top(
                    c,
                    "SELECT ip_address, SUM(n) FROM audit_ip_count WHERE space_key = ? AND day >= ? AND day < ? "
                            + "GROUP BY ip_address",
                    q,
                    addresses);
        } else {
            countedFrom = walk(c, q, postgres, Histogram.Interval.HOUR, r -> {
                products.merge(r.product(), 1L, Long::sum);
                events.merge(List.of(r.category(), r.event()), 1L, Long::sum);
                actors.merge(r.operationUserId(), 1L, Long::sum);
                actorNames.putIfAbsent(
                        r.operationUserId(), new String[] {r.operationUserName(), r.operationUserEmail()});
                if (!r.ipAddress().isEmpty()) {
                    addresses.merge(r.ipAddress(), 1L, Long::sum);
                }
            });
        }
        List<Facets.Actor> topActors = new ArrayList<>();
        for (Map.Entry<String, Long> e : top(actors)) {
            String[] names = actorNames.get(e.getKey());
            if (names == null) {
                names = latestNames(c, q.spaceKey(), e.getKey());
            }
            topActors.add(new Facets.Actor(e.getKey(), names[0], names[1], e.getValue()));
        }
        List<Facets.Event> topEvents = new ArrayList<>();
        events.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<List<String>, Long>comparingByValue()
                        .reversed()
                        .thenComparing(e -> e.getKey().get(1))
                        .thenComparing(e -> e.getKey().get(0)))
                .limit(Facets.TOP)
                .forEach(e -> topEvents.add(
                        new Facets.Event(e.getKey().get(0), e.getKey().get(1), e.getValue())));
        return new Facets(
                q.from(),
                q.to(),
                countedFrom,
                topActors,
                topEvents,
                top(products).stream()
                        .map(e -> new Facets.Value(e.getKey(), e.getValue()))
                        .toList(),
                top(addresses).stream()
                        .map(e -> new Facets.Value(e.getKey(), e.getValue()))
                        .toList());
    }

    /** Records per product and month of one organization, from the kept counts (all records once indexed). */
    Map<String, Map<YearMonth, Long>> byMonth(Connection c, String spaceKey, YearMonth first, YearMonth last)
            throws SQLException {
        Map<String, Map<YearMonth, Long>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT product, hour, SUM(n) FROM audit_count "
                + "WHERE space_key = ? AND hour >= ? AND hour < ? GROUP BY product, hour")) {
            ps.setString(1, spaceKey);
            ps.setObject(2, first.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            ps.setObject(3, last.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    YearMonth m =
                            YearMonth.from(rs.getObject(2, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC));
                    long n = rs.getLong(3);
                    if (n != 0) {
                        out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                                .merge(m, n, Long::sum);
                    }
                }
            }
        }
        out.values().forEach(months -> months.values().removeIf(n -> n <= 0));
        out.values().removeIf(Map::isEmpty);
        return out;
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(Facets.TOP)
                .toList();
    }

    /** The kept counts of kinds over whole hours, and the records of the parts of hours at the ends. */
    private void kinds(
            Connection c,
            SearchQuery q,
            Instant from,
            Instant to,
            Map<String, Long> products,
            Map<List<String>, Long> events)
            throws SQLException {
        try (PreparedStatement ps = kindsSql(q, from, to).prepare(c, timeoutSeconds);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long n = rs.getLong(4);
                products.merge(rs.getString(1), n, Long::sum);
                events.merge(List.of(rs.getString(2), rs.getString(3)), n, Long::sum);
            }
        }
    }

    private void top(Connection c, String sql, SearchQuery q, Map<String, Long> into) throws SQLException {
        try (PreparedStatement ps =
                        new EventSearch.Sql(sql, List.of(q.spaceKey(), q.from(), q.to())).prepare(c, timeoutSeconds);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.merge(rs.getString(1), rs.getLong(2), Long::sum);
            }
        }
    }

    /** The name and email of a user's newest record. */
    private String[] latestNames(Connection c, String spaceKey, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT operation_user_name, operation_user_email FROM "
                + "audit_event WHERE operation_user_id = ? AND space_key = ? ORDER BY "
                + EventSearch.Index.USER.orderBy + " LIMIT 1")) {
            ps.setString(1, userId);
            ps.setString(2, spaceKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : new String[] {"", ""};
            }
        }
    }

    /** The kept counts of a search of kinds, per hour of {@code [from, to)} (whole hours). */
    static EventSearch.Sql hoursSql(SearchQuery q, Instant from, Instant to) {
        StringBuilder sql = new StringBuilder(
                "SELECT hour, SUM(n) FROM audit_count WHERE space_key = ? AND hour >= ? AND hour < ?");
        List<Object> params = new ArrayList<>(List.of(q.spaceKey(), from, to));
        kindFilters(sql, params, q);
        sql.append(" GROUP BY hour");
        return new EventSearch.Sql(sql.toString(), params);
    }

    /** The kept counts of a search of kinds, per kind of event over {@code [from, to)} (whole hours). */
    static EventSearch.Sql kindsSql(SearchQuery q, Instant from, Instant to) {
        StringBuilder sql = new StringBuilder("SELECT product, category, event, SUM(n) FROM audit_count "
                + "WHERE space_key = ? AND hour >= ? AND hour < ?");
        List<Object> params = new ArrayList<>(List.of(q.spaceKey(), from, to));
        kindFilters(sql, params, q);
        sql.append(" GROUP BY product, category, event");
        return new EventSearch.Sql(sql.toString(), params);
    }

    /** The product, category and event conditions on {@code audit_count}. */
    private static void kindFilters(StringBuilder sql, List<Object> params, SearchQuery q) {
        for (SearchClause clause : q.clauses()) {
            String column = switch (clause.field()) {
                case PRODUCT -> "product";
                case CATEGORY -> "category";
                case EVENT -> "event";
                default -> throw new IllegalArgumentException("not a kind: " + clause.field());
            };
            sql.append(" AND ")
                    .append(clause.negated() ? "NOT " : "")
                    .append(column)
                    .append(" IN (")
                    .append("?, ".repeat(clause.values().size() - 1))
                    .append("?)");
            params.addAll(clause.values());
        }
    }

    /** The records of {@code [q.from, hourFrom)} and {@code [hourTo, q.to)}, each given to {@code each}. */
    private void edges(
            Connection c,
            SearchQuery q,
            Instant hourFrom,
            Instant hourTo,
            boolean postgres,
            java.util.function.Consumer<AuditRecord> each)
            throws SQLException {
        if (q.from().isBefore(hourFrom)) {
            all(c, new SearchQuery(q.spaceKey(), q.from(), hourFrom, q.clauses()), postgres, each);
        }
        if (hourTo.isBefore(q.to()) && !hourTo.isBefore(hourFrom)) {
            all(c, new SearchQuery(q.spaceKey(), hourTo, q.to(), q.clauses()), postgres, each);
        }
    }

    /** Every record of a search of a part of an hour. */
    private void all(Connection c, SearchQuery q, boolean postgres, java.util.function.Consumer<AuditRecord> each)
            throws SQLException {
        EventCursor after = null;
        while (true) {
            var page = search.page(c, q, 1000, after, postgres);
            page.events().forEach(each);
            if (page.next() == null) {
                return;
            }
            after = page.next();
        }
    }

    /**
     * Walks the search's records newest first, giving each to {@code each}, until {@link #countRows} records were
     * counted or {@link #COUNT_PAGES} pages of the walk were read (each page looks at most
     * {@link #COUNT_SCAN_ROWS} index entries). When it stops inside the range, the records of the oldest
     * {@code unit} it reached (a part of it) are not given, and the walk returns the start of the unit after it, from
     * which every record was counted; null when it counted the whole range.
     */
    private Instant walk(
            Connection c,
            SearchQuery q,
            boolean postgres,
            Histogram.Interval unit,
            java.util.function.Consumer<AuditRecord> each)
            throws SQLException {
        List<AuditRecord> pending = new ArrayList<>(); // the records of the oldest unit reached so far
        Instant pendingUnit = null;
        EventCursor after = null;
        long counted = 0;
        for (int pages = 0; ; pages++) {
            var page = walker.page(c, q, Math.min(COUNT_PAGE, countRows), after, postgres);
            for (AuditRecord r : page.events()) {
                Instant u = floor(r.date(), unit);
                if (!u.equals(pendingUnit)) {
                    pending.forEach(each);
                    pending.clear();
                    pendingUnit = u;
                }
                pending.add(r);
            }
            counted += page.events().size();
            if (page.next() == null) {
                pending.forEach(each);
                return null;
            }
            after = page.next();
            if (counted >= countRows || pages + 1 >= COUNT_PAGES) {
                Instant reached = floor(after.date(), unit);
                if (!reached.equals(pendingUnit)) {
                    pending.forEach(each); // the pending unit is whole: the walk went past it
                }
                return reached.plus(unit.length());
            }
        }
    }
}
