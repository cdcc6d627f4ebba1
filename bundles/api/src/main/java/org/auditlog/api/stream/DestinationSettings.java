package org.auditlog.api.stream;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A stream's destination as stored: its type, its settings (shown by the API) and its secrets (stored encrypted,
 * never shown after creation, never logged). Both maps are sorted by key and unmodifiable.
 *
 * @since 1.0
 */
public final class DestinationSettings {
    private final String type;
    private final Map<String, String> settings;
    private final Map<String, String> secrets;

    public DestinationSettings(String type, Map<String, String> settings, Map<String, String> secrets) {
        this.type = Objects.requireNonNull(type, "type");
        this.settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
        this.secrets = java.util.Collections.unmodifiableMap(new TreeMap<>(secrets));
    }

    public String type() {
        return type;
    }

    /** What the API shows of the destination. */
    public Map<String, String> settings() {
        return settings;
    }

    /** A setting, or {@code fallback} when it is not set. */
    public String setting(String key, String fallback) {
        return settings.getOrDefault(key, fallback);
    }

    /** The secrets, by name; the API shows only their names. */
    public Map<String, String> secrets() {
        return secrets;
    }

    /** A secret, or {@code null} when it is not set. */
    public String secret(String key) {
        return secrets.get(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DestinationSettings d
                && type.equals(d.type)
                && settings.equals(d.settings)
                && secrets.equals(d.secrets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, settings, secrets);
    }

    /** The type, the settings and the secrets' names: never a secret's value. */
    @Override
    public String toString() {
        return type + settings + " secrets " + secrets.keySet();
    }
}
