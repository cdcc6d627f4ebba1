package org.auditlog.policy.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.auditlog.api.store.StoredStream;
import org.auditlog.api.store.StreamPosition;
import org.auditlog.api.store.StreamStore;

/** Streams in memory, with the deletion an organization's purge uses; the streams bundle's side is not needed here. */
final class MemoryStreams implements StreamStore {
    final List<StoredStream> streams = new ArrayList<>();

    /** A stream of {@code spaceKey} ({@code null}: server-wide) named {@code name}. */
    synchronized StoredStream add(String spaceKey, String name) {
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
        streams.add(s);
        return s;
    }

    synchronized List<String> names() {
        return streams.stream().map(StoredStream::name).toList();
    }

    @Override
    public synchronized int deleteOrganization(String spaceKey) {
        int before = streams.size();
        streams.removeIf(s -> spaceKey.equals(s.spaceKey()));
        return before - streams.size();
    }

    @Override
    public void create(StoredStream stream) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<StoredStream> find(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<StoredStream> list(String spaceKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<StoredStream> all() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean update(StoredStream stream, long expectedRevision) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<StreamPosition> positions(String streamId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean advance(
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
        throw new UnsupportedOperationException();
    }

    @Override
    public void failed(
            String streamId, String spaceKey, String product, long next, Instant at, String category, String message) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void moveTo(String streamId, String spaceKey, Map<String, Long> nextByProduct) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void gap(String streamId, String spaceKey, String product, long from, long to, Instant at) {
        throw new UnsupportedOperationException();
    }
}
