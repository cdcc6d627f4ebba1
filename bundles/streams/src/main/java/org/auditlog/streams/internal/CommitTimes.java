package org.auditlog.streams.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * When each event of a log was first seen committed, to within one look: the store keeps no commit time, so the
 * delivery notes the size of every log at each look and the time it first saw it. An event's commit time is the
 * first look that saw the log larger than its sequence (at most one look interval late); events committed before
 * the first look of this server have none. Bounded: the oldest looks of a log are dropped past {@link #PER_LOG}.
 */
final class CommitTimes {
    static final int PER_LOG = 512;

    private final Map<String, TreeMap<Long, Instant>> logs = new HashMap<>();
    /** Per log: the lowest sequence whose commit time is known (the size at the first look, then past drops). */
    private final Map<String, Long> known = new HashMap<>();

    synchronized void observed(String spaceKey, String product, long size, Instant at) {
        String key = spaceKey + '\u0000' + product;
        Long from = known.putIfAbsent(key, size);
        if (from == null) {
            return; // what the first look saw was committed at an unknown time before it
        }
        TreeMap<Long, Instant> seen = logs.computeIfAbsent(key, k -> new TreeMap<>());
        long last = seen.isEmpty() ? from : seen.lastKey();
        if (size > last) {
            seen.put(size, at);
            if (seen.size() > PER_LOG) {
                known.put(key, seen.pollFirstEntry().getKey());
            }
        }
    }

    /** How long the event at {@code sequence} waited from its commit to {@code at}, in ms, or -1 when unknown. */
    synchronized long lagMillis(String spaceKey, String product, long sequence, Instant at) {
        String key = spaceKey + '\u0000' + product;
        TreeMap<Long, Instant> seen = logs.get(key);
        Long from = known.get(key);
        if (seen == null || from == null || sequence < from) {
            return -1;
        }
        Map.Entry<Long, Instant> e = seen.higherEntry(sequence);
        if (e == null) {
            return -1;
        }
        return Math.max(0, at.toEpochMilli() - e.getValue().toEpochMilli());
    }
}
