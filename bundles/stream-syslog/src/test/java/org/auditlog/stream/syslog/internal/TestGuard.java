package org.auditlog.stream.syslog.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.auditlog.api.stream.AddressRefusedException;
import org.auditlog.api.stream.DeliveryContext;
import org.auditlog.api.stream.NetworkGuard;

/**
 * The tests' network guard: it resolves the names a test gave it (the test's own DNS, so a name can point to the
 * loopback receiver), refuses the addresses a test refuses (as the server's guard refuses loopback), and allows
 * plain TCP only where a test allows it.
 */
final class TestGuard implements NetworkGuard {
    private final Map<String, List<InetAddress>> names = new HashMap<>();
    private final Set<InetAddress> refused = new HashSet<>();
    private final Set<InetAddress> plain = new HashSet<>();
    private final Map<String, Integer> resolved = new HashMap<>();

    TestGuard name(String host, InetAddress... addresses) {
        names.put(host, List.of(addresses));
        return this;
    }

    TestGuard refuse(InetAddress address) {
        refused.add(address);
        return this;
    }

    TestGuard allowPlain(InetAddress address) {
        plain.add(address);
        return this;
    }

    /** How often {@code host} was resolved. */
    synchronized int resolutions(String host) {
        return resolved.getOrDefault(host, 0);
    }

    @Override
    public synchronized List<InetAddress> resolve(String host) throws AddressRefusedException, UnknownHostException {
        resolved.merge(host, 1, Integer::sum);
        List<InetAddress> addresses = names.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        for (InetAddress a : addresses) {
            if (refused.contains(a)) {
                throw new AddressRefusedException(a, "loopback");
            }
        }
        return addresses;
    }

    @Override
    public synchronized boolean allowsPlain(InetAddress address) {
        return plain.contains(address);
    }

    /** An attempt's context: its time bound and this guard. */
    DeliveryContext context(Duration timeout) {
        NetworkGuard guard = this;
        return new DeliveryContext() {
            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public NetworkGuard guard() {
                return guard;
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public java.util.Optional<org.auditlog.api.stream.BatchFile> file(
                    org.auditlog.api.stream.StreamBatch batch) {
                return java.util.Optional.empty(); // syslog writes messages, not files
            }
        };
    }
}
