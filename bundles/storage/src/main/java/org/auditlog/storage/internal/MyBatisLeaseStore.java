package org.auditlog.storage.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.store.LeaseStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link LeaseStore} on MyBatis over the table {@code lease}: each change in one transaction that reads the
 * database's time first and locks the lease's row (SELECT ... FOR UPDATE), so two servers asking at once take turns.
 */
@Component(service = LeaseStore.class, property = StorageDatabase.STORE)
public class MyBatisLeaseStore implements LeaseStore {
    private final Transactions tx;

    @Activate
    public MyBatisLeaseStore(@Reference StorageDatabase database) {
        this.tx = database.database().transactions();
    }

    @Override
    public Optional<Lease> acquire(String name, String holder, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        return tx.write("could not take the lease " + name + ": ", session -> {
            LeaseMapper m = session.getMapper(LeaseMapper.class);
            Instant now = m.now();
            Instant expires = now.plus(ttl);
            Lease current = m.find(name, true);
            if (current == null) {
                if (!insert(session, name, holder, expires)) {
                    session.rollback(true); // another server made the row just now: it holds the lease
                    return Optional.<Lease>empty();
                }
                return Optional.of(new Lease(name, holder, 1, expires));
            }
            if (!current.holder().equals(holder) && !current.expires().isBefore(now)) {
                return Optional.<Lease>empty();
            }
            long epoch = current.holder().equals(holder) && !current.expires().isBefore(now)
                    ? current.epoch()
                    : current.epoch() + 1;
            m.take(name, holder, epoch, expires);
            return Optional.of(new Lease(name, holder, epoch, expires));
        });
    }

    @Override
    public boolean holds(Lease lease) {
        return tx.write("could not read the lease " + lease.name() + ": ", session -> {
            LeaseMapper m = session.getMapper(LeaseMapper.class);
            Instant now = m.now();
            Lease current = m.find(lease.name(), false);
            return current != null
                    && current.holder().equals(lease.holder())
                    && current.epoch() == lease.epoch()
                    && !current.expires().isBefore(now);
        });
    }

    @Override
    public void release(Lease lease) {
        tx.update("could not release the lease " + lease.name() + ": ", session -> {
            LeaseMapper m = session.getMapper(LeaseMapper.class);
            // expired a moment ago: the next holder takes it over at once, with the next epoch
            m.release(lease.name(), lease.holder(), lease.epoch(), m.now().minusMillis(1));
        });
    }

    @Override
    public Optional<Lease> find(String name) {
        return tx.read(
                "could not read the lease " + name + ": ",
                session ->
                        Optional.ofNullable(session.getMapper(LeaseMapper.class).find(name, false)));
    }

    /** Makes the lease's row; false when another server made it first (nothing written). */
    private static boolean insert(SqlSession session, String name, String holder, Instant expires) {
        try {
            return session.getMapper(LeaseMapper.class).insert(name, holder, expires) == 1;
        } catch (RuntimeException e) {
            if (SqlFailures.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }
}
