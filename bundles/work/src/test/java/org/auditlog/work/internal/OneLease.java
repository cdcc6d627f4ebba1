package org.auditlog.work.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.auditlog.api.store.LeaseStore;

/** A store of one lease that never expires: another holder has it until it is released or taken over. */
final class OneLease implements LeaseStore {
    final List<String> calls = new CopyOnWriteArrayList<>();
    private Lease held;
    private long epoch;

    @Override
    public synchronized Optional<Lease> acquire(String name, String holder, Duration ttl) {
        calls.add("acquire " + name + " " + holder);
        if (held != null && !held.holder().equals(holder)) {
            return Optional.empty();
        }
        if (held == null) {
            epoch++;
        }
        held = new Lease(name, holder, epoch, Instant.EPOCH.plus(ttl));
        return Optional.of(held);
    }

    /** Another server takes the lease over (as when this one stalled past the ttl). */
    synchronized void takeOver(String name, String holder) {
        epoch++;
        held = new Lease(name, holder, epoch, Instant.EPOCH);
    }

    @Override
    public synchronized boolean holds(Lease lease) {
        return held != null && held.holder().equals(lease.holder()) && held.epoch() == lease.epoch();
    }

    @Override
    public synchronized void release(Lease lease) {
        calls.add("release " + lease.name() + " " + lease.holder() + " " + lease.epoch());
        if (holds(lease)) {
            held = null;
        }
    }

    @Override
    public synchronized Optional<Lease> find(String name) {
        return Optional.ofNullable(held);
    }
}
