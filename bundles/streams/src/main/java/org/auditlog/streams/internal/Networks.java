package org.auditlog.streams.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.auditlog.api.stream.AddressRefusedException;
import org.auditlog.api.stream.NetworkGuard;

/**
 * The server's {@link NetworkGuard}: the special-purpose address blocks of IANA's registries (RFC 6890 and its
 * updates) are refused, unless one of the operator's networks holds the address. Plain protocols go only to the
 * operator's networks.
 */
final class Networks implements NetworkGuard {
    /** Resolves names; a test gives its own. */
    interface Resolver {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    private final List<Cidr> allowed;
    private final Resolver resolver;

    Networks(List<Cidr> allowed, Resolver resolver) {
        this.allowed = List.copyOf(allowed);
        this.resolver = resolver;
    }

    /** The operator's networks from a comma-separated list of CIDRs (an address alone is a /32 or /128). */
    static List<Cidr> parse(String list) {
        List<Cidr> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        for (String part : list.split(",")) {
            String p = part.strip();
            if (!p.isEmpty()) {
                out.add(Cidr.parse(p));
            }
        }
        return out;
    }

    @Override
    public List<InetAddress> resolve(String host) throws AddressRefusedException, UnknownHostException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all = resolver.all(h);
        for (InetAddress a : all) {
            check(a);
        }
        return Arrays.asList(all);
    }

    /** Refuses an address of a special kind that no allowed network holds. */
    void check(InetAddress address) throws AddressRefusedException {
        String kind = kind(address);
        if (kind != null && !isAllowed(address)) {
            throw new AddressRefusedException(address, kind);
        }
    }

    @Override
    public boolean allowsPlain(InetAddress address) {
        return isAllowed(address);
    }

    private boolean isAllowed(InetAddress address) {
        for (Cidr c : allowed) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The kind of a special-purpose address, or {@code null} for a public one. */
    static String kind(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible addresses are judged as the IPv4 address they carry
            if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                return kind(v4(b, 12));
            }
            if (isZero(b, 0, 12) && !isZero(b, 12, 16) && !(isZero(b, 12, 15) && b[15] == 1)) {
                return kind(v4(b, 12));
            }
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int o1 = b[0] & 0xff;
            int o2 = b[1] & 0xff;
            if (o1 == 10 || (o1 == 172 && o2 >= 16 && o2 <= 31) || (o1 == 192 && o2 == 168)) {
                return "private";
            }
            if (o1 == 0) {
                return "this-network";
            }
            if (o1 == 100 && o2 >= 64 && o2 <= 127) {
                return "shared (carrier-grade NAT)";
            }
            if (o1 == 192 && o2 == 0 && (b[2] & 0xff) == 0) {
                return "IETF protocol assignment";
            }
            if ((o1 == 192 && o2 == 0 && (b[2] & 0xff) == 2)
                    || (o1 == 198 && o2 == 51 && (b[2] & 0xff) == 100)
                    || (o1 == 203 && o2 == 0 && (b[2] & 0xff) == 113)) {
                return "documentation";
            }
            if (o1 == 198 && (o2 == 18 || o2 == 19)) {
                return "benchmarking";
            }
            if (o1 >= 240) {
                return "reserved";
            }
            return null;
        }
        int first = b[0] & 0xff;
        if ((first & 0xfe) == 0xfc) {
            return "private (unique local)";
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return "site-local";
        }
        if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return "documentation";
        }
        if (first == 0x01 && isZero(b, 1, 8)) {
            return "discard-only";
        }
        if (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return "NAT64"; // 64:ff9b::/96 reaches IPv4 addresses through a translator: judged as refused
        }
        if (first == 0x20 && (b[1] & 0xff) == 0x02) {
            return "6to4"; // 2002::/16 embeds an IPv4 address
        }
        if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x00 && (b[3] & 0xff) == 0x00) {
            return "Teredo";
        }
        return null;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress v4(byte[] b, int at) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, at, at + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A network in CIDR notation. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String addr = slash < 0 ? text : text.substring(0, slash);
            if (!addr.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("not an address: " + text);
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(addr).getAddress(); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an address: " + text, e);
            }
            int prefix;
            try {
                prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length: " + text, e);
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("prefix length out of range: " + text);
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (network[full] & mask);
        }
    }
}
