package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.evidence.CompactTree;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.Tiles;

/**
 * The tamper-evident log's appends, in the records' own transaction: each (organization, product) of a batch locks
 * its tree's row ({@code evidence_tree}), takes the next sequence numbers, and writes the tiles the new leaves
 * change. Trees are locked in key order, so two batches never wait for each other in a circle; the appends of other
 * organizations do not wait at all. A tree's first row is made beforehand in a transaction of its own
 * ({@link #prepare}), so two first appends never collide on its key inside a records' transaction.
 */
final class EvidenceLog {
    static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuuMM");
    static final String LOCK_SQL = "UPDATE evidence_tree SET size = size + ? WHERE space_key = ? AND product = ?";
    static final String HEAD_SQL = "SELECT size, month FROM evidence_tree WHERE space_key = ? AND product = ?";
    static final String MONTH_SQL = "UPDATE evidence_tree SET month = ? WHERE space_key = ? AND product = ?";
    static final String NEW_MONTH_SQL =
            "INSERT INTO evidence_month (space_key, product, month, start_size) " + "VALUES (?, ?, ?, ?)";
    static final String STRAY_SQL =
            "INSERT INTO evidence_stray (space_key, product, seq, month, appended_in) " + "VALUES (?, ?, ?, ?, ?)";
    static final String TILE_SQL = "SELECT tile_level, tile_index, hashes FROM evidence_tile WHERE space_key = ? "
            + "AND product = ? AND tile_level = ? AND tile_index = ?";
    static final String INSERT_TILE_SQL = "INSERT INTO evidence_tile (space_key, product, tile_level, tile_index, "
            + "hashes) VALUES (?, ?, ?, ?, ?)";
    static final String UPDATE_TILE_SQL = "UPDATE evidence_tile SET hashes = ? WHERE space_key = ? AND product = ? "
            + "AND tile_level = ? AND tile_index = ?";
    static final String HSQLDB_NEW_TREE_SQL = "MERGE INTO evidence_tree t USING (VALUES (CAST(? AS VARCHAR(64)), "
            + "CAST(? AS VARCHAR(32)), CAST(? AS CHAR(6)))) AS v (space_key, product, month) "
            + "ON t.space_key = v.space_key AND t.product = v.product "
            + "WHEN NOT MATCHED THEN INSERT VALUES (v.space_key, v.product, 0, v.month)";
    static final String POSTGRESQL_NEW_TREE_SQL = "INSERT INTO evidence_tree (space_key, product, size, month) "
            + "VALUES (?, ?, 0, ?) ON CONFLICT (space_key, product) DO NOTHING";
    static final String FIRST_MONTH_SQL = "INSERT INTO evidence_month (space_key, product, month, start_size) "
            + "SELECT space_key, product, month, 0 FROM evidence_tree WHERE space_key = ? AND product = ? AND size = 0 "
            + "AND NOT EXISTS (SELECT 1 FROM evidence_month m WHERE m.space_key = evidence_tree.space_key "
            + "AND m.product = evidence_tree.product)";

    private final Dialect dialect;
    private final Supplier<Clock> clock;
    /** The trees whose row is known to exist (a tree is never deleted while its organization has records). */
    private final Map<List<String>, Boolean> known = new java.util.concurrent.ConcurrentHashMap<>();

    EvidenceLog(Dialect dialect, Supplier<Clock> clock) {
        this.dialect = dialect;
        this.clock = clock;
    }

    /** A tree's (organization, product) key. */
    static List<String> key(AuditRecord r) {
        return List.of(r.spaceKey(), r.product());
    }

    /**
     * Makes the rows of the trees these records go to that do not exist yet, each in its own committed transaction
     * on {@code c} (auto-commit): an upsert that does nothing when another writer made it first.
     */
    void prepare(Connection c, List<AuditRecord> records) throws SQLException {
        List<List<String>> missing = new ArrayList<>();
        for (AuditRecord r : records) {
            List<String> key = key(r);
            if (!known.containsKey(key) && !missing.contains(key)) {
                missing.add(key);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try {
            String month = MONTH.format(now());
            for (List<String> key : missing) {
                try (PreparedStatement ps = c.prepareStatement(
                        dialect == Dialect.POSTGRESQL ? POSTGRESQL_NEW_TREE_SQL : HSQLDB_NEW_TREE_SQL)) {
                    ps.setString(1, key.get(0));
                    ps.setString(2, key.get(1));
                    ps.setString(3, month);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (!SqlFailures.isUniqueViolation(e)) {
                        throw e; // a unique violation: another writer made it between our look and our insert
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(FIRST_MONTH_SQL)) {
                    ps.setString(1, key.get(0));
                    ps.setString(2, key.get(1));
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (!SqlFailures.isUniqueViolation(e)) {
                        throw e;
                    }
                }
                known.put(key, Boolean.TRUE);
            }
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Whether the rows of the trees of all these records are known to exist. */
    boolean allKnown(List<AuditRecord> records) {
        for (AuditRecord r : records) {
            if (!known.containsKey(key(r))) {
                return false;
            }
        }
        return true;
    }

    /** Forgets the trees of an organization whose rows were deleted. */
    void forget(String spaceKey) {
        known.keySet().removeIf(key -> key.get(0).equals(spaceKey));
    }

    private YearMonth now() {
        return YearMonth.from(clock.get().instant().atOffset(ZoneOffset.UTC));
    }

    /**
     * Appends the records to their trees on {@code c}, in its transaction (the records' own, not committed here),
     * and returns each record's sequence number, in the order of {@code records}. The trees' rows must exist
     * ({@link #prepare}).
     */
    long[] append(Connection c, List<AuditRecord> records) throws SQLException {
        Map<List<String>, List<Integer>> groups = new TreeMap<>(EvidenceLog::compareKeys);
        for (int i = 0; i < records.size(); i++) {
            groups.computeIfAbsent(key(records.get(i)), k -> new ArrayList<>()).add(i);
        }
        long[] seqs = new long[records.size()];
        byte[][] leafOf = leaves(records);
        YearMonth now = now();
        List<Object[]> tiles = new ArrayList<>();
        List<Object[]> grown = new ArrayList<>();
        List<Object[]> strays = new ArrayList<>();
        for (Map.Entry<List<String>, List<Integer>> group : groups.entrySet()) {
            String spaceKey = group.getKey().get(0);
            String product = group.getKey().get(1);
            List<Integer> members = group.getValue();
            long start;
            YearMonth month;
            try (PreparedStatement lock = c.prepareStatement(LOCK_SQL)) {
                lock.setLong(1, members.size());
                lock.setString(2, spaceKey);
                lock.setString(3, product);
                if (lock.executeUpdate() != 1) {
                    known.remove(group.getKey());
                    throw new SQLException(
                            "the tree of " + spaceKey + "/" + product + " has no row",
                            SqlFailures.NOT_IN_PREREQUISITE_STATE);
                }
            }
            try (PreparedStatement head = c.prepareStatement(HEAD_SQL)) {
                head.setString(1, spaceKey);
                head.setString(2, product);
                try (ResultSet rs = head.executeQuery()) {
                    rs.next();
                    start = rs.getLong(1) - members.size();
                    month = YearMonth.parse(rs.getString(2), MONTH);
                }
            }
            if (now.isAfter(month)) {
                newMonth(c, spaceKey, product, now, start);
                month = now;
            }
            List<byte[]> leaves = new ArrayList<>(members.size());
            for (int k = 0; k < members.size(); k++) {
                AuditRecord r = records.get(members.get(k));
                seqs[members.get(k)] = start + k;
                leaves.add(leafOf[members.get(k)]);
                YearMonth dated = YearMonth.from(r.date().atOffset(ZoneOffset.UTC));
                if (!dated.equals(month)) {
                    strays.add(new Object[] {spaceKey, product, start + k, MONTH.format(dated), MONTH.format(month)});
                }
            }
            Map<List<Long>, Tiles.Tile> edge = rightEdge(c, spaceKey, product, start);
            Tiles.Source source = (level, index) -> edge.get(List.of((long) level, index));
            List<CompactTree.Node> made = CompactTree.append(start, leaves, Tiles.nodes(source));
            for (Tiles.Tile tile : Tiles.changed(made, source)) {
                // a tile the tree had (the right edge's, not full yet) is updated; the others are new
                (edge.containsKey(List.of((long) tile.level(), tile.index())) ? grown : tiles)
                        .add(new Object[] {spaceKey, product, tile.level(), tile.index(), tile.bytes()});
            }
        }
        putTiles(c, tiles, grown);
        if (!strays.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(STRAY_SQL)) {
                for (Object[] s : strays) {
                    ps.setString(1, (String) s[0]);
                    ps.setString(2, (String) s[1]);
                    ps.setLong(3, (Long) s[2]);
                    ps.setString(4, (String) s[3]);
                    ps.setString(5, (String) s[4]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return seqs;
    }

    /** Batches from this size on have their leaves hashed on several cores. */
    static final int PARALLEL_LEAVES = 256;

    /**
     * The leaf hash of every record, before any tree is locked (the lock is held for the writes only); a large
     * batch on several cores: the group commit writes on one thread, and hashing is a fifth of what the log adds
     * to it.
     */
    static byte[][] leaves(List<AuditRecord> records) {
        byte[][] out = new byte[records.size()][];
        IntStream range = IntStream.range(0, records.size());
        try {
            (records.size() >= PARALLEL_LEAVES ? range.parallel() : range)
                    .forEach(i -> out[i] = CsvRows.leafHash(row(records.get(i))));
        } catch (IllegalArgumentException e) {
            // a value no V1 row can carry (a date beyond the year 9999): the record's data, refused for good
            throw new DataRefusedException("a record cannot be written as a V1 row: " + e.getMessage(), e);
        }
        return out;
    }

    /** The record's leaf: its V1 row, as the export writes it. */
    static String row(AuditRecord r) {
        return CsvRows.v1Row(
                r.id(),
                r.spaceKey(),
                r.product(),
                r.date(),
                r.category(),
                r.event(),
                r.action(),
                r.operationUserId(),
                r.operationUserName(),
                r.operationUserEmail(),
                r.ipAddress(),
                r.userAgent(),
                r.version());
    }

    /** Notes, under the tree's lock, that {@code month} began at {@code size} leaves, and makes it the tree's. */
    static void newMonth(Connection c, String spaceKey, String product, YearMonth month, long size)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NEW_MONTH_SQL)) {
            ps.setString(1, spaceKey);
            ps.setString(2, product);
            ps.setString(3, MONTH.format(month));
            ps.setLong(4, size);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(MONTH_SQL)) {
            ps.setString(1, MONTH.format(month));
            ps.setString(2, spaceKey);
            ps.setString(3, product);
            ps.executeUpdate();
        }
    }

    /**
     * The tiles on the right edge of a tree of {@code size} leaves that are not full, one per tile level at most:
     * the only ones an append reads (each new node's left sibling is in the tile it goes into).
     */
    static Map<List<Long>, Tiles.Tile> rightEdge(Connection c, String spaceKey, String product, long size)
            throws SQLException {
        Map<List<Long>, Tiles.Tile> edge = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(TILE_SQL)) {
            for (int t = 0; (size >> (Tiles.HEIGHT * t)) > 0; t++) {
                long nodes = size >> (Tiles.HEIGHT * t); // complete nodes of level HEIGHT * t
                if (nodes % Tiles.WIDTH == 0) {
                    continue; // the next one starts a new tile
                }
                long index = nodes / Tiles.WIDTH;
                ps.setString(1, spaceKey);
                ps.setString(2, product);
                ps.setInt(3, t);
                ps.setLong(4, index);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        edge.put(List.of((long) t, index), Tiles.Tile.of(t, index, rs.getBytes(3)));
                    }
                }
            }
        }
        return edge;
    }

    /** Writes new tiles with one batched INSERT and the grown ones with one batched UPDATE. */
    private static void putTiles(Connection c, List<Object[]> tiles, List<Object[]> grown) throws SQLException {
        if (!tiles.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_TILE_SQL)) {
                for (Object[] t : tiles) {
                    ps.setString(1, (String) t[0]);
                    ps.setString(2, (String) t[1]);
                    ps.setInt(3, (Integer) t[2]);
                    ps.setLong(4, (Long) t[3]);
                    ps.setBytes(5, (byte[]) t[4]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!grown.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(UPDATE_TILE_SQL)) {
                for (Object[] t : grown) {
                    ps.setBytes(1, (byte[]) t[4]);
                    ps.setString(2, (String) t[0]);
                    ps.setString(3, (String) t[1]);
                    ps.setInt(4, (Integer) t[2]);
                    ps.setLong(5, (Long) t[3]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    static int compareKeys(List<String> a, List<String> b) {
        int c = a.get(0).compareTo(b.get(0));
        return c != 0 ? c : a.get(1).compareTo(b.get(1));
    }
}
