package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.EventCursor;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.IpRange;
import org.auditlog.api.store.SearchClause;
import org.auditlog.api.store.SearchField;
import org.auditlog.api.store.SearchQuery;

/**
 * One page of {@code GET /api/v1/orgs/{key}/events}: which index a search walks, the SQL of each walk, and a bound
 * on the work of one page.
 *
 * <p>Every search walks one index newest first, from the cursor on, and stops at the page's end: the work grows with
 * the page, not with the organization. The index is the one of a clause that every matching record must satisfy
 * (a <em>driver</em>):
 * <ul>
 * <li>no such clause: {@code audit_event_org_date} (space_key, event_date, id);</li>
 * <li>{@code product:}: {@code audit_event_product_org_date} (product, space_key, event_date, id), once per
 * product;</li>
 * <li>{@code actor:}: the user ids whose id, name or email is the text ({@link UserDirectory}), then
 * {@code audit_event_user_org_date} (operation_user_id, space_key, event_date, id) once per id;</li>
 * <li>{@code ip:}: the organization's addresses in the range, from {@code audit_ip_count}, then
 * {@code audit_event_ip_org_date} (ip_address, space_key, event_date, id) once per address;</li>
 * <li>a word or phrase: the key of one of its words in {@code audit_word} (word, event_date, id), the records read
 * by id.</li>
 * </ul>
 * Several walks of one driver are merged. Where several clauses could drive, each driver's first page of index
 * entries is read (the entries alone), and the one that reaches furthest back in time for a page, the sparsest,
 * drives. Every record read is checked against the whole search ({@link SearchMatcher}); the conditions SQL can
 * state (products, categories, events, actors, resolved addresses) are also in the walk's SQL.
 *
 * <p>A walk whose records need checking could meet every record of the organization before it fills a page (a
 * filter matching nothing), so it looks at most {@link #scanRows} index entries per page: first the position
 * {@code scanRows} entries back is found (a walk of the index alone), then the records in between are searched.
 * When the bound ends a page before it is full, the page says how far back it looked and its cursor continues from
 * there.
 *
 * <p>The order is the cursor's: event_date, then id, both descending. Each ORDER BY names every column of its index,
 * the equal ones too: only then does HSQLDB walk the index backwards and stop at the limit instead of sorting.
 * Conditions on a column that leads another index are written so that no index can serve them
 * ({@code product || '' IN (?)}): HSQLDB picks among indexes by their leading equal columns, and must pick the one
 * whose order the page needs.
 */
final class EventSearch {
    /** Default bound on the index entries one page of a filtered search looks at. */
    static final int DEFAULT_SCAN_ROWS = 10_000;

    /** Above this many user ids for an actor clause, it does not drive. */
    static final int MAX_USER_IDS = 16;

    /** Above this many addresses in an ip: clause's ranges, it does not drive. */
    static final int MAX_ADDRESSES = 64;

    static final String COLUMNS = "id, space_key, product, event_date, category, event, action, operation_user_id, "
            + "operation_user_name, operation_user_email, ip_address, user_agent, version";

    private static final Comparator<AuditRecord> NEWEST_FIRST = Comparator.comparing(AuditRecord::date)
            .thenComparingLong(AuditRecord::id)
            .reversed();

    private final int scanRows;
    private final int timeoutSeconds;
    /** Whether the words and counts cover every record (the backfill of an older store is done). */
    private final BooleanSupplier indexed;

    EventSearch(int scanRows, int timeoutSeconds) {
        this(scanRows, timeoutSeconds, () -> true);
    }

    EventSearch(int scanRows, int timeoutSeconds, BooleanSupplier indexed) {
        if (scanRows < 1) {
            throw new IllegalArgumentException("scanRows must be at least 1: " + scanRows);
        }
        this.scanRows = scanRows;
        this.timeoutSeconds = timeoutSeconds;
        this.indexed = indexed;
    }

    int scanRows() {
        return scanRows;
    }

    /** The index a walk uses: which column it leads with besides space_key, and that column's value. */
    enum Index {
        ORG("audit_event_org_date", null, "space_key DESC, event_date DESC, id DESC"),
        PRODUCT("audit_event_product_org_date", "product", "product DESC, space_key DESC, event_date DESC, id DESC"),
        USER(
                "audit_event_user_org_date",
                "operation_user_id",
                "operation_user_id DESC, space_key DESC, event_date DESC, id DESC"),
        IP("audit_event_ip_org_date", "ip_address", "ip_address DESC, space_key DESC, event_date DESC, id DESC"),
        /** The words: {@code audit_word}, whose rows name records, read by id. */
        WORD("audit_word", "word", "word DESC, minute DESC, slot DESC");

        final String name;
        final String column;
        final String orderBy;

        Index(String name, String column, String orderBy) {
            this.name = name;
            this.column = column;
            this.orderBy = orderBy;
        }
    }

    /**
     * One index walk: the index, the value of its leading column (null for ORG; a word's key for WORD), and whether
     * records need checking beyond what the walk itself selects.
     */
    record Walk(Index index, Object value, boolean checked) {}

    /** A statement and its parameters, in order. */
    record Sql(String text, List<Object> params) {
        PreparedStatement prepare(Connection c, int timeoutSeconds) throws SQLException {
            PreparedStatement ps = c.prepareStatement(text);
            if (timeoutSeconds > 0) {
                ps.setQueryTimeout(timeoutSeconds);
            }
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                if (p instanceof Instant t) {
                    ps.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
                } else if (p instanceof byte[] b) {
                    ps.setBytes(i + 1, b);
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            return ps;
        }
    }

    /**
     * What a search reads: the walks of its driver (none when a clause that must hold names nothing the
     * organization's records carry), and the addresses each {@code ip:} clause resolved to (for its SQL), by clause.
     */
    record Plan(List<Walk> walks, Map<SearchClause, List<String>> addresses) {}

    /** The walks of the page API's older filters ({@code EventQuery}), for its tests. */
    static List<Walk> plan(EventQuery q, List<String> userIds) {
        SearchQuery s = SearchQuery.of(q);
        List<List<Walk>> drivers = drivers(s, userIds, Map.of(), false);
        for (List<Walk> d : drivers) {
            if (!d.isEmpty() && d.get(0).index() == Index.USER) {
                return d;
            }
        }
        return drivers.isEmpty()
                ? List.of(new Walk(Index.ORG, null, !s.clauses().isEmpty()))
                : drivers.get(0);
    }

    /**
     * The candidate drivers of a search, each as its walks: one per positive clause that an index can serve, given
     * the user ids of its actor clauses ({@code userIds}: of the first one; any other is checked) and the addresses
     * of its ip clauses. An empty list of walks means that clause matches nothing.
     */
    static List<List<Walk>> drivers(
            SearchQuery q, List<String> userIds, Map<SearchClause, List<String>> addresses, boolean words) {
        List<List<Walk>> out = new ArrayList<>();
        boolean onlyClause = q.clauses().size() == 1;
        boolean actorSeen = false;
        for (SearchClause clause : q.clauses()) {
            if (clause.negated()) {
                continue;
            }
            switch (clause.field()) {
                case PRODUCT -> {
                    List<Walk> walks = new ArrayList<>();
                    for (String p : new LinkedHashSet<>(clause.values())) {
                        walks.add(new Walk(Index.PRODUCT, p, !onlyClause));
                    }
                    out.add(walks);
                }
                case ACTOR -> {
                    if (!actorSeen && userIds.size() <= MAX_USER_IDS) {
                        List<Walk> walks = new ArrayList<>();
                        for (String id : userIds) {
                            boolean exact = onlyClause
                                    && clause.values().size() == 1
                                    && clause.values().get(0).equals(id)
                                    && userIds.size() == 1;
                            walks.add(new Walk(Index.USER, id, !exact));
                        }
                        out.add(walks);
                    }
                    actorSeen = true;
                }
                case IP -> {
                    List<String> found = addresses.get(clause);
                    if (found != null && found.size() <= MAX_ADDRESSES) {
                        List<Walk> walks = new ArrayList<>();
                        for (String a : found) {
                            walks.add(new Walk(Index.IP, a, true));
                        }
                        out.add(walks);
                    }
                }
                case TEXT -> {
                    List<String> phrase = Words.of(clause.values().get(0));
                    if (words && Words.indexable(phrase)) {
                        for (String w : new LinkedHashSet<>(phrase)) {
                            if (!Words.UNINDEXED.contains(w)) {
                                out.add(List.of(new Walk(Index.WORD, Words.key(q.spaceKey(), w), true)));
                            }
                        }
                    }
                }
                default -> {
                    // categories and events have no index: checked on each record
                }
            }
        }
        return out;
    }

    /**
     * The rows of one walk of {@code audit_event}: from the cursor on (exclusive), down to {@code floor} (inclusive,
     * or no floor), at most {@code limit}; {@code positionsOnly} selects (event_date, id) alone and leaves out the
     * checks (used to find the floor), which makes it a walk of the index only.
     */
    static Sql walkSql(
            Walk w,
            SearchQuery q,
            EventCursor after,
            EventCursor floor,
            Map<SearchClause, List<String>> addresses,
            boolean positionsOnly,
            int limit,
            int offset) {
        if (w.index() == Index.WORD) {
            throw new IllegalArgumentException("a word's walk reads minutes: minutesSql");
        }
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(positionsOnly ? "event_date, id" : COLUMNS)
                .append(" FROM audit_event WHERE ");
        List<Object> params = new ArrayList<>();
        if (w.index().column != null) {
            sql.append(w.index().column).append(" = ? AND ");
            params.add(w.value());
        }
        sql.append("space_key = ?");
        params.add(q.spaceKey());
        range(sql, params, q, after, floor);
        if (!positionsOnly) {
            filters(sql, params, q, addresses);
        }
        sql.append(" ORDER BY ").append(w.index().orderBy);
        limit(sql, limit, offset);
        return new Sql(sql.toString(), params);
    }

    private static void limit(StringBuilder sql, int limit, int offset) {
        if (offset > 0) {
            sql.append(" OFFSET ")
                    .append(offset)
                    .append(" ROWS FETCH NEXT ")
                    .append(limit)
                    .append(" ROWS ONLY");
        } else {
            sql.append(" LIMIT ").append(limit);
        }
    }

    /**
     * The minutes of a word's walk, newest first: those of the search's range, at or before the minute of
     * {@code after} and before {@code before} (exclusive, or null), at most {@code limit} rows (a minute written by
     * two slots is two rows).
     */
    static Sql minutesSql(Walk w, SearchQuery q, EventCursor after, Instant before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT minute FROM audit_word WHERE word = ?");
        List<Object> params = new ArrayList<>(List.of(w.value()));
        if (q.from() != null) {
            sql.append(" AND minute >= ?");
            params.add(q.from().truncatedTo(ChronoUnit.MINUTES));
        }
        if (q.to() != null) {
            sql.append(" AND minute < ?");
            params.add(q.to());
        }
        if (after != null) {
            sql.append(" AND minute <= ?");
            params.add(after.date().truncatedTo(ChronoUnit.MINUTES));
        }
        if (before != null) {
            sql.append(" AND minute < ?");
            params.add(before);
        }
        sql.append(" ORDER BY ").append(Index.WORD.orderBy).append(" LIMIT ").append(limit);
        return new Sql(sql.toString(), params);
    }

    /** The organization's records of one minute, from the cursor on, newest first (the org index), unchecked. */
    static Sql minuteSql(SearchQuery q, Instant minute, EventCursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(COLUMNS)
                .append(" FROM audit_event WHERE space_key = ? AND event_date >= ? AND event_date < ?");
        List<Object> params = new ArrayList<>(List.of(q.spaceKey(), minute, minute.plusSeconds(60)));
        range(sql, params, q, after, null);
        sql.append(" ORDER BY ").append(Index.ORG.orderBy).append(" LIMIT ").append(limit);
        return new Sql(sql.toString(), params);
    }

    /** The search's range, the cursor (exclusive) and the floor (inclusive), on event_date and id. */
    private static void range(
            StringBuilder sql, List<Object> params, SearchQuery q, EventCursor after, EventCursor floor) {
        if (q.from() != null) {
            sql.append(" AND event_date >= ?");
            params.add(q.from());
        }
        if (q.to() != null) {
            sql.append(" AND event_date < ?");
            params.add(q.to());
        }
        if (after != null) {
            sql.append(" AND event_date <= ? AND (event_date < ? OR id < ?)");
            params.add(after.date());
            params.add(after.date());
            params.add(after.id());
        }
        if (floor != null) {
            sql.append(" AND event_date >= ? AND (event_date > ? OR id >= ?)");
            params.add(floor.date());
            params.add(floor.date());
            params.add(floor.id());
        }
    }

    /**
     * The conditions SQL can state: products, categories, events, actors, and the addresses an ip: clause resolved
     * to. Words and unresolved ranges are left to {@link SearchMatcher}. Columns that lead an index are written so
     * that no index can serve them ({@code || ''}).
     */
    static void filters(
            StringBuilder sql, List<Object> params, SearchQuery q, Map<SearchClause, List<String>> addresses) {
        for (SearchClause clause : q.clauses()) {
            String not = clause.negated() ? "NOT " : "";
            switch (clause.field()) {
                case PRODUCT -> in(sql, params, not, "product || ''", clause.values());
                case CATEGORY -> in(sql, params, not, "category", clause.values());
                case EVENT -> in(sql, params, not, "event", clause.values());
                case ACTOR -> {
                    sql.append(" AND ").append(not).append("(");
                    list(sql, params, "operation_user_id || ''", clause.values());
                    sql.append(" OR ");
                    list(sql, params, "operation_user_name", clause.values());
                    sql.append(" OR ");
                    list(sql, params, "operation_user_email", clause.values());
                    sql.append(")");
                }
                case IP -> {
                    List<String> found = addresses.get(clause);
                    if (!clause.negated() && found != null && !found.isEmpty() && found.size() <= MAX_ADDRESSES) {
                        in(sql, params, "", "ip_address || ''", found);
                    }
                }
                default -> {
                    // TEXT: checked on each record
                }
            }
        }
    }

    private static void in(StringBuilder sql, List<Object> params, String not, String column, List<String> values) {
        sql.append(" AND ").append(not);
        list(sql, params, column, values);
    }

    private static void list(StringBuilder sql, List<Object> params, String column, List<String> values) {
        Set<String> distinct = new LinkedHashSet<>(values);
        if (distinct.size() == 1) {
            sql.append(column).append(" = ?");
        } else {
            sql.append(column)
                    .append(" IN (")
                    .append("?, ".repeat(distinct.size() - 1))
                    .append("?)");
        }
        params.addAll(distinct);
    }

    /** One page of an {@link EventQuery}'s filters. */
    EventPage page(Connection c, EventQuery q, boolean postgres) throws SQLException {
        return page(c, SearchQuery.of(q), q.limit(), q.after(), postgres);
    }

    /** One page of the search, read on {@code c}. */
    EventPage page(Connection c, SearchQuery q, int limit, EventCursor after, boolean postgres) throws SQLException {
        Plan plan = plan(c, q, after, limit + 1, postgres);
        if (plan == null) {
            return new EventPage(List.of(), null);
        }
        SearchMatcher matcher = new SearchMatcher(q);
        int want = limit + 1;
        // Each walk's rows are exact from the cursor down to its floor: its last row when it filled `want`, the
        // bound's position when the bound ended it, nothing when it reached the end. The merge is exact down to the
        // highest floor.
        List<AuditRecord> rows = new ArrayList<>();
        EventCursor highestFloor = null;
        boolean cut = false;
        for (Walk w : plan.walks()) {
            List<AuditRecord> found;
            EventCursor bound;
            if (w.index() == Index.WORD) {
                Found f = readWord(c, w, q, after, matcher, want);
                found = f.rows();
                bound = f.cut();
            } else {
                bound = w.checked() ? bound(c, w, q, after) : null;
                found = read(c, w, q, after, bound, plan.addresses(), matcher, want);
            }
            rows.addAll(found);
            EventCursor floor = null;
            boolean byBound = false;
            if (found.size() == want) {
                AuditRecord last = found.get(found.size() - 1);
                floor = new EventCursor(last.date(), last.id());
            } else if (bound != null) {
                floor = bound;
                byBound = true;
            }
            if (floor != null && (highestFloor == null || compare(floor, highestFloor) > 0)) {
                highestFloor = floor;
                cut = byBound;
            }
        }
        rows.sort(NEWEST_FIRST);
        List<AuditRecord> page = new ArrayList<>(Math.min(rows.size(), want));
        Set<Long> seen = new HashSet<>();
        for (AuditRecord r : rows) {
            if (page.size() == want) {
                break;
            }
            if (highestFloor != null && compare(new EventCursor(r.date(), r.id()), highestFloor) < 0) {
                break;
            }
            if (seen.add(r.id())) {
                page.add(r);
            }
        }
        if (page.size() > limit) {
            List<AuditRecord> full = List.copyOf(page.subList(0, limit));
            AuditRecord last = full.get(full.size() - 1);
            return new EventPage(full, new EventCursor(last.date(), last.id()));
        }
        if (highestFloor != null && cut && page.size() == limit) {
            // full after all: the next page goes on from its last record, as any other page
            AuditRecord last = page.get(page.size() - 1);
            return new EventPage(List.copyOf(page), new EventCursor(last.date(), last.id()));
        }
        if (highestFloor != null && cut) {
            return new EventPage(List.copyOf(page), highestFloor, highestFloor.date());
        }
        return new EventPage(List.copyOf(page), null);
    }

    /**
     * The walks that answer the search from {@code after} on, or null when a clause that must hold matches nothing
     * the organization's records carry.
     */
    Plan plan(Connection c, SearchQuery q, EventCursor after, int want, boolean postgres) throws SQLException {
        boolean words = indexed.getAsBoolean();
        List<String> userIds = List.of();
        for (SearchClause clause : q.clauses()) {
            if (clause.field() == SearchField.ACTOR && !clause.negated()) {
                Set<String> ids = new LinkedHashSet<>();
                for (String v : clause.values()) {
                    ids.addAll(UserDirectory.lookup(c, q.spaceKey(), v));
                }
                userIds = new ArrayList<>(ids);
                break;
            }
        }
        Map<SearchClause, List<String>> addresses = new HashMap<>();
        if (words) {
            for (SearchClause clause : q.clauses()) {
                if (clause.field() == SearchField.IP && !clause.negated()) {
                    addresses.put(clause, addresses(c, q, clause));
                }
            }
        }
        List<List<Walk>> drivers = drivers(q, userIds, addresses, words);
        for (List<Walk> d : drivers) {
            if (d.isEmpty()) {
                return null; // a clause every record must match names nothing there
            }
        }
        if (drivers.isEmpty()) {
            return new Plan(List.of(new Walk(Index.ORG, null, !q.clauses().isEmpty())), addresses);
        }
        if (drivers.size() == 1) {
            return new Plan(drivers.get(0), addresses);
        }
        // the sparsest: the driver whose first `want` index entries reach furthest back
        List<Walk> best = null;
        EventCursor bestReach = null;
        int bestCount = Integer.MAX_VALUE;
        for (List<Walk> d : drivers) {
            List<EventCursor> positions = new ArrayList<>();
            for (Walk w : d) {
                if (w.index() == Index.WORD) {
                    // each of its minutes holds one match at least: as far back as `want` of them reach
                    for (Instant m : minutes(c, minutesSql(w, q, after, null, want))) {
                        positions.add(new EventCursor(m, Long.MAX_VALUE));
                    }
                } else {
                    positions.addAll(positions(c, walkSql(w, q, after, null, addresses, true, want, 0)));
                }
            }
            positions.sort((a, b) -> compare(b, a));
            int count = Math.min(positions.size(), want);
            EventCursor reach = positions.size() >= want ? positions.get(want - 1) : null;
            boolean better;
            if (best == null) {
                better = true;
            } else if (count < want || bestCount < want) {
                better = count < bestCount;
            } else {
                better = compare(reach, bestReach) < 0;
            }
            if (better) {
                best = d;
                bestReach = reach;
                bestCount = count;
            }
        }
        List<Walk> checked = new ArrayList<>();
        for (Walk w : best) {
            checked.add(new Walk(w.index(), w.value(), true));
        }
        return new Plan(checked, addresses);
    }

    /**
     * The addresses of the organization in an ip: clause's ranges (at most {@link #MAX_ADDRESSES} + 1: past that the
     * clause does not drive), found address by address in {@code audit_ip}: one probe for the next
     * address in the range, one for its text forms, whatever the number of days and slots each has.
     */
    private List<String> addresses(Connection c, SearchQuery q, SearchClause clause) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        for (String value : clause.values()) {
            IpRange range = IpRange.parse(value);
            byte[] at = null;
            while (out.size() <= MAX_ADDRESSES) {
                byte[] next = null;
                try (PreparedStatement ps = nextAddressSql(
                                        q.spaceKey(), at == null ? range.first() : at, at != null, range.last())
                                .prepare(c, timeoutSeconds);
                        ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        next = rs.getBytes(1);
                    }
                }
                if (next == null) {
                    break;
                }
                try (PreparedStatement ps = new Sql(
                                        "SELECT DISTINCT ip_address FROM audit_ip WHERE space_key = ? "
                                                + "AND ip_bytes = ?",
                                        List.of(q.spaceKey(), next))
                                .prepare(c, timeoutSeconds);
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                at = next;
            }
            if (out.size() > MAX_ADDRESSES) {
                break;
            }
        }
        return new ArrayList<>(out);
    }

    /** The first address of the organization from {@code from} (after it, when {@code after}) up to {@code last}. */
    static Sql nextAddressSql(String spaceKey, byte[] from, boolean after, byte[] last) {
        return new Sql(
                "SELECT ip_bytes FROM audit_ip WHERE space_key = ? AND ip_bytes " + (after ? ">" : ">=")
                        + " ? AND ip_bytes <= ? ORDER BY space_key, ip_bytes LIMIT 1",
                List.of(spaceKey, from, last));
    }

    /**
     * The records of one walk from {@code after} down to {@code floor} that match the search, at most {@code want}:
     * read a page at a time, each checked, until enough matched or the floor (or the end) is reached.
     */
    private List<AuditRecord> read(
            Connection c,
            Walk w,
            SearchQuery q,
            EventCursor after,
            EventCursor floor,
            Map<SearchClause, List<String>> addresses,
            SearchMatcher matcher,
            int want)
            throws SQLException {
        List<AuditRecord> out = new ArrayList<>();
        EventCursor from = after;
        while (true) {
            List<AuditRecord> rows = records(c, walkSql(w, q, from, floor, addresses, false, want, 0));
            for (AuditRecord r : rows) {
                if (matcher.matches(r)) {
                    out.add(r);
                    if (out.size() == want) {
                        return out;
                    }
                }
            }
            if (rows.size() < want) {
                return out;
            }
            AuditRecord last = rows.get(rows.size() - 1);
            from = new EventCursor(last.date(), last.id());
        }
    }

    /** What a word's walk found: the matches, and where the bound cut it (null: it ended, or the page is full). */
    record Found(List<AuditRecord> rows, EventCursor cut) {}

    /**
     * A word's walk: its minutes newest first from the cursor's, and in each the organization's records newest first,
     * each checked, until {@code want} matched, the minutes ran out, or {@link #scanRows} records were read: then the
     * position of the last one read is where it was cut (every record after it was looked at).
     */
    private Found readWord(Connection c, Walk w, SearchQuery q, EventCursor after, SearchMatcher matcher, int want)
            throws SQLException {
        List<AuditRecord> out = new ArrayList<>();
        int read = 0;
        Instant before = null;
        int chunk = 64;
        while (true) {
            List<Instant> minutes = minutes(c, minutesSql(w, q, after, before, chunk));
            if (minutes.isEmpty()) {
                return new Found(out, null);
            }
            Instant previous = null;
            for (Instant minute : minutes) {
                if (minute.equals(previous)) {
                    continue; // the same minute, of another slot
                }
                previous = minute;
                EventCursor from = after;
                while (true) {
                    int page = Math.min(want, scanRows - read);
                    List<AuditRecord> rows = records(c, minuteSql(q, minute, from, page));
                    read += rows.size();
                    for (AuditRecord r : rows) {
                        if (matcher.matches(r)) {
                            out.add(r);
                            if (out.size() == want) {
                                return new Found(out, null);
                            }
                        }
                    }
                    if (!rows.isEmpty()) {
                        AuditRecord last = rows.get(rows.size() - 1);
                        from = new EventCursor(last.date(), last.id());
                    }
                    if (read >= scanRows) {
                        return new Found(out, from);
                    }
                    if (rows.size() < page) {
                        break; // the minute is done
                    }
                }
            }
            if (minutes.size() < chunk) {
                return new Found(out, null);
            }
            before = minutes.get(minutes.size() - 1);
            chunk = Math.min(chunk * 4, 4096);
        }
    }

    private List<Instant> minutes(Connection c, Sql sql) throws SQLException {
        try (PreparedStatement ps = sql.prepare(c, timeoutSeconds);
                ResultSet rs = ps.executeQuery()) {
            List<Instant> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getObject(1, OffsetDateTime.class).toInstant());
            }
            return out;
        }
    }

    /** The position {@link #scanRows} index entries back from the cursor, or null when the walk ends before. */
    private EventCursor bound(Connection c, Walk w, SearchQuery q, EventCursor after) throws SQLException {
        List<EventCursor> p = positions(c, walkSql(w, q, after, null, Map.of(), true, 1, scanRows - 1));
        return p.isEmpty() ? null : p.get(0);
    }

    private List<EventCursor> positions(Connection c, Sql sql) throws SQLException {
        try (PreparedStatement ps = sql.prepare(c, timeoutSeconds);
                ResultSet rs = ps.executeQuery()) {
            List<EventCursor> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new EventCursor(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2)));
            }
            return out;
        }
    }

    private List<AuditRecord> records(Connection c, Sql sql) throws SQLException {
        try (PreparedStatement ps = sql.prepare(c, timeoutSeconds);
                ResultSet rs = ps.executeQuery()) {
            List<AuditRecord> out = new ArrayList<>();
            while (rs.next()) {
                out.add(record(rs));
            }
            return out;
        }
    }

    static AuditRecord record(ResultSet rs) throws SQLException {
        return new AuditRecord(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getObject(4, OffsetDateTime.class).toInstant(),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                rs.getString(12),
                rs.getString(13));
    }

    /** Newest-first order of positions: positive when {@code a} is newer than {@code b}. */
    static int compare(EventCursor a, EventCursor b) {
        int d = a.date().compareTo(b.date());
        return d != 0 ? d : Long.compare(a.id(), b.id());
    }
}
