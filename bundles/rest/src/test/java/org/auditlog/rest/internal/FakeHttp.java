package org.auditlog.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Servlet requests and responses with only what the REST bundle reads or writes; anything else throws. A
 * {@link Response} keeps status, headers and body as the client would receive them.
 */
final class FakeHttp {
    private FakeHttp() {}

    /** A request from {@code remoteAddr}, over https or not. */
    static HttpServletRequest request(String remoteAddr, boolean secure) {
        return request("GET", remoteAddr, secure, Map.of());
    }

    static HttpServletRequest request(
            String method, String remoteAddr, boolean secure, Map<String, Object> attributes) {
        return (HttpServletRequest) Proxy.newProxyInstance(
                FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getRemoteAddr" -> remoteAddr;
                    case "isSecure" -> secure;
                    case "getMethod" -> method;
                    case "getAttribute" -> attributes.get((String) a[0]);
                    case "toString" -> "FakeHttp.request";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** What a servlet answered. */
    static final class Response {
        int status = 200;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String contentType;
        String characterEncoding;
        long contentLength = -1;
        boolean committed;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final Map<String, Integer> calls = new HashMap<>();

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        JsonNode json() throws java.io.IOException {
            return Json.MAPPER.readTree(body.toByteArray());
        }

        int calls(String method) {
            return calls.getOrDefault(method, 0);
        }

        HttpServletResponse proxy() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
            return (HttpServletResponse) Proxy.newProxyInstance(
                    FakeHttp.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                        calls.merge(m.getName(), 1, Integer::sum);
                        switch (m.getName()) {
                            case "setStatus" -> status = (Integer) a[0];
                            case "getStatus" -> {
                                return status;
                            }
                            case "setHeader" -> headers.put((String) a[0], (String) a[1]);
                            case "getHeader" -> {
                                return headers.get((String) a[0]);
                            }
                            case "setContentType" -> contentType = (String) a[0];
                            case "setCharacterEncoding" -> characterEncoding = (String) a[0];
                            case "setContentLength" -> contentLength = (Integer) a[0];
                            case "isCommitted" -> {
                                return committed;
                            }
                            case "resetBuffer" -> body.reset();
                            case "getOutputStream" -> {
                                return out;
                            }
                            case "toString" -> {
                                return "FakeHttp.Response";
                            }
                            default -> throw new UnsupportedOperationException(m.getName());
                        }
                        return null;
                    });
        }
    }
}
