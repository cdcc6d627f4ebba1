package org.auditlog.work.internal;

import java.util.Optional;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.store.LeaseStore.Lease;
import org.auditlog.api.work.HeldLease;
import org.auditlog.api.work.LeaseTerms;
import org.auditlog.api.work.LeasedTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One time of work under a lease: due? take the lease (or renew it), run with it, release it; failures logged. */
final class LeasedRun {
    private static final Logger LOG = LoggerFactory.getLogger(LeasedRun.class);

    private LeasedRun() {}

    /** Whether the task ran to its end. */
    static boolean once(String job, LeaseTerms terms, LeasedTask task, LeaseStore leases) {
        try {
            if (!task.due()) {
                return false;
            }
            Optional<Lease> taken = leases.acquire(terms.name(), terms.holder(), terms.ttl());
            if (taken.isEmpty()) {
                LOG.info(
                        "Background work {} runs on another server this time (lease {} held by {})",
                        job,
                        terms.name(),
                        leases.find(terms.name()).map(Lease::holder).orElse("?"));
                return false;
            }
            Held held = new Held(terms, taken.get(), leases);
            try {
                task.run(held);
                return true;
            } finally {
                release(job, terms, held.current, leases);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.info("Background work {} interrupted: it is stopping", job);
            return false;
        } catch (Exception e) {
            LOG.error("Background work {} failed; it runs again at its next time", job, e);
            return false;
        }
    }

    private static void release(String job, LeaseTerms terms, Lease lease, LeaseStore leases) {
        try {
            leases.release(lease);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Background work {}: could not release the lease {}; it runs out within {}: {}",
                    job,
                    terms.name(),
                    terms.ttl(),
                    e.getMessage());
        }
    }

    /** The lease of one run, renewed while its epoch stays the one the run began with. */
    private static final class Held implements HeldLease {
        private final LeaseTerms terms;
        private final LeaseStore leases;
        private final long epoch;
        private volatile Lease current;

        Held(LeaseTerms terms, Lease lease, LeaseStore leases) {
            this.terms = terms;
            this.leases = leases;
            this.epoch = lease.epoch();
            this.current = lease;
        }

        @Override
        public Lease lease() {
            return current;
        }

        @Override
        public long epoch() {
            return epoch;
        }

        @Override
        public boolean renew() {
            Optional<Lease> renewed =
                    leases.acquire(terms.name(), terms.holder(), terms.ttl()).filter(l -> l.epoch() == epoch);
            renewed.ifPresent(l -> current = l);
            return renewed.isPresent();
        }

        @Override
        public boolean holds() {
            return leases.holds(current);
        }
    }
}
