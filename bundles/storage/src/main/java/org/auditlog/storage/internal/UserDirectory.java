package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.auditlog.api.adapter.AuditRecord;

/**
 * The table {@code audit_user}: every (user id, name, email) that an organization's records carry. A search by
 * user name or email looks up the user ids here, then walks the user index of {@code audit_event} for each.
 *
 * <p>Rows are written in the transaction of the records that carry them, so a record is never committed
 * without its row. A bounded set of the rows known to be committed keeps the common case (a user seen before)
 * free of any database work. A row is known for {@link #KNOWN_FOR} at most: another server sharing the database
 * may delete an organization's rows with its data (retention purges it at least 30 days after the organization
 * last recorded anything), and a row that was known here before must then be written again when the next
 * organization of that space key records the same user.
 */
final class UserDirectory {
    /** How many (organization, id, name, email) rows the set of known rows holds before it forgets the oldest. */
    static final int KNOWN_ROWS = 65_536;
    /**
     * How long a row stays known after it was written or found written: far below the 30 days between an
     * organization's last record and the purge of its rows, so no row deleted by another server is taken as there;
     * a user who keeps acting costs one more write a day.
     */
    static final Duration KNOWN_FOR = Duration.ofDays(1);

    static final String MERGE_SQL = "MERGE INTO audit_user u USING (VALUES (CAST(? AS VARCHAR(64)), "
            + "CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(254)))) "
            + "AS v (space_key, user_id, user_name, user_email) "
            + "ON u.space_key = v.space_key AND u.user_id = v.user_id AND u.user_name = v.user_name "
            + "AND u.user_email = v.user_email "
            + "WHEN NOT MATCHED THEN INSERT (space_key, user_id, user_name, user_email) "
            + "VALUES (v.space_key, v.user_id, v.user_name, v.user_email)";
    /**
     * PostgreSQL: a failed statement ends the whole transaction there, so a row another writer committed in the
     * meantime must not be an error; {@code ON CONFLICT DO NOTHING} waits for that writer and leaves its row.
     */
    static final String POSTGRESQL_INSERT_SQL = "INSERT INTO audit_user (space_key, user_id, user_name, user_email) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";

    /** The user ids whose id, name or email is the searched text. */
    static final String LOOKUP_SQL = "SELECT user_id FROM audit_user WHERE space_key = ? AND user_id = ? "
            + "UNION SELECT user_id FROM audit_user WHERE space_key = ? AND user_name = ? "
            + "UNION SELECT user_id FROM audit_user WHERE space_key = ? AND user_email = ?";

    private final String writeSql;
    /** {@link System#nanoTime}, or a test's own. */
    private final LongSupplier nanos;

    /** The rows known to be committed, each with when it was last written ({@link #nanos}). */
    private final Map<List<String>, Long> known = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<List<String>, Long> eldest) {
            return size() > KNOWN_ROWS;
        }
    };

    private static final Comparator<List<String>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < 4; i++) {
            int d = a.get(i).compareTo(b.get(i));
            if (d != 0) {
                return d;
            }
        }
        return 0;
    };

    /** The directory of a database of this dialect. */
    UserDirectory(Dialect dialect) {
        this(dialect, System::nanoTime);
    }

    UserDirectory(Dialect dialect, LongSupplier nanos) {
        this.writeSql = dialect == Dialect.POSTGRESQL ? POSTGRESQL_INSERT_SQL : MERGE_SQL;
        this.nanos = nanos;
    }

    /**
     * Writes, on the caller's connection and in its transaction, the rows the records need that are not known
     * to be there; returns them, to be passed to {@link #remember} once the transaction committed. Rows are
     * written in sorted order, so two writers adding the same new users wait for each other in one order and
     * never deadlock; a row another writer committed in the meantime is a duplicate key, and simply there.
     */
    List<List<String>> write(Connection c, List<AuditRecord> records) throws SQLException {
        SortedSet<List<String>> missing = new TreeSet<>(KEY_ORDER);
        long now = nanos.getAsLong();
        synchronized (known) {
            for (AuditRecord r : records) {
                List<String> key =
                        List.of(r.spaceKey(), r.operationUserId(), r.operationUserName(), r.operationUserEmail());
                Long written = known.get(key);
                if (written == null || now - written > KNOWN_FOR.toNanos()) {
                    missing.add(key);
                }
            }
        }
        if (missing.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(writeSql)) {
            for (List<String> key : missing) {
                for (int i = 0; i < 4; i++) {
                    ps.setString(i + 1, key.get(i));
                }
                try {
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (!SqlFailures.isUniqueViolation(e)) {
                        throw e;
                    }
                }
            }
        }
        return new ArrayList<>(missing);
    }

    /** Notes rows as written, after the transaction that wrote them committed. */
    void remember(List<List<String>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        long now = nanos.getAsLong();
        synchronized (known) {
            for (List<String> key : rows) {
                known.put(key, now);
            }
        }
    }

    /** The user ids of the organization whose id, name or email equals {@code user}, in no order. */
    static List<String> lookup(Connection c, String spaceKey, String user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOOKUP_SQL)) {
            for (int i = 0; i < 3; i++) {
                ps.setString(2 * i + 1, spaceKey);
                ps.setString(2 * i + 2, user);
            }
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /** Forgets an organization's rows (its records are being deleted). */
    void deleteOrganization(Connection c, String spaceKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_user WHERE space_key = ?")) {
            ps.setString(1, spaceKey);
            ps.executeUpdate();
        }
        synchronized (known) {
            known.keySet().removeIf(k -> k.get(0).equals(spaceKey));
        }
    }
}
