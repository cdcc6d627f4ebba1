package org.auditlog.api.store;

import java.util.Arrays;
import org.auditlog.api.adapter.IpAddresses;

/**
 * A range of IP addresses, as 16-byte addresses ({@link IpAddresses#bytes}): one address, or a CIDR network.
 *
 * @param first the lowest address of the range
 * @param last the highest address of the range
 * @since 1.5
 */
public record IpRange(byte[] first, byte[] last) {
    public IpRange {
        first = first.clone();
        last = last.clone();
    }

    /**
     * The range of an address ({@code 192.0.2.1}, {@code 2001:db8::1}) or a CIDR network ({@code 192.0.2.0/24},
     * {@code 2001:db8::/32}; the bits past the prefix may be set: {@code 192.0.2.7/24} is {@code 192.0.2.0/24}).
     * An IPv4 network is the range of its IPv4-mapped addresses.
     *
     * @throws IllegalArgumentException naming the rule the text breaks
     */
    public static IpRange parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!IpAddresses.isValid(address)) {
            throw new IllegalArgumentException(
                    "must be an IPv4 or IPv6 address (192.0.2.1, 2001:db8::1) or a CIDR range (192.0.2.0/24)");
        }
        byte[] bytes = IpAddresses.bytes(address);
        int max = IpAddresses.isIpv4(address) ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            String bits = text.substring(slash + 1);
            if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > max) {
                throw new IllegalArgumentException("the prefix length after '/' must be a number from 0 to " + max);
            }
            prefix = Integer.parseInt(bits);
        }
        int bitsIn16 = prefix + (128 - max);
        byte[] lo = bytes.clone();
        byte[] hi = bytes.clone();
        for (int bit = bitsIn16; bit < 128; bit++) {
            int i = bit / 8;
            int mask = 0x80 >>> (bit % 8);
            lo[i] = (byte) (lo[i] & ~mask);
            hi[i] = (byte) (hi[i] | mask);
        }
        return new IpRange(lo, hi);
    }

    /** Whether the range holds the address (16 bytes). */
    public boolean contains(byte[] address) {
        return Arrays.compareUnsigned(first, address) <= 0 && Arrays.compareUnsigned(address, last) <= 0;
    }

    /** Whether the range is one address. */
    public boolean single() {
        return Arrays.equals(first, last);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange r && Arrays.equals(first, r.first) && Arrays.equals(last, r.last);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(first) + Arrays.hashCode(last);
    }

    @Override
    public String toString() {
        return "IpRange[" + java.util.HexFormat.of().formatHex(first) + ".."
                + java.util.HexFormat.of().formatHex(last) + "]";
    }
}
