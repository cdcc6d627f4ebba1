package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.servlet.AsyncContext;
import javax.servlet.FilterChain;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletRequest;
import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The gate's limits on an ingest body (README "The HTTP server"): read without a thread up to {@code maxBodyBytes}
 * (413), within {@code bodyTimeoutSeconds} (408), a failed read 408, at most {@code maxConcurrentIngest} processed
 * at once (503 server_busy), at most {@code maxConcurrentRequestsPerToken} of one token in flight (429).
 */
class IngestGateBodyTest {
    static final int MAX_BODY = 1024;

    final List<IngestGate> gates = new ArrayList<>();

    @AfterEach
    void stop() {
        gates.forEach(IngestGate::stop);
    }

    IngestGate gate(int perToken, int maxIngest, int bodyTimeoutSeconds) {
        ApiServlet.Config config = (ApiServlet.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ApiServlet.Config.class}, (p, m, a) -> switch (m.getName()) {
                    case "maxBodyBytes" -> MAX_BODY;
                    case "bodyTimeoutSeconds" -> bodyTimeoutSeconds;
                    case "maxConcurrentRequestsPerToken" -> perToken;
                    case "maxConcurrentIngest" -> maxIngest;
                    default -> m.getDefaultValue();
                });
        IngestGate g = new IngestGate(config);
        gates.add(g);
        return g;
    }

    /** How the test's body arrives once the gate listens for it. */
    enum Arrival {
        ALL_AT_ONCE, FAILS, NEVER
    }

    /** One request: its body, how it arrives, and whether the request went asynchronous and completed. */
    static final class Ingest {
        final String authorization;
        final String path;
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
                public int read(byte[] b, int off, int len) {
                    if (read >= body.length) {
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
                            case FAILS -> listener.onError(new IOException("Idle timeout expired: 30000/30000 ms"));
                            case NEVER -> {
                            }
                        }
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            };
            AsyncContext async = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {AsyncContext.class}, (p, m, a) -> {
                        switch (m.getName()) {
                            case "start" -> ((Runnable) a[0]).run();
                            case "complete" -> completed.countDown();
                            case "setTimeout", "addListener" -> {
                            }
                            default -> throw new UnsupportedOperationException(m.getName());
                        }
                        return null;
                    });
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                        case "getHeader" -> "Authorization".equals(a[0]) ? authorization
                                : "Transfer-Encoding".equals(a[0]) && declared < 0 ? "chunked" : null;
                        case "getMethod" -> "POST";
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

        void through(IngestGate gate, FilterChain chain) throws Exception {
            gate.doFilter(request(), response.proxy(), chain);
        }
    }

    /** A chain that notes the requests it was handed. */
    static final class Chain implements FilterChain {
        final List<ServletRequest> requests = new ArrayList<>();
        final List<String> bodies = new ArrayList<>();

        @Override
        public void doFilter(ServletRequest request, javax.servlet.ServletResponse response) throws IOException {
            requests.add(request);
            if (request instanceof BufferedRequest b) {
                bodies.add(new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aWholeBodyWithinTheLimitReachesTheApiFromMemory() throws Exception {
        IngestGate gate = gate(16, 48, 60);
        Chain chain = new Chain();
        Ingest i = Ingest.of("{\"event\":\"" + "x".repeat(900) + "\"}");
        i.through(gate, chain);
        assertTrue(i.asyncStarted, "read without a thread");
        assertEquals(1, chain.requests.size());
        assertTrue(chain.requests.get(0) instanceof BufferedRequest);
        assertEquals(new String(i.body, StandardCharsets.UTF_8), chain.bodies.get(0));
        assertEquals(200, i.response.status, "the API answers, not the gate");
        assertTrue(i.completed.await(1, TimeUnit.SECONDS));
        assertTrue(gate.idle("abc"), "the token's count is given back");
    }

    @Test
    void aBodyOverTheLimitIsReadToItsEndAndAnswered413() throws Exception {
        IngestGate gate = gate(16, 48, 60);
        Chain chain = new Chain();
        byte[] big = new byte[MAX_BODY * 5];
        Ingest i = new Ingest("Bearer alt_abc_secret", "/v1/products/Backlog/events", big, -1, Arrival.ALL_AT_ONCE);
        i.through(gate, chain);
        assertEquals(413, i.response.status);
        JsonNode b = i.response.json();
        assertEquals("payload_too_large", b.get("error").asText());
        assertEquals("the body is larger than 1024 bytes", b.get("detail").asText());
        assertNull(i.response.headers.get("Connection"), "the connection stays usable");
        assertEquals(big.length, i.read, "read to its end, so the client receives the answer");
        assertEquals(List.of(), chain.requests);
        assertTrue(gate.idle("abc"));
    }

    @Test
    void theLimitIsExactlyMaxBodyBytes() throws Exception {
        IngestGate gate = gate(16, 48, 60);
        Chain chain = new Chain();
        Ingest exactly = new Ingest("Bearer alt_abc_secret", "/v1/products/Backlog/events", new byte[MAX_BODY], -1,
                Arrival.ALL_AT_ONCE);
        exactly.through(gate, chain);
        assertEquals(200, exactly.response.status);
        assertEquals(1, chain.requests.size());
        Ingest oneMore = new Ingest("Bearer alt_abc_secret", "/v1/products/Backlog/events", new byte[MAX_BODY + 1], -1,
                Arrival.ALL_AT_ONCE);
        oneMore.through(gate, chain);
        assertEquals(413, oneMore.response.status);
        assertEquals(1, chain.requests.size());
    }

    @Test
    void aDeclaredLengthBeyondWhatIsDrainedIsRefusedAtOnceAndTheConnectionClosed() throws Exception {
        IngestGate gate = gate(16, 48, 60);
        Chain chain = new Chain();
        Ingest i = new Ingest("Bearer alt_abc_secret", "/v1/products/Backlog/events", new byte[0],
                IngestResource.DRAIN_LIMIT + 1, Arrival.ALL_AT_ONCE);
        i.through(gate, chain);
        assertEquals(413, i.response.status);
        assertEquals("payload_too_large", i.response.json().get("error").asText());
        assertEquals("close", i.response.headers.get("Connection"));
        assertFalse(i.asyncStarted);
        assertEquals(List.of(), chain.requests);
        assertTrue(gate.idle("abc"));
    }

    @Test
    void aBodyWhoseReadFailsIs408AndTheConnectionClosed() throws Exception {
        IngestGate gate = gate(16, 48, 60);
        Chain chain = new Chain();
        Ingest i = new Ingest("Bearer alt_abc_secret", "/v1/products/Backlog/events", new byte[10], 10, Arrival.FAILS);
        i.through(gate, chain);
        assertEquals(408, i.response.status);
        JsonNode b = i.response.json();
        assertEquals("request_timeout", b.get("error").asText());
        assertEquals("the body did not arrive in time (slower than the server accepts, or stalled): "
                + "Idle timeout expired: 30000/30000 ms", b.get("detail").asText());
        assertEquals("close", i.response.headers.get("Connection"));
        assertEquals(List.of(), chain.requests);
        assertTrue(gate.idle("abc"));
    }

    @Test
    void aBodyNotInFullWithinTheDeadlineIs408() throws Exception {
        IngestGate gate = gate(16, 48, 1);
        Chain chain = new Chain();
        Ingest i = new Ingest("Bearer alt_abc_secret", "/v1/products/Backlog/events", new byte[10], 10, Arrival.NEVER);
        i.through(gate, chain);
        assertFalse(gate.idle("abc"), "in flight while its body is awaited");
        assertTrue(i.completed.await(5, TimeUnit.SECONDS), "answered by the deadline");
        assertEquals(408, i.response.status);
        JsonNode b = i.response.json();
        assertEquals("request_timeout", b.get("error").asText());
        assertEquals("the body did not arrive in full within 1 s", b.get("detail").asText());
        assertEquals("close", i.response.headers.get("Connection"));
        assertEquals(List.of(), chain.requests);
        // the count is given back right after the request completes, on the timer's thread
        for (int n = 0; n < 100 && !gate.idle("abc"); n++) {
            Thread.sleep(10);
        }
        assertTrue(gate.idle("abc"));
    }

    @Test
    void beyondTheConcurrentIngestLimitTheNextIsAnswered503ServerBusy() throws Exception {
        IngestGate gate = gate(16, 1, 60);
        Ingest second = new Ingest("Bearer alt_other_secret", "/v1/products/Apps/events", "{}".getBytes(), 2,
                Arrival.ALL_AT_ONCE);
        Chain inner = new Chain();
        // the first request is still processed when the second's body is in
        FilterChain outer = (q, s) -> {
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
        assertEquals("the server is processing 1 ingest requests already; retry shortly", b.get("detail").asText());
        assertEquals(List.of(), inner.requests);
        assertEquals(200, first.response.status);
        assertTrue(gate.idle("abc") && gate.idle("other"));
    }

    @Test
    void aTokensRequestBeyondItsLimitIs429NamingTheHeader() throws Exception {
        IngestGate gate = gate(1, 48, 60);
        FakeHttp.Response refused = new FakeHttp.Response();
        FilterChain outer = (q, s) -> {
            try {
                gate.doFilter(Ingest.of("{}").request(), refused.proxy(), new Chain());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        Ingest.of("{}").through(gate, outer);
        assertEquals(429, refused.status);
        assertEquals("1", refused.headers.get("Retry-After"));
        assertEquals("{\"error\":\"too_many_requests\",\"field\":\"Authorization\",\"detail\":\"this token has 1 "
                + "requests in flight already; wait for one to finish\"}", refused.text());
    }

    @Test
    void theOperatorTokenAndOtherRequestsPassUntouched() throws Exception {
        IngestGate gate = gate(1, 1, 60);
        Chain chain = new Chain();
        Ingest operator = new Ingest("Bearer alo_operator", "/v1/products/Backlog/events", "{}".getBytes(), 2,
                Arrival.ALL_AT_ONCE);
        HttpServletRequest request = operator.request();
        gate.doFilter(request, operator.response.proxy(), chain);
        assertSame(request, chain.requests.get(0), "not counted, not read ahead");
        assertFalse(operator.asyncStarted);

        Ingest search = new Ingest("Bearer alt_abc_secret", "/v1/orgs/ACME/events", new byte[0], -1, Arrival.NEVER);
        HttpServletRequest get = search.request();
        gate.doFilter(get, search.response.proxy(), chain);
        assertSame(get, chain.requests.get(1));
        assertFalse(search.asyncStarted);
        assertTrue(gate.idle("abc"));
    }
}
