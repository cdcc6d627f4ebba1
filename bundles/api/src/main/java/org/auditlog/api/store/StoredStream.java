package org.auditlog.api.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stream as stored.
 *
 * @param id random, URL-safe
 * @param spaceKey its organization, or {@code null} for a server-wide stream (every organization)
 * @param name unique among the streams of its organization (a server-wide stream's among the server-wide ones)
 * @param type the destination type
 * @param settings the destination's settings shown by the API
 * @param sealedSecrets the destination's secrets, encrypted by the streams bundle (opaque to the store)
 * @param products the products it delivers, empty for all
 * @param categories the categories it delivers, empty for all
 * @param state {@code active}, {@code paused}, {@code failing} or {@code disabled}
 * @param pausedBy who or what paused it ({@code user:<id>}, {@code operator}, {@code plan: <reason>}, {@code
 *     failing}), or {@code null}
 * @param created when it was created (kept to the millisecond, as {@code updated})
 * @param revision incremented by every {@link StreamStore#update}
 * @since 1.4
 */
public record StoredStream(
        String id,
        String spaceKey,
        String name,
        String type,
        Map<String, String> settings,
        byte[] sealedSecrets,
        List<String> products,
        List<String> categories,
        String state,
        String pausedBy,
        Instant created,
        Instant updated,
        long revision) {
    public StoredStream {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        settings = Map.copyOf(settings);
        sealedSecrets = sealedSecrets == null ? new byte[0] : sealedSecrets.clone();
        products = List.copyOf(products);
        categories = List.copyOf(categories);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
    }

    @Override
    public byte[] sealedSecrets() {
        return sealedSecrets.clone();
    }

    /** This stream in another state (and paused by whom), updated at {@code at}. */
    public StoredStream withState(String newState, String newPausedBy, Instant at) {
        return new StoredStream(
                id,
                spaceKey,
                name,
                type,
                settings,
                sealedSecrets,
                products,
                categories,
                newState,
                newPausedBy,
                created,
                at,
                revision);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredStream s
                && id.equals(s.id)
                && Objects.equals(spaceKey, s.spaceKey)
                && name.equals(s.name)
                && type.equals(s.type)
                && settings.equals(s.settings)
                && java.util.Arrays.equals(sealedSecrets, s.sealedSecrets)
                && products.equals(s.products)
                && categories.equals(s.categories)
                && state.equals(s.state)
                && Objects.equals(pausedBy, s.pausedBy)
                && created.equals(s.created)
                && updated.equals(s.updated)
                && revision == s.revision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, revision);
    }

    @Override
    public String toString() {
        return "stream " + id + " (" + name + ", " + type + ", " + state + ", organization " + spaceKey + ")";
    }
}
