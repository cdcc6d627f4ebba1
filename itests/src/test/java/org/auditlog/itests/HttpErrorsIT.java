package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Every error answer is the JSON error shape with {@code Content-Type: application/json}, also those Jetty gives
 * before any servlet sees the request (sent over raw sockets: {@code java.net.http} would not send them); TRACE
 * is refused on every path; an ingest without Content-Type is a 415.
 */
public class HttpErrorsIT {
    static final String TOKEN = "http-errors-it-operator-token";

    static ServerProcess server;

    @BeforeClass
    public static void start() throws Exception {
        Path data = Files.createTempDirectory("auditlog-errors");
        Path log = Files.createTempFile("auditlog-errors", ".log");
        server = ServerProcess.start(data, ServerOptions.freePort(), TOKEN, log).awaitHealthy();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void jettysOwnRefusalsAreJson() throws Exception {
        // a request line that is no request line, a URI with a broken escape, an unknown version
        assertJsonError(RawHttp.exchange(server.port, "BAD\r\n\r\n"), 400, "bad_request");
        assertJsonError(RawHttp.exchange(server.port, "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "bad_request");
        assertJsonError(
                RawHttp.exchange(server.port, "GET /health HTTP/3.7\r\nHost: x\r\n\r\n"),
                505,
                "http_version_not_supported");
        // headers over the 16 KiB Felix gives Jetty for them
        assertJsonError(
                RawHttp.exchange(
                        server.port, "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n"),
                431,
                "headers_too_large");
    }

    @Test
    public void pathsNoServletServesAre404Json() throws Exception {
        for (String path :
                new String[] {"/nothing", "/index.html", "/orgs/X", "/assets/nothing.js", "/health/more", "/api/nothing"
                }) {
            RawHttp.Answer a =
                    RawHttp.exchange(server.port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertJsonError(a, 404, "not_found");
        }
        RawHttp.Answer a =
                RawHttp.exchange(server.port, "DELETE /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertJsonError(a, 404, "not_found");
    }

    @Test
    public void traceIsRefusedEverywhere() throws Exception {
        for (String path : new String[] {"/health", "/", "/nothing", "/api/v1/products", "/api/v1/admin/tokens"}) {
            RawHttp.Answer a = RawHttp.exchange(
                    server.port,
                    "TRACE " + path + " HTTP/1.1\r\nHost: x\r\n" + "Authorization: Bearer " + TOKEN
                            + "\r\nConnection: close\r\n\r\n");
            assertJsonError(a, 405, "method_not_allowed");
            assertFalse("TRACE echoes nothing: " + a, a.body().contains(TOKEN));
        }
        // and the other methods /health does not serve, through the servlet's own 405
        RawHttp.Answer post = RawHttp.exchange(
                server.port, "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n" + "Connection: close\r\n\r\n");
        assertJsonError(post, 405, "method_not_allowed");
        Api.Reply options = server.api.request("OPTIONS", "/health", null);
        assertEquals(200, options.status());
        assertFalse(options.raw().headers().firstValue("Allow").orElse("").contains("TRACE"));
    }

    @Test
    public void ingestWithoutContentTypeIs415NamingTheAcceptedTypes() throws Exception {
        String ingest = server.api.ingestToken(TOKEN, "Apps", null);
        server.api.activeOrg(TOKEN, "ERRS");
        String event = Api.json(Api.record("ERRS", "2026-11-01T00:00:00Z", "no type", "Ann"));
        RawHttp.Answer a = RawHttp.exchange(
                server.port,
                "POST /api/v1/products/Apps/events HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + ingest + "\r\nContent-Length: " + event.length()
                        + "\r\nConnection: close\r\n\r\n"
                        + event);
        JsonNode body = assertJsonError(a, 415, "unsupported_media_type", "Content-Type");
        assertTrue(body.get("detail").asText(), body.get("detail").asText().contains("application/json"));
        assertTrue(
                body.get("detail").asText(), body.get("detail").asText().contains("application/vnd.auditlog.v1+json"));
        // a wrong type as well, and the right one is stored
        assertEquals(
                415,
                server.api
                        .deliberatelyInvalid()
                        .post("/api/v1/products/Apps/events", ingest, "text/plain", event)
                        .status());
        assertEquals(
                201,
                server.api
                        .post("/api/v1/products/Apps/events", ingest, "application/json", event)
                        .status());
    }

    static JsonNode assertJsonError(RawHttp.Answer a, int status, String error) {
        return assertJsonError(a, status, error, null);
    }

    static JsonNode assertJsonError(RawHttp.Answer a, int status, String error, String field) {
        assertEquals(a.toString(), status, a.status());
        String type = a.header("Content-Type");
        assertTrue(a.toString(), type != null && type.startsWith("application/json"));
        JsonNode body = a.json();
        assertEquals(a.toString(), error, body.path("error").asText());
        assertTrue(a.toString(), body.has("field"));
        if (field == null) {
            assertTrue(a.toString(), body.get("field").isNull());
        } else {
            assertEquals(a.toString(), field, body.get("field").asText());
        }
        assertTrue(
                a.toString(),
                body.path("detail").isTextual() && !body.get("detail").asText().isBlank());
        assertEquals(a.toString(), 3, body.size());
        return body;
    }
}
