package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;

/**
 * Answers given outside Jersey in the same JSON error body: {@link HttpErrors}, Jetty's {@link JsonErrorHandler},
 * the error page, the 404 and 503 servlets and the TRACE filter.
 */
class HttpErrorsTest {
    @Test
    void eachStatusHasTheCodeTheErrorTableNames() {
        Map<Integer, String> table = Map.ofEntries(
                Map.entry(400, "bad_request"),
                Map.entry(401, "unauthorized"),
                Map.entry(403, "forbidden"),
                Map.entry(404, "not_found"),
                Map.entry(405, "method_not_allowed"),
                Map.entry(406, "not_acceptable"),
                Map.entry(408, "request_timeout"),
                Map.entry(411, "length_required"),
                Map.entry(413, "body_too_large"),
                Map.entry(414, "uri_too_long"),
                Map.entry(415, "unsupported_media_type"),
                Map.entry(429, "too_many_requests"),
                Map.entry(431, "headers_too_large"),
                Map.entry(501, "not_implemented"),
                Map.entry(503, "unavailable"),
                Map.entry(505, "http_version_not_supported"),
                Map.entry(418, "bad_request"),
                Map.entry(500, "internal_error"),
                Map.entry(502, "internal_error"));
        table.forEach((status, code) -> assertEquals(code, HttpErrors.code(status), "status " + status));
    }

    @Test
    void writingSetsStatusHeadersAndTheBodyWithItsLength() throws IOException {
        FakeHttp.Response r = new FakeHttp.Response();
        r.body.write("half a page".getBytes(StandardCharsets.UTF_8));
        HttpErrors.write(
                r.proxy(), 429, new ErrorBody("too_many_requests", "Authorization", "wait"), "Retry-After", "1");
        assertEquals(429, r.status);
        assertEquals("1", r.headers.get("Retry-After"));
        assertEquals("no-store", r.headers.get("Cache-Control"));
        assertEquals("application/json", r.contentType);
        assertEquals("UTF-8", r.characterEncoding);
        String expected = "{\"error\":\"too_many_requests\",\"field\":\"Authorization\",\"detail\":\"wait\"}";
        assertEquals(expected, r.text(), "what was buffered before is dropped");
        assertEquals(expected.length(), r.contentLength);
    }

    @Test
    void aCommittedResponseIsLeftAlone() throws IOException {
        FakeHttp.Response r = new FakeHttp.Response();
        r.committed = true;
        HttpErrors.write(r.proxy(), 500, new ErrorBody("internal_error", null, "x"));
        assertEquals(200, r.status);
        assertEquals("", r.text());
    }

    @Test
    void jettysOwnErrorsSayWhatWasWrongUnlessTheServerFailed() throws IOException {
        assertBody(
                JsonErrorHandler.body(400, "Illegal character CNTL=0x1"),
                "bad_request",
                "the request is not valid HTTP (request line, URI or headers): Illegal character CNTL=0x1");
        assertBody(
                JsonErrorHandler.body(431, "Request Header Fields Too Large"),
                "headers_too_large",
                "the request headers are too large");
        assertBody(
                JsonErrorHandler.body(505, "Unsupported version"),
                "http_version_not_supported",
                "only HTTP/1.0 and HTTP/1.1 are served");
        assertBody(
                JsonErrorHandler.body(500, "NullPointerException at org.example.Secret"),
                "internal_error",
                "the server failed");
        assertBody(JsonErrorHandler.body(200, null), "internal_error", "the server failed");
        assertBody(JsonErrorHandler.body(404, " "), "not_found", "no such resource");
    }

    private static void assertBody(byte[] body, String error, String detail) throws IOException {
        JsonNode b = Json.MAPPER.readTree(body);
        assertEquals(error, b.get("error").asText());
        assertEquals(true, b.get("field").isNull());
        assertEquals(detail, b.get("detail").asText());
    }

    @Test
    void anyOtherPathIsA404InJson() throws IOException {
        FakeHttp.Response r = new FakeHttp.Response();
        new NotFoundServlet().service(FakeHttp.request("POST", "203.0.113.5", false, Map.of()), r.proxy());
        assertEquals(404, r.status);
        assertEquals("{\"error\":\"not_found\",\"field\":null,\"detail\":\"no such resource\"}", r.text());
        assertEquals("no-store", r.headers.get("Cache-Control"));
    }

    @Test
    void theErrorPageKeepsAClientErrorsMessageButNotAServerErrors() throws IOException {
        FakeHttp.Response client = new FakeHttp.Response();
        new ErrorPageServlet()
                .service(
                        FakeHttp.request(
                                "GET",
                                "203.0.113.5",
                                false,
                                Map.of(
                                        RequestDispatcher.ERROR_STATUS_CODE,
                                        413,
                                        RequestDispatcher.ERROR_MESSAGE,
                                        "Form too large")),
                        client.proxy());
        assertEquals(413, client.status);
        assertEquals("{\"error\":\"body_too_large\",\"field\":null,\"detail\":\"Form too large\"}", client.text());

        FakeHttp.Response server = new FakeHttp.Response();
        new ErrorPageServlet()
                .service(
                        FakeHttp.request(
                                "GET",
                                "203.0.113.5",
                                false,
                                Map.of(
                                        RequestDispatcher.ERROR_STATUS_CODE,
                                        500,
                                        RequestDispatcher.ERROR_MESSAGE,
                                        "SQL at /srv/data failed")),
                        server.proxy());
        assertEquals(500, server.status);
        assertEquals("the server failed", server.json().get("detail").asText());
    }

    @Test
    void theErrorPageKeepsAllowAndAnswers500WithoutAnErrorStatus() throws IOException {
        FakeHttp.Response r = new FakeHttp.Response();
        r.headers.put("Allow", "GET, POST");
        new ErrorPageServlet()
                .service(
                        FakeHttp.request("PUT", "203.0.113.5", false, Map.of(RequestDispatcher.ERROR_STATUS_CODE, 405)),
                        r.proxy());
        assertEquals(405, r.status);
        assertEquals("GET, POST", r.headers.get("Allow"));
        assertEquals("this method is not allowed here", r.json().get("detail").asText());

        FakeHttp.Response none = new FakeHttp.Response();
        new ErrorPageServlet().service(FakeHttp.request("GET", "203.0.113.5", false, Map.of()), none.proxy());
        assertEquals(500, none.status);
        assertEquals("internal_error", none.json().get("error").asText());
    }

    @Test
    void whileTheApiIsNotUpItsPathsAnswer503Unavailable() throws IOException {
        FakeHttp.Response r = new FakeHttp.Response();
        new UnavailableServlet().service(FakeHttp.request("GET", "203.0.113.5", false, Map.of()), r.proxy());
        assertEquals(503, r.status);
        assertEquals("5", r.headers.get("Retry-After"));
        assertEquals("application/json", r.contentType);
        assertEquals(
                "{\"error\":\"unavailable\",\"field\":null,\"detail\":\"the API is not ready (starting, or a part "
                        + "it needs is down); GET /health tells which\"}",
                r.text());
    }

    @Test
    void traceIsRefusedOnEveryPathAndOtherMethodsPass() throws Exception {
        int[] passed = {0};
        FakeHttp.Response trace = new FakeHttp.Response();
        new TraceFilter()
                .doFilter(
                        FakeHttp.request("TRACE", "203.0.113.5", false, Map.of()),
                        trace.proxy(),
                        (q, s) -> passed[0]++);
        assertEquals(405, trace.status);
        assertEquals(
                "{\"error\":\"method_not_allowed\",\"field\":null,\"detail\":\"TRACE is not served\"}", trace.text());
        assertEquals(0, passed[0]);

        FakeHttp.Response get = new FakeHttp.Response();
        new TraceFilter()
                .doFilter(FakeHttp.request("GET", "203.0.113.5", false, Map.of()), get.proxy(), (q, s) -> passed[0]++);
        assertEquals(1, passed[0]);
        assertEquals("", get.text());
    }
}
