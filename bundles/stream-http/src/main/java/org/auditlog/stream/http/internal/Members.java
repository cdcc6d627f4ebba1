package org.auditlog.stream.http.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.auditlog.api.stream.AddressRefusedException;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.SettingsRefusedException;

/**
 * The checks every destination's settings make of the {@code destination} object a client gave: a string member, a
 * refusal naming {@code destination.<member>}, and a host that must resolve to addresses the network guard allows
 * (and allows plain protocols to, for a plain {@code http} URL).
 */
public final class Members {
    private Members() {}

    /** A string member, or {@code null} when it is absent or JSON null. */
    public static String string(Map<String, Object> given, String name) throws SettingsRefusedException {
        Object value = given.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw refused(name, "must be a string");
        }
        return s;
    }

    /** A refusal of {@code destination.<member>} for breaking {@code rule}. */
    public static SettingsRefusedException refused(String member, String rule) {
        return new SettingsRefusedException("destination." + member, rule);
    }

    /** The URL's host, without the brackets of an IPv6 literal. */
    public static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Why plain HTTP may not go to an address. */
    public static String plainRefused(String host, InetAddress address) {
        return "plain http to " + host + " (" + address.getHostAddress()
                + ") is not allowed; plain protocols go only to networks allowed in "
                + "AUDITLOG_STREAMS_ALLOWED_NETWORKS";
    }

    /**
     * The URL's host resolves, to addresses the guard allows, and to ones it allows plain HTTP to for an http URL;
     * a refusal names {@code member}.
     */
    public static void checkAddresses(URI uri, NetworkGuard guard, String member) throws SettingsRefusedException {
        String host = host(uri);
        List<InetAddress> addresses = resolve(host, guard, member);
        if (uri.getScheme().equalsIgnoreCase("http")) {
            for (InetAddress a : addresses) {
                if (!guard.allowsPlain(a)) {
                    throw refused(member, "must be https: " + plainRefused(host, a));
                }
            }
        }
    }

    /** The host's addresses, all allowed by the guard; a refusal names {@code member}. */
    public static List<InetAddress> resolve(String host, NetworkGuard guard, String member)
            throws SettingsRefusedException {
        try {
            return guard.resolve(host);
        } catch (AddressRefusedException e) {
            throw refused(member, e.getMessage());
        } catch (UnknownHostException e) {
            throw refused(member, "the host " + host + " does not resolve");
        }
    }
}
