package org.auditlog.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.store.StoredStream;
import org.auditlog.api.store.StreamPosition;
import org.auditlog.api.store.StreamStore;

/**
 * An in-memory {@link StreamStore} whose {@link #advance} checks the lease in the given {@link LeaseStore} (the
 * streams bundle's tests), and where a test adds streams by name (an organization's purge, in the policy's tests).
 */
public final class MemoryStreams implements StreamStore {
    private final Map<String, StoredStream> streams = new LinkedHashMap<>();
    private final Map<String, StreamPosition> places = new LinkedHashMap<>();
    private final LeaseStore leases;

    public MemoryStreams(LeaseStore leases) {
        this.leases = leases;
    }

    /** A store whose leases nobody else takes. */
    public MemoryStreams() {
        this(new MemoryLeases());
    }

    /** Adds an active webhook stream of {@code spaceKey} ({@code null}: server-wide) named {@code name}. */
    public synchronized StoredStream add(String spaceKey, String name) {
        Instant t = Instant.parse("2026-03-01T00:00:00Z");
        StoredStream s = new StoredStream(
                "s" + (streams.size() + 1),
                spaceKey,
                name,
                "webhook",
                Map.of(),
                null,
                List.of(),
                List.of(),
                "active",
                null,
                t,
                t,
                0);
        create(s);
        return s;
    }

    /** The streams' names, in the order they were added. */
    public synchronized List<String> names() {
        return streams.values().stream().map(StoredStream::name).toList();
    }

    @Override
    public synchronized void create(StoredStream stream) {
        for (StoredStream s : streams.values()) {
            if (Objects.equals(s.spaceKey(), stream.spaceKey()) && s.name().equals(stream.name())) {
                throw new IllegalStateException("name taken");
            }
        }
        streams.put(stream.id(), stream);
    }

    @Override
    public synchronized Optional<StoredStream> find(String id) {
        return Optional.ofNullable(streams.get(id));
    }

    @Override
    public synchronized List<StoredStream> list(String spaceKey) {
        List<StoredStream> out = new ArrayList<>();
        for (StoredStream s : streams.values()) {
            if (Objects.equals(s.spaceKey(), spaceKey)) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing(StoredStream::name));
        return out;
    }

    @Override
    public synchronized List<StoredStream> all() {
        return new ArrayList<>(streams.values());
    }

    @Override
    public synchronized boolean update(StoredStream stream, long expectedRevision) {
        StoredStream old = streams.get(stream.id());
        if (old == null || old.revision() != expectedRevision) {
            return false;
        }
        streams.put(
                stream.id(),
                new StoredStream(
                        stream.id(),
                        stream.spaceKey(),
                        stream.name(),
                        stream.type(),
                        stream.settings(),
                        stream.sealedSecrets(),
                        stream.products(),
                        stream.categories(),
                        stream.state(),
                        stream.pausedBy(),
                        stream.created(),
                        stream.updated(),
                        expectedRevision + 1));
        return true;
    }

    @Override
    public synchronized boolean delete(String id) {
        places.keySet().removeIf(k -> k.startsWith(id + "\u0000"));
        return streams.remove(id) != null;
    }

    @Override
    public synchronized int deleteOrganization(String spaceKey) {
        List<String> ids = new ArrayList<>();
        for (StoredStream s : streams.values()) {
            if (spaceKey.equals(s.spaceKey())) {
                ids.add(s.id());
            }
        }
        ids.forEach(this::delete);
        return ids.size();
    }

    @Override
    public synchronized List<StreamPosition> positions(String streamId) {
        List<StreamPosition> out = new ArrayList<>();
        for (StreamPosition p : places.values()) {
            if (p.streamId().equals(streamId)) {
                out.add(p);
            }
        }
        return out;
    }

    private static String key(String streamId, String spaceKey, String product) {
        return streamId + "\u0000" + spaceKey + "\u0000" + product;
    }

    private StreamPosition place(String streamId, String spaceKey, String product, long next) {
        return places.getOrDefault(
                key(streamId, spaceKey, product),
                new StreamPosition(streamId, spaceKey, product, next, null, -1, null, null, null, null, -1, -1));
    }

    @Override
    public synchronized boolean advance(
            String streamId,
            String spaceKey,
            String product,
            long expectedNext,
            long next,
            Instant at,
            long lag,
            String leaseName,
            String holder,
            long epoch) {
        Optional<LeaseStore.Lease> lease = leases.find(leaseName);
        if (lease.isEmpty()
                || !lease.get().holder().equals(holder)
                || lease.get().epoch() != epoch
                || !leases.holds(lease.get())) {
            return false;
        }
        StreamPosition p = place(streamId, spaceKey, product, expectedNext);
        if (p.next() != expectedNext) {
            return false;
        }
        places.put(
                key(streamId, spaceKey, product),
                new StreamPosition(
                        streamId, spaceKey, product, next, at, lag, null, null, null, null, p.gapFrom(), p.gapTo()));
        return true;
    }

    @Override
    public synchronized void failed(
            String streamId, String spaceKey, String product, long next, Instant at, String category, String message) {
        StreamPosition p = place(streamId, spaceKey, product, next);
        places.put(
                key(streamId, spaceKey, product),
                new StreamPosition(
                        streamId,
                        spaceKey,
                        product,
                        p.next(),
                        p.lastSuccess(),
                        p.lastLag(),
                        at,
                        category,
                        message,
                        p.failingSince() == null ? at : p.failingSince(),
                        p.gapFrom(),
                        p.gapTo()));
    }

    @Override
    public synchronized void moveTo(String streamId, String spaceKey, Map<String, Long> nextByProduct) {
        for (Map.Entry<String, Long> e : nextByProduct.entrySet()) {
            StreamPosition p = place(streamId, spaceKey, e.getKey(), e.getValue());
            places.put(
                    key(streamId, spaceKey, e.getKey()),
                    new StreamPosition(
                            streamId,
                            spaceKey,
                            e.getKey(),
                            e.getValue(),
                            p.lastSuccess(),
                            p.lastLag(),
                            null,
                            null,
                            null,
                            null,
                            p.gapFrom(),
                            p.gapTo()));
        }
    }

    @Override
    public synchronized void gap(String streamId, String spaceKey, String product, long from, long to, Instant at) {
        StreamPosition p = place(streamId, spaceKey, product, from);
        places.put(
                key(streamId, spaceKey, product),
                new StreamPosition(
                        streamId,
                        spaceKey,
                        product,
                        p.next(),
                        p.lastSuccess(),
                        p.lastLag(),
                        p.lastError(),
                        p.errorCategory(),
                        p.errorMessage(),
                        p.failingSince(),
                        from,
                        to));
    }
}
