package org.auditlog.policy.internal;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.store.OrganizationChanges;
import org.auditlog.api.store.OrganizationStore;

/**
 * The stored snapshots that decisions are taken on. Decisions sit on hot paths (every ingest request asks whether
 * its organization records), so a snapshot is kept for {@link #MAX_AGE_NANOS}; every change made here replaces
 * it at once, so only changes saved by another server are seen up to that much later, and not even that when the
 * store announces them ({@link OrganizationChanges}): a snapshot loaded while a change was announced is not kept,
 * since it may predate the change.
 */
final class SnapshotCache {
    /** How long a decision may rest on a snapshot loaded earlier. */
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * Most organizations whose snapshot is kept. Space keys come from requests (an ingest payload may name any
     * key, existing or not), so the cache is bounded by size as well as by age: made-up keys evict each other.
     */
    static final int MAX_ENTRIES = 4096;

    private final OrganizationStore store;
    private final ExpiringLru<String, Optional<OrganizationSnapshot>> cache =
            new ExpiringLru<>(MAX_ENTRIES, MAX_AGE_NANOS);
    /** Changes announced by the store. */
    private final AtomicLong announced = new AtomicLong();

    SnapshotCache(OrganizationStore store) {
        this.store = store;
    }

    /** The stored snapshot (or its absence), from the cache or loaded. */
    Optional<OrganizationSnapshot> load(String spaceKey) {
        Optional<OrganizationSnapshot> kept = cache.get(spaceKey);
        if (kept != null) {
            return kept;
        }
        long before = announced.get();
        Optional<OrganizationSnapshot> loaded = store.load(spaceKey);
        if (announced.get() == before) {
            cache.put(spaceKey, loaded);
        }
        return loaded;
    }

    /** A change made here was saved. */
    void saved(String spaceKey, OrganizationSnapshot snapshot) {
        cache.put(spaceKey, Optional.of(snapshot));
    }

    /** What is stored is not known (a save failed, or was undone). */
    void forget(String spaceKey) {
        cache.remove(spaceKey);
    }

    /** An organization changed (through any server); {@code null}: any may have. */
    void changed(String spaceKey) {
        announced.incrementAndGet();
        if (spaceKey == null) {
            cache.clear();
        } else {
            cache.remove(spaceKey);
        }
    }

    /** How many organizations it holds now (at most {@link #MAX_ENTRIES}). */
    int size() {
        return cache.size();
    }
}
