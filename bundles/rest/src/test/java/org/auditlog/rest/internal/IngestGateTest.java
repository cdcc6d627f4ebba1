package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.FilterChain;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

class IngestGateTest {
    @Test
    void theKeyIsTheTokensPublicId() {
        assertEquals("94bea2d3e17fd5eb", IngestGate.tokenId("Bearer alt_94bea2d3e17fd5eb_s3cr3t"));
        assertEquals("abc", IngestGate.tokenId("  bearer   alt_abc_x "));
        assertNull(IngestGate.tokenId(null));
        assertNull(IngestGate.tokenId("Basic alt_abc_x"));
        assertNull(IngestGate.tokenId("Bearer alo_operator"));
        assertNull(IngestGate.tokenId("Bearer alt__x"));
        assertNull(IngestGate.tokenId("Bearer alt_" + "a".repeat(65) + "_x"));
    }

    @Test
    void theSeventeenthRequestOfATokenIs429AndTheCountsAreGoneAfterwards() throws Exception {
        IngestGate gate = new IngestGate(config(16));
        List<Integer> statuses = new ArrayList<>();
        // each request's chain sends the next one of the same token while it is still in flight
        int[] depth = {0};
        FilterChain[] chain = new FilterChain[1];
        chain[0] = (req, resp) -> {
            depth[0]++;
            Response r = new Response();
            gate.doFilter(request("Bearer alt_same_x"), r.proxy(), chain[0]);
            statuses.add(r.status);
        };
        Response first = new Response();
        gate.doFilter(request("Bearer alt_same_x"), first.proxy(), chain[0]);
        assertEquals(16, depth[0], "16 requests of the token reached the chain");
        assertEquals(List.of(429, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200), statuses);
        assertEquals("1", lastRetryAfter);
        assertTrue(gate.idle("same"), "no count is left for the token");

        // many made-up ids leave nothing behind
        for (int i = 0; i < 1000; i++) {
            gate.doFilter(request("Bearer alt_madeup" + i + "_x"), new Response().proxy(), (q, s) -> { });
            assertTrue(gate.idle("madeup" + i));
        }
        gate.stop();
    }

    static String lastRetryAfter;

    private static ApiServlet.Config config(int perToken) {
        return (ApiServlet.Config) Proxy.newProxyInstance(IngestGateTest.class.getClassLoader(),
                new Class<?>[] {ApiServlet.Config.class}, (p, m, a) -> switch (m.getName()) {
                    case "maxConcurrentRequestsPerToken" -> perToken;
                    case "maxBodyBytes" -> 1024 * 1024;
                    case "bodyTimeoutSeconds" -> 60;
                    case "maxConcurrentIngest" -> 48;
                    case "minRequestDataRate" -> 512L;
                    default -> m.getDefaultValue();
                });
    }

    private static HttpServletRequest request(String authorization) {
        return (HttpServletRequest) Proxy.newProxyInstance(IngestGateTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getHeader" -> "Authorization".equals(a[0]) ? authorization : null;
                    case "getMethod" -> "GET";
                    case "getPathInfo" -> "/v1/products";
                    case "isAsyncSupported" -> false;
                    case "getContentLengthLong" -> -1L;
                    default -> null;
                });
    }

    /** Records status and headers; the body goes nowhere. */
    private static final class Response {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();

        HttpServletResponse proxy() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public void write(int b) {
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }
            };
            return (HttpServletResponse) Proxy.newProxyInstance(IngestGateTest.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                        switch (m.getName()) {
                            case "setStatus" -> status = (Integer) a[0];
                            case "setHeader" -> {
                                headers.put((String) a[0], (String) a[1]);
                                if ("Retry-After".equals(a[0])) {
                                    lastRetryAfter = (String) a[1];
                                }
                            }
                            case "getOutputStream" -> {
                                return out;
                            }
                            case "isCommitted" -> {
                                return false;
                            }
                            default -> {
                            }
                        }
                        return null;
                    });
        }
    }
}
