package org.auditlog.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * HTTP/1.1 spoken over a plain socket, for what {@code java.net.http} will not send: a malformed request line,
 * an unknown version, oversize headers, a body that trickles in.
 */
final class RawHttp {
    /** An answer read off the socket: status, headers (lower-case names), body; {@code status} 0: none came. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            try {
                return Api.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} as is on a new connection and reads the answer (bounded wait). */
    static Answer exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return read(s.getInputStream());
        }
    }

    static Answer exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Reads one answer: the head, then {@code Content-Length} bytes of body (or up to the end of the stream).
     * A connection closed or reset before any byte is {@code status} 0.
     */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int last = 0; // the last four bytes read
            int b;
            while (last != 0x0d0a0d0a && (b = in.read()) >= 0) {
                head.write(b);
                last = (last << 8) | b;
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (head.size() == 0) {
                return new Answer(0, Map.of(), "closed: " + e);
            }
            throw e;
        }
        if (head.size() == 0) {
            return new Answer(0, Map.of(), "closed");
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + lines[0]);
        }
        int status = Integer.parseInt(statusLine[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        String length = headers.get("content-length");
        byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }
}
