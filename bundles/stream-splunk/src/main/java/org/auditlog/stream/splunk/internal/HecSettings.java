package org.auditlog.stream.splunk.internal;

import static org.auditlog.stream.http.internal.Members.refused;
import static org.auditlog.stream.http.internal.Members.string;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.SettingsRefusedException;
import org.auditlog.stream.http.internal.Members;
import org.auditlog.stream.http.internal.Trust;

/**
 * A Splunk HEC destination's settings: {@code url} (the collector's base URL: https; plain http only to addresses
 * the operator allows plain protocols to), the secret {@code token} (kept apart, never shown), the events' metadata
 * {@code index}, {@code sourcetype} (default {@value #DEFAULT_SOURCETYPE}), {@code source} (default
 * {@value #DEFAULT_SOURCE}) and {@code host}, the optional {@code ca} (PEM certificates trusted instead of the JVM's
 * trust store) and {@code ack} (whether a batch counts as delivered only once the indexers acknowledge it; default
 * true). The stored settings hold {@code sourcetype}, {@code source} and {@code ack} always, with their defaults
 * when not given, so that the API shows what is sent.
 */
final class HecSettings {
    static final String URL = "url";
    static final String TOKEN = "token";
    static final String INDEX = "index";
    static final String SOURCETYPE = "sourcetype";
    static final String SOURCE = "source";
    static final String HOST = "host";
    static final String CA = "ca";
    static final String ACK = "ack";
    static final Set<String> MEMBERS = Set.of(URL, TOKEN, INDEX, SOURCETYPE, SOURCE, HOST, CA, ACK);

    static final String DEFAULT_SOURCETYPE = "auditlog:v1";
    static final String DEFAULT_SOURCE = "auditlog";

    /** The collector's paths, under the base URL. */
    static final String EVENT_PATH = "/services/collector/event";

    static final String ACK_PATH = "/services/collector/ack";

    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_TOKEN_LENGTH = 256;
    static final int MAX_METADATA_LENGTH = 1024;
    static final int MAX_INDEX_LENGTH = 255;

    /** A token goes in a header: printable ASCII, no space. */
    private static final Pattern TOKEN_FORM = Pattern.compile("[\\x21-\\x7e]{1," + MAX_TOKEN_LENGTH + "}");

    /** Splunk's rule for an index's name: lower case letters, digits, _ and -, starting with a letter or digit. */
    private static final Pattern INDEX_FORM = Pattern.compile("[a-z0-9][a-z0-9_-]{0," + (MAX_INDEX_LENGTH - 1) + "}");

    private HecSettings() {}

    /**
     * Where and how a destination delivers, read from its stored settings.
     *
     * @param base the base URL, without a trailing slash
     * @param index the index, or {@code null} for the token's default index
     * @param eventHost the events' {@code host}, or {@code null} for the collector's default
     */
    record Target(
            String base,
            boolean plain,
            String host,
            int port,
            String token,
            String index,
            String sourcetype,
            String source,
            String eventHost,
            String ca,
            boolean ack) {
        URI events() {
            return URI.create(base + EVENT_PATH);
        }

        URI acks(String channel) {
            return URI.create(base + ACK_PATH + "?channel=" + channel);
        }

        @Override
        public String toString() {
            return "Target[" + base + "]"; // never the token
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

        String index = string(given, INDEX);
        if (index != null) {
            if (!INDEX_FORM.matcher(index).matches()) {
                throw refused(
                        INDEX,
                        "must be an index name: lower case letters, digits, _ and -, starting with a letter or a"
                                + " digit, at most " + MAX_INDEX_LENGTH + " characters");
            }
            settings.put(INDEX, index);
        }
        settings.put(SOURCETYPE, metadata(given, SOURCETYPE, DEFAULT_SOURCETYPE));
        settings.put(SOURCE, metadata(given, SOURCE, DEFAULT_SOURCE));
        String host = metadata(given, HOST, null);
        if (host != null) {
            settings.put(HOST, host);
        }

        String ca = string(given, CA);
        if (ca != null) {
            try {
                Trust.certificates(ca);
            } catch (IllegalArgumentException e) {
                throw refused(CA, e.getMessage());
            }
            settings.put(CA, ca);
        }

        Object ack = given.get(ACK);
        if (ack != null && !(ack instanceof Boolean)) {
            throw refused(ACK, "must be true or false");
        }
        settings.put(ACK, ack == null ? "true" : ack.toString());

        String token = string(given, TOKEN);
        if (token == null) {
            token = stored != null && stored.type().equals(type) ? stored.secret(TOKEN) : null;
            if (token == null) {
                throw refused(TOKEN, "is required");
            }
        } else if (!TOKEN_FORM.matcher(token).matches()) {
            throw refused(
                    TOKEN,
                    "must be the HEC token alone (without \"Splunk \"): 1 to " + MAX_TOKEN_LENGTH
                            + " printable ASCII characters, no space");
        }
        return new DestinationSettings(type, settings, Map.of(TOKEN, token));
    }

    /** The stored settings as a target; they were checked when stored. */
    static Target target(DestinationSettings settings) {
        String url = settings.setting(URL, null);
        if (url == null) {
            throw new IllegalArgumentException("the destination has no url");
        }
        String token = settings.secret(TOKEN);
        if (token == null || !TOKEN_FORM.matcher(token).matches()) {
            throw new IllegalArgumentException("the destination's token is missing or not a token");
        }
        URI uri = URI.create(url);
        boolean plain = uri.getScheme().equalsIgnoreCase("http");
        int port = uri.getPort() >= 0 ? uri.getPort() : plain ? 80 : 443;
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return new Target(
                base,
                plain,
                Members.host(uri),
                port,
                token,
                settings.setting(INDEX, null),
                settings.setting(SOURCETYPE, DEFAULT_SOURCETYPE),
                settings.setting(SOURCE, DEFAULT_SOURCE),
                settings.setting(HOST, null),
                settings.setting(CA, null),
                !"false".equals(settings.setting(ACK, "true")));
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
            throw refused(URL, "must not hold a user name or password (the token authenticates)");
        }
        if (uri.getRawQuery() != null) {
            throw refused(URL, "must not have a query");
        }
        if (uri.getRawFragment() != null) {
            throw refused(URL, "must not have a fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.toLowerCase(Locale.ROOT).contains("/services/collector")) {
            throw refused(
                    URL,
                    "must be the collector's base URL, such as https://hec.example.com:8088, without"
                            + " /services/collector…: the paths are added to it");
        }
        return uri;
    }

    /** An event's metadata: a string of 1 to {@value #MAX_METADATA_LENGTH} characters, no control character. */
    private static String metadata(Map<String, Object> given, String name, String fallback)
            throws SettingsRefusedException {
        String value = string(given, name);
        if (value == null) {
            return fallback;
        }
        if (value.isBlank()) {
            throw refused(name, "must not be blank");
        }
        if (value.length() > MAX_METADATA_LENGTH) {
            throw refused(name, "must be at most " + MAX_METADATA_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw refused(name, "must not hold control characters");
            }
        }
        return value;
    }
}
