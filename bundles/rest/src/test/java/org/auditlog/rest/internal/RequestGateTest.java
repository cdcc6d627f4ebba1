package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.servlet.AsyncContext;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.auditlog.api.store.TokenGrant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gate in front of every API request (README "The HTTP server"): credentials checked before the body is read
 * (401 at once), bodies bounded per kind of call (413 body_too_large naming the bound) and read without a thread
 * (408 when late), the bytes held server-wide bounded (503), at most {@code maxConcurrentIngest} ingest requests
 * processed at once (503 server_busy), at most {@code maxConcurrentRequestsPerToken} of one verified caller in
 * flight (429), anonymous calls bounded together.
 */
class RequestGateTest {
    static final int MAX_BODY = 1024;
    static final int MAX_CONTROL = 2048;
    static final int MAX_ANONYMOUS = 300;

    /** The bodies' deadlines of the gates a test makes. */
    final java.util.concurrent.ScheduledExecutorService timer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    final FakeTokens tokens = new FakeTokens();

    RequestGateTest() {
        tokens.bySecret.put("alt_abc_secret", grant("abc", "Backlog"));
        tokens.bySecret.put("alt_other_secret", grant("other", "Apps"));
    }

    static TokenGrant grant(String id, String product) {
        return new TokenGrant(id, TokenGrant.INGEST, product, null, null, Fixtures.NOW, null);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    RequestGate gate(int perToken, int maxIngest, int bodyTimeoutSeconds) {
        return gate(perToken, maxIngest, bodyTimeoutSeconds, 64, 64L * 1024 * 1024);
    }

    RequestGate gate(int perToken, int maxIngest, int bodyTimeoutSeconds, int maxAnonymous, long maxBuffered) {
        RestConfig config = (RestConfig) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {RestConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "maxBodyBytes" -> MAX_BODY;
                    case "maxControlBodyBytes" -> MAX_CONTROL;
                    case "maxAnonymousBodyBytes" -> MAX_ANONYMOUS;
                    case "bodyTimeoutSeconds", "anonymousBodyTimeoutSeconds" -> bodyTimeoutSeconds;
                    case "maxConcurrentRequestsPerToken" -> perToken;
                    case "maxConcurrentIngest" -> maxIngest;
                    case "maxConcurrentAnonymousRequests" -> maxAnonymous;
                    case "maxBufferedBytes" -> maxBuffered;
                    default -> m.getDefaultValue();
                });
        OperatorToken operator;
        try {
            operator = OperatorToken.load(Fixtures.OPERATOR_SECRET, java.nio.file.Files.createTempDirectory("op"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        RequestGate g = new RequestGate(
                config,
                Components.authenticator(
                        operator, tokens, new FakePolicy(), Components.sessions(Fixtures.CLOCK, "maxSessions", 10)),
                Fixtures.ROUTES,
                timer);
        return g;
    }

    /** How the test's body arrives once the gate listens for it. */
    enum Arrival {
        ALL_AT_ONCE,
        /** All the bytes, then a read for the end that fails as Jetty's minimum data rate fails a late read. */
        LATE_END,
        FAILS,
        NEVER
    }

    /** One request: its body, how it arrives, and whether the request went asynchronous and completed. */
    static final class Ingest {
        final String authorization;
        final String path;
        String method = "POST";
        final java.util.Map<String, Object> attributes = new java.util.HashMap<>();
        final byte[] body;
        final long declared;
        final Arrival arrival;
        boolean asyncStarted;
        final CountDownLatch completed = new CountDownLatch(1);
        int read;
        final FakeHttp.Response response = new FakeHttp.Response();

        Ingest(String authorization, String path, byte[] body, long declared, Arrival arrival) {
            this.authorization = authorization;
            this.path = path;
            this.body = body;
            this.declared = declared;
            this.arrival = arrival;
        }

        static Ingest of(String body) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            return new Ingest("Bearer alt_abc_secret", "/v1/products/Backlog/events", b, b.length, Arrival.ALL_AT_ONCE);
        }

        HttpServletRequest request() {
            ServletInputStream in = new ServletInputStream() {
                @Override
                public int read() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (read >= body.length) {
                        if (arrival == Arrival.LATE_END) {
                            throw new IOException("408: Request content data rate < 512 B/s");
                        }
                        return -1;
                    }
                    int n = Math.min(Math.min(len, 100), body.length - read);
                    System.arraycopy(body, read, b, off, n);
                    read += n;
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return read >= body.length;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    try {
                        switch (arrival) {
                            case ALL_AT_ONCE -> {
                                listener.onDataAvailable();
                                listener.onAllDataRead();
                            }
                            case LATE_END -> listener.onDataAvailable();
                            case FAILS -> listener.onError(new IOException("Idle timeout expired: 30000/30000 ms"));
                            case NEVER -> {}
                        }
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            };
            AsyncContext async = (AsyncContext) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {AsyncContext.class}, (p, m, a) -> {
                        switch (m.getName()) {
                            case "start" -> ((Runnable) a[0]).run();
                            case "complete" -> completed.countDown();
                            case "setTimeout", "addListener" -> {}
                            default -> throw new UnsupportedOperationException(m.getName());
                        }
                        return null;
                    });
            return (HttpServletRequest) Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class},
                    (p, m, a) -> switch (m.getName()) {
                        case "getHeader" ->
                            "Authorization".equals(a[0])
                                    ? authorization
                                    : "Transfer-Encoding".equals(a[0]) && declared < 0 ? "chunked" : null;
                        case "getMethod" -> method;
                        case "getCookies" -> null;
                        case "setAttribute" -> attributes.put((String) a[0], a[1]);
                        case "getAttribute" -> attributes.get((String) a[0]);
                        case "getPathInfo" -> path;
                        case "getContentLengthLong" -> declared;
                        case "isAsyncSupported" -> true;
                        case "startAsync" -> {
                            asyncStarted = true;
                            yield async;
                        }
                        case "getInputStream" -> in;
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }

        void through(RequestGate gate, RequestGate.Next chain) throws Exception {
            gate.handle(request(), response.proxy(), chain);
        }
    }

    /** A chain that notes the requests it was handed. */
    static final class Chain implements RequestGate.Next {
        final List<HttpServletRequest> requests = new ArrayList<>();
        final List<String> bodies = new ArrayList<>();

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
            requests.add(request);
            if (request instanceof BufferedRequest b) {
                bodies.add(new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aWholeBodyWithinTheLimitReachesTheApiFromMemory() throws Exception {
        RequestGate gate = gate(16, 48, 60);
        Chain chain = new Chain();
        Ingest i = Ingest.of("{\"event\":\"" + "x".repeat(900) + "\"}");
        i.through(gate, chain);
        assertTrue(i.asyncStarted, "read without a thread");
        assertEquals(1, chain.requests.size());
        assertTrue(chain.requests.get(0) instanceof BufferedRequest);
        assertEquals(new String(i.body, StandardCharsets.UTF_8), chain.bodies.get(0));
        assertEquals(200, i.response.status, "the API answers, not the gate");
        assertTrue(i.completed.await(1, TimeUnit.SECONDS));
        assertTrue(gate.idle("token:abc"), "the token's count is given back");
    }

    @Test
    void aBodyOfItsDeclaredLengthIsWholeWithoutAReadForItsEnd() throws Exception {
        RequestGate gate = gate(16, 48, 60);
        Chain chain = new Chain();
        byte[] b = "{\"event\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        Ingest i = new Ingest("Bearer alt_abc_secret", "/v1/products/Backlog/events", b, b.length, Arrival.LATE_END);
        i.through(gate, chain);
        assertEquals(200, i.response.status, "the API answers, not a 408 of a read past the body");
        assertEquals(new String(b, StandardCharsets.UTF_8), chain.bodies.get(0));
        assertTrue(i.completed.await(1, TimeUnit.SECONDS));
        assertTrue(gate.idle("token:abc"), "the token's count is given back");
    }

    @Test
    void aBodyOverTheLimitIsReadToItsEndAndAnswered413() throws Exception {
        RequestGate gate = gate(16, 48, 60);
        Chain chain = new Chain();
        byte[] big = new byte[MAX_BODY * 5];
        Ingest i = new Ingest("Bearer alt_abc_secret", "/v1/products/Backlog/events", big, -1, Arrival.ALL_AT_ONCE);
        i.through(gate, chain);
        assertEquals(413, i.response.status);
        JsonNode b = i.response.json();
        assertEquals("body_too_large", b.get("error").asText());
        assertEquals(
                "the body is larger than 1024 bytes, the most this request may carry",
                b.get("detail").asText());
        assertNull(i.response.headers.get("Connection"), "the connection stays usable");
        assertEquals(big.length, i.read, "read to its end, so the client receives the answer");
        assertEquals(List.of(), chain.requests);
        assertTrue(gate.idle("token:abc"));
    }

    @Test
    void theLimitIsExactlyMaxBodyBytes() throws Exception {
        RequestGate gate = gate(16, 48, 60);
        Chain chain = new Chain();
        Ingest exactly = new Ingest(
                "Bearer alt_abc_secret", "/v1/products/Backlog/events", new byte[MAX_BODY], -1, Arrival.ALL_AT_ONCE);
        exactly.through(gate, chain);
        assertEquals(200, exactly.response.status);
        assertEquals(1, chain.requests.size());
        Ingest oneMore = new Ingest(
                "Bearer alt_abc_secret",
                "/v1/products/Backlog/events",
                new byte[MAX_BODY + 1],
                -1,
                Arrival.ALL_AT_ONCE);
        oneMore.through(gate, chain);
        assertEquals(413, oneMore.response.status);
        assertEquals(1, chain.requests.size());
    }

    @Test
    void aDeclaredLengthBeyondWhatIsDrainedIsRefusedAtOnceAndTheConnectionClosed() throws Exception {
        RequestGate gate = gate(16, 48, 60);
        Chain chain = new Chain();
        Ingest i = new Ingest(
                "Bearer alt_abc_secret",
                "/v1/products/Backlog/events",
                new byte[0],
                RequestGate.DRAIN_LIMIT + 1,
                Arrival.ALL_AT_ONCE);
        i.through(gate, chain);
        assertEquals(413, i.response.status);
        assertEquals("body_too_large", i.response.json().get("error").asText());
        assertEquals("close", i.response.headers.get("Connection"));
        assertFalse(i.asyncStarted);
        assertEquals(List.of(), chain.requests);
        assertTrue(gate.idle("token:abc"));
    }

    @Test
    void aBodyWhoseReadFailsIs408AndTheConnectionClosed() throws Exception {
        RequestGate gate = gate(16, 48, 60);
        Chain chain = new Chain();
        Ingest i = new Ingest("Bearer alt_abc_secret", "/v1/products/Backlog/events", new byte[10], 10, Arrival.FAILS);
        i.through(gate, chain);
        assertEquals(408, i.response.status);
        JsonNode b = i.response.json();
        assertEquals("request_timeout", b.get("error").asText());
        assertEquals(
                "the body did not arrive in time (slower than the server accepts, or stalled): "
                        + "Idle timeout expired: 30000/30000 ms",
                b.get("detail").asText());
        assertEquals("close", i.response.headers.get("Connection"));
        assertEquals(List.of(), chain.requests);
        assertTrue(gate.idle("token:abc"));
    }

    @Test
    void aBodyNotInFullWithinTheDeadlineIs408() throws Exception {
        RequestGate gate = gate(16, 48, 1);
        Chain chain = new Chain();
        Ingest i = new Ingest("Bearer alt_abc_secret", "/v1/products/Backlog/events", new byte[10], 10, Arrival.NEVER);
        i.through(gate, chain);
        assertFalse(gate.idle("token:abc"), "in flight while its body is awaited");
        assertTrue(i.completed.await(5, TimeUnit.SECONDS), "answered by the deadline");
        assertEquals(408, i.response.status);
        JsonNode b = i.response.json();
        assertEquals("request_timeout", b.get("error").asText());
        assertEquals(
                "the body did not arrive in full within 1 s", b.get("detail").asText());
        assertEquals("close", i.response.headers.get("Connection"));
        assertEquals(List.of(), chain.requests);
        // the count is given back right after the request completes, on the timer's thread
        for (int n = 0; n < 100 && !gate.idle("token:abc"); n++) {
            Thread.sleep(10);
        }
        assertTrue(gate.idle("token:abc"));
    }

    @Test
    void beyondTheConcurrentIngestLimitTheNextIsAnswered503ServerBusy() throws Exception {
        RequestGate gate = gate(16, 1, 60);
        Ingest second = new Ingest(
                "Bearer alt_other_secret", "/v1/products/Apps/events", "{}".getBytes(), 2, Arrival.ALL_AT_ONCE);
        Chain inner = new Chain();
        // the first request is still processed when the second's body is in
        RequestGate.Next outer = (q, s) -> {
            try {
                second.through(gate, inner);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        Ingest first = Ingest.of("{}");
        first.through(gate, outer);
        assertEquals(503, second.response.status);
        assertEquals("1", second.response.headers.get("Retry-After"));
        JsonNode b = second.response.json();
        assertEquals("server_busy", b.get("error").asText());
        assertEquals(
                "the server is processing 1 ingest requests already; retry shortly",
                b.get("detail").asText());
        assertEquals(List.of(), inner.requests);
        assertEquals(200, first.response.status);
        assertTrue(gate.idle("token:abc") && gate.idle("token:other"));
    }

    @Test
    void aTokensRequestBeyondItsLimitIs429NamingTheHeader() throws Exception {
        RequestGate gate = gate(1, 48, 60);
        FakeHttp.Response refused = new FakeHttp.Response();
        RequestGate.Next outer = (q, s) -> {
            try {
                gate.handle(Ingest.of("{}").request(), refused.proxy(), new Chain());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        Ingest.of("{}").through(gate, outer);
        assertEquals(429, refused.status);
        assertEquals("1", refused.headers.get("Retry-After"));
        assertEquals(
                "{\"error\":\"too_many_requests\",\"field\":\"Authorization\",\"detail\":\"this token has 1 "
                        + "requests in flight already; wait for one to finish\"}",
                refused.text());
    }

    @Test
    void aMadeUpTokenIsAnswered401AtOnceItsBodyNeverReadAndNothingCounted() throws Exception {
        RequestGate gate = gate(1, 1, 60);
        Chain chain = new Chain();
        Ingest madeUp =
                new Ingest("Bearer alt_abc_guessed", "/v1/products/Backlog/events", new byte[900], 900, Arrival.NEVER);
        madeUp.through(gate, chain);
        assertEquals(401, madeUp.response.status);
        assertEquals(
                "{\"error\":\"unauthorized\",\"field\":\"Authorization\",\"detail\":\"the token is unknown or "
                        + "revoked\"}",
                madeUp.response.text());
        assertEquals("Bearer realm=\"auditlog\"", madeUp.response.headers.get("WWW-Authenticate"));
        assertFalse(madeUp.asyncStarted, "its body is never read");
        assertEquals(0, madeUp.read);
        assertEquals(List.of(), chain.requests);
        // the real token of the same id still has its one permit
        Ingest real = Ingest.of("{}");
        real.through(gate, chain);
        assertEquals(200, real.response.status);
        assertEquals(1, chain.requests.size());
    }

    @Test
    void aRequestWithoutCredentialsReachesTheApiWithoutItsBody() throws Exception {
        RequestGate gate = gate(1, 1, 60);
        Chain chain = new Chain();
        Ingest anonymous = new Ingest(null, "/v1/admin/orgs", new byte[500], 500, Arrival.NEVER);
        anonymous.through(gate, chain);
        assertEquals(List.of(""), chain.bodies, "the API answers 401 with nothing of the body");
        assertFalse(anonymous.asyncStarted);
        assertEquals(0, anonymous.read);
    }

    @Test
    void theOperatorIsCountedAndItsBodiesBoundedLikeAnyCaller() throws Exception {
        RequestGate gate = gate(1, 1, 60);
        FakeHttp.Response refused = new FakeHttp.Response();
        RequestGate.Next outer = (q, s) -> {
            try {
                Ingest again = new Ingest(
                        "Bearer " + Fixtures.OPERATOR_SECRET, "/v1/admin/orgs", new byte[0], 0, Arrival.NEVER);
                again.method = "GET";
                gate.handle(again.request(), refused.proxy(), new Chain());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        Ingest first =
                new Ingest("Bearer " + Fixtures.OPERATOR_SECRET, "/v1/admin/orgs", new byte[0], 0, Arrival.NEVER);
        first.method = "GET";
        first.through(gate, outer);
        assertEquals(429, refused.status, "a second request while the first is in flight");
        assertTrue(gate.idle("operator"));
        assertTrue(
                first.attributes.get(Caller.PROPERTY) instanceof Caller c && c.operator(),
                "the API is told who the caller is, and does not ask again");

        Ingest big = new Ingest(
                "Bearer " + Fixtures.OPERATOR_SECRET,
                "/v1/admin/orgs",
                new byte[MAX_CONTROL + 1],
                MAX_CONTROL + 1,
                Arrival.ALL_AT_ONCE);
        Chain chain = new Chain();
        big.through(gate, chain);
        assertEquals(413, big.response.status);
        assertEquals(
                "the body is larger than 2048 bytes, the most this request may carry",
                big.response.json().get("detail").asText());
        assertEquals(List.of(), chain.requests);
    }

    @Test
    void aSignInBodyIsBoundedSmallAndAnonymousCallsShareTheirLimit() throws Exception {
        RequestGate gate = gate(16, 48, 60, 1, 64L * 1024 * 1024);
        Chain chain = new Chain();
        Ingest tooBig = new Ingest(
                "Bearer alt_abc_guessed", "/v1/session", new byte[MAX_ANONYMOUS + 1], -1, Arrival.ALL_AT_ONCE);
        tooBig.through(gate, chain);
        assertEquals(413, tooBig.response.status, "the sign-in ignores the Authorization header; its bound is small");
        assertEquals(
                "the body is larger than 300 bytes, the most this request may carry",
                tooBig.response.json().get("detail").asText());

        Ingest slow = new Ingest(null, "/v1/session", new byte[100], 100, Arrival.NEVER);
        slow.through(gate, chain);
        assertTrue(slow.asyncStarted, "a slow sign-in waits for its body without a thread");
        Ingest next = new Ingest(null, "/v1/session", new byte[10], 10, Arrival.ALL_AT_ONCE);
        next.through(gate, chain);
        assertEquals(503, next.response.status, "anonymous calls share one bound");
        assertEquals("server_busy", next.response.json().get("error").asText());
        assertEquals(List.of(), chain.requests);
    }

    @Test
    void theBytesHeldServerWideAreBounded() throws Exception {
        RequestGate gate = gate(16, 48, 60, 64, 1500);
        Chain chain = new Chain();
        Ingest waiting = new Ingest(
                "Bearer alt_other_secret", "/v1/products/Apps/events", new byte[1000], 1000, Arrival.ALL_AT_ONCE);
        RequestGate.Next holds = (q, s) -> {
            // while the first body is held, a second one does not fit
            try {
                Ingest second = new Ingest(
                        "Bearer alt_abc_secret",
                        "/v1/products/Backlog/events",
                        new byte[1000],
                        1000,
                        Arrival.ALL_AT_ONCE);
                second.through(gate, chain);
                assertEquals(503, second.response.status);
                assertEquals(
                        "the server holds 1500 bytes of request bodies already; retry shortly",
                        second.response.json().get("detail").asText());
                assertEquals(1000, gate.bufferedBytes());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        waiting.through(gate, holds);
        assertEquals(200, waiting.response.status);
        assertEquals(0, gate.bufferedBytes(), "given back when the request completed");
        assertEquals(List.of(), chain.requests);
    }
}
