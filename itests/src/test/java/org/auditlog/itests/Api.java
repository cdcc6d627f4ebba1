package org.auditlog.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.auditlog.itests.contract.Contract;

/**
 * A small HTTP client for the Auditlog API, as a product or an operator would call it. Every request it sends and
 * every answer it gets is checked against the OpenAPI document ({@link Contract}): a request the document does not
 * describe, or an answer with an undocumented status, field or type, fails the test. A test that sends a wrong
 * request on purpose says so with {@link #deliberatelyInvalid()}; the answer is checked all the same.
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status, headers and body, parsed as JSON when it is JSON. */
    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final HttpClient client;
    private final String base;
    /** Whether requests are checked against the document. */
    private final boolean checkRequests;
    /** Whether answers are checked against the document (always, but while the server starts). */
    private final boolean checkAnswers;

    Api(int port) {
        this(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                "http://127.0.0.1:" + port,
                true,
                true);
    }

    private Api(HttpClient client, String base, boolean checkRequests, boolean checkAnswers) {
        this.client = client;
        this.base = base;
        this.checkRequests = checkRequests;
        this.checkAnswers = checkAnswers;
    }

    /**
     * This client for requests that break the API's rules on purpose (a missing token, a bad field, a wrong
     * method): they are sent unchecked, and their answers are still checked against the document.
     */
    Api deliberatelyInvalid() {
        return new Api(client, base, false, checkAnswers);
    }

    /**
     * This client for polling a server that is starting: until its servlets are registered, Jetty answers for them
     * (a 404 in HTML), which is not the API's answer; nothing is checked.
     */
    Api whileStarting() {
        return new Api(client, base, checkRequests, false);
    }

    Reply get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    Reply post(String path, String token, String contentType, String body, String... headers)
            throws IOException, InterruptedException {
        return post(path, token, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Reply post(String path, String token, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b, body);
    }

    Reply delete(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .DELETE();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    /** A request with any method, no body, and the given headers (name, value, name, value...). */
    Reply request(String method, String path, String token, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return send(b, new byte[0]);
    }

    /** Sends a request whose body is {@code body}, both checked against the document. */
    private Reply send(HttpRequest.Builder b, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = b.build();
        check(request, body, checkRequests);
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (checkAnswers) {
            checkAnswer(request, r.statusCode(), r.headers(), r.body());
        }
        return new Reply(r.statusCode(), r.body(), r);
    }

    /**
     * Sends a request built elsewhere (a download read as bytes, say) through this client's checks: the request
     * (unless {@link #deliberatelyInvalid()}) and the answer's status, type and, when it is JSON, body.
     */
    HttpResponse<byte[]> sendBytes(HttpRequest request) throws IOException, InterruptedException {
        check(request, new byte[0], checkRequests);
        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        String type = Contract.mediaType(r.headers().firstValue("Content-Type").orElse(null));
        if (checkAnswers) {
            String body = "application/json".equals(type)
                    ? new String(r.body(), StandardCharsets.UTF_8)
                    : r.body().length == 0 ? "" : "(bytes)";
            checkAnswer(request, r.statusCode(), r.headers(), body);
        }
        return r;
    }

    private static void check(HttpRequest request, byte[] body, boolean checkRequest) {
        if (checkRequest) {
            Contract.require(
                    Contract.get()
                            .checkRequest(
                                    request.method(),
                                    request.uri(),
                                    name -> request.headers().firstValue(name).orElse(null),
                                    body),
                    "the request " + request.method() + " " + request.uri().getRawPath() + " ("
                            + Contract.get().describe(request.method(), request.uri())
                            + "; if it is wrong on purpose, send it with Api.deliberatelyInvalid())");
        }
    }

    private static void checkAnswer(HttpRequest request, int status, java.net.http.HttpHeaders headers, String body) {
        Contract.require(
                Contract.get()
                        .checkAnswer(
                                request.method(),
                                request.uri(),
                                status,
                                name -> headers.firstValue(name).orElse(null),
                                body),
                "the answer " + status + " to " + Contract.get().describe(request.method(), request.uri()));
    }

    /** Waits (bounded) until /health answers 200. */
    void awaitHealthy(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Reply last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = whileStarting().get("/health", null);
                if (last.status() == 200) {
                    get("/health", null); // the answer of a server that is up is checked
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server not healthy within " + within + "; last answer: " + last);
    }

    /** The operator token the server generated into its data folder at first start (bounded wait). */
    static String operatorToken(Path data) throws IOException, InterruptedException {
        Path file = data.resolve("admin-token");
        for (int i = 0; i < 300 && !Files.exists(file); i++) {
            Thread.sleep(100);
        }
        return Files.readString(file).strip();
    }

    /**
     * Issues an ingest token through the admin API, once the product's adapter is up (on a first start
     * FileInstall may still be installing the adapters from deploy/ when /health first answers 200).
     */
    String ingestToken(String operator, String product, String spaceKey) throws IOException, InterruptedException {
        awaitAdapter(operator, product);
        String body = spaceKey == null
                ? "{\"kind\":\"ingest\",\"product\":\"" + product + "\"}"
                : "{\"kind\":\"ingest\",\"product\":\"" + product + "\",\"spaceKey\":\"" + spaceKey + "\"}";
        Reply r = post("/api/v1/admin/tokens", operator, "application/json", body);
        if (r.status() != 201) {
            throw new AssertionError("token not issued: " + r);
        }
        return r.json().get("token").asText();
    }

    /**
     * Makes sure an organization exists and records events: created (licence for 100 users) with an admin
     * {@code owner} who starts a trial. An organization that exists already is left as it is.
     */
    void activeOrg(String operator, String spaceKey) throws IOException, InterruptedException {
        Reply created = post(
                "/api/v1/admin/orgs",
                operator,
                "application/json",
                "{\"spaceKey\":\"" + spaceKey + "\",\"name\":\"" + spaceKey + " Inc\",\"licenseCount\":100}");
        if (created.status() == 409) {
            return;
        }
        if (created.status() != 201) {
            throw new AssertionError("organization not created: " + created);
        }
        Reply member = post(
                "/api/v1/admin/orgs/" + spaceKey + "/members",
                operator,
                "application/json",
                "{\"userId\":\"owner\",\"name\":\"Olive Owner\",\"email\":\"owner@" + spaceKey.toLowerCase()
                        + ".example\",\"role\":\"admin\"}");
        if (member.status() != 201) {
            throw new AssertionError("member not added: " + member);
        }
        Reply plan = put(
                "/api/v1/admin/orgs/" + spaceKey + "/plan", operator, "{\"state\":\"trial\",\"planAdmin\":\"owner\"}");
        if (plan.status() != 200) {
            throw new AssertionError("plan not started: " + plan);
        }
    }

    Reply put(String path, String token, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b, json.getBytes(StandardCharsets.UTF_8));
    }

    Reply patch(String path, String token, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits (bounded) until an adapter serves the product. */
    void awaitAdapter(String token, String product) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Reply r = get("/api/v1/products/" + product, token);
            if (r.status() == 200 && !r.json().get("adapter").isNull()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no adapter for " + product + " within 30 s");
    }

    /**
     * Every test record of an organization (category {@code Test}, as {@link #record} makes them), following
     * the cursor pages. The server's own records about the organization (its plan, members) are left out.
     */
    List<JsonNode> allEvents(String operator, String spaceKey, int pageSize) throws IOException, InterruptedException {
        return allEvents(operator, spaceKey, pageSize, "category=Test");
    }

    /** Every record of an organization matching a query string ({@code product=Backlog}), following the pages. */
    List<JsonNode> allEvents(String operator, String spaceKey, int pageSize, String filter)
            throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            Reply r = get(
                    "/api/v1/orgs/" + spaceKey + "/events?" + filter + "&limit=" + pageSize
                            + (cursor == null ? "" : "&cursor=" + cursor),
                    operator);
            if (r.status() != 200) {
                throw new AssertionError("query failed: " + r);
            }
            JsonNode page = r.json();
            page.get("events").forEach(out::add);
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asText();
        } while (cursor != null);
        return out;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A canonical V1 record as a map. */
    static Map<String, Object> record(String spaceKey, String date, String action, String userName) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("space_key", spaceKey);
        m.put("date", date);
        m.put("category", "Test");
        m.put("event", "Test event");
        m.put("action", action);
        m.put("operation_user_id", "u1");
        m.put("operation_user_name", userName);
        m.put("operation_user_email", "ann@acme.example");
        return m;
    }
}
