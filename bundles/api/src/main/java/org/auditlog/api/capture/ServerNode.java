package org.auditlog.api.capture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * This server among the servers sharing one database: its node number (configuration {@code org.auditlog.capture}
 * {@code nodeId}, part of every event id) and the holder id it takes leases and claims with. The capture bundle
 * publishes it once it holds the lease on its node number ({@code node-<n>}), so two running servers never share
 * a number. Used by the export and policy bundles for their claims and leases.
 *
 * @since 1.1
 */
@ProviderType
public interface ServerNode {
    /** The node number, 0 to 1023. */
    int nodeId();

    /**
     * The holder id of this server's leases and claims: {@code node-<n>/<host>/<pid>/<random>}, new at every
     * start; a holder id of an earlier start of the same node begins with {@link #holderPrefix()}.
     */
    String holder();

    /** {@code node-<n>/}: the start of the holder ids of every run of this node number. */
    default String holderPrefix() {
        return "node-" + nodeId() + "/";
    }
}
