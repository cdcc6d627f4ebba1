package org.auditlog.stream.s3.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.auditlog.api.stream.AddressRefusedException;
import org.auditlog.api.stream.NetworkGuard;

/**
 * A network guard for tests: {@code 127.0.0.1}, {@code localhost} and the names {@link #map} adds resolve to the
 * loopback address, other names do not resolve; loopback is refused unless allowed, plain protocols refused unless
 * allowed. It counts its resolutions.
 */
final class Guard implements NetworkGuard {
    final boolean allowLoopback;
    final boolean allowPlain;
    final AtomicInteger resolutions = new AtomicInteger();
    private final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();

    Guard(boolean allowLoopback, boolean allowPlain) {
        this.allowLoopback = allowLoopback;
        this.allowPlain = allowPlain;
        for (String n : List.of("127.0.0.1", "localhost")) {
            names.put(n, List.of(InetAddress.getLoopbackAddress()));
        }
    }

    Guard map(String host, InetAddress... addresses) {
        names.put(host, List.of(addresses));
        return this;
    }

    @Override
    public List<InetAddress> resolve(String host) throws AddressRefusedException, UnknownHostException {
        resolutions.incrementAndGet();
        List<InetAddress> addresses = names.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        for (InetAddress a : addresses) {
            if (a.isLoopbackAddress() && !allowLoopback) {
                throw new AddressRefusedException(a, "loopback");
            }
        }
        return addresses;
    }

    @Override
    public boolean allowsPlain(InetAddress address) {
        return allowPlain && address.isLoopbackAddress();
    }
}
