package org.auditlog.stream.http.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.auditlog.api.stream.AddressRefusedException;
import org.auditlog.api.stream.NetworkGuard;

/**
 * A network guard for tests: the test host names (receiver.test for the webhook destination, hec.test for the
 * Splunk HEC one, other.test, localhost) resolve to the loopback address (or as {@link #map} says), other names do
 * not resolve; loopback addresses are refused unless {@code allowLoopback}, plain protocols refused unless
 * {@code allowPlain}. It counts its resolutions.
 */
public final class Guard implements NetworkGuard {
    private final boolean allowLoopback;
    private final boolean allowPlain;
    public final AtomicInteger resolutions = new AtomicInteger();
    private final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();

    private Guard(boolean allowLoopback, boolean allowPlain) {
        this.allowLoopback = allowLoopback;
        this.allowPlain = allowPlain;
        for (String n : List.of("receiver.test", "hec.test", "other.test", "localhost")) {
            names.put(n, List.of(InetAddress.getLoopbackAddress()));
        }
    }

    /** Allows loopback, over TLS only. */
    public static Guard allowingLoopback() {
        return new Guard(true, false);
    }

    /** Allows loopback, plain protocols too. */
    public static Guard allowingPlainLoopback() {
        return new Guard(true, true);
    }

    /** The default rule: loopback is refused. */
    public static Guard refusingLoopback() {
        return new Guard(false, false);
    }

    public Guard map(String host, InetAddress... addresses) {
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
