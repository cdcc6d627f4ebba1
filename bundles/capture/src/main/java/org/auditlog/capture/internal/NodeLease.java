package org.auditlog.capture.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.auditlog.api.capture.ServerNode;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.store.LeaseStore.Lease;
import org.auditlog.api.store.StoreException;
import org.auditlog.api.work.BackgroundWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease on this server's node number ({@code node-<n>}), so that two servers sharing a database never make
 * ids with the same number: taken at start (waiting out, for at most its lifetime, a lease a stopped run of this
 * node left behind), renewed every {@link #RENEW}, and checked before every id is made. While another server
 * holds the number, this one makes no ids: ingest is refused as the store being unavailable.
 */
final class NodeLease implements ServerNode, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLease.class);
    /** How long the lease lasts unless renewed: a node stopped without releasing it holds its number this long. */
    static final Duration TTL = Duration.ofSeconds(15);

    static final Duration RENEW = Duration.ofSeconds(5);
    /** The configured node number that asks for any free one. */
    static final int ANY = -1;

    private final LeaseStore leases;
    private final int node;
    private final String holder;
    private final String name;
    /** Renews the lease, once it is taken. */
    private final ScheduledExecutorService timer;

    private final Duration ttl;
    private volatile Lease lease;
    private volatile boolean lost;

    NodeLease(BackgroundWork work, LeaseStore leases, int node) throws InterruptedException {
        this(work, leases, node, TTL, RENEW);
    }

    NodeLease(BackgroundWork work, LeaseStore leases, int node, Duration ttl, Duration renew)
            throws InterruptedException {
        this(work, leases, node, ttl, renew, true);
    }

    /** The lowest node number no running server holds ({@code nodeId = -1}), under its lease. */
    static NodeLease anyFree(BackgroundWork work, LeaseStore leases) throws InterruptedException {
        return anyFree(work, leases, TTL, RENEW);
    }

    static NodeLease anyFree(BackgroundWork work, LeaseStore leases, Duration ttl, Duration renew)
            throws InterruptedException {
        for (int n = 0; n <= IdGenerator.MAX_NODE; n++) {
            NodeLease lease = new NodeLease(work, leases, n, ttl, renew, false);
            if (lease.lease != null) {
                return lease;
            }
        }
        throw new IllegalStateException(
                "all " + (IdGenerator.MAX_NODE + 1) + " node numbers are held by running servers");
    }

    /** @param wait whether to wait out a lease held by another holder (else give up at once: {@link #lease} null) */
    private NodeLease(BackgroundWork work, LeaseStore leases, int node, Duration ttl, Duration renew, boolean wait)
            throws InterruptedException {
        this.leases = leases;
        this.ttl = ttl;
        this.node = node;
        this.name = "node-" + node;
        this.holder = LeaseStore.holderId(name);
        long deadline = System.nanoTime() + ttl.plus(renew).toNanos();
        Optional<Lease> taken = leases.acquire(name, holder, ttl);
        if (taken.isEmpty() && !wait) {
            this.timer = null;
            this.lease = null;
            return;
        }
        if (taken.isEmpty()) {
            // an earlier run of this node, killed, or another server with this number: the lease tells which
            Optional<Lease> other = leases.find(name);
            LOG.info(
                    "Node number {} is held by {} until {}; waiting for it to run out",
                    node,
                    other.map(Lease::holder).orElse("?"),
                    other.map(Lease::expires).orElse(null));
        }
        while (taken.isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(Math.min(1000, renew.toMillis()));
            taken = leases.acquire(name, holder, ttl);
        }
        if (taken.isEmpty()) {
            throw new IllegalStateException("node number " + node + " is in use by another server ("
                    + leases.find(name).map(Lease::holder).orElse("?") + "); give every server sharing the database "
                    + "its own nodeId (org.auditlog.capture)");
        }
        this.lease = taken.get();
        LOG.info("Node number {} held as {}", node, holder);
        this.timer = work.scheduler("node-lease");
        timer.scheduleWithFixedDelay(this::renew, renew.toMillis(), renew.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void renew() {
        try {
            Optional<Lease> renewed = leases.acquire(name, holder, ttl);
            if (renewed.isPresent()) {
                if (lost || renewed.get().epoch() != lease.epoch()) {
                    LOG.warn("Node number {} held again as {}", node, holder);
                }
                lease = renewed.get();
                lost = false;
            } else {
                lost = true;
                LOG.error(
                        "Node number {} was taken over by {}: this server makes no ids until it is free again; give "
                                + "every server sharing the database its own nodeId",
                        node,
                        leases.find(name).map(Lease::holder).orElse("?"));
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not renew the lease on node number {}: {}", node, e.getMessage());
        }
    }

    /** Refuses (as the store being unavailable) while another server holds this node number. */
    void check() {
        if (lost) {
            throw new StoreException("this server's node number " + node + " is held by another server", null);
        }
    }

    @Override
    public int nodeId() {
        return node;
    }

    @Override
    public String holder() {
        return holder;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            leases.release(lease);
        } catch (RuntimeException e) {
            LOG.warn("Could not release node number {}: {}", node, e.getMessage());
        }
    }
}
