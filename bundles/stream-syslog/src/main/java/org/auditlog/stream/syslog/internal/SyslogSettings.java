package org.auditlog.stream.syslog.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.auditlog.api.stream.AddressRefusedException;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.SettingsRefusedException;

/**
 * A syslog stream's settings: the {@code destination} members a client gives, checked, and the same settings read
 * back from what is stored. Every value is stored as a string; a setting left out is stored with its default, but
 * for {@code hostname} (the server's host name when delivering), {@code ca} (the JVM's trust store) and
 * {@code clientCertificate} (none). The client certificate's key, {@code clientKey}, is the one secret.
 *
 * @param host the receiver's DNS name or IP address
 * @param port its port
 * @param tls TLS (RFC 5425), or plain TCP (RFC 6587) to a network the operator allows
 * @param relp RELP instead of octet-counted syslog frames
 * @param ca PEM text of the certificates to trust instead of the JVM's, or {@code null}
 * @param hostname the HOSTNAME of every message, or {@code null} for the server's host name
 * @param facility the facility's name
 * @param enterpriseId the private enterprise number of the structured data's SD-ID
 * @param clientCertificate PEM text of the certificate (then its chain) presented to a receiver that asks for one,
 *     or {@code null}
 * @param clientKey PEM text of its private key (PKCS#8), a secret, or {@code null}
 */
record SyslogSettings(
        String host,
        int port,
        boolean tls,
        boolean relp,
        String ca,
        String hostname,
        String facility,
        long enterpriseId,
        String clientCertificate,
        String clientKey) {
    static final String TYPE = "syslog";

    /** The port of syslog over TLS (RFC 5425). */
    static final int TLS_PORT = 6514;
    /** The port librelp and rsyslog's documentation use for RELP (RELP has no IANA port). */
    static final int RELP_PORT = 20514;

    static final String DEFAULT_FACILITY = "local0";
    /** The IANA example enterprise number (RFC 5612), the one RFC 5424's own examples use. */
    static final long DEFAULT_ENTERPRISE_ID = 32473;

    /** The facilities by name (RFC 5424, table 1, with the names syslog daemons use), their code the index. */
    static final List<String> FACILITIES = List.of(
            "kern",
            "user",
            "mail",
            "daemon",
            "auth",
            "syslog",
            "lpr",
            "news",
            "uucp",
            "cron",
            "authpriv",
            "ftp",
            "ntp",
            "audit",
            "alert",
            "clock",
            "local0",
            "local1",
            "local2",
            "local3",
            "local4",
            "local5",
            "local6",
            "local7");

    /** The secret member: the client certificate's private key. */
    static final String CLIENT_KEY = "clientKey";

    private static final Set<String> MEMBERS = Set.of(
            "host",
            "port",
            "tls",
            "relp",
            "ca",
            "hostname",
            "facility",
            "enterpriseId",
            "clientCertificate",
            CLIENT_KEY);

    /** A DNS name: labels of letters, digits and dashes (underscores are seen in the wild), dot separated. */
    private static final Pattern DNS_NAME =
            Pattern.compile("(?=.{1,253}\\.?$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)"
                    + "(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
    /** An IPv6 literal (read by the JDK's parser, which never looks a literal up). */
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** The facility's code, 0 to 23. */
    int facilityCode() {
        return FACILITIES.indexOf(facility);
    }

    /**
     * Checks a stream's {@code destination} members (its {@code type} removed) and returns the settings to store.
     * The host is resolved through {@code guard}: a name that resolves to an address the server may not reach is
     * refused, and so is plain TCP to an address the operator did not allow for it.
     */
    static DestinationSettings check(Map<String, Object> given, DestinationSettings stored, NetworkGuard guard)
            throws SettingsRefusedException {
        for (String member : given.keySet()) {
            if (!MEMBERS.contains(member)) {
                throw refused(member, "unknown member");
            }
        }
        String host = host(given.get("host"));
        boolean relp = bool("relp", given.get("relp"), false);
        int port = port(given.get("port"), relp ? RELP_PORT : TLS_PORT);
        boolean tls = bool("tls", given.get("tls"), true);
        String ca = ca(given.get("ca"), tls);
        String hostname = hostname(given.get("hostname"));
        String facility = facility(given.get("facility"));
        long enterpriseId = enterpriseId(given.get("enterpriseId"));
        String clientCertificate = clientCertificate(given.get("clientCertificate"), tls);
        Object keyGiven = given.get(CLIENT_KEY);
        if (keyGiven == null && clientCertificate != null && stored != null) {
            keyGiven = stored.secret(CLIENT_KEY); // left out of a change: the stored key stays
        }
        String clientKey = clientKey(keyGiven, clientCertificate);

        List<InetAddress> addresses;
        try {
            addresses = guard.resolve(host);
        } catch (AddressRefusedException e) {
            throw refused("host", e.getMessage());
        } catch (UnknownHostException e) {
            throw refused("host", "does not resolve");
        }
        if (!tls) {
            for (InetAddress address : addresses) {
                if (!guard.allowsPlain(address)) {
                    throw refused(
                            "tls",
                            "plain TCP only to a network the operator allows (" + address.getHostAddress()
                                    + " is not in AUDITLOG_STREAMS_ALLOWED_NETWORKS)");
                }
            }
        }

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("host", host);
        settings.put("port", Integer.toString(port));
        settings.put("tls", Boolean.toString(tls));
        settings.put("relp", Boolean.toString(relp));
        if (ca != null) {
            settings.put("ca", ca);
        }
        if (hostname != null) {
            settings.put("hostname", hostname);
        }
        settings.put("facility", facility);
        settings.put("enterpriseId", Long.toString(enterpriseId));
        if (clientCertificate != null) {
            settings.put("clientCertificate", clientCertificate);
        }
        return new DestinationSettings(TYPE, settings, clientKey == null ? Map.of() : Map.of(CLIENT_KEY, clientKey));
    }

    /**
     * The settings of a stored destination: those {@link #check} returned, read with the same rules (a stored value
     * a newer rule refuses is refused here too, naming it).
     */
    static SyslogSettings of(DestinationSettings stored) throws SettingsRefusedException {
        Map<String, Object> given = new LinkedHashMap<>(stored.settings());
        given.putAll(stored.secrets());
        for (String member : given.keySet()) {
            if (!MEMBERS.contains(member)) {
                throw refused(member, "unknown member");
            }
        }
        boolean relp = bool("relp", given.get("relp"), false);
        boolean tls = bool("tls", given.get("tls"), true);
        String clientCertificate = clientCertificate(given.get("clientCertificate"), tls);
        return new SyslogSettings(
                host(given.get("host")),
                port(given.get("port"), relp ? RELP_PORT : TLS_PORT),
                tls,
                relp,
                ca(given.get("ca"), tls),
                hostname(given.get("hostname")),
                facility(given.get("facility")),
                enterpriseId(given.get("enterpriseId")),
                clientCertificate,
                clientKey(given.get(CLIENT_KEY), clientCertificate));
    }

    /** The settings, the client key's value left out. */
    @Override
    public String toString() {
        return "syslog " + host + ":" + port + " tls=" + tls + " relp=" + relp + " facility=" + facility
                + " enterpriseId=" + enterpriseId + (hostname == null ? "" : " hostname=" + hostname)
                + (ca == null ? "" : " ca") + (clientCertificate == null ? "" : " clientCertificate")
                + (clientKey == null ? "" : " clientKey");
    }

    private static String host(Object value) throws SettingsRefusedException {
        if (value == null) {
            throw refused("host", "is required");
        }
        String host = string("host", value).strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw refused("host", "is required");
        }
        if (IPV6_LITERAL.matcher(host).matches()) {
            try {
                return InetAddress.getByName(host).getHostAddress();
            } catch (UnknownHostException e) {
                throw refused("host", "must be a host name or an IP address");
            }
        }
        if (!DNS_NAME.matcher(host).matches()) {
            throw refused("host", "must be a host name or an IP address");
        }
        return host.toLowerCase(Locale.ROOT);
    }

    private static int port(Object value, int fallback) throws SettingsRefusedException {
        if (value == null) {
            return fallback;
        }
        Long port = integer(value);
        if (port == null || port < 1 || port > 65535) {
            throw refused("port", "must be an integer from 1 to 65535");
        }
        return port.intValue();
    }

    private static String ca(Object value, boolean tls) throws SettingsRefusedException {
        if (value == null) {
            return null;
        }
        String pem = string("ca", value).strip();
        if (pem.isEmpty()) {
            return null;
        }
        if (!tls) {
            throw refused("ca", "is for TLS only");
        }
        certificates("ca", pem);
        return pem + "\n";
    }

    private static String clientCertificate(Object value, boolean tls) throws SettingsRefusedException {
        if (value == null) {
            return null;
        }
        String pem = string("clientCertificate", value).strip();
        if (pem.isEmpty()) {
            return null;
        }
        if (!tls) {
            throw refused("clientCertificate", "is for TLS only");
        }
        certificates("clientCertificate", pem);
        return pem + "\n";
    }

    /** The client key, checked against the certificate (the first of {@code clientCertificate}). */
    private static String clientKey(Object value, String clientCertificate) throws SettingsRefusedException {
        if (value == null) {
            if (clientCertificate != null) {
                throw refused(CLIENT_KEY, "is required with clientCertificate");
            }
            return null;
        }
        String pem = string(CLIENT_KEY, value).strip();
        if (clientCertificate == null) {
            throw refused(CLIENT_KEY, "only with clientCertificate");
        }
        PrivateKey key;
        try {
            key = Tls.privateKey(pem);
        } catch (GeneralSecurityException e) {
            throw refused(CLIENT_KEY, "must be an unencrypted PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        try {
            Tls.checkPair(
                    key, certificates("clientCertificate", clientCertificate).get(0));
        } catch (GeneralSecurityException e) {
            throw refused(CLIENT_KEY, "is not the private key of clientCertificate");
        }
        return pem + "\n";
    }

    private static List<X509Certificate> certificates(String member, String pem) throws SettingsRefusedException {
        if (!pem.startsWith("-----BEGIN CERTIFICATE-----")) {
            throw refused(member, "must be PEM text: -----BEGIN CERTIFICATE----- ...");
        }
        try {
            List<X509Certificate> certificates = Tls.certificates(pem);
            if (certificates.isEmpty()) {
                throw refused(member, "must hold a certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw refused(member, "is not PEM X.509 certificates");
        }
    }

    private static String hostname(Object value) throws SettingsRefusedException {
        if (value == null) {
            return null;
        }
        String hostname = string("hostname", value);
        if (hostname.isEmpty() || hostname.length() > 255 || !printableAscii(hostname)) {
            throw refused("hostname", "must be 1 to 255 printable ASCII characters without spaces (RFC 5424 HOSTNAME)");
        }
        return hostname;
    }

    private static String facility(Object value) throws SettingsRefusedException {
        if (value == null) {
            return DEFAULT_FACILITY;
        }
        Long code = integer(value);
        if (code != null && code >= 0 && code < FACILITIES.size()) {
            return FACILITIES.get(code.intValue());
        }
        if (value instanceof String name && FACILITIES.contains(name.strip().toLowerCase(Locale.ROOT))) {
            return name.strip().toLowerCase(Locale.ROOT);
        }
        throw refused("facility", "must be a facility name (local0 to local7, user, ...) or its code, 0 to 23");
    }

    private static long enterpriseId(Object value) throws SettingsRefusedException {
        if (value == null) {
            return DEFAULT_ENTERPRISE_ID;
        }
        Long id = integer(value);
        if (id == null || id < 1 || id > 4294967295L) {
            throw refused("enterpriseId", "must be a private enterprise number, a positive integer");
        }
        return id;
    }

    private static boolean bool(String name, Object value, boolean fallback) throws SettingsRefusedException {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value)) {
            return true;
        }
        if ("false".equals(value)) {
            return false;
        }
        throw refused(name, "must be true or false");
    }

    private static String string(String name, Object value) throws SettingsRefusedException {
        if (value instanceof String s) {
            return s;
        }
        throw refused(name, "must be a string");
    }

    /** A whole number given as a JSON number or as a string of digits, or {@code null}. */
    private static Long integer(Object value) {
        try {
            if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                return ((Number) value).longValue();
            }
            if (value instanceof BigInteger b) {
                return b.longValueExact();
            }
            if (value instanceof BigDecimal d) {
                return d.longValueExact();
            }
            if (value instanceof Double || value instanceof Float) {
                return new BigDecimal(value.toString()).longValueExact();
            }
            if (value instanceof String s && s.matches("[0-9]{1,18}")) {
                return Long.parseLong(s);
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** PRINTUSASCII of RFC 5424: %d33-126. */
    static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126) {
                return false;
            }
        }
        return true;
    }

    private static SettingsRefusedException refused(String member, String rule) {
        return new SettingsRefusedException("destination." + member, rule);
    }
}
