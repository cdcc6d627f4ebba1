package org.auditlog.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.auditlog.api.store.LeaseStore;

/** The lease rules of the storage bundle's LeaseStore, in memory, on this JVM's clock. */
public final class MemoryLeases implements LeaseStore {
    private final Map<String, Lease> leases = new HashMap<>();

    @Override
    public synchronized Optional<Lease> acquire(String name, String holder, Duration ttl) {
        Instant now = Instant.now();
        Lease was = leases.get(name);
        if (was != null && !was.holder().equals(holder) && !was.expires().isBefore(now)) {
            return Optional.empty();
        }
        long epoch = was == null
                ? 1
                : was.holder().equals(holder) && !was.expires().isBefore(now) ? was.epoch() : was.epoch() + 1;
        Lease taken = new Lease(name, holder, epoch, now.plus(ttl));
        leases.put(name, taken);
        return Optional.of(taken);
    }

    @Override
    public synchronized boolean holds(Lease lease) {
        Lease now = leases.get(lease.name());
        return now != null
                && now.holder().equals(lease.holder())
                && now.epoch() == lease.epoch()
                && !now.expires().isBefore(Instant.now());
    }

    @Override
    public synchronized void release(Lease lease) {
        if (holds(lease)) {
            leases.put(
                    lease.name(),
                    new Lease(
                            lease.name(),
                            lease.holder(),
                            lease.epoch(),
                            Instant.now().minusMillis(1)));
        }
    }

    @Override
    public synchronized Optional<Lease> find(String name) {
        return Optional.ofNullable(leases.get(name));
    }
}
