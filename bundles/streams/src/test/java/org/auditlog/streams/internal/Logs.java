package org.auditlog.streams.internal;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.evidence.SignedCheckpoint;
import org.auditlog.api.evidence.TreeHead;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.evidence.CompactRange;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.Merkle;

/**
 * The logs of organizations and products in memory, each record at its sequence, as the store and the evidence
 * log give them to the delivery ({@code sequenced}, {@code firstSequenceDatedFrom}, {@code trees}) and to a batch's
 * file (a real tree of the records' leaves: {@code range}, {@code consistencyProof}, {@code root},
 * {@code latestCheckpoint}); any other method fails the test. {@link #remove} takes records out as retention does (the log's size stays).
 */
final class Logs {
    private final Map<String, TreeMap<Long, AuditRecord>> logs = new TreeMap<>();
    private final Map<String, Long> sizes = new TreeMap<>();
    /** Each log's tree, as the store keeps it: the leaf hash of each record's V1 row, at its sequence. */
    private final Map<String, List<byte[]>> leaves = new TreeMap<>();
    /** The checkpoints saved, latest of each log (what {@code EvidenceStore.latestCheckpoint} gives). */
    final Map<String, SignedCheckpoint> checkpoints = new TreeMap<>();

    synchronized List<Long> append(String spaceKey, String product, int count, String category) {
        String key = spaceKey + "/" + product;
        TreeMap<Long, AuditRecord> log = logs.computeIfAbsent(key, k -> new TreeMap<>());
        long size = sizes.getOrDefault(key, 0L);
        List<Long> seqs = new ArrayList<>();
        List<byte[]> tree = leaves.computeIfAbsent(key, k -> new ArrayList<>());
        for (int i = 0; i < count; i++) {
            long seq = size + i;
            AuditRecord r = new AuditRecord(
                    1000 + seq,
                    spaceKey,
                    product,
                    Instant.parse("2026-11-01T00:00:00Z").plusSeconds(seq),
                    category,
                    "Add an issue",
                    "event " + seq,
                    "u1",
                    "Ann",
                    "ann@example.test",
                    "203.0.113.1",
                    "agent",
                    AuditRecord.V1);
            log.put(seq, r);
            tree.add(CsvRows.leafHash(CsvRows.v1Row(
                    r.id(),
                    r.spaceKey(),
                    r.product(),
                    r.date(),
                    r.category(),
                    r.event(),
                    r.action(),
                    r.operationUserId(),
                    r.operationUserName(),
                    r.operationUserEmail(),
                    r.ipAddress(),
                    r.userAgent(),
                    r.version())));
            seqs.add(seq);
        }
        sizes.put(key, size + count);
        return seqs;
    }

    synchronized void remove(String spaceKey, String product, long from, long to) {
        logs.get(spaceKey + "/" + product).subMap(from, true, to, true).clear();
    }

    AuditStore events() {
        return (AuditStore) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {AuditStore.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return objectMethod(proxy, method, args);
                    }
                    switch (method.getName()) {
                        case "sequenced":
                            return sequenced((String) args[0], (String) args[1], (Long) args[2], (Integer) args[3]);
                        case "firstSequenceDatedFrom":
                            return firstDatedFrom((String) args[0], (String) args[1], (Instant) args[2]);
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    EvidenceStore evidence() {
        return (EvidenceStore) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {EvidenceStore.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return objectMethod(proxy, method, args);
                    }
                    switch (method.getName()) {
                        case "trees":
                            return trees();
                        case "range":
                            return range((String) args[0], (String) args[1], (Long) args[2], (Long) args[3]);
                        case "consistencyProof":
                            return consistency((String) args[0], (String) args[1], (Long) args[2], (Long) args[3]);
                        case "root":
                            return root((String) args[0], (String) args[1], (Long) args[2]);
                        case "latestCheckpoint":
                            return latestCheckpoint((String) args[0], (String) args[1]);
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /** equals, hashCode and toString of a proxy: by identity. */
    private static Object objectMethod(Object proxy, java.lang.reflect.Method method, Object[] args) {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            default:
                return "Logs " + method.getDeclaringClass().getSimpleName();
        }
    }

    private synchronized List<byte[]> tree(String spaceKey, String product) {
        return leaves.getOrDefault(spaceKey + "/" + product, List.of());
    }

    /** The roots of the complete subtrees of [from, to), as the store's tiles give them. */
    synchronized List<byte[]> range(String spaceKey, String product, long from, long to) {
        List<byte[]> tree = tree(spaceKey, product);
        List<byte[]> out = new ArrayList<>();
        for (long[] node : CompactRange.of(from, to)) {
            int start = (int) (node[1] << node[0]);
            out.add(Merkle.root(tree.subList(start, start + (1 << node[0]))));
        }
        return out;
    }

    synchronized List<byte[]> consistency(String spaceKey, String product, long size1, long size2) {
        return Merkle.consistencyProof(tree(spaceKey, product).subList(0, (int) size2), (int) size1);
    }

    synchronized byte[] root(String spaceKey, String product, long size) {
        return Merkle.root(tree(spaceKey, product).subList(0, (int) size));
    }

    synchronized java.util.Optional<SignedCheckpoint> latestCheckpoint(String spaceKey, String product) {
        return java.util.Optional.ofNullable(checkpoints.get(spaceKey + "/" + product));
    }

    synchronized void saveCheckpoint(SignedCheckpoint checkpoint) {
        checkpoints.put(checkpoint.spaceKey() + "/" + checkpoint.product(), checkpoint);
    }

    synchronized List<TreeHead> trees() {
        List<TreeHead> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : sizes.entrySet()) {
            String[] k = e.getKey().split("/");
            out.add(new TreeHead(k[0], k[1], e.getValue(), YearMonth.of(2026, 11)));
        }
        return out;
    }

    private synchronized RecordCursor sequenced(String spaceKey, String product, long from, int limit) {
        List<Map.Entry<Long, AuditRecord>> rows = new ArrayList<>();
        TreeMap<Long, AuditRecord> log = logs.getOrDefault(spaceKey + "/" + product, new TreeMap<>());
        for (Map.Entry<Long, AuditRecord> e : log.tailMap(from, true).entrySet()) {
            if (rows.size() == limit) {
                break;
            }
            rows.add(e);
        }
        Iterator<Map.Entry<Long, AuditRecord>> it = rows.iterator();
        return new RecordCursor() {
            long seq = -1;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public AuditRecord next() {
                Map.Entry<Long, AuditRecord> e = it.next();
                seq = e.getKey();
                return e.getValue();
            }

            @Override
            public long sequence() {
                return seq;
            }

            @Override
            public void close() {}
        };
    }

    private synchronized long firstDatedFrom(String spaceKey, String product, Instant from) {
        String key = spaceKey + "/" + product;
        for (Map.Entry<Long, AuditRecord> e :
                logs.getOrDefault(key, new TreeMap<>()).entrySet()) {
            if (!e.getValue().date().isBefore(from)) {
                return e.getKey();
            }
        }
        return sizes.getOrDefault(key, 0L);
    }
}
