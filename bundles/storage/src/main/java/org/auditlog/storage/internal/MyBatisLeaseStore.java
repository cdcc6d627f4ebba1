package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.store.StoreException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link LeaseStore} on the table {@code lease}: each change in one transaction that reads the database's time
 * first and locks the lease's row (SELECT ... FOR UPDATE), so two servers asking at once take turns.
 */
@Component(service = LeaseStore.class, property = StorageDatabase.STORE)
public class MyBatisLeaseStore implements LeaseStore {
    static final String NOW_SQL = "SELECT CURRENT_TIMESTAMP FROM (VALUES (0)) AS t (x)";

    private final Database db;

    @Activate
    public MyBatisLeaseStore(@Reference StorageDatabase database) {
        this(database.database());
    }

    MyBatisLeaseStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Lease> acquire(String name, String holder, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        try (SqlSession session = db.sessions().openSession(false)) {
            Connection c = session.getConnection();
            try {
                Instant now = now(c);
                Instant expires = now.plus(ttl);
                Optional<Lease> current = lock(c, name);
                Lease taken;
                if (current.isEmpty()) {
                    if (!insert(c, name, holder, expires)) {
                        c.rollback(); // another server made the row just now: it holds the lease
                        return Optional.empty();
                    }
                    taken = new Lease(name, holder, 1, expires);
                } else if (current.get().holder().equals(holder) || current.get().expires().isBefore(now)) {
                    Lease was = current.get();
                    long epoch = was.holder().equals(holder) && !was.expires().isBefore(now) ? was.epoch() : was.epoch() + 1;
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE lease SET holder = ?, epoch = ?, expires = ? WHERE name = ?")) {
                        ps.setString(1, holder);
                        ps.setLong(2, epoch);
                        ps.setObject(3, expires.atOffset(ZoneOffset.UTC));
                        ps.setString(4, name);
                        ps.executeUpdate();
                    }
                    taken = new Lease(name, holder, epoch, expires);
                } else {
                    c.rollback();
                    return Optional.empty();
                }
                c.commit();
                return Optional.of(taken);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not take the lease " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean holds(Lease lease) {
        try (SqlSession session = db.sessions().openSession(false)) {
            Connection c = session.getConnection();
            try {
                Instant now = now(c);
                Optional<Lease> current = read(c, lease.name(), false);
                c.commit();
                return current.isPresent() && current.get().holder().equals(lease.holder())
                        && current.get().epoch() == lease.epoch() && !current.get().expires().isBefore(now);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the lease " + lease.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void release(Lease lease) {
        try (SqlSession session = db.sessions().openSession(false)) {
            Connection c = session.getConnection();
            try (PreparedStatement ps = c.prepareStatement("UPDATE lease SET expires = ? WHERE name = ? AND holder = ? "
                    + "AND epoch = ?")) {
                // expired a moment ago: the next holder takes it over at once, with the next epoch
                ps.setObject(1, now(c).minusMillis(1).atOffset(ZoneOffset.UTC));
                ps.setString(2, lease.name());
                ps.setString(3, lease.holder());
                ps.setLong(4, lease.epoch());
                ps.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not release the lease " + lease.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Lease> find(String name) {
        try (SqlSession session = db.sessions().openSession(true)) {
            return read(session.getConnection(), name, false);
        } catch (SQLException e) {
            throw new StoreException("could not read the lease " + name + ": " + e.getMessage(), e);
        }
    }

    /** The database's time (the start of the transaction on PostgreSQL). */
    static Instant now(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NOW_SQL); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    private static Optional<Lease> lock(Connection c, String name) throws SQLException {
        return read(c, name, true);
    }

    private static Optional<Lease> read(Connection c, String name, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT holder, epoch, expires FROM lease WHERE name = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Lease(name, rs.getString(1), rs.getLong(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant())) : Optional.empty();
            }
        }
    }

    /** Makes the lease's row; false when another server made it first (nothing written). */
    private boolean insert(Connection c, String name, String holder, Instant expires) throws SQLException {
        String sql = db.dialect() == Dialect.POSTGRESQL
                ? "INSERT INTO lease (name, holder, epoch, expires) VALUES (?, ?, 1, ?) ON CONFLICT (name) DO NOTHING"
                : "INSERT INTO lease (name, holder, epoch, expires) VALUES (?, ?, 1, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setString(2, holder);
            ps.setObject(3, expires.atOffset(ZoneOffset.UTC));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }
}
