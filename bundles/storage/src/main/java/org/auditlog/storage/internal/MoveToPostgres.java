package org.auditlog.storage.internal;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.auditlog.api.adapter.AuditRecord;

/**
 * {@code bin/auditlog-move}: copies an embedded HSQLDB data folder's database into PostgreSQL (events,
 * organizations with members and privilege history, tokens, the inbox, export jobs and download tokens, the
 * mail outbox, the monthly runs, the user directory, the late-record notes, the evidence, the streams and their
 * places), then counts every table on both
 * sides. Run it with the server stopped (the data folder's lock says so otherwise).
 *
 * <p>Resumable: events go in id order, {@link #EVENT_CHUNK} per transaction, and a second run goes on after the
 * highest id already there; every other table is written with {@code ON CONFLICT DO NOTHING}, so rows moved
 * before are left as they are. The identity columns (inbox, mail outbox) continue after the moved ids.
 */
public final class MoveToPostgres {
    static final int EVENT_CHUNK = 10_000;

    /** Every table but the events, in an order that never needs a row of a later one; with its key. */
    static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("organization", "space_key");
        TABLES.put("member", "space_key, user_id");
        TABLES.put("privilege_grant", "space_key, seq");
        TABLES.put("api_token", "id");
        TABLES.put("known_product", "name");
        TABLES.put("inbox", "id");
        TABLES.put("export_job", "id");
        TABLES.put("monthly_run", "month");
        TABLES.put("download_token", "id");
        TABLES.put("mail_outbox", "id");
        TABLES.put("audit_user", "space_key, user_id, user_name, user_email");
        TABLES.put("late_record", "space_key, product, month");
        TABLES.put("evidence_tree", "space_key, product");
        TABLES.put("evidence_tile", "space_key, product, tile_level, tile_index");
        TABLES.put("evidence_month", "space_key, product, month");
        TABLES.put("evidence_stray", "space_key, product, seq");
        TABLES.put("evidence_checkpoint", "space_key, product, name");
        TABLES.put("evidence_key", "verifier");
        TABLES.put("stream", "id");
        TABLES.put("stream_position", "stream_id, space_key, product");
    }

    private MoveToPostgres() {}

    /** One table's rows on both sides after the move. */
    record Count(String table, long source, long target) {
        boolean matches() {
            return source == target;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path data = Path.of(options.getOrDefault("data", "data"));
        String url = options.getOrDefault("to", System.getenv().getOrDefault("AUDITLOG_JDBC_URL", ""));
        String user = options.getOrDefault("user", System.getenv().getOrDefault("AUDITLOG_JDBC_USER", ""));
        String password = System.getenv().getOrDefault("AUDITLOG_JDBC_PASSWORD", "");
        if (url.isBlank() || Dialect.of(url) != Dialect.POSTGRESQL) {
            System.err.println("auditlog-move: --to jdbc:postgresql://host:5432/name (or AUDITLOG_JDBC_URL) is needed");
            System.exit(2);
        }
        if (!Files.isDirectory(data.resolve("db"))) {
            System.err.println("auditlog-move: no database under " + data.toAbsolutePath() + "/db (--data DIR)");
            System.exit(2);
        }
        List<Count> counts;
        try (Database source = Database.openEmbedded(data.resolve("db"), Database.Pools.withWrite(2));
                Database target = Database.openUrl(url, user, password, Database.Pools.withWrite(2))) {
            counts = move(source, target, System.out);
        } catch (SQLException e) {
            System.err.println("auditlog-move: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println();
        System.out.printf("%-16s %14s %14s%n", "table", "HSQLDB", "PostgreSQL");
        boolean ok = true;
        for (Count c : counts) {
            System.out.printf(
                    "%-16s %14d %14d%s%n", c.table(), c.source(), c.target(), c.matches() ? "" : "   DIFFERS");
            ok &= c.matches();
        }
        System.out.println(
                ok
                        ? "auditlog-move: every table has the same rows on both sides"
                        : "auditlog-move: counts differ (run again to finish an interrupted move; rows written in PostgreSQL "
                                + "by a server meanwhile count there too)");
        System.exit(ok ? 0 : 1);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: auditlog-move [--data DIR] --to jdbc:postgresql://host:5432/name [--user U]"
                        + " (password from AUDITLOG_JDBC_PASSWORD)");
                System.exit(2);
            }
            out.put(a.substring(2), args[++i]);
        }
        return out;
    }

    /** Moves every table, events last; returns the counts of both sides, events first. */
    static List<Count> move(Database source, Database target, PrintStream log) throws SQLException {
        List<Count> counts = new ArrayList<>();
        try (Connection from = source.writePool().getConnection();
                Connection to = target.writePool().getConnection()) {
            long sourceMax = maxId(from);
            long before = movedBefore(to, sourceMax);
            long moved = moveEvents(from, to, target, sourceMax, log);
            log.printf("events: %d moved in this run%n", moved);
            if (moved > 0) {
                backfillMoved(to, before, sourceMax);
            }
            counts.add(new Count("audit_event", count(from, "audit_event", null), count(to, "audit_event", sourceMax)));
            for (Map.Entry<String, String> t : TABLES.entrySet()) {
                long n = moveTable(from, to, t.getKey(), t.getValue());
                log.printf("%s: %d moved in this run%n", t.getKey(), n);
                counts.add(new Count(t.getKey(), count(from, t.getKey(), null), count(to, t.getKey(), null)));
            }
            for (String table : List.of("inbox", "mail_outbox")) {
                try (Statement s = to.createStatement()) {
                    s.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), "
                            + "(SELECT COALESCE(MAX(id), 0) + 1 FROM " + table + "), false)");
                }
            }
            to.commit();
        }
        return counts;
    }

    private static long maxId(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM audit_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The highest of the source's ids already moved (0 for none). */
    private static long movedBefore(Connection to, long sourceMax) throws SQLException {
        long after;
        try (PreparedStatement ps = to.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM audit_event WHERE id <= ?")) {
            ps.setLong(1, sourceMax);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                after = rs.getLong(1);
            }
        }
        to.commit();
        return after;
    }

    /**
     * Leaves the words and counts of the events moved in this run (ids after {@code before}, up to {@code sourceMax})
     * to the server's backfill ({@link SearchBackfill}), which gives them at its next start.
     */
    private static void backfillMoved(Connection to, long before, long sourceMax) throws SQLException {
        try (PreparedStatement ps = to.prepareStatement("UPDATE search_backfill SET next_id = LEAST(next_id, "
                + "(SELECT MIN(id) FROM audit_event WHERE id > ? AND id <= ?)), upto_id = GREATEST(upto_id, ?) "
                + "WHERE id = 1")) {
            ps.setLong(1, before);
            ps.setLong(2, sourceMax);
            ps.setLong(3, sourceMax);
            ps.executeUpdate();
        }
        to.commit();
    }

    /** Events in id order after the highest already moved (of the source's ids), {@link #EVENT_CHUNK} a commit. */
    static long moveEvents(Connection from, Connection to, Database target, long sourceMax, PrintStream log)
            throws SQLException {
        long after = movedBefore(to, sourceMax);
        if (after > 0) {
            log.printf("events: going on after id %d, moved before%n", after);
        }
        long moved = 0;
        while (true) {
            List<AuditRecord> chunk = new ArrayList<>(EVENT_CHUNK);
            long[] seqs = new long[EVENT_CHUNK];
            try (PreparedStatement ps = from.prepareStatement("SELECT " + EventSearch.COLUMNS
                    + ", seq FROM audit_event WHERE id > ? ORDER BY id FETCH FIRST " + EVENT_CHUNK + " ROWS ONLY")) {
                ps.setLong(1, after);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(14);
                        seqs[chunk.size()] = rs.wasNull() ? -1 : seq; // a record stored before the log was kept
                        chunk.add(EventSearch.record(rs));
                    }
                }
            }
            from.commit();
            if (chunk.isEmpty()) {
                return moved;
            }
            target.partitions().ensureFor(chunk);
            CopyIngest.copy(to, chunk, seqs);
            to.commit();
            moved += chunk.size();
            after = chunk.get(chunk.size() - 1).id();
            if (moved % 500_000 < EVENT_CHUNK) {
                log.printf("events: %d moved, up to id %d%n", moved, after);
            }
        }
    }

    /** A whole table, its rows that are not there yet; returns how many were written. */
    static long moveTable(Connection from, Connection to, String table, String key) throws SQLException {
        long written = 0;
        try (Statement s = from.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY " + key)) {
            ResultSetMetaData meta = rs.getMetaData();
            int n = meta.getColumnCount();
            StringBuilder cols = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                cols.append(i > 1 ? ", " : "").append(meta.getColumnName(i).toLowerCase(Locale.ROOT));
                marks.append(i > 1 ? ", " : "").append('?');
            }
            // identity columns are GENERATED BY DEFAULT: the moved ids are taken as they are
            try (PreparedStatement ps = to.prepareStatement(
                    "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ") ON CONFLICT DO NOTHING")) {
                int batch = 0;
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        int type = meta.getColumnType(i);
                        Object value = switch (type) {
                            case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(i, OffsetDateTime.class);
                            case Types.CLOB -> rs.getString(i);
                            case Types.DATE -> rs.getObject(i, LocalDate.class);
                            default -> rs.getObject(i);
                        };
                        ps.setObject(i, value);
                    }
                    ps.addBatch();
                    if (++batch == 1000) {
                        written += sum(ps.executeBatch());
                        batch = 0;
                    }
                }
                written += sum(ps.executeBatch());
            }
        }
        from.commit();
        to.commit();
        return written;
    }

    private static long sum(int[] counts) {
        long n = 0;
        for (int c : counts) {
            n += Math.max(0, c);
        }
        return n;
    }

    private static long count(Connection c, String table, Long maxId) throws SQLException {
        String sql = "SELECT COUNT(*) FROM " + table + (maxId == null ? "" : " WHERE id <= " + maxId);
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long n = rs.getLong(1);
            c.commit();
            return n;
        }
    }
}
