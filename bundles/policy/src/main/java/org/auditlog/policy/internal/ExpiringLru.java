package org.auditlog.policy.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A small cache whose size does not depend on its input: at most {@code maxEntries} entries, the least recently
 * used one evicted first, and an entry older than {@code ttlNanos} is never answered (and is dropped when met).
 * Thread-safe by one lock; each operation is a hash lookup, so the lock is held only for moments.
 *
 * <p>A {@link LinkedHashMap} in access order is all this needs, so no cache library is added to the platform.
 */
final class ExpiringLru<K, V> {
    private record Entry<V>(V value, long storedNanos) {}

    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<K, Entry<V>> map;

    ExpiringLru(int maxEntries, long ttlNanos) {
        this(maxEntries, ttlNanos, System::nanoTime);
    }

    ExpiringLru(int maxEntries, long ttlNanos, LongSupplier nanoTime) {
        if (maxEntries < 1 || ttlNanos < 0) {
            throw new IllegalArgumentException("maxEntries must be positive and ttlNanos not negative");
        }
        this.maxEntries = maxEntries;
        this.ttlNanos = ttlNanos;
        this.nanoTime = nanoTime;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                return size() > ExpiringLru.this.maxEntries;
            }
        };
    }

    /** The value stored for the key less than the time to live ago, or {@code null}. */
    synchronized V get(K key) {
        Entry<V> e = map.get(key);
        if (e == null) {
            return null;
        }
        if (nanoTime.getAsLong() - e.storedNanos() > ttlNanos) {
            map.remove(key);
            return null;
        }
        return e.value();
    }

    synchronized void put(K key, V value) {
        map.put(key, new Entry<>(value, nanoTime.getAsLong()));
    }

    synchronized void remove(K key) {
        map.remove(key);
    }

    synchronized void clear() {
        map.clear();
    }

    synchronized int size() {
        return map.size();
    }
}
