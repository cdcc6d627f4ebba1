package org.auditlog.stream.webhook.internal;

import static org.auditlog.stream.http.internal.Members.refused;
import static org.auditlog.stream.http.internal.Members.string;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.SettingsRefusedException;
import org.auditlog.stream.http.internal.Members;
import org.auditlog.stream.http.internal.Trust;

/**
 * A webhook destination's settings: {@code url} (https; plain http only to addresses the operator allows plain
 * protocols to), the optional {@code ca} (PEM certificates trusted instead of the JVM's trust store) and the secret
 * {@code secret} ({@code whsec_…}, kept apart and never shown).
 */
final class WebhookSettings {
    static final String URL = "url";
    static final String CA = "ca";
    static final String SECRET = "secret";
    static final Set<String> MEMBERS = Set.of(URL, CA, SECRET);

    static final int MAX_URL_LENGTH = 2048;

    private WebhookSettings() {}

    /** Where a destination delivers, read from its stored settings. */
    record Target(URI url, boolean plain, String host, int port, byte[] key, String ca) {
        /** {@code host:port}, as messages name the receiver. */
        String authority() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    static DestinationSettings check(
            String type, Map<String, Object> given, DestinationSettings stored, NetworkGuard guard)
            throws SettingsRefusedException {
        for (String name : new TreeSet<>(given.keySet())) {
            if (!MEMBERS.contains(name)) {
                throw refused(name, "unknown member");
            }
        }
        Map<String, String> settings = new TreeMap<>();
        String url = string(given, URL);
        if (url == null) {
            throw refused(URL, "is required");
        }
        URI uri = parseUrl(url);
        Members.checkAddresses(uri, guard, URL);
        settings.put(URL, url);

        String ca = string(given, CA);
        if (ca != null) {
            try {
                Trust.certificates(ca);
            } catch (IllegalArgumentException e) {
                throw refused(CA, e.getMessage());
            }
            settings.put(CA, ca);
        }

        String secret = string(given, SECRET);
        if (secret == null) {
            secret = stored != null && stored.type().equals(type) ? stored.secret(SECRET) : null;
            if (secret == null) {
                throw refused(SECRET, "is required");
            }
        } else if (Signatures.key(secret) == null) {
            throw refused(
                    SECRET,
                    "must be " + Signatures.SECRET_PREFIX + " followed by the base64 (with its padding) of "
                            + Signatures.MIN_KEY_BYTES + " to " + Signatures.MAX_KEY_BYTES + " random bytes");
        }
        return new DestinationSettings(type, settings, Map.of(SECRET, secret));
    }

    /** The stored settings as a target; they were checked when stored. */
    static Target target(DestinationSettings settings) {
        String url = settings.setting(URL, null);
        if (url == null) {
            throw new IllegalArgumentException("the destination has no url");
        }
        URI uri = URI.create(url);
        byte[] key = Signatures.key(settings.secret(SECRET));
        if (key == null) {
            throw new IllegalArgumentException("the destination's secret is missing or not a whsec_ secret");
        }
        boolean plain = uri.getScheme().equalsIgnoreCase("http");
        int port = uri.getPort() >= 0 ? uri.getPort() : plain ? 80 : 443;
        return new Target(uri, plain, Members.host(uri), port, key, settings.setting(CA, null));
    }

    private static URI parseUrl(String url) throws SettingsRefusedException {
        if (url.length() > MAX_URL_LENGTH) {
            throw refused(URL, "must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw refused(URL, "must be an https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.isOpaque() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw refused(URL, "must be an https URL");
        }
        if (uri.getHost() == null) {
            throw refused(URL, "must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused(URL, "must not hold a user name or password (the signature proves the sender)");
        }
        if (uri.getRawFragment() != null) {
            throw refused(URL, "must not have a fragment");
        }
        return uri;
    }
}
