package org.auditlog.api.store;

import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Leases on work that must run on one server at a time when several share the database (the monthly mailing,
 * retention, a node number): a lease is held by one holder until it expires, renewed by its holder, and taken
 * over by another holder only once it has expired. Its epoch grows by one at every change of holder, so a
 * holder can tell whether it still holds the lease it began with (a fencing token). Times are the database's
 * own, so the servers' clocks need not agree. Implemented by the storage bundle.
 *
 * @since 1.1
 */
@ProviderType
public interface LeaseStore {
    /**
     * A lease held by {@code holder}.
     *
     * @param name what the lease is on
     * @param holder who holds it (a server's {@link #holderId}, say)
     * @param epoch how many times the lease changed holders; the same for every renewal by one holder
     * @param expires when it ends unless renewed (database time)
     */
    record Lease(String name, String holder, long epoch, Instant expires) {}

    /**
     * Takes the lease {@code name} for {@code holder} for {@code ttl} if it is free, expired or already
     * {@code holder}'s (then renewing it: same epoch); returns it, or empty when another holder holds it.
     */
    Optional<Lease> acquire(String name, String holder, Duration ttl);

    /** Whether {@code lease} is still held with its epoch (another holder took it over once it had expired). */
    boolean holds(Lease lease);

    /** Gives a lease up before it expires, if it is still held with its epoch. */
    void release(Lease lease);

    /** The current holder of a lease and its expiry, if it was ever taken. */
    Optional<Lease> find(String name);

    /** A holder id unique to this process and start: host, process id and a random part. */
    static String holderId(String node) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return node + "/" + host + "/" + ProcessHandle.current().pid() + "/"
                + Long.toHexString(new SecureRandom().nextLong() >>> 16);
    }
}
