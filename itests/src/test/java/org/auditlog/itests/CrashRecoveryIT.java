package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.Test;

/**
 * Nothing acknowledged is lost on kill -9. The distribution is started with {@code bin/auditlog}; several
 * threads ingest batches of random size; the process is killed with SIGKILL in mid-stream; it is started
 * again on the same data folder, and every event whose request was answered 201 must be there, exactly
 * once, with the id it was given. Repeated over several rounds on one database, so recovery of an already
 * recovered database is covered too.
 */
public class CrashRecoveryIT {
    static final int ROUNDS = 3;
    static final int THREADS = 6;
    static final String TOKEN = "crash-test-operator-token-0123456789";

    @Test
    public void everyAcknowledgedEventSurvivesKill9() throws Exception {
        Path data = Files.createTempDirectory("auditlog-crash");
        Path log = Files.createTempFile("auditlog-crash", ".log");
        int port = ServerOptions.freePort();
        /* action text -> id, for every event acknowledged with 201 */
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        String ingest = null;
        for (int round = 1; round <= ROUNDS; round++) {
            try (ServerProcess server =
                    ServerProcess.start(data, port, TOKEN, log).awaitHealthy()) {
                if (ingest == null) {
                    ingest = server.api.ingestToken(TOKEN, "Apps", "CRASH");
                    server.api.activeOrg(TOKEN, "CRASH");
                }
                verify(server.api, acknowledged);
                int before = acknowledged.size();
                ingestUntilKilled(server, ingest, round, acknowledged);
                assertFalse("the server must be dead", server.isAlive());
                assertTrue("round " + round + " acknowledged nothing; see " + log, acknowledged.size() > before);
                System.out.println("round " + round + ": " + (acknowledged.size() - before)
                        + " events acknowledged before kill -9; " + acknowledged.size() + " in all");
            }
        }
        try (ServerProcess server = ServerProcess.start(data, port, TOKEN, log).awaitHealthy()) {
            verify(server.api, acknowledged);
            assertEquals("a clean stop answers 0", 0, server.terminate());
        }
    }

    private static void ingestUntilKilled(
            ServerProcess server, String token, int round, Map<String, String> acknowledged) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            pool.submit(() -> {
                int seq = 0;
                while (!stop.get()) {
                    int size = ThreadLocalRandom.current().nextInt(1, 60);
                    List<Map<String, Object>> batch = new ArrayList<>();
                    List<String> actions = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        String action = "r" + round + "-t" + thread + "-" + seq++;
                        actions.add(action);
                        Map<String, Object> r = Api.record(null, "2026-11-05T00:00:00Z", action, "Ann");
                        r.remove("space_key");
                        batch.add(r);
                    }
                    try {
                        Api.Reply reply = server.api.post(
                                "/api/v1/products/Apps/events", token, "application/json", Api.json(batch));
                        if (reply.status() == 201) {
                            JsonNode ids = reply.json().get("ids");
                            for (int i = 0; i < actions.size(); i++) {
                                acknowledged.put(actions.get(i), ids.get(i).asText());
                            }
                        }
                    } catch (Exception e) {
                        // the server died under this request: it was never acknowledged
                    }
                }
            });
        }
        Thread.sleep(ThreadLocalRandom.current().nextLong(1500, 3500));
        server.kill();
        stop.set(true);
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    }

    private static void verify(Api api, Map<String, String> acknowledged) throws Exception {
        List<JsonNode> stored = api.allEvents(TOKEN, "CRASH", 1000);
        Map<String, String> byAction = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (JsonNode e : stored) {
            if (byAction.put(e.get("action").asText(), e.get("id").asText()) != null) {
                duplicates.add(e.get("action").asText());
            }
        }
        assertEquals("no event is stored twice", Collections.emptyList(), duplicates);
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, String> a : acknowledged.entrySet()) {
            if (!a.getValue().equals(byAction.get(a.getKey()))) {
                lost.add(a.getKey());
            }
        }
        assertEquals(
                "acknowledged events missing after restart (of " + acknowledged.size() + ")",
                Collections.emptyList(),
                lost.subList(0, Math.min(lost.size(), 20)));
    }
}
