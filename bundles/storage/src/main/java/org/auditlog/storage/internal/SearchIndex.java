package org.auditlog.storage.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IpAddresses;

/**
 * What the search language reads beside the records, written in the records' own transaction and deleted with them:
 * the words of each action ({@code audit_word}, see {@link Words}), and the counts of records per hour and kind of
 * event ({@code audit_count}), per day and operation user ({@code audit_actor_count}) and per day and IP address
 * ({@code audit_ip_count}). Tables in V11__search.sql (HSQLDB) and V5__search.sql (PostgreSQL).
 *
 * <p>Counts are added to rows of the writing transaction's own {@link Slot}: no two transactions open at once hold
 * the same slot, so none waits for another's row, nor do two insert the same new row. A count is the sum over the
 * slots. The slots of one server are 64 numbers from a random base, so servers sharing a database rarely share one
 * (where they do, PostgreSQL's upsert makes one wait for the other).
 *
 * <p>Rows are counted in their transaction's order of keys (sorted), so two writers never wait for each other in a
 * circle.
 */
final class SearchIndex {
    static final String INSERT_WORD_SQL = "INSERT INTO audit_word (word, event_date, id) VALUES (?, ?, ?)";
    static final String DELETE_WORD_SQL = "DELETE FROM audit_word WHERE word = ? AND event_date = ? AND id = ?";

    static final String HSQLDB_COUNT_SQL = "MERGE INTO audit_count t USING (VALUES (CAST(? AS VARCHAR(64)), "
            + "CAST(? AS TIMESTAMP(0) WITH TIME ZONE), CAST(? AS VARCHAR(32)), CAST(? AS VARCHAR(64)), "
            + "CAST(? AS VARCHAR(128)), CAST(? AS INT), CAST(? AS BIGINT))) "
            + "AS v (space_key, hour, product, category, event, slot, n) "
            + "ON t.space_key = v.space_key AND t.hour = v.hour AND t.product = v.product AND t.category = v.category "
            + "AND t.event = v.event AND t.slot = v.slot "
            + "WHEN MATCHED THEN UPDATE SET t.n = t.n + v.n "
            + "WHEN NOT MATCHED THEN INSERT VALUES (v.space_key, v.hour, v.product, v.category, v.event, v.slot, v.n)";
    static final String POSTGRESQL_COUNT_SQL = "INSERT INTO audit_count (space_key, hour, product, category, event, "
            + "slot, n) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (space_key, hour, product, category, event, slot) "
            + "DO UPDATE SET n = audit_count.n + EXCLUDED.n";
    static final String HSQLDB_ACTOR_SQL = "MERGE INTO audit_actor_count t USING (VALUES (CAST(? AS VARCHAR(64)), "
            + "CAST(? AS TIMESTAMP(0) WITH TIME ZONE), CAST(? AS VARCHAR(128)), CAST(? AS INT), CAST(? AS BIGINT))) "
            + "AS v (space_key, day, user_id, slot, n) "
            + "ON t.space_key = v.space_key AND t.day = v.day AND t.user_id = v.user_id AND t.slot = v.slot "
            + "WHEN MATCHED THEN UPDATE SET t.n = t.n + v.n "
            + "WHEN NOT MATCHED THEN INSERT VALUES (v.space_key, v.day, v.user_id, v.slot, v.n)";
    static final String POSTGRESQL_ACTOR_SQL = "INSERT INTO audit_actor_count (space_key, day, user_id, slot, n) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (space_key, day, user_id, slot) "
            + "DO UPDATE SET n = audit_actor_count.n + EXCLUDED.n";
    static final String HSQLDB_IP_SQL = "MERGE INTO audit_ip_count t USING (VALUES (CAST(? AS VARCHAR(64)), "
            + "CAST(? AS TIMESTAMP(0) WITH TIME ZONE), CAST(? AS VARCHAR(45)), CAST(? AS VARBINARY(16)), "
            + "CAST(? AS INT), CAST(? AS BIGINT))) AS v (space_key, day, ip_address, ip_bytes, slot, n) "
            + "ON t.space_key = v.space_key AND t.day = v.day AND t.ip_address = v.ip_address AND t.slot = v.slot "
            + "WHEN MATCHED THEN UPDATE SET t.n = t.n + v.n "
            + "WHEN NOT MATCHED THEN INSERT VALUES (v.space_key, v.day, v.ip_address, v.ip_bytes, v.slot, v.n)";
    static final String POSTGRESQL_IP_SQL = "INSERT INTO audit_ip_count (space_key, day, ip_address, ip_bytes, slot, "
            + "n) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (space_key, day, ip_address, slot) "
            + "DO UPDATE SET n = audit_ip_count.n + EXCLUDED.n";

    /** Slots of one server. */
    static final int SLOTS = 64;

    /** How often, while the backfill of an older store is not done, whether it is done is read again. */
    static final long INDEXED_CHECK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    /** Whether every record has its words and counts: no backfill left ({@code search_backfill}). */
    private volatile boolean indexed;

    private volatile long indexedCheckedAt = System.nanoTime() - INDEXED_CHECK_NANOS;
    private volatile javax.sql.DataSource source;

    private final String countSql;
    private final String actorSql;
    private final String ipSql;
    private final int slotBase;
    private final BitSet taken = new BitSet(SLOTS);

    SearchIndex(Dialect dialect) {
        boolean pg = dialect == Dialect.POSTGRESQL;
        this.countSql = pg ? POSTGRESQL_COUNT_SQL : HSQLDB_COUNT_SQL;
        this.actorSql = pg ? POSTGRESQL_ACTOR_SQL : HSQLDB_ACTOR_SQL;
        this.ipSql = pg ? POSTGRESQL_IP_SQL : HSQLDB_IP_SQL;
        this.slotBase = new SecureRandom().nextInt(1 << 24) * SLOTS;
    }

    /** The database {@link #indexed} reads the backfill's state from. */
    void readStateFrom(javax.sql.DataSource ds) {
        this.source = ds;
    }

    /**
     * Whether every record has its words and counts. While the backfill of a store made before them runs, the
     * searches read records one by one within their bound, and the counts walk, instead.
     */
    boolean indexed() {
        if (indexed) {
            return true;
        }
        long now = System.nanoTime();
        javax.sql.DataSource ds = source;
        if (ds == null || now - indexedCheckedAt < INDEXED_CHECK_NANOS) {
            return false;
        }
        indexedCheckedAt = now;
        try (Connection c = ds.getConnection()) {
            boolean done = SearchBackfill.done(c);
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            indexed = done;
            return done;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Notes that the backfill is done. */
    void markIndexed() {
        indexed = true;
    }

    /** A slot, held from before a writing transaction begins until after it ends. */
    final class Slot implements AutoCloseable {
        final int number;
        private final int index;

        private Slot(int index) {
            this.index = index;
            this.number = slotBase + index;
        }

        @Override
        public void close() {
            synchronized (taken) {
                taken.clear(index);
                taken.notifyAll();
            }
        }
    }

    /** A free slot; waits while all {@link #SLOTS} are held (as many transactions writing at once). */
    Slot slot() {
        synchronized (taken) {
            while (true) {
                int free = taken.nextClearBit(0);
                if (free < SLOTS) {
                    taken.set(free);
                    return new Slot(free);
                }
                try {
                    taken.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a slot of the counts", e);
                }
            }
        }
    }

    /** Writes the words and adds the counts of {@code records}, in the caller's transaction. */
    void write(Connection c, List<AuditRecord> records, Slot slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_WORD_SQL)) {
            int n = 0;
            for (AuditRecord r : records) {
                OffsetDateTime date = r.date().atOffset(ZoneOffset.UTC);
                for (String word : Words.distinct(r.action())) {
                    ps.setLong(1, Words.key(r.spaceKey(), word));
                    ps.setObject(2, date);
                    ps.setLong(3, r.id());
                    ps.addBatch();
                    n++;
                }
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
        count(c, records, slot.number, 1);
    }

    /** Deletes the words and takes away the counts of {@code records}, which are being deleted in this transaction. */
    void forget(Connection c, List<AuditRecord> records, Slot slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELETE_WORD_SQL)) {
            int n = 0;
            for (AuditRecord r : records) {
                OffsetDateTime date = r.date().atOffset(ZoneOffset.UTC);
                for (String word : Words.distinct(r.action())) {
                    ps.setLong(1, Words.key(r.spaceKey(), word));
                    ps.setObject(2, date);
                    ps.setLong(3, r.id());
                    ps.addBatch();
                    n++;
                }
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
        count(c, records, slot.number, -1);
    }

    /** Adds {@code sign} times the records to the counts of the slot. */
    private void count(Connection c, List<AuditRecord> records, int slot, int sign) throws SQLException {
        Map<List<Object>, Long> kinds = new TreeMap<>(SearchIndex::compareKeys);
        Map<List<Object>, Long> actors = new TreeMap<>(SearchIndex::compareKeys);
        Map<List<Object>, Long> ips = new TreeMap<>(SearchIndex::compareKeys);
        for (AuditRecord r : records) {
            Instant hour = r.date().truncatedTo(ChronoUnit.HOURS);
            Instant day = r.date().truncatedTo(ChronoUnit.DAYS);
            kinds.merge(List.of(r.spaceKey(), hour, r.product(), r.category(), r.event()), (long) sign, Long::sum);
            actors.merge(List.of(r.spaceKey(), day, r.operationUserId()), (long) sign, Long::sum);
            if (!r.ipAddress().isEmpty() && IpAddresses.isValid(r.ipAddress())) {
                ips.merge(List.of(r.spaceKey(), day, r.ipAddress()), (long) sign, Long::sum);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(countSql)) {
            for (var e : kinds.entrySet()) {
                List<Object> k = e.getKey();
                ps.setString(1, (String) k.get(0));
                ps.setObject(2, ((Instant) k.get(1)).atOffset(ZoneOffset.UTC));
                ps.setString(3, (String) k.get(2));
                ps.setString(4, (String) k.get(3));
                ps.setString(5, (String) k.get(4));
                ps.setInt(6, slot);
                ps.setLong(7, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(actorSql)) {
            for (var e : actors.entrySet()) {
                List<Object> k = e.getKey();
                ps.setString(1, (String) k.get(0));
                ps.setObject(2, ((Instant) k.get(1)).atOffset(ZoneOffset.UTC));
                ps.setString(3, (String) k.get(2));
                ps.setInt(4, slot);
                ps.setLong(5, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!ips.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(ipSql)) {
                for (var e : ips.entrySet()) {
                    List<Object> k = e.getKey();
                    ps.setString(1, (String) k.get(0));
                    ps.setObject(2, ((Instant) k.get(1)).atOffset(ZoneOffset.UTC));
                    ps.setString(3, (String) k.get(2));
                    ps.setBytes(4, IpAddresses.bytes((String) k.get(2)));
                    ps.setInt(5, slot);
                    ps.setLong(6, e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** Deletes the counts of buckets that end at or before {@code cutoff} (their records are all deleted). */
    static void deleteCountsBefore(Connection c, String spaceKey, Instant cutoff) throws SQLException {
        Instant hour = cutoff.truncatedTo(ChronoUnit.HOURS);
        Instant day = cutoff.truncatedTo(ChronoUnit.DAYS);
        String org = spaceKey == null ? "" : "space_key = ? AND ";
        for (String[] t :
                new String[][] {{"audit_count", "hour"}, {"audit_actor_count", "day"}, {"audit_ip_count", "day"}}) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t[0] + " WHERE " + org + t[1] + " < ?")) {
                int i = 1;
                if (spaceKey != null) {
                    ps.setString(i++, spaceKey);
                }
                ps.setObject(i, (t[1].equals("hour") ? hour : day).atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
        }
    }

    /** Deletes an organization's words and counts (its records are being deleted in this transaction). */
    static void forgetOrganization(Connection c, String spaceKey) throws SQLException {
        try (PreparedStatement read =
                        c.prepareStatement("SELECT event_date, id, action FROM audit_event WHERE space_key = ?");
                PreparedStatement delete = c.prepareStatement(DELETE_WORD_SQL)) {
            read.setString(1, spaceKey);
            read.setFetchSize(1000);
            int n = 0;
            try (java.sql.ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime date = rs.getObject(1, OffsetDateTime.class);
                    long id = rs.getLong(2);
                    for (String word : Words.distinct(rs.getString(3))) {
                        delete.setLong(1, Words.key(spaceKey, word));
                        delete.setObject(2, date);
                        delete.setLong(3, id);
                        delete.addBatch();
                        if (++n % 1000 == 0) {
                            delete.executeBatch();
                        }
                    }
                }
            }
            if (n % 1000 != 0) {
                delete.executeBatch();
            }
        }
        deleteCounts(c, spaceKey);
    }

    private static void deleteCounts(Connection c, String spaceKey) throws SQLException {
        for (String table : List.of("audit_count", "audit_actor_count", "audit_ip_count")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE space_key = ?")) {
                ps.setString(1, spaceKey);
                ps.executeUpdate();
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int d = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }
}
