package org.auditlog.stream.splunk.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * An HTTP Event Collector written from Splunk's documentation of its protocol (no Splunk runs here), on the loopback
 * address, over TLS or not.
 *
 * <p>{@code POST /services/collector/event}: the token in {@code Authorization: Splunk <token>} (none: 401 code 2;
 * another scheme: 401 code 3; an unknown token: 403 code 4); with acknowledgement on, a channel in
 * {@code X-Splunk-Request-Channel} (none: 400 code 10; not a GUID: 400 code 11); a body of JSON event objects one
 * after the other (none: 400 code 5; unreadable: 400 code 6 with {@code invalid-event-number}; an object without
 * {@code event}: 400 code 12; a {@code time} that is not a number or {@code fields} that are not a flat object of
 * strings or arrays of strings: 400 code 15). It keeps the events and answers {@code {"text":"Success","code":0}},
 * with {@code "ackId":N} (per channel, from 0) when acknowledgement is on.
 *
 * <p>{@code POST /services/collector/ack?channel=<channel>} with {@code {"acks":[N,…]}}: {@code {"acks":{"N":true}}}
 * once the events of N are "indexed" (after {@link #ackAfterQueries} queries answered false; never when it
 * {@link #loseAcks}), an id reported true once only, as Splunk does; acknowledgement off (or {@link
 * #ackQueriesRefused}): 400 code 14.
 *
 * <p>Replies queued with {@link #reply} answer the next event requests instead (503 with Retry-After, 429, …).
 * Any other path: 404.
 */
final class Hec implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A request as it arrived: header names in lower case. */
    record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean isAck() {
            return path.equals("/services/collector/ack");
        }
    }

    /** An answer queued for the next event request, given after {@code delay}. */
    record Reply(int status, Map<String, String> headers, String body, Duration delay) {
        static Reply of(int status, String body) {
            return new Reply(status, Map.of(), body, Duration.ZERO);
        }

        Reply header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, body, delay);
        }

        Reply after(Duration d) {
            return new Reply(status, headers, body, d);
        }
    }

    final String token;
    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    /** Every request, in order. */
    final List<Request> seen = new CopyOnWriteArrayList<>();
    /** The events it took, in order. */
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    /** The ids it acknowledged (answered true for). */
    final List<Long> acknowledged = new CopyOnWriteArrayList<>();

    volatile boolean ackEnabled = true;
    /** The token's acknowledgement turned off after the events were taken: queries answer code 14. */
    volatile boolean ackQueriesRefused;

    volatile boolean loseAcks;
    volatile int ackAfterQueries;

    private final Map<String, AtomicLong> nextAckId = new ConcurrentHashMap<>();
    /** Per channel and ackId, the queries still to answer false. */
    private final Map<String, Integer> pending = new ConcurrentHashMap<>();

    private final ConcurrentLinkedDeque<Reply> replies = new ConcurrentLinkedDeque<>();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    private Hec(HttpServer server, String token) {
        this.server = server;
        this.token = token;
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    static Hec https(SSLContext tls, String token) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new Hec(s, token);
    }

    static Hec plain(String token) throws IOException {
        return new Hec(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16), token);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Queues replies to the next event requests, in this order. */
    Hec reply(Reply... r) {
        replies.addAll(List.of(r));
        return this;
    }

    /** The next request, waiting a little for it. */
    Request next() throws InterruptedException {
        Request r = requests.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request arrived");
        }
        return r;
    }

    List<Request> ackQueries() {
        return seen.stream().filter(Request::isAck).toList();
    }

    List<Request> eventRequests() {
        return seen.stream().filter(r -> !r.isAck()).toList();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            byte[] body = x.getRequestBody().readAllBytes();
            Request r = new Request(
                    x.getRequestMethod(),
                    x.getRequestURI().getRawPath(),
                    x.getRequestURI().getRawQuery(),
                    headers,
                    body);
            seen.add(r);
            requests.add(r);
            Reply reply;
            if (!r.method().equals("POST")) {
                reply = Reply.of(405, "{\"text\":\"Method not allowed\",\"code\":404}");
            } else if (r.path().equals("/services/collector/event")) {
                Reply queued = replies.poll();
                reply = queued != null ? queued : events(r);
            } else if (r.isAck()) {
                reply = acks(r);
            } else {
                reply = Reply.of(404, "{\"text\":\"The requested URL was not found on this server.\",\"code\":404}");
            }
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            reply.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
            x.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream o = x.getResponseBody()) {
                    o.write(out);
                }
            }
        }
    }

    private static Reply hec(int status, int code, String text) {
        return Reply.of(status, "{\"text\":\"" + text + "\",\"code\":" + code + "}");
    }

    /** The token's check: null when it passes. */
    private Reply authorization(Request r) {
        String auth = r.header("Authorization");
        if (auth == null) {
            return hec(401, 2, "Token is required");
        }
        if (!auth.startsWith("Splunk ")) {
            return hec(401, 3, "Invalid authorization");
        }
        if (!auth.substring("Splunk ".length()).equals(token)) {
            return hec(403, 4, "Invalid token");
        }
        return null;
    }

    private Reply events(Request r) {
        Reply refused = authorization(r);
        if (refused != null) {
            return refused;
        }
        String channel = r.header("X-Splunk-Request-Channel");
        if (ackEnabled) {
            if (channel == null) {
                return hec(400, 10, "Data channel is missing");
            }
            try {
                UUID.fromString(channel);
            } catch (IllegalArgumentException e) {
                return hec(400, 11, "Invalid data channel");
            }
        }
        List<JsonNode> read = new ArrayList<>();
        int n = 0;
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(r.body())) {
            while (it.hasNextValue()) {
                JsonNode e = it.nextValue();
                if (!e.isObject()) {
                    return invalid(6, "Invalid data format", n);
                }
                if (!e.has("event")) {
                    return invalid(12, "Event field is required", n);
                }
                if (e.has("time") && !e.get("time").isNumber()) {
                    return invalid(15, "Error in handling indexed fields", n);
                }
                if (e.has("fields") && !flatStrings(e.get("fields"))) {
                    return invalid(15, "Error in handling indexed fields", n);
                }
                read.add(e);
                n++;
            }
        } catch (IOException | RuntimeException e) {
            return invalid(6, "Invalid data format", n);
        }
        if (read.isEmpty()) {
            return hec(400, 5, "No data");
        }
        events.addAll(read);
        if (!ackEnabled) {
            return hec(200, 0, "Success");
        }
        long id = nextAckId.computeIfAbsent(channel, c -> new AtomicLong()).getAndIncrement();
        pending.put(channel + "/" + id, ackAfterQueries);
        return Reply.of(200, "{\"text\":\"Success\",\"code\":0,\"ackId\":" + id + "}");
    }

    private static boolean flatStrings(JsonNode fields) {
        if (!fields.isObject()) {
            return false;
        }
        for (Iterator<JsonNode> values = fields.elements(); values.hasNext(); ) {
            JsonNode v = values.next();
            if (v.isArray()) {
                for (JsonNode item : v) {
                    if (!item.isTextual()) {
                        return false;
                    }
                }
            } else if (!v.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static Reply invalid(int code, String text, int event) {
        return Reply.of(
                400, "{\"text\":\"" + text + "\",\"code\":" + code + ",\"invalid-event-number\":" + event + "}");
    }

    private Reply acks(Request r) {
        Reply refused = authorization(r);
        if (refused != null) {
            return refused;
        }
        if (!ackEnabled || ackQueriesRefused) {
            return hec(400, 14, "ACK is disabled");
        }
        String channel = query(r.query(), "channel");
        if (channel == null) {
            channel = r.header("X-Splunk-Request-Channel");
        }
        if (channel == null) {
            return hec(400, 10, "Data channel is missing");
        }
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode acks = answer.putObject("acks");
        try {
            for (JsonNode id : JSON.readTree(r.body()).get("acks")) {
                String key = channel + "/" + id.asLong();
                Integer left = pending.get(key);
                boolean indexed = left != null && left <= 0 && !loseAcks;
                if (left != null && left > 0) {
                    pending.put(key, left - 1);
                }
                if (indexed) {
                    pending.remove(key);
                    acknowledged.add(id.asLong());
                }
                acks.put(id.asText(), indexed);
            }
        } catch (IOException | RuntimeException e) {
            return hec(400, 6, "Invalid data format");
        }
        try {
            return Reply.of(200, JSON.writeValueAsString(answer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String query(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
