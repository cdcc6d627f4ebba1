package org.auditlog.api.stream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The server's rule on where a stream may connect. Loopback, private (RFC 1918, unique local), link-local (the
 * cloud metadata address 169.254.169.254 included), multicast, unspecified and other special addresses are refused
 * unless the operator allows their network ({@code AUDITLOG_STREAMS_ALLOWED_NETWORKS}, a comma-separated list of
 * CIDRs); plain (unencrypted) protocols only to allowed networks. Destinations check at creation and at every
 * connection, since DNS answers can change, and connect to the addresses {@link #resolve} returned.
 *
 * @since 1.0
 */
@ProviderType
public interface NetworkGuard {
    /**
     * Resolves {@code host} and checks every address it resolves to.
     *
     * @return the addresses, all allowed, in the resolver's order
     * @throws AddressRefusedException when one of them may not be reached
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws AddressRefusedException, UnknownHostException;

    /** Whether an unencrypted connection (plain HTTP, syslog over TCP) may go to this address. */
    boolean allowsPlain(InetAddress address);
}
