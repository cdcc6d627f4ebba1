package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/**
 * PostgreSQL restarted under a server that is taking events (the suite's PostgreSQL run only): requests in
 * flight fail and are not acknowledged, the server carries on by itself once PostgreSQL is back, and every event
 * answered 201, before and after, is stored exactly once. The restart is the machine's own cluster command
 * ({@code it.postgresql.restart}, else {@code pg_ctlcluster <version> main restart} for the one cluster under
 * /etc/postgresql), run as the suite's user.
 */
public class PostgresRestartIT {
    private static final String TOKEN = "postgres-restart-it-operator-token";

    @Test
    public void acknowledgedEventsSurviveARestartOfPostgresqlAndIngestGoesOnAfterIt() throws Exception {
        assertTrue("run by the profile postgresql (" + Postgres.PROPERTY + ")", Postgres.on());
        Path data = Files.createTempDirectory("auditlog-pg-restart");
        try (ServerProcess server = ServerProcess.start(
                        data, ServerOptions.freePort(), TOKEN, data.resolve("server.log"))
                .awaitHealthy()) {
            Api api = server.api;
            api.activeOrg(TOKEN, "RESTART");
            String apps = api.ingestToken(TOKEN, "Apps", null);
            Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger refused = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService threads = Executors.newFixedThreadPool(3);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int thread = t;
                writers.add(threads.submit(() -> {
                    for (int batch = 0; !stop.get(); batch++) {
                        List<Map<String, Object>> records = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            records.add(Api.record(
                                    "RESTART", "2026-11-01T00:00:00Z", "t" + thread + "-" + batch + "-" + i, "Ann"));
                        }
                        try {
                            Api.Reply r = api.post(
                                    "/api/v1/products/Apps/events",
                                    apps,
                                    "application/vnd.auditlog.v1+json",
                                    Api.json(records));
                            if (r.status() == 201) {
                                records.forEach(x -> acknowledged.merge((String) x.get("action"), 1, Integer::sum));
                            } else {
                                refused.incrementAndGet();
                            }
                        } catch (IOException e) {
                            refused.incrementAndGet();
                        }
                        Thread.sleep(5);
                    }
                    return null;
                }));
            }
            TwoNodesIT.awaitAtLeast(acknowledged, 3_000);
            int before = acknowledged.size();
            String started = postmasterStart();
            restartPostgresql();
            assertTrue("PostgreSQL was restarted", !started.equals(postmasterStart()));
            int justAfter = acknowledged.size();
            TwoNodesIT.awaitAtLeast(acknowledged, justAfter + 3_000); // ingest goes on by itself
            stop.set(true);
            for (Future<?> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
            threads.shutdown();
            System.out.printf(
                    "PostgresRestartIT: %,d events acknowledged before the restart, %,d in all; %d requests "
                            + "refused or cut%n",
                    before, acknowledged.size(), refused.get());

            api.awaitHealthy(Duration.ofSeconds(60));
            Map<String, Integer> stored = new HashMap<>();
            for (JsonNode e : api.allEvents(TOKEN, "RESTART", 1000)) {
                stored.merge(e.get("action").asText(), 1, Integer::sum);
            }
            for (String action : acknowledged.keySet()) {
                assertEquals("acknowledged " + action, Integer.valueOf(1), stored.get(action));
            }
            for (Map.Entry<String, Integer> e : stored.entrySet()) {
                assertEquals("stored twice: " + e.getKey(), Integer.valueOf(1), e.getValue());
            }
            assertEquals(0, server.terminate());
        }
    }

    /** When the PostgreSQL server of the suite started. */
    private static String postmasterStart() throws Exception {
        try (Connection c = DriverManager.getConnection(System.getProperty(Postgres.PROPERTY));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT CAST(pg_postmaster_start_time() AS TEXT)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Restarts the machine's PostgreSQL (fast shutdown: connections are cut), and waits for it to answer. */
    static void restartPostgresql() throws Exception {
        String command = System.getProperty("it.postgresql.restart", "").strip();
        List<String> argv;
        if (command.isEmpty()) {
            Path etc = Path.of("/etc/postgresql");
            assertTrue(
                    "no /etc/postgresql: set it.postgresql.restart to the command that restarts the test server",
                    Files.isDirectory(etc));
            String version;
            try (var versions = Files.list(etc)) {
                version = versions.map(p -> p.getFileName().toString())
                        .sorted()
                        .findFirst()
                        .orElseThrow();
            }
            argv = List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast");
        } else {
            argv = List.of("sh", "-c", command);
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue("the restart did not end within 60 s", p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("restart of PostgreSQL (" + String.join(" ", argv) + "): " + out, 0, p.exitValue());
    }
}
