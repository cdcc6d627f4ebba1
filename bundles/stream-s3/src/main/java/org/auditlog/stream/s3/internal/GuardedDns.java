package org.auditlog.stream.s3.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;
import org.auditlog.api.stream.AddressRefusedException;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.stream.http.internal.Members;

/**
 * The S3 client's only way to resolve a host: through the server's {@link NetworkGuard}, at every connection (DNS
 * answers can change), so the client never connects to an address the guard did not return, nor in plain HTTP to
 * one it does not allow plain protocols to.
 */
final class GuardedDns implements DnsResolver {
    /** A host the guard refuses: not a network failure, the stream's settings must change. */
    static final class Refused extends UnknownHostException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final NetworkGuard guard;
    private final boolean plain;

    GuardedDns(NetworkGuard guard, boolean plain) {
        this.guard = guard;
        this.plain = plain;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses;
        try {
            addresses = guard.resolve(bare);
        } catch (AddressRefusedException e) {
            throw new Refused(e.getMessage());
        }
        if (plain) {
            for (InetAddress a : addresses) {
                if (!guard.allowsPlain(a)) {
                    throw new Refused(Members.plainRefused(bare, a));
                }
            }
        }
        return addresses.toArray(new InetAddress[0]);
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host; // the name as given, never a reverse lookup
    }
}
