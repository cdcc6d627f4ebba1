package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

/** An ingest body read ahead by the gate, served to Jersey from memory. */
class BufferedRequestTest {
    static HttpServletRequest original(String encoding) {
        return (HttpServletRequest) Proxy.newProxyInstance(
                BufferedRequestTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getCharacterEncoding" -> encoding;
                    case "getContentLength" -> -1;
                    case "getContentLengthLong" -> -1L;
                    case "getMethod" -> "POST";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void theBodyAndItsLengthComeFromMemory() throws IOException {
        byte[] body = "{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8);
        BufferedRequest r = new BufferedRequest(original(null), body);
        assertEquals(body.length, r.getContentLength());
        assertEquals(body.length, r.getContentLengthLong());
        assertEquals("POST", r.getMethod(), "everything else is the original request's");
        ServletInputStream in = r.getInputStream();
        assertTrue(in.isReady());
        assertFalse(in.isFinished());
        assertEquals(new String(body, StandardCharsets.UTF_8), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(in.isFinished());
    }

    @Test
    void theReaderUsesTheRequestsCharsetOrUtf8() throws IOException {
        assertEquals(
                "{\"a\":\"é\"}",
                new BufferedRequest(original(null), "{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8))
                        .getReader()
                        .readLine());
        assertEquals(
                "é",
                new BufferedRequest(original("ISO-8859-1"), "é".getBytes(StandardCharsets.ISO_8859_1))
                        .getReader()
                        .readLine());
    }

    @Test
    void anAsyncReaderIsToldAtOnceThatAllDataIsThere() throws IOException {
        BufferedRequest r = new BufferedRequest(original(null), "{}".getBytes(StandardCharsets.UTF_8));
        List<String> events = new ArrayList<>();
        r.getInputStream().setReadListener(new ReadListener() {
            @Override
            public void onDataAvailable() {
                events.add("data");
            }

            @Override
            public void onAllDataRead() {
                events.add("all");
            }

            @Override
            public void onError(Throwable t) {
                events.add("error");
            }
        });
        assertEquals(List.of("data", "all"), events);
    }
}
