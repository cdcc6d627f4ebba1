package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.EventCursor;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;

/**
 * One page of {@code GET /api/v1/orgs/{key}/events}: the SQL for each filter combination, and a bound on the
 * work of one page.
 *
 * <p>Every search walks one index of {@code audit_event} newest first, from the cursor on, and stops at the
 * page's end: the work grows with the page, not with the organization.
 * <ul>
 * <li>No filter, or only {@code from}/{@code to}: {@code audit_event_org_date} (space_key, event_date, id).</li>
 * <li>{@code product}: {@code audit_event_product_org_date} (product, space_key, event_date, id).</li>
 * <li>{@code user}: the user ids whose id, name or email is the text ({@link UserDirectory}), then
 * {@code audit_event_user_org_date} (operation_user_id, space_key, event_date, id) once per id, merged.</li>
 * </ul>
 * A filter the chosen index does not hold (category, event, product beside user, a user name that is not
 * the id) is checked on each row the walk meets. Such a walk could meet every row of the organization before
 * it fills a page (a filter matching nothing), so it looks at most {@link #scanRows} index entries per page:
 * first the position {@code scanRows} entries back is found (a walk of the index alone), then the rows in
 * between are searched. When the bound ends a page before it is full, the page says how far back it looked
 * and its cursor continues from there.
 *
 * <p>The order is the cursor's: event_date, then id, both descending. Each ORDER BY names every column of
 * its index, the equal ones too: only then does HSQLDB walk the index backwards and stop at the limit instead
 * of sorting. Conditions on a column that leads another index are written so that no index can serve them
 * ({@code product || '' = ?}): HSQLDB picks among indexes by their leading equal columns, and must pick the
 * one whose order the page needs.
 */
final class EventSearch {
    /** Default bound on the index entries one page of a filtered search looks at. */
    static final int DEFAULT_SCAN_ROWS = 10_000;

    /** Above this many user ids for one user text, the search walks the organization instead. */
    static final int MAX_USER_IDS = 16;

    static final String COLUMNS = "id, space_key, product, event_date, category, event, action, operation_user_id, "
            + "operation_user_name, operation_user_email, ip_address, user_agent, version";

    private static final Comparator<AuditRecord> NEWEST_FIRST = Comparator.comparing(AuditRecord::date)
            .thenComparingLong(AuditRecord::id)
            .reversed();

    private final int scanRows;
    private final int timeoutSeconds;

    EventSearch(int scanRows, int timeoutSeconds) {
        if (scanRows < 1) {
            throw new IllegalArgumentException("scanRows must be at least 1: " + scanRows);
        }
        this.scanRows = scanRows;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The index a walk uses: which column it leads with besides space_key, and that column's value. */
    enum Index {
        ORG("audit_event_org_date", null, "space_key DESC, event_date DESC, id DESC"),
        PRODUCT("audit_event_product_org_date", "product", "product DESC, space_key DESC, event_date DESC, id DESC"),
        USER(
                "audit_event_user_org_date",
                "operation_user_id",
                "operation_user_id DESC, space_key DESC, event_date DESC, id DESC");

        final String name;
        final String column;
        final String orderBy;

        Index(String name, String column, String orderBy) {
            this.name = name;
            this.column = column;
            this.orderBy = orderBy;
        }
    }

    /** One index walk: the index, the value of its leading column (null for ORG), and whether rows need checking. */
    record Walk(Index index, String value, boolean checked) {}

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
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            return ps;
        }
    }

    /** The walks that answer a query; none when a user filter names nobody the organization's records carry. */
    static List<Walk> plan(EventQuery q, List<String> userIds) {
        if (q.user() != null && userIds.size() <= MAX_USER_IDS) {
            List<Walk> walks = new ArrayList<>();
            for (String id : userIds) {
                boolean checked =
                        q.product() != null || q.category() != null || q.event() != null || !id.equals(q.user());
                walks.add(new Walk(Index.USER, id, checked));
            }
            return walks;
        }
        boolean checked = q.category() != null || q.event() != null || q.user() != null;
        if (q.product() != null) {
            return List.of(new Walk(Index.PRODUCT, q.product(), checked));
        }
        return List.of(new Walk(Index.ORG, null, checked));
    }

    /**
     * The rows of one walk: from the cursor on (exclusive), down to {@code floor} (inclusive, or no floor),
     * at most {@code limit}; {@code positionsOnly} selects (event_date, id) alone and leaves out the checks
     * (used to find the floor), which makes it a walk of the index only.
     */
    static Sql walkSql(Walk w, EventQuery q, EventCursor floor, boolean positionsOnly, int limit, int offset) {
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
        if (q.from() != null) {
            sql.append(" AND event_date >= ?");
            params.add(q.from());
        }
        if (q.to() != null) {
            sql.append(" AND event_date < ?");
            params.add(q.to());
        }
        if (q.after() != null) {
            sql.append(" AND event_date <= ? AND (event_date < ? OR id < ?)");
            params.add(q.after().date());
            params.add(q.after().date());
            params.add(q.after().id());
        }
        if (floor != null) {
            sql.append(" AND event_date >= ? AND (event_date > ? OR id >= ?)");
            params.add(floor.date());
            params.add(floor.date());
            params.add(floor.id());
        }
        if (!positionsOnly) {
            if (q.product() != null && w.index() != Index.PRODUCT) {
                sql.append(" AND product || '' = ?");
                params.add(q.product());
            }
            if (q.category() != null) {
                sql.append(" AND category = ?");
                params.add(q.category());
            }
            if (q.event() != null) {
                sql.append(" AND event = ?");
                params.add(q.event());
            }
            if (q.user() != null && !(w.index() == Index.USER && q.user().equals(w.value()))) {
                sql.append(" AND (operation_user_id || '' = ? OR operation_user_name = ? OR operation_user_email = ?)");
                params.add(q.user());
                params.add(q.user());
                params.add(q.user());
            }
        }
        sql.append(" ORDER BY ").append(w.index().orderBy);
        if (offset > 0) {
            sql.append(" OFFSET ")
                    .append(offset)
                    .append(" ROWS FETCH NEXT ")
                    .append(limit)
                    .append(" ROWS ONLY");
        } else {
            sql.append(" LIMIT ").append(limit);
        }
        return new Sql(sql.toString(), params);
    }

    /** One page of the query, read on {@code c}. */
    EventPage page(Connection c, EventQuery q) throws SQLException {
        List<String> userIds = q.user() == null ? List.of() : UserDirectory.lookup(c, q.spaceKey(), q.user());
        List<Walk> walks = plan(q, userIds);
        int want = q.limit() + 1;
        // Each walk's rows are exact from the cursor down to its floor: its last row when it filled `want`,
        // the bound's position when the bound ended it, nothing when it reached the end. The merge is exact
        // down to the highest floor.
        List<AuditRecord> rows = new ArrayList<>();
        EventCursor highestFloor = null;
        boolean cut = false;
        for (Walk w : walks) {
            EventCursor bound = w.checked() ? bound(c, w, q) : null;
            List<AuditRecord> found = read(c, walkSql(w, q, bound, false, want, 0));
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
        if (page.size() > q.limit()) {
            List<AuditRecord> full = List.copyOf(page.subList(0, q.limit()));
            AuditRecord last = full.get(full.size() - 1);
            return new EventPage(full, new EventCursor(last.date(), last.id()));
        }
        if (highestFloor != null && cut && page.size() == q.limit()) {
            // full after all: the next page goes on from its last record, as any other page
            AuditRecord last = page.get(page.size() - 1);
            return new EventPage(List.copyOf(page), new EventCursor(last.date(), last.id()));
        }
        if (highestFloor != null && cut) {
            return new EventPage(List.copyOf(page), highestFloor, highestFloor.date());
        }
        return new EventPage(List.copyOf(page), null);
    }

    /** The position {@link #scanRows} index entries back from the cursor, or null when the walk ends before. */
    private EventCursor bound(Connection c, Walk w, EventQuery q) throws SQLException {
        try (PreparedStatement ps = walkSql(w, q, null, true, 1, scanRows - 1).prepare(c, timeoutSeconds);
                ResultSet rs = ps.executeQuery()) {
            return rs.next()
                    ? new EventCursor(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2))
                    : null;
        }
    }

    private List<AuditRecord> read(Connection c, Sql sql) throws SQLException {
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
