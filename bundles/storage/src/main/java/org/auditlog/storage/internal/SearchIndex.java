package org.auditlog.storage.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    static final String INSERT_WORD_SQL = "INSERT INTO audit_word (word, minute, slot) VALUES (?, ?, ?)";
    /**
     * {@link #INSERT_WORD_SQL} on HSQLDB: a row of this slot written before (and no longer in the set of known rows) is
     * left as it is. No two transactions hold one slot at once, so no two insert one row at once.
     */
    static final String HSQLDB_INSERT_WORD_SQL = "MERGE INTO audit_word t USING (VALUES (CAST(? AS BIGINT), "
            + "CAST(? AS TIMESTAMP(0) WITH TIME ZONE), CAST(? AS INT))) AS v (word, minute, slot) "
            + "ON t.word = v.word AND t.minute = v.minute AND t.slot = v.slot "
            + "WHEN NOT MATCHED THEN INSERT VALUES (v.word, v.minute, v.slot)";

    static final String DELETE_WORD_SQL = "DELETE FROM audit_word WHERE word = ? AND minute = ?";

    /** How many (word, minute) rows the set of rows known to be written holds before it forgets the oldest. */
    static final int KNOWN_WORDS = 262_144;

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
            + "CAST(? AS TIMESTAMP(0) WITH TIME ZONE), CAST(? AS VARCHAR(45)), CAST(? AS INT), CAST(? AS BIGINT))) "
            + "AS v (space_key, day, ip_address, slot, n) "
            + "ON t.space_key = v.space_key AND t.day = v.day AND t.ip_address = v.ip_address AND t.slot = v.slot "
            + "WHEN MATCHED THEN UPDATE SET t.n = t.n + v.n "
            + "WHEN NOT MATCHED THEN INSERT VALUES (v.space_key, v.day, v.ip_address, v.slot, v.n)";
    static final String POSTGRESQL_IP_SQL = "INSERT INTO audit_ip_count (space_key, day, ip_address, slot, n) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (space_key, day, ip_address, slot) "
            + "DO UPDATE SET n = audit_ip_count.n + EXCLUDED.n";
    static final String HSQLDB_ADDRESS_SQL = "MERGE INTO audit_ip t USING (VALUES (CAST(? AS VARCHAR(64)), "
            + "CAST(? AS VARBINARY(16)), CAST(? AS VARCHAR(45)), CAST(? AS INT))) "
            + "AS v (space_key, ip_bytes, ip_address, slot) ON t.space_key = v.space_key AND t.ip_bytes = v.ip_bytes "
            + "AND t.ip_address = v.ip_address AND t.slot = v.slot "
            + "WHEN NOT MATCHED THEN INSERT VALUES (v.space_key, v.ip_bytes, v.ip_address, v.slot)";
    static final String POSTGRESQL_ADDRESS_SQL = "INSERT INTO audit_ip (space_key, ip_bytes, ip_address, slot) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";

    /** Slots of one server. */
    static final int SLOTS = 64;

    /** How often, while the backfill of an older store is not done, whether it is done is read again. */
    static final long INDEXED_CHECK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    /** Whether every record has its words and counts: no backfill left ({@code search_backfill}). */
    private volatile boolean indexed;

    private volatile long indexedCheckedAt = System.nanoTime() - INDEXED_CHECK_NANOS;
    private volatile javax.sql.DataSource source;

    private final String insertWordSql;
    private final String addressSql;
    private final String countSql;
    private final String actorSql;
    private final String ipSql;
    private final int slotBase;
    private final BitSet taken = new BitSet(SLOTS);

    /**
     * The (word, minute) rows known to be committed: a word seen again in the same minute costs no write. A bounded
     * set; a row only leaves the table when its minute expired (retention) or its organization is purged, after
     * which this set is emptied.
     */
    /** The (organization, address) rows of {@code audit_ip} known to be committed, bounded as {@link #known}. */
    private final Map<List<String>, Long> knownAddresses = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<List<String>, Long> eldest) {
            return size() > KNOWN_WORDS / 4;
        }
    };

    private final Map<List<Long>, Long> known = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Long>, Long> eldest) {
            return size() > KNOWN_WORDS;
        }
    };

    SearchIndex(Dialect dialect) {
        boolean pg = dialect == Dialect.POSTGRESQL;
        // a row another server wrote meanwhile (a slot they share) is simply there
        this.insertWordSql = pg ? INSERT_WORD_SQL + " ON CONFLICT DO NOTHING" : HSQLDB_INSERT_WORD_SQL;
        this.addressSql = pg ? POSTGRESQL_ADDRESS_SQL : HSQLDB_ADDRESS_SQL;
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

    /**
     * Writes the words and adds the counts of {@code records}, in the caller's transaction; returns the word rows
     * written, for {@link #remember} once it committed.
     */
    /** The rows a transaction wrote, to be noted as known once it committed ({@link #remember}). */
    record Written(List<Long[]> words, List<List<String>> addresses) {
        static final Written NOTHING = new Written(List.of(), List.of());
    }

    Written write(Connection c, List<AuditRecord> records, Slot slot) throws SQLException {
        Set<List<Long>> rows = new LinkedHashSet<>();
        for (AuditRecord r : records) {
            long minute = r.date().truncatedTo(ChronoUnit.MINUTES).getEpochSecond();
            for (String word : Words.indexed(r.action())) {
                rows.add(List.of(Words.key(r.spaceKey(), word), minute));
            }
        }
        long now = System.nanoTime();
        synchronized (known) {
            rows.removeIf(r -> fresh(known.get(r), now));
        }
        List<Long[]> written = new ArrayList<>(rows.size());
        if (!rows.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(insertWordSql)) {
                for (List<Long> row : rows) {
                    ps.setLong(1, row.get(0));
                    ps.setObject(2, Instant.ofEpochSecond(row.get(1)).atOffset(ZoneOffset.UTC));
                    ps.setInt(3, slot.number);
                    ps.addBatch();
                    written.add(new Long[] {row.get(0), row.get(1)});
                }
                ps.executeBatch();
            }
        }
        count(c, records, slot.number, 1);
        return new Written(written, addresses(c, records, slot.number));
    }

    /** Writes the addresses of {@code records} not known to be in {@code audit_ip}; returns them. */
    private List<List<String>> addresses(Connection c, List<AuditRecord> records, int slot) throws SQLException {
        Set<List<String>> missing = new LinkedHashSet<>();
        synchronized (knownAddresses) {
            for (AuditRecord r : records) {
                if (!r.ipAddress().isEmpty()) {
                    List<String> key = List.of(r.spaceKey(), r.ipAddress());
                    if (!fresh(knownAddresses.get(key), System.nanoTime())) {
                        missing.add(key);
                    }
                }
            }
        }
        if (missing.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(addressSql)) {
            for (List<String> key : missing) {
                if (!IpAddresses.isValid(key.get(1))) {
                    continue;
                }
                ps.setString(1, key.get(0));
                ps.setBytes(2, IpAddresses.bytes(key.get(1)));
                ps.setString(3, key.get(1));
                ps.setInt(4, slot);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return new ArrayList<>(missing);
    }

    /** Notes the word and address rows of a transaction as written, after it committed. */
    void remember(Written written) {
        long now = System.nanoTime();
        synchronized (known) {
            for (Long[] row : written.words()) {
                known.put(List.of(row[0], row[1]), now);
            }
        }
        synchronized (knownAddresses) {
            for (List<String> a : written.addresses()) {
                knownAddresses.put(a, now);
            }
        }
    }

    /**
     * Whether a row noted at {@code written} (or never) is still taken as there: for {@link UserDirectory#KNOWN_FOR},
     * far below the 30 days after which another server may purge an organization with its rows.
     */
    private static boolean fresh(Long written, long now) {
        return written != null && now - written < UserDirectory.KNOWN_FOR.toNanos();
    }

    /** Forgets every word row and address this server knows of (rows were deleted). */
    void forgetKnown() {
        synchronized (known) {
            known.clear();
        }
        synchronized (knownAddresses) {
            knownAddresses.clear();
        }
    }

    /**
     * Takes away the counts of {@code records}, which are being deleted in this transaction because they are dated
     * before {@code cutoff}, and deletes the word rows of the minutes that end by {@code cutoff} (every record of such
     * a minute is expired; the rows of the minute {@code cutoff} falls in stay, naming records that remain).
     */
    void forget(Connection c, List<AuditRecord> records, Slot slot, Instant cutoff) throws SQLException {
        Set<List<Long>> rows = new LinkedHashSet<>();
        for (AuditRecord r : records) {
            Instant minute = r.date().truncatedTo(ChronoUnit.MINUTES);
            if (!minute.plusSeconds(60).isAfter(cutoff)) {
                for (String word : Words.indexed(r.action())) {
                    rows.add(List.of(Words.key(r.spaceKey(), word), minute.getEpochSecond()));
                }
            }
        }
        deleteWords(c, rows);
        count(c, records, slot.number, -1);
        forgetKnown();
    }

    private static void deleteWords(Connection c, Set<List<Long>> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(DELETE_WORD_SQL)) {
            for (List<Long> row : rows) {
                ps.setLong(1, row.get(0));
                ps.setObject(2, Instant.ofEpochSecond(row.get(1)).atOffset(ZoneOffset.UTC));
                ps.addBatch();
            }
            ps.executeBatch();
        }
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
                    ps.setInt(4, slot);
                    ps.setLong(5, e.getValue());
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
        Set<List<Long>> rows = new LinkedHashSet<>();
        try (PreparedStatement read =
                c.prepareStatement("SELECT event_date, action FROM audit_event WHERE space_key = ?")) {
            read.setString(1, spaceKey);
            read.setFetchSize(1000);
            try (java.sql.ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    long minute = rs.getObject(1, OffsetDateTime.class)
                            .toInstant()
                            .truncatedTo(ChronoUnit.MINUTES)
                            .getEpochSecond();
                    for (String word : Words.indexed(rs.getString(2))) {
                        rows.add(List.of(Words.key(spaceKey, word), minute));
                    }
                    if (rows.size() >= 10_000) {
                        deleteWords(c, rows);
                        rows.clear();
                    }
                }
            }
        }
        deleteWords(c, rows);
        deleteCounts(c, spaceKey);
    }

    private static void deleteCounts(Connection c, String spaceKey) throws SQLException {
        for (String table : List.of("audit_count", "audit_actor_count", "audit_ip_count", "audit_ip")) {
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
