package org.auditlog.export.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.sling.testing.mock.osgi.junit5.OsgiContext;
import org.apache.sling.testing.mock.osgi.junit5.OsgiContextExtension;
import org.auditlog.api.capture.ServerNode;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.evidence.LeafPosition;
import org.auditlog.api.evidence.SignedCheckpoint;
import org.auditlog.api.evidence.Stray;
import org.auditlog.api.evidence.TreeHead;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.work.BackgroundWork;
import org.auditlog.evidence.Checkpoint;
import org.auditlog.evidence.Merkle;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.SignedNote;
import org.auditlog.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signer: its key made once, owner-only, and read back; every tree signed at least hourly, each month's close
 * signed once at the size the next month began; a checkpoint signed again when the tree grew or the key changed.
 */
@ExtendWith(OsgiContextExtension.class)
class CheckpointSignerTest {
    @TempDir
    Path dir;

    final OsgiContext context = new OsgiContext();

    /** Trees in memory, with the roots of the evidence bundle. */
    static final class Trees implements EvidenceStore {
        final Map<String, List<byte[]>> leaves = new TreeMap<>();
        final Map<String, Map<YearMonth, Long>> months = new HashMap<>();
        final Map<String, SignedCheckpoint> latest = new HashMap<>();
        final Map<String, SignedCheckpoint> closes = new HashMap<>();
        final List<String> keys = new ArrayList<>();
        YearMonth now;

        void append(String space, String product, int n) {
            List<byte[]> l = leaves.computeIfAbsent(space + "/" + product, k -> new ArrayList<>());
            months.computeIfAbsent(space + "/" + product, k -> new TreeMap<>()).putIfAbsent(now, (long) l.size());
            for (int i = 0; i < n; i++) {
                l.add(Merkle.leafHash(("leaf " + l.size()).getBytes(StandardCharsets.UTF_8)));
            }
        }

        @Override
        public List<TreeHead> trees() {
            List<TreeHead> out = new ArrayList<>();
            leaves.forEach((k, l) -> out.add(new TreeHead(k.split("/")[0], k.split("/")[1], l.size(), now)));
            return out;
        }

        @Override
        public TreeHead head(String s, String p) {
            return new TreeHead(
                    s, p, leaves.getOrDefault(s + "/" + p, List.of()).size(), now);
        }

        @Override
        public byte[] root(String s, String p, long size) {
            return Merkle.root(leaves.get(s + "/" + p).subList(0, (int) size));
        }

        @Override
        public long monthStart(String s, String p, YearMonth month) {
            Map<YearMonth, Long> m = months.get(s + "/" + p);
            m.putIfAbsent(month, (long) leaves.get(s + "/" + p).size());
            return m.entrySet().stream()
                    .filter(e -> !e.getKey().isBefore(month))
                    .mapToLong(Map.Entry::getValue)
                    .min()
                    .orElseThrow();
        }

        @Override
        public void saveCheckpoint(SignedCheckpoint cp, Optional<YearMonth> month) {
            String k = cp.spaceKey() + "/" + cp.product();
            if (!latest.containsKey(k) || latest.get(k).size() <= cp.size()) {
                latest.put(k, cp);
            }
            month.ifPresent(m -> closes.putIfAbsent(k + "/" + m, cp));
        }

        @Override
        public Optional<SignedCheckpoint> latestCheckpoint(String s, String p) {
            return Optional.ofNullable(latest.get(s + "/" + p));
        }

        @Override
        public Optional<SignedCheckpoint> monthCheckpoint(String s, String p, YearMonth month) {
            return Optional.ofNullable(closes.get(s + "/" + p + "/" + month));
        }

        @Override
        public List<String> noteKey(String verifierKey) {
            if (!keys.contains(verifierKey)) {
                keys.add(verifierKey);
            }
            return keys;
        }

        @Override
        public List<String> keys() {
            return keys;
        }

        // what the signer never asks
        @Override
        public byte[] leafHash(String s, String p, long sequence) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<byte[]> inclusionProof(String s, String p, long sequence, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<byte[]> consistencyProof(String s, String p, long size1, long size2) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<byte[]> range(String s, String p, long from, long to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Stray> strays(String s, String p, long from, long to, YearMonth month) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<LeafPosition> locate(long eventId) {
            throw new UnsupportedOperationException();
        }
    }

    /** Leases always granted: one server. */
    static final class OneServer implements LeaseStore {
        int taken;

        @Override
        public Optional<Lease> acquire(String name, String holder, Duration ttl) {
            taken++;
            return Optional.of(new Lease(name, holder, 1, Instant.now().plus(ttl)));
        }

        @Override
        public boolean holds(Lease lease) {
            return true;
        }

        @Override
        public void release(Lease lease) {}

        @Override
        public Optional<Lease> find(String name) {
            return Optional.empty();
        }
    }

    /** The services the signer of the test's server is given: its trees, clock, background work and node. */
    void server(Trees trees, Clock clock, SteppedWork work) {
        context.registerService(EvidenceStore.class, trees);
        context.registerService(Clock.class, clock);
        context.registerService(BackgroundWork.class, work);
        context.registerService(ServerNode.class, new Components.Node(1, "node-1"));
    }

    static Checkpoint opened(SignedCheckpoint cp, String key) {
        return Checkpoint.parse(
                SignedNote.open(cp.note(), List.of(NoteKeys.verifier(key))).text());
    }

    @Test
    void theKeyIsMadeOnceOwnerOnlyAndReadBack() throws Exception {
        Path file = dir.resolve("evidence/checkpoint.key");
        NoteKeys.Pair made = CheckpointSigner.loadOrMake(file, "audit.example.com");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(file.getParent()));
        assertEquals(
                made.verifier().text(),
                CheckpointSigner.loadOrMake(file, "another-name").verifier().text(),
                "kept, with its name");
        try (var s = Files.list(file.getParent())) {
            assertEquals(List.of(file), s.toList(), "no temporary file left");
        }
        Files.writeString(file, "not a key\n");
        IOException e = assertThrows(IOException.class, () -> CheckpointSigner.loadOrMake(file, "x"));
        assertTrue(e.getMessage().contains("not a signing key file"), e.getMessage());
    }

    @Test
    void everyTreeIsSignedHourlyAndEachMonthsCloseOnceAtTheSizeTheNextMonthBegan() throws Exception {
        Trees trees = new Trees();
        OneServer leases = new OneServer();
        SteppedWork work = new SteppedWork(leases);
        Instant t = Instant.parse("2026-11-30T22:00:00Z");
        SettableClock clock = new SettableClock(t);
        server(trees, clock, work);
        CheckpointSigner signer = Components.signer(context.bundleContext(), dir.resolve("checkpoint.key"));
        String key = signer.key();
        assertEquals(List.of(key), trees.keys());
        trees.now = YearMonth.of(2026, 11);
        trees.append("ACME", "Backlog", 5);
        trees.append("ZETA", "Cacoo", 3);
        work.runScheduled("checkpoints");
        assertEquals(5, trees.latest.get("ACME/Backlog").size());
        Checkpoint cp = opened(trees.latest.get("ACME/Backlog"), key);
        assertEquals("auditlog/ACME/Backlog", cp.origin());
        assertEquals(t, cp.time());
        assertEquals(Merkle.hex(trees.root("ACME", "Backlog", 5)), Merkle.hex(cp.root()));

        // within the hour nothing is signed again; after it, every tree is, even one that did not grow
        SignedCheckpoint before = trees.latest.get("ZETA/Cacoo");
        clock.set(t.plus(Duration.ofMinutes(59)));
        work.runScheduled("checkpoints");
        assertEquals(before, trees.latest.get("ZETA/Cacoo"));
        clock.set(t.plus(Duration.ofMinutes(61)));
        trees.now = YearMonth.of(2026, 11);
        work.runScheduled("checkpoints");
        assertNotEquals(before, trees.latest.get("ZETA/Cacoo"));
        assertEquals(3, trees.latest.get("ZETA/Cacoo").size());

        // December begins after two more November records: November closes at 7, signed once
        trees.append("ACME", "Backlog", 2);
        trees.now = YearMonth.of(2026, 12);
        clock.set(Instant.parse("2026-12-01T00:00:30Z"));
        work.runScheduled("checkpoints");
        assertEquals(7, trees.closes.get("ACME/Backlog/2026-11").size());
        trees.append("ACME", "Backlog", 4);
        clock.set(Instant.parse("2026-12-01T02:00:00Z"));
        work.runScheduled("checkpoints");
        assertEquals(7, trees.closes.get("ACME/Backlog/2026-11").size(), "a month is closed once");
        assertEquals(11, trees.latest.get("ACME/Backlog").size());

        // asked for a tree that grew, a checkpoint is signed now
        trees.append("ACME", "Backlog", 1);
        assertEquals(12, signer.latest("ACME", "Backlog").orElseThrow().size());
        assertEquals(Optional.empty(), signer.latest("NOBODY", "Backlog"));
        assertFalse(leases.taken == 0);
    }

    @Test
    void aCheckpointOfAnEarlierKeyIsSignedAgainWithTheNewOne() throws Exception {
        Trees trees = new Trees();
        trees.now = YearMonth.of(2026, 11);
        trees.append("ACME", "Backlog", 4);
        server(trees, new SettableClock(Instant.parse("2026-11-20T10:00:00Z")), new SteppedWork(new OneServer()));
        CheckpointSigner first = Components.signer(context.bundleContext(), dir.resolve("old.key"));
        SignedCheckpoint old = first.latest("ACME", "Backlog").orElseThrow();
        // the key file changed: the signer activated again with the new one, on the same trees and clock
        CheckpointSigner rotated = Components.signer(context.bundleContext(), dir.resolve("new.key"));
        SignedCheckpoint renewed = rotated.latest("ACME", "Backlog").orElseThrow();
        assertNotEquals(old.note(), renewed.note());
        assertEquals(4, opened(renewed, rotated.key()).size());
        assertEquals(List.of(first.key(), rotated.key()), rotated.keys(), "both keys listed, oldest first");
    }
}
