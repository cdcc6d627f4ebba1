package org.auditlog.api.adapter;

/**
 * A strict check of IP address text, without resolving anything (never {@code InetAddress.getByName}, which
 * looks names up in DNS).
 *
 * <ul>
 * <li>IPv4: the dotted quad, four decimal numbers 0-255 without leading zeros ({@code 192.0.2.1}; {@code 01.2.3.4}
 * is refused, since some readers take it as octal);</li>
 * <li>IPv6: the text forms of RFC 4291 section 2.2: eight groups of 1-4 hexadecimal digits, one {@code ::}
 * standing for one or more zero groups, and an optional IPv4 dotted quad as the last 32 bits
 * ({@code ::ffff:192.0.2.1}); a zone id ({@code fe80::1%eth0}) is refused: it names an interface of the
 * machine that saw the address and means nothing elsewhere.</li>
 * </ul>
 *
 * <p>Used by the capture service (the {@code ip_address} of every record) and by searches ({@code ip:}).
 *
 * @since 1.1
 */
public final class IpAddresses {

    private IpAddresses() {}

    /** Whether the text is an IPv4 or IPv6 address as above. */
    public static boolean isValid(String text) {
        return text != null && (isIpv4(text) || isIpv6(text));
    }

    /** Whether the text is an IPv4 dotted quad as above. */
    public static boolean isIpv4(String text) {
        int parts = 0;
        int i = 0;
        int n = text.length();
        while (true) {
            int start = i;
            int value = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return false;
                }
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return false;
            }
            parts++;
            if (i == n) {
                return parts == 4;
            }
            if (text.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    /** Whether the text is an IPv6 address as above. */
    public static boolean isIpv6(String text) {
        if (text.isEmpty() || text.length() > 45 || text.indexOf(':') < 0) {
            return false;
        }
        String s = text;
        int groups = 0;
        if (s.indexOf('.') >= 0) {
            int last = s.lastIndexOf(':');
            if (!isIpv4(s.substring(last + 1))) {
                return false;
            }
            s = s.substring(0, last + 1);
            groups = 2; // the dotted quad is the last two groups
            if (!s.endsWith("::")) {
                s = s.substring(0, s.length() - 1); // "a:b:...:f:" -> "a:b:...:f"
                if (s.isEmpty()) {
                    return false; // ":1.2.3.4"
                }
            }
        }
        int compressed = s.indexOf("::");
        if (compressed < 0) {
            int g = countGroups(s);
            return g >= 0 && g + groups == 8;
        }
        if (s.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        int left = countGroups(s.substring(0, compressed));
        int right = countGroups(s.substring(compressed + 2));
        return left >= 0 && right >= 0 && left + right + groups <= 7;
    }

    /** The number of colon-separated groups of 1-4 hex digits ("" has none), or -1 when one is not such. */
    private static int countGroups(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        int groups = 0;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == ':') {
                if (digits == 0) {
                    return -1;
                }
                groups++;
                digits = 0;
            } else if (Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
                if (++digits > 4) {
                    return -1;
                }
            } else {
                return -1;
            }
        }
        return groups;
    }

    /**
     * The address as 16 bytes, an IPv4 address as its IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}), so that
     * every text form of one address gives the same bytes and addresses order as numbers.
     *
     * @throws IllegalArgumentException when the text is not {@link #isValid valid}
     */
    public static byte[] bytes(String text) {
        if (!isValid(text)) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        byte[] raw;
        try {
            raw = java.net.InetAddress.getByName(text).getAddress(); // a literal, checked above: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }
}
