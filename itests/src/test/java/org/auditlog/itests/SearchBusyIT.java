package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * Searches that find every read connection in use are refused at once with 503 {@code busy} and
 * {@code Retry-After} rather than queueing behind each other, while ingest keeps answering 201. The
 * distribution runs with one read connection and no wait ({@code readConnections = 1}, {@code readWaitMillis = 0});
 * the searches scan (a category no record has, with the work bound of a page raised above the organization's
 * size) an organization of 100,000 events. The share of read-connection time searches may use is lifted
 * ({@code searchBusyPercent = 100}): this test is about the connections; the share has {@code ReadWritePoolsTest}
 * and {@code RobustnessBenchmark}.
 */
public class SearchBusyIT {
    private static final String TOKEN = "search-busy-it-operator-token";
    private static final int EVENTS = 100_000;

    @Test
    public void searchesThatFindNoReadConnectionAre503BusyWithRetryAfterAndIngestGoesOn() throws Exception {
        Path data = Files.createTempDirectory("auditlog-busy");
        Path config = Files.createDirectories(data.resolve("config"));
        Files.writeString(
                config.resolve("org.auditlog.storage.cfg"),
                "url = $[env:AUDITLOG_JDBC_URL;default=]\n"
                        + "readConnections = 1\nreadWaitMillis = 0\nsearchScanRows = 1000000\nsearchBusyPercent = 100\n");
        Path log = Files.createTempFile("auditlog-busy", ".log");
        ExecutorService pool = Executors.newCachedThreadPool();
        try (ServerProcess server = ServerProcess.start(
                        data, ServerOptions.freePort(), TOKEN, log, "--config", config.toString())
                .awaitHealthy()) {
            Api api = server.api;
            String ingest = api.ingestToken(TOKEN, "Apps", null);
            api.activeOrg(TOKEN, "BIG");
            api.activeOrg(TOKEN, "SMALL");
            for (int batch = 0; batch < EVENTS / 1000; batch++) {
                StringBuilder body = new StringBuilder("[");
                for (int i = 0; i < 1000; i++) {
                    int n = batch * 1000 + i;
                    body.append(i == 0 ? "" : ",")
                            .append(Api.json(Api.record(
                                    "BIG",
                                    java.time.Instant.parse("2026-10-01T00:00:00Z")
                                            .plusSeconds(n)
                                            .toString(),
                                    "e" + n,
                                    "Ann")));
                }
                assertEquals(
                        201,
                        api.post(
                                        "/api/v1/products/Apps/events",
                                        ingest,
                                        "application/json",
                                        body.append("]").toString())
                                .status());
            }

            int searches = 8;
            CyclicBarrier start = new CyclicBarrier(searches);
            List<Future<Api.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < searches; i++) {
                replies.add(pool.submit((Callable<Api.Reply>) () -> {
                    start.await(30, TimeUnit.SECONDS);
                    return api.get("/api/v1/orgs/BIG/events?category=Nothing&limit=10", TOKEN);
                }));
            }
            // ingest for another organization while the searches run
            Api.Reply ingested = api.post(
                    "/api/v1/products/Apps/events",
                    ingest,
                    "application/json",
                    Api.json(Api.record("SMALL", "2026-11-01T00:00:00Z", "during the searches", "Ann")));
            assertEquals(201, ingested.status());

            int ok = 0;
            int busy = 0;
            for (Future<Api.Reply> f : replies) {
                Api.Reply r = f.get(120, TimeUnit.SECONDS);
                if (r.status() == 200) {
                    ok++;
                    assertEquals(0, r.json().get("events").size());
                    continue;
                }
                assertEquals("a search is answered 200 or 503: " + r, 503, r.status());
                busy++;
                JsonNode body = r.json();
                assertEquals("busy", body.get("error").asText());
                assertTrue(body.has("field") && body.get("field").isNull());
                assertTrue(
                        body.get("detail").asText(), body.get("detail").asText().contains("read connection"));
                String retryAfter = r.raw().headers().firstValue("Retry-After").orElse(null);
                assertNotNull("Retry-After on a busy search", retryAfter);
                assertTrue(Integer.parseInt(retryAfter) > 0);
            }
            assertTrue("at least one search found the read connection free: " + ok, ok >= 1);
            assertTrue("with one read connection and no wait, concurrent scans are refused: " + busy, busy >= 1);

            // the connection came back: a search alone is served; so is the event ingested meanwhile
            Api.Reply after = api.get("/api/v1/orgs/SMALL/events", TOKEN);
            assertEquals(200, after.status());
            boolean found = false;
            for (JsonNode e : after.json().get("events")) {
                found |= "during the searches".equals(e.get("action").asText());
            }
            assertTrue(found);
            assertEquals(200, api.get("/api/v1/orgs/BIG/events?limit=5", TOKEN).status());
            assertEquals(0, server.terminate());
        } finally {
            pool.shutdownNow();
        }
    }
}
