package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.ibatis.session.ExecutorType;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.evidence.LeafPosition;
import org.auditlog.api.evidence.SignedCheckpoint;
import org.auditlog.api.evidence.Stray;
import org.auditlog.api.evidence.TreeHead;
import org.auditlog.evidence.CompactRange;
import org.auditlog.evidence.CompactTree;
import org.auditlog.evidence.Tiles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link EvidenceStore} on the tables the appends write ({@link EvidenceLog}): roots and proofs are computed from
 * the stored tiles, a few dozen rows whatever the tree's size. Plain JDBC, as the hot write path that appends to
 * these tables in the events' transaction ({@link EventWriter}, {@link EvidenceLog}) and shares their SQL.
 */
@Component(service = EvidenceStore.class, property = StorageDatabase.STORE)
public class JdbcEvidenceStore implements EvidenceStore {
    static final String TREES_SQL =
            "SELECT space_key, product, size, month FROM evidence_tree " + "ORDER BY space_key, product";
    static final String MONTH_START_SQL =
            "SELECT MIN(start_size) FROM evidence_month WHERE space_key = ? " + "AND product = ? AND month >= ?";
    static final String STRAYS_BY_SEQ_SQL = "SELECT seq, month, appended_in FROM evidence_stray WHERE space_key = ? "
            + "AND product = ? AND seq >= ? AND seq < ? ORDER BY seq";
    static final String STRAYS_BY_MONTH_SQL = "SELECT seq, month, appended_in FROM evidence_stray WHERE space_key = ? "
            + "AND product = ? AND month = ? ORDER BY seq";
    static final String LOCATE_SQL = "SELECT " + EventSearch.COLUMNS + ", seq FROM audit_event WHERE id = ?";
    static final String CHECKPOINT_SQL = "SELECT tree_size, root, signed_at, note FROM evidence_checkpoint "
            + "WHERE space_key = ? AND product = ? AND name = ?";
    static final String UPDATE_CHECKPOINT_SQL = "UPDATE evidence_checkpoint SET tree_size = ?, root = ?, "
            + "signed_at = ?, note = ? WHERE space_key = ? AND product = ? AND name = ? AND tree_size <= ?";
    static final String INSERT_CHECKPOINT_SQL = "INSERT INTO evidence_checkpoint (space_key, product, name, "
            + "tree_size, root, signed_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)";
    /** Locks a tree's row if the tree has at least that many leaves. */
    static final String TREE_HOLDS_SQL =
            "UPDATE evidence_tree SET size = size WHERE space_key = ? AND product = ? " + "AND size >= ?";

    static final String LATEST = "latest";

    private final Transactions tx;
    private final Supplier<Clock> clock;

    @Activate
    public JdbcEvidenceStore(@Reference StorageDatabase database) {
        this.tx = database.database().transactions();
        this.clock = database::clock;
    }

    @Override
    public List<TreeHead> trees() {
        return read("could not list the trees: ", c -> {
            List<TreeHead> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(TREES_SQL);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TreeHead(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getLong(3),
                            YearMonth.parse(rs.getString(4), EvidenceLog.MONTH)));
                }
            }
            return out;
        });
    }

    @Override
    public TreeHead head(String spaceKey, String product) {
        return read("could not read the tree of " + spaceKey + "/" + product + ": ", c -> head(c, spaceKey, product));
    }

    private static TreeHead head(Connection c, String spaceKey, String product) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EvidenceLog.HEAD_SQL)) {
            ps.setString(1, spaceKey);
            ps.setString(2, product);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? new TreeHead(
                                spaceKey, product, rs.getLong(1), YearMonth.parse(rs.getString(2), EvidenceLog.MONTH))
                        : new TreeHead(spaceKey, product, 0, null);
            }
        }
    }

    @Override
    public byte[] root(String spaceKey, String product, long size) {
        return withNodes(spaceKey, product, size, nodes -> CompactTree.root(size, nodes));
    }

    @Override
    public byte[] leafHash(String spaceKey, String product, long sequence) {
        return withNodes(spaceKey, product, sequence + 1, nodes -> nodes.node(0, sequence));
    }

    @Override
    public List<byte[]> inclusionProof(String spaceKey, String product, long sequence, long size) {
        return withNodes(spaceKey, product, size, nodes -> CompactTree.inclusionProof(sequence, size, nodes));
    }

    @Override
    public List<byte[]> consistencyProof(String spaceKey, String product, long size1, long size2) {
        return withNodes(spaceKey, product, size2, nodes -> CompactTree.consistencyProof(size1, size2, nodes));
    }

    @Override
    public List<byte[]> range(String spaceKey, String product, long from, long to) {
        if (from < 0 || from > to) {
            throw new IllegalArgumentException("no range from " + from + " to " + to);
        }
        return withNodes(spaceKey, product, to, nodes -> {
            List<byte[]> out = new ArrayList<>();
            for (long[] node : CompactRange.of(from, to)) {
                out.add(nodes.node((int) node[0], node[1]));
            }
            return out;
        });
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface NodeWork<T> {
        T run(CompactTree.Nodes nodes);
    }

    /** Runs {@code work} on the nodes of a tree of at least {@code size} leaves, read from its tiles as needed. */
    private <T> T withNodes(String spaceKey, String product, long size, NodeWork<T> work) {
        return read("could not read the tree of " + spaceKey + "/" + product + ": ", c -> {
            TreeHead head = head(c, spaceKey, product);
            if (size < 0 || size > head.size()) {
                throw new IllegalArgumentException(
                        "the tree of " + spaceKey + "/" + product + " holds " + head.size() + " leaves, not " + size);
            }
            Map<List<Long>, Tiles.Tile> cache = new HashMap<>();
            SQLException[] failure = new SQLException[1];
            try (PreparedStatement ps = c.prepareStatement(EvidenceLog.TILE_SQL)) {
                Tiles.Source source = (level, index) -> cache.computeIfAbsent(List.of((long) level, index), k -> {
                    try {
                        ps.setString(1, spaceKey);
                        ps.setString(2, product);
                        ps.setInt(3, level);
                        ps.setLong(4, index);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Tiles.Tile.of(level, index, rs.getBytes(3)) : null;
                        }
                    } catch (SQLException e) {
                        failure[0] = e;
                        throw new IllegalStateException(e);
                    }
                });
                try {
                    return work.run(Tiles.nodes(source));
                } catch (IllegalStateException e) {
                    if (failure[0] != null) {
                        throw failure[0];
                    }
                    throw e;
                }
            }
        });
    }

    @Override
    public long monthStart(String spaceKey, String product, YearMonth month) {
        YearMonth now = YearMonth.from(clock.get().instant().atOffset(ZoneOffset.UTC));
        if (month.isAfter(now)) {
            throw new IllegalArgumentException(month + " has not begun");
        }
        return write("could not read the month " + month + " of " + spaceKey + "/" + product + ": ", c -> {
            long start;
            try (PreparedStatement lock = c.prepareStatement(EvidenceLog.LOCK_SQL)) {
                lock.setLong(1, 0);
                lock.setString(2, spaceKey);
                lock.setString(3, product);
                if (lock.executeUpdate() == 0) {
                    return 0L; // nothing was ever appended to this tree
                }
            }
            TreeHead head = head(c, spaceKey, product);
            if (head.month().isBefore(month)) {
                EvidenceLog.newMonth(c, spaceKey, product, month, head.size());
                start = head.size();
            } else {
                try (PreparedStatement ps = c.prepareStatement(MONTH_START_SQL)) {
                    ps.setString(1, spaceKey);
                    ps.setString(2, product);
                    ps.setString(3, EvidenceLog.MONTH.format(month));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        long min = rs.getLong(1);
                        start = rs.wasNull() ? head.size() : min;
                    }
                }
            }
            return start;
        });
    }

    @Override
    public List<Stray> strays(String spaceKey, String product, long from, long to, YearMonth month) {
        return read("could not read the strays of " + spaceKey + "/" + product + ": ", c -> {
            Map<Long, Stray> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(STRAYS_BY_SEQ_SQL)) {
                ps.setString(1, spaceKey);
                ps.setString(2, product);
                ps.setLong(3, from);
                ps.setLong(4, to);
                strays(ps, out);
            }
            try (PreparedStatement ps = c.prepareStatement(STRAYS_BY_MONTH_SQL)) {
                ps.setString(1, spaceKey);
                ps.setString(2, product);
                ps.setString(3, EvidenceLog.MONTH.format(month));
                strays(ps, out);
            }
            List<Stray> sorted = new ArrayList<>(out.values());
            sorted.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
            return sorted;
        });
    }

    private static void strays(PreparedStatement ps, Map<Long, Stray> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(
                        rs.getLong(1),
                        new Stray(
                                rs.getLong(1),
                                YearMonth.parse(rs.getString(2), EvidenceLog.MONTH),
                                YearMonth.parse(rs.getString(3), EvidenceLog.MONTH)));
            }
        }
    }

    @Override
    public Optional<LeafPosition> locate(long eventId) {
        return read("could not find event " + eventId + ": ", c -> {
            try (PreparedStatement ps = c.prepareStatement(LOCATE_SQL)) {
                ps.setLong(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long seq = rs.getLong(14);
                    if (rs.wasNull()) {
                        return Optional.empty();
                    }
                    AuditRecord r = EventSearch.record(rs);
                    return Optional.of(new LeafPosition(eventId, r.spaceKey(), r.product(), seq, EvidenceLog.row(r)));
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Stored only while the tree has at least the checkpoint's leaves, checked under the tree row's lock: a
     * checkpoint signed just before its organization's purge deleted the tree (which deletes the tree's row
     * first, {@link MyBatisAuditStore#deleteOrganization}) is not stored after it, where it would be taken for the
     * checkpoint of a later organization's tree of that key.
     */
    @Override
    public void saveCheckpoint(SignedCheckpoint checkpoint, Optional<YearMonth> closes) {
        write("could not store a checkpoint of " + checkpoint.spaceKey() + "/" + checkpoint.product() + ": ", c -> {
            try (PreparedStatement ps = c.prepareStatement(TREE_HOLDS_SQL)) {
                ps.setString(1, checkpoint.spaceKey());
                ps.setString(2, checkpoint.product());
                ps.setLong(3, checkpoint.size());
                if (ps.executeUpdate() != 1) {
                    return null;
                }
            }
            put(c, checkpoint, LATEST, true);
            if (closes.isPresent()) {
                put(c, checkpoint, EvidenceLog.MONTH.format(closes.get()), false);
            }
            return null;
        });
    }

    /** Stores a checkpoint under a name: replacing a smaller one if {@code replace}, else only if there is none. */
    private static void put(Connection c, SignedCheckpoint cp, String name, boolean replace) throws SQLException {
        if (replace) {
            try (PreparedStatement ps = c.prepareStatement(UPDATE_CHECKPOINT_SQL)) {
                ps.setLong(1, cp.size());
                ps.setBytes(2, cp.root());
                ps.setObject(3, cp.time().atOffset(ZoneOffset.UTC));
                ps.setString(4, cp.note());
                ps.setString(5, cp.spaceKey());
                ps.setString(6, cp.product());
                ps.setString(7, name);
                ps.setLong(8, cp.size());
                if (ps.executeUpdate() == 1) {
                    return;
                }
            }
        }
        if (checkpoint(c, cp.spaceKey(), cp.product(), name).isPresent()) {
            return; // a month's close is signed once; a latest of more leaves is not replaced by one of fewer
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_CHECKPOINT_SQL)) {
            ps.setString(1, cp.spaceKey());
            ps.setString(2, cp.product());
            ps.setString(3, name);
            ps.setLong(4, cp.size());
            ps.setBytes(5, cp.root());
            ps.setObject(6, cp.time().atOffset(ZoneOffset.UTC));
            ps.setString(7, cp.note());
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<SignedCheckpoint> latestCheckpoint(String spaceKey, String product) {
        return read("could not read a checkpoint: ", c -> checkpoint(c, spaceKey, product, LATEST));
    }

    @Override
    public Optional<SignedCheckpoint> monthCheckpoint(String spaceKey, String product, YearMonth month) {
        return read(
                "could not read a checkpoint: ",
                c -> checkpoint(c, spaceKey, product, EvidenceLog.MONTH.format(month)));
    }

    private static Optional<SignedCheckpoint> checkpoint(Connection c, String spaceKey, String product, String name)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CHECKPOINT_SQL)) {
            ps.setString(1, spaceKey);
            ps.setString(2, product);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Instant at = rs.getObject(3, OffsetDateTime.class).toInstant();
                return Optional.of(
                        new SignedCheckpoint(spaceKey, product, rs.getLong(1), rs.getBytes(2), at, rs.getString(4)));
            }
        }
    }

    @Override
    public List<String> noteKey(String verifierKey) {
        write("could not note a signing key: ", c -> {
            if (!keys(c).contains(verifierKey)) {
                try (PreparedStatement ps =
                        c.prepareStatement("INSERT INTO evidence_key (verifier, first_used) VALUES (?, ?)")) {
                    ps.setString(1, verifierKey);
                    ps.setObject(2, clock.get().instant().atOffset(ZoneOffset.UTC));
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (!SqlFailures.isUniqueViolation(e)) {
                        throw e; // a unique violation: another server noted it just now
                    }
                }
            }
            return null;
        });
        return keys();
    }

    @Override
    public List<String> keys() {
        return read("could not read the signing keys: ", JdbcEvidenceStore::keys);
    }

    private static List<String> keys(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT verifier FROM evidence_key ORDER BY first_used, verifier");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private <T> T read(String what, Work<T> work) {
        return tx.read(what, session -> work.run(session.getConnection()), SqlFailures::readFailure);
    }

    private <T> T write(String what, Work<T> work) {
        return tx.write(what, ExecutorType.SIMPLE, session -> work.run(session.getConnection()), SqlFailures::failure);
    }
}
