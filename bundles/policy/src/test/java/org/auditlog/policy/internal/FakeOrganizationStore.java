package org.auditlog.policy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.store.OrganizationStore;
import org.auditlog.api.store.StoreException;

/**
 * An in-memory store that keeps the revision rule of the real one: a save must carry the stored revision + 1
 * (0 for a new organization), else it is refused and nothing changes. A test can run something just before a
 * save (a concurrent writer) or make saves fail.
 */
final class FakeOrganizationStore implements OrganizationStore {
    private final Map<String, OrganizationSnapshot> saved = new TreeMap<>();
    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger saveAttempts = new AtomicInteger();
    /** Run at the start of every save, outside the store's lock: a test's concurrent writer. */
    volatile Runnable beforeSave = () -> {};
    /** When set, saves fail with it (the store is down): every save, or those of {@link #failingKey} when set. */
    volatile StoreException failure;

    volatile String failingKey;

    @Override
    public synchronized Optional<OrganizationSnapshot> load(String spaceKey) {
        loads.incrementAndGet();
        return Optional.ofNullable(saved.get(spaceKey));
    }

    @Override
    public void save(OrganizationSnapshot snapshot) {
        saveAttempts.incrementAndGet();
        beforeSave.run();
        saveNow(snapshot);
    }

    /** A save as another writer would make it, without the hooks. */
    synchronized void saveNow(OrganizationSnapshot snapshot) {
        String key = snapshot.organization().spaceKey();
        if (failure != null && (failingKey == null || failingKey.equals(key))) {
            throw failure;
        }
        OrganizationSnapshot stored = saved.get(key);
        long expected = stored == null ? 0 : stored.organization().revision() + 1;
        if (snapshot.organization().revision() != expected) {
            throw new StoreException(
                    "stale revision " + snapshot.organization().revision() + " of " + key + "; expected " + expected,
                    null);
        }
        saved.put(key, snapshot);
    }

    @Override
    public synchronized List<String> spaceKeys() {
        return new ArrayList<>(saved.keySet());
    }

    @Override
    public synchronized void purge(String spaceKey) {
        saved.remove(spaceKey);
    }

    synchronized OrganizationSnapshot stored(String spaceKey) {
        return saved.get(spaceKey);
    }
}
