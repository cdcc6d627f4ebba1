package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Bodies from callers the server does not trust yet, against the distribution: every body is bounded before it
 * is read, and a body is read only once its sender is known (README "The HTTP server").
 * <ul>
 * <li>an anonymous sign-in announcing 300 MB is answered 413 {@code body_too_large} before a byte of it is
 * sent, and a chunked one is cut at the bound;</li>
 * <li>a made-up ingest token with a real token's id is answered 401 before its body is sent, and 30 of them
 * hanging on never take the real token's permits;</li>
 * <li>the operator's control calls are bounded too.</li>
 * </ul>
 * Answers are awaited with a bound (10 s): on a server that waited for the bodies they would never come.
 */
public class UntrustedBodiesIT {
    static final String TOKEN = "untrusted-bodies-it-operator-token";
    static ServerProcess server;
    static String ingest;

    @BeforeClass
    public static void start() throws Exception {
        Path data = Files.createTempDirectory("auditlog-untrusted");
        Path log = Files.createTempFile("auditlog-untrusted", ".log");
        server = ServerProcess.start(data, ServerOptions.freePort(), TOKEN, log).awaitHealthy();
        server.api.activeOrg(TOKEN, "BODIES");
        ingest = server.api.ingestToken(TOKEN, "Apps", null);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static String head(String method, String path, String authorization, String length) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port + "\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Type: application/json\r\n" + length + "\r\n";
    }

    @Test
    public void anAnonymousSignInAnnouncing300MegabytesIsRefusedBeforeItsBodyIsSent() throws Exception {
        RawHttp.Answer a =
                RawHttp.exchange(server.port, head("POST", "/api/v1/session", null, "Content-Length: 314572800\r\n"));
        assertEquals(a.toString(), 413, a.status());
        assertEquals("body_too_large", a.json().get("error").asText());
        assertEquals(
                "the body is larger than 4096 bytes, the most this request may carry",
                a.json().get("detail").asText());
    }

    @Test
    public void aChunkedSignInIsCutAtItsBound() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head("POST", "/api/v1/session", null, "Transfer-Encoding: chunked\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = ("2000\r\n" + "x".repeat(0x2000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            // far more than the bound, far less than what would be drained: the answer comes once the bound passed
            for (int i = 0; i < 4; i++) {
                out.write(chunk);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            RawHttp.Answer a = RawHttp.read(s.getInputStream());
            assertEquals(a.toString(), 413, a.status());
            assertEquals("body_too_large", a.json().get("error").asText());
        }
    }

    @Test
    public void aMadeUpIngestTokenIsRefusedBeforeItsBodyAndHoldsNoPermitOfTheRealOne() throws Exception {
        String id = ingest.substring("alt_".length(), ingest.indexOf('_', "alt_".length()));
        String madeUp = "Bearer alt_" + id + "_made-up-secret";
        List<Socket> hanging = new ArrayList<>();
        try {
            // more than the 16 permits of a token, each announcing a body it never sends
            for (int i = 0; i < 30; i++) {
                Socket s = new Socket("127.0.0.1", server.port);
                s.setSoTimeout(10_000);
                s.getOutputStream()
                        .write(head("POST", "/api/v1/products/Apps/events", madeUp, "Content-Length: 1000000\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                hanging.add(s);
            }
            for (Socket s : hanging) {
                RawHttp.Answer a = RawHttp.read(s.getInputStream());
                assertEquals(a.toString(), 401, a.status());
                assertEquals(
                        "the token is unknown or revoked",
                        a.json().get("detail").asText());
            }
            Api.Reply real = server.api.post(
                    "/api/v1/products/Apps/events",
                    ingest,
                    "application/json",
                    Api.json(Api.record("BODIES", "2026-11-01T00:00:00Z", "sent by the real product", "Ann"))
                            .getBytes(StandardCharsets.UTF_8));
            assertEquals(real.toString(), 201, real.status());
        } finally {
            for (Socket s : hanging) {
                close(s);
            }
        }
    }

    @Test
    public void theOperatorsControlCallsAreBoundedToo() throws Exception {
        byte[] big =
                ("{\"spaceKey\":\"BIG\",\"name\":\"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        Api.Reply r = server.api.deliberatelyInvalid().post("/api/v1/admin/orgs", TOKEN, "application/json", big);
        assertEquals(r.toString(), 413, r.status());
        assertEquals("body_too_large", r.json().get("error").asText());
        assertEquals(
                "the body is larger than 65536 bytes, the most this request may carry",
                r.json().get("detail").asText());
        assertEquals(404, server.api.get("/api/v1/admin/orgs/BIG", TOKEN).status());
    }

    @Test
    public void slowAnonymousSignInsHoldNoThreadAndHealthStillAnswers() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket("127.0.0.1", server.port);
                s.setSoTimeout(10_000);
                s.getOutputStream()
                        .write(head("POST", "/api/v1/session", null, "Content-Length: 100\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().write('{');
                s.getOutputStream().flush();
                slow.add(s);
            }
            for (int i = 0; i < 20; i++) {
                Api.Reply health = server.api.get("/health", null);
                assertEquals(health.toString(), 200, health.status());
                Api.Reply events = server.api.get("/api/v1/orgs/BODIES/events?limit=1", TOKEN);
                assertEquals(events.toString(), 200, events.status());
            }
        } finally {
            for (Socket s : slow) {
                close(s);
            }
        }
        assertTrue(server.isAlive());
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // gone already
        }
    }
}
