package org.auditlog.stream.s3.internal;

import static org.auditlog.stream.http.internal.Members.refused;
import static org.auditlog.stream.http.internal.Members.string;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
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

/**
 * An s3 destination's settings:
 *
 * <ul>
 *   <li>{@code bucket} (required): the bucket's name, 3 to 63 lower-case letters, digits, dots and hyphens,
 *       beginning and ending with a letter or digit (S3's rules for new buckets);
 *   <li>{@code region} (default {@code us-east-1}): the region requests are signed for (SigV4);
 *   <li>{@code endpoint} (optional): the URL of an S3-compatible service, https (plain http only to networks the
 *       operator allows plain protocols to), without path, query or user; without it, AWS's own endpoint of the
 *       region;
 *   <li>{@code pathStyle} (default false): address the bucket in the path ({@code endpoint/bucket/key}) rather
 *       than in the host name ({@code bucket.endpoint/key}), as most S3-compatible servers need;
 *   <li>{@code prefix} (default empty): put before every object's name: at most 256 letters, digits and
 *       {@code !_.*'()/-}, not starting with {@code /}, without {@code //} or {@code ..}, ending with {@code /};
 *   <li>{@code accessKeyId} and {@code secretAccessKey}: the credentials, both secrets (kept apart, never shown);
 *       a change that leaves them out keeps the stored ones.
 * </ul>
 */
final class S3Settings {
    static final String BUCKET = "bucket";
    static final String REGION = "region";
    static final String ENDPOINT = "endpoint";
    static final String PATH_STYLE = "pathStyle";
    static final String PREFIX = "prefix";
    static final String ACCESS_KEY_ID = "accessKeyId";
    static final String SECRET_ACCESS_KEY = "secretAccessKey";
    static final Set<String> MEMBERS =
            Set.of(BUCKET, REGION, ENDPOINT, PATH_STYLE, PREFIX, ACCESS_KEY_ID, SECRET_ACCESS_KEY);

    static final String DEFAULT_REGION = "us-east-1";
    static final int MAX_PREFIX = 256;
    static final int MAX_ENDPOINT = 2048;
    static final int MAX_KEY = 256;

    private static final Pattern BUCKET_RULE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION_RULE = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Pattern PREFIX_RULE = Pattern.compile("[A-Za-z0-9!_.*'()/-]*");
    private static final Pattern KEY_RULE = Pattern.compile("[\\x21-\\x7e]+");

    private S3Settings() {}

    /** Where and how a destination writes, read from its stored settings. */
    record Target(
            String bucket,
            String region,
            URI endpoint,
            boolean pathStyle,
            String prefix,
            String accessKeyId,
            String secretAccessKey) {
        /** Whether requests go in plain HTTP (an endpoint on a network the operator allowed it to). */
        boolean plain() {
            return endpoint != null && endpoint.getScheme().equalsIgnoreCase("http");
        }

        /** The host requests go to, for messages: the endpoint's, or AWS's of the region. */
        String host() {
            return endpoint != null ? endpoint.getHost() : "s3." + region + ".amazonaws.com";
        }

        /** What identifies a client: every setting and the credentials (never shown: this is a map key). */
        String cacheKey() {
            return String.join(
                    "\u0000",
                    bucket,
                    region,
                    endpoint == null ? "" : endpoint.toString(),
                    Boolean.toString(pathStyle),
                    accessKeyId,
                    secretAccessKey);
        }

        @Override
        public String toString() { // no secret in a log line or a stack trace
            return "s3://" + bucket + "/" + prefix + " (" + host() + ")";
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
        String bucket = string(given, BUCKET);
        if (bucket == null) {
            throw refused(BUCKET, "is required");
        }
        if (!BUCKET_RULE.matcher(bucket).matches() || bucket.contains("..")) {
            throw refused(
                    BUCKET,
                    "must be 3 to 63 lower-case letters, digits, dots and hyphens, beginning and ending with a letter"
                            + " or digit");
        }
        settings.put(BUCKET, bucket);

        String region = string(given, REGION);
        if (region != null) {
            if (!REGION_RULE.matcher(region).matches()) {
                throw refused(REGION, "must be 1 to 32 lower-case letters, digits and hyphens (us-east-1)");
            }
            settings.put(REGION, region);
        }

        String endpoint = string(given, ENDPOINT);
        if (endpoint != null) {
            URI uri = parseEndpoint(endpoint);
            Members.checkAddresses(uri, guard, ENDPOINT);
            settings.put(ENDPOINT, endpoint);
        } else {
            String host = "s3." + (region == null ? DEFAULT_REGION : region) + ".amazonaws.com";
            Members.resolve(host, guard, REGION);
        }

        Object pathStyle = given.get(PATH_STYLE);
        if (pathStyle != null) {
            if (!(pathStyle instanceof Boolean b)) {
                throw refused(PATH_STYLE, "must be true or false");
            }
            settings.put(PATH_STYLE, b.toString());
        }

        String prefix = string(given, PREFIX);
        if (prefix != null && !prefix.isEmpty()) {
            if (prefix.length() > MAX_PREFIX
                    || !PREFIX_RULE.matcher(prefix).matches()
                    || prefix.startsWith("/")
                    || prefix.contains("//")
                    || prefix.contains("..")
                    || !prefix.endsWith("/")) {
                throw refused(
                        PREFIX,
                        "must be at most " + MAX_PREFIX + " letters, digits and !_.*'()/- ending with /, not starting"
                                + " with / and without // or ..");
            }
            settings.put(PREFIX, prefix);
        }

        boolean sameType = stored != null && stored.type().equals(type);
        Map<String, String> secrets = new TreeMap<>();
        for (String name : List.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY)) {
            String value = string(given, name);
            if (value == null) {
                value = sameType ? stored.secret(name) : null;
                if (value == null) {
                    throw refused(name, "is required");
                }
            } else if (value.length() > MAX_KEY || !KEY_RULE.matcher(value).matches()) {
                throw refused(name, "must be 1 to " + MAX_KEY + " printable ASCII characters without spaces");
            }
            secrets.put(name, value);
        }
        return new DestinationSettings(type, settings, secrets);
    }

    /** The stored settings as a target; they were checked when stored. */
    static Target target(DestinationSettings settings) {
        String bucket = settings.setting(BUCKET, null);
        String id = settings.secret(ACCESS_KEY_ID);
        String key = settings.secret(SECRET_ACCESS_KEY);
        if (bucket == null || id == null || key == null) {
            throw new IllegalArgumentException("the destination has no bucket or no credentials");
        }
        String endpoint = settings.setting(ENDPOINT, null);
        return new Target(
                bucket,
                settings.setting(REGION, DEFAULT_REGION),
                endpoint == null ? null : URI.create(endpoint),
                Boolean.parseBoolean(settings.setting(PATH_STYLE, "false")),
                settings.setting(PREFIX, ""),
                id,
                key);
    }

    private static URI parseEndpoint(String endpoint) throws SettingsRefusedException {
        if (endpoint.length() > MAX_ENDPOINT) {
            throw refused(ENDPOINT, "must be at most " + MAX_ENDPOINT + " characters");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw refused(ENDPOINT, "must be an https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.isOpaque() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw refused(ENDPOINT, "must be an https URL");
        }
        if (uri.getHost() == null) {
            throw refused(ENDPOINT, "must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused(
                    ENDPOINT,
                    "must not hold a user name or password (the credentials are accessKeyId and " + "secretAccessKey)");
        }
        if ((uri.getRawPath() != null
                        && !uri.getRawPath().isEmpty()
                        && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw refused(ENDPOINT, "must be the service's root, without path, query or fragment");
        }
        return uri;
    }
}
