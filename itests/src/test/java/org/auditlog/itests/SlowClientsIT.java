package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.Test;

/**
 * Slow clients cannot starve the server: 200 ingest requests (valid tokens) that trickle their bodies a byte a
 * second do not keep {@code /health} from answering, and each ends with 408 or a closed connection; one token
 * cannot have more than 16 requests in flight (429 with {@code Retry-After}); afterwards ingest still works.
 * Timings are generous (the machine is shared): what is asserted is that answers come at all.
 */
public class SlowClientsIT {
    static final String TOKEN = "slow-clients-it-operator-token";
    static final int SLOW = 200;
    /** Ingest tokens the slow requests are spread over: 15 or fewer each, under the per-token limit of 16. */
    static final int TOKENS = 14;

    static final int PER_TOKEN_LIMIT = 16;

    @Test
    public void slowBodiesDoNotStarveTheServerAndOneTokenIsLimited() throws Exception {
        Path data = Files.createTempDirectory("auditlog-slow");
        Path log = Files.createTempFile("auditlog-slow", ".log");
        try (ServerProcess server =
                ServerProcess.start(data, ServerOptions.freePort(), TOKEN, log).awaitHealthy()) {
            Api api = server.api;
            api.activeOrg(TOKEN, "SLOW");
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < TOKENS; i++) {
                tokens.add(api.ingestToken(TOKEN, "Apps", null));
            }
            String event = Api.json(Api.record("SLOW", "2026-11-01T00:00:00Z", "after the slow clients", "Ann"));

            List<Socket> slow = new ArrayList<>();
            AtomicBoolean trickling = new AtomicBoolean(true);
            Thread trickle = null;
            try {
                for (int i = 0; i < SLOW; i++) {
                    Socket s = new Socket("127.0.0.1", server.port);
                    s.setSoTimeout(45_000);
                    s.getOutputStream()
                            .write(head(tokens.get(i % TOKENS), 10_000).getBytes(StandardCharsets.ISO_8859_1));
                    slow.add(s);
                }
                trickle = new Thread(
                        () -> {
                            while (trickling.get()) {
                                for (Socket s : slow) {
                                    try {
                                        OutputStream out = s.getOutputStream();
                                        out.write('[');
                                        out.flush();
                                    } catch (IOException e) {
                                        // closed by the server: that is one of the expected ends
                                    }
                                }
                                try {
                                    Thread.sleep(1000);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "trickle");
                trickle.start();

                // while they trickle, /health answers (before the fix it did not, within any time)
                for (int i = 0; i < 3; i++) {
                    HttpResponse<byte[]> health = server.api.sendBytes(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/health"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build());
                    assertEquals(new String(health.body(), StandardCharsets.UTF_8), 200, health.statusCode());
                    Thread.sleep(300);
                }

                // every trickling request ends: 408 request_timeout, or the server closes the connection
                Map<String, Integer> ends = new TreeMap<>();
                for (Socket s : slow) {
                    RawHttp.Answer a;
                    try {
                        a = RawHttp.read(s.getInputStream());
                    } catch (SocketTimeoutException e) {
                        throw new AssertionError("a trickling request was still open after 45 s; ends so far " + ends);
                    } catch (IOException e) {
                        a = new RawHttp.Answer(0, Map.of(), "closed: " + e);
                    }
                    if (a.status() != 0) {
                        assertEquals(a.toString(), 408, a.status());
                        assertEquals(
                                a.toString(),
                                "request_timeout",
                                a.json().get("error").asText());
                    }
                    ends.merge(a.status() == 0 ? "closed" : Integer.toString(a.status()), 1, Integer::sum);
                }
                assertTrue("ends: " + ends, ends.getOrDefault("408", 0) >= 1);
            } finally {
                trickling.set(false);
                if (trickle != null) {
                    trickle.interrupt();
                    trickle.join(5000);
                }
                for (Socket s : slow) {
                    s.close();
                }
            }

            // 17 requests of one token at once: the body is held back until all are sent, so all are in flight
            String one = api.ingestToken(TOKEN, "Apps", null);
            List<Socket> same = new ArrayList<>();
            try {
                byte[] body = event.getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < PER_TOKEN_LIMIT + 1; i++) {
                    Socket s = new Socket("127.0.0.1", server.port);
                    s.setSoTimeout(500);
                    s.getOutputStream().write(head(one, body.length).getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    same.add(s);
                }
                int refused = 0;
                List<Socket> waiting = new ArrayList<>();
                long deadline = System.nanoTime() + 30_000_000_000L;
                for (Socket s : same) {
                    try {
                        RawHttp.Answer a = RawHttp.read(s.getInputStream());
                        assertEquals(a.toString(), 429, a.status());
                        JsonNode json = a.json();
                        assertEquals("too_many_requests", json.get("error").asText());
                        assertTrue(json.has("field") && json.has("detail"));
                        assertEquals(a.toString(), "1", a.header("Retry-After"));
                        refused++;
                    } catch (SocketTimeoutException e) {
                        waiting.add(s); // in flight, waiting for its body
                    }
                    assertTrue(System.nanoTime() < deadline);
                }
                assertTrue(
                        "of " + (PER_TOKEN_LIMIT + 1) + " requests of one token, at least one is 429: " + refused,
                        refused >= 1);
                // the others were in flight: given their bodies, they are stored
                for (Socket s : waiting) {
                    s.setSoTimeout(30_000);
                    s.getOutputStream().write(body);
                    s.getOutputStream().flush();
                }
                for (Socket s : waiting) {
                    RawHttp.Answer a = RawHttp.read(s.getInputStream());
                    assertEquals(a.toString(), 201, a.status());
                }
            } finally {
                for (Socket s : same) {
                    s.close();
                }
            }

            // after all that, a normal ingest of each kind of token is stored
            assertEquals(
                    201,
                    api.post("/api/v1/products/Apps/events", one, "application/json", event)
                            .status());
            assertEquals(
                    201,
                    api.post("/api/v1/products/Apps/events", tokens.get(0), "application/json", event)
                            .status());
            assertEquals(200, api.get("/health", null).status());
        }
    }

    private static String head(String token, int length) {
        return "POST /api/v1/products/Apps/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n";
    }
}
