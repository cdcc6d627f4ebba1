package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.auditlog.launcher.Features;
import org.junit.Test;

/**
 * Upgrading and removing a product adapter while events keep flowing loses nothing and stores nothing
 * twice. The distribution runs; several threads post Backlog webhook bodies without pause; meanwhile the
 * Backlog adapter's jar in deploy/ is replaced by a newer version, then deleted (events go to the inbox,
 * answered 202), then put back. Afterwards every event answered 201 or 202 is stored exactly once.
 */
public class HotUpgradeIT {
    static final String TOKEN = "hot-upgrade-operator-token-0123456789";
    static final int THREADS = 4;

    @Test
    public void everyAcknowledgedEventIsStoredExactlyOnceAcrossUpgradeAndRemoval() throws Exception {
        Path data = Files.createTempDirectory("auditlog-hot");
        Path log = Files.createTempFile("auditlog-hot", ".log");
        Path jar = data.resolve("deploy/org.auditlog.product.backlog.jar");
        Path original = backlogJar();
        try (ServerProcess server =
                ServerProcess.start(data, ServerOptions.freePort(), TOKEN, log).awaitHealthy()) {
            Api api = server.api;
            String ingest = api.ingestToken(TOKEN, "Backlog", "HOT");
            api.activeOrg(TOKEN, "HOT");
            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger queued = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger nextKey = new AtomicInteger(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            for (int t = 0; t < THREADS; t++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        int size = ThreadLocalRandom.current().nextInt(1, 20);
                        List<Integer> keys = new ArrayList<>();
                        StringBuilder body = new StringBuilder("[");
                        for (int i = 0; i < size; i++) {
                            int key = nextKey.getAndIncrement();
                            keys.add(key);
                            body.append(i == 0 ? "" : ",").append(issueCreated(key));
                        }
                        try {
                            Api.Reply r = api.post(
                                    "/api/v1/products/Backlog/events",
                                    ingest,
                                    "application/json",
                                    body.append("]").toString());
                            if (r.status() == 201 || r.status() == 202) {
                                acknowledged.addAll(keys);
                                if (r.status() == 202) {
                                    queued.addAndGet(keys.size());
                                }
                            } else {
                                refused.incrementAndGet();
                            }
                        } catch (Exception e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            int before = acknowledged.size();
            awaitAcknowledgedMoreThan(acknowledged, before + 200);

            // upgrade: a newer version replaces the file in deploy/
            replace(jar, TestBundles.withHeaders(original, Map.of("Bundle-Version", "1.0.1")));
            awaitAdapterVersion(api, "1.0.1");
            awaitAcknowledgedMoreThan(acknowledged, acknowledged.size() + 200);

            // removal: events are kept in the inbox meanwhile
            Files.delete(jar);
            DistributionIT.awaitTrue(
                    "Backlog adapter removed",
                    () -> api.get("/api/v1/products/Backlog", TOKEN)
                            .json()
                            .get("adapter")
                            .isNull());
            int queuedBefore = queued.get();
            DistributionIT.awaitTrue(
                    "events queued while the adapter is away", () -> queued.get() > queuedBefore + 100);

            // and back, newer again
            replace(jar, TestBundles.withHeaders(original, Map.of("Bundle-Version", "1.0.2")));
            awaitAdapterVersion(api, "1.0.2");
            awaitAcknowledgedMoreThan(acknowledged, acknowledged.size() + 200);

            stop.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
            DistributionIT.awaitTrue("inbox drained", () -> {
                JsonNode inbox =
                        api.get("/api/v1/products/Backlog", TOKEN).json().get("inbox");
                return inbox.get("pending").asInt() == 0;
            });
            assertEquals(
                    "nothing refused by the adapter in the inbox",
                    0,
                    api.get("/api/v1/products/Backlog", TOKEN)
                            .json()
                            .get("inbox")
                            .get("failed")
                            .asInt());

            Map<Integer, Integer> stored = new HashMap<>();
            for (JsonNode e : api.allEvents(TOKEN, "HOT", 1000, "product=Backlog")) {
                String action = e.get("action").asText(); // "HOT-123 was created in HOT"
                int key = Integer.parseInt(action.substring(4, action.indexOf(' ')));
                stored.merge(key, 1, Integer::sum);
            }
            List<Integer> twice = new ArrayList<>();
            stored.forEach((k, n) -> {
                if (n > 1) {
                    twice.add(k);
                }
            });
            List<Integer> lost = new ArrayList<>();
            for (int k : acknowledged) {
                if (!stored.containsKey(k)) {
                    lost.add(k);
                }
            }
            Collections.sort(lost);
            assertEquals("stored twice", List.of(), twice);
            assertEquals(
                    "acknowledged but not stored (of " + acknowledged.size() + ")",
                    List.of(),
                    lost.subList(0, Math.min(20, lost.size())));
            assertTrue("the inbox was exercised", queued.get() > 0);
            System.out.println("hot upgrade: " + acknowledged.size() + " events acknowledged, " + queued.get()
                    + " of them through the inbox; " + refused.get() + " requests not acknowledged");
            assertEquals(0, server.terminate());
        }
    }

    static String issueCreated(int key) {
        return "{\"id\":" + key + ",\"project\":{\"id\":7,\"projectKey\":\"HOT\",\"name\":\"Hot\"},\"type\":1,"
                + "\"content\":{\"id\":" + key + ",\"key_id\":" + key + ",\"summary\":\"Issue " + key + "\","
                + "\"description\":\"not recorded\"},\"notifications\":[],"
                + "\"createdUser\":{\"id\":1,\"userId\":\"ann\",\"name\":\"Ann\",\"mailAddress\":\"ann@hot.example\"},"
                + "\"created\":\"2026-11-01T10:00:00Z\"}";
    }

    static Path backlogJar() throws Exception {
        for (Features.BundleRef b : Features.read(ServerOptions.featureFile()).bundles("auditlog-products")) {
            if (b.location().contains("org.auditlog.product.backlog")) {
                return b.file(ServerOptions.distribution().resolve("system"));
            }
        }
        throw new AssertionError("no Backlog adapter in the feature file");
    }

    static void replace(Path target, byte[] jar) throws Exception {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, jar);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void awaitAdapterVersion(Api api, String version) throws Exception {
        DistributionIT.awaitTrue("Backlog adapter " + version, () -> {
            JsonNode adapter = api.get("/api/v1/products/Backlog", TOKEN).json().get("adapter");
            return !adapter.isNull() && version.equals(adapter.get("version").asText());
        });
    }

    static void awaitAcknowledgedMoreThan(Set<Integer> acknowledged, int n) throws Exception {
        DistributionIT.awaitTrue("more than " + n + " events acknowledged", () -> acknowledged.size() > n);
    }
}
