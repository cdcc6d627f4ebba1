package org.auditlog.itests;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.auditlog.itests.contract.Contract;

/**
 * HTTP/1.1 spoken over a plain socket, for what {@code java.net.http} will not send: a malformed request line,
 * an unknown version, oversize headers, a body that trickles in. Such requests are wrong on purpose, so only their
 * answers are checked against the OpenAPI document ({@link Contract}): a documented status of the operation the
 * request line names, or else an error body.
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

    private RawHttp() {}

    /** Sends {@code request} as is on a new connection and reads the answer (bounded wait). */
    static Answer exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            Answer answer = read(s.getInputStream());
            check(request, answer);
            return answer;
        }
    }

    /** Checks an answer against the document, for the operation the request line names (if any). */
    private static void check(byte[] request, Answer answer) {
        if (answer.status() == 0) {
            return; // no answer: the connection was closed
        }
        String line =
                new String(request, 0, Math.min(request.length, 8192), StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
        String[] parts = line.split(" ");
        String method = parts.length == 3 ? parts[0] : "GET";
        URI uri;
        try {
            uri = URI.create(parts.length == 3 ? parts[1] : "/");
        } catch (IllegalArgumentException e) {
            uri = URI.create("/");
        }
        int headEnd = new String(request, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        if (parts.length != 3 || !parts[2].matches("HTTP/1\\.[01]") || headEnd > 16 * 1024) {
            // no request line, another HTTP version, headers over Jetty's bound: refused before any operation
            method = "BAD";
        }
        Contract.require(
                Contract.get().checkAnswer(method, uri, answer.status(), answer::header, answer.body()),
                "the answer " + answer.status() + " to " + line);
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
                headers.put(
                        lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        String length = headers.get("content-length");
        byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }
}
