package org.auditlog.stream.webhook.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A receiver on the loopback address (the JDK's HTTP server, over TLS or not): it records every request and
 * answers each with the next reply queued, or 200 when none is.
 */
final class Receiver implements AutoCloseable {
    /** A request as it arrived: header names in lower case. */
    record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }
    }

    /** An answer: a status, headers and a body; {@code delay} before it; {@code unending}: a body that does not end. */
    record Reply(int status, Map<String, String> headers, byte[] body, Duration delay, boolean unending) {
        static Reply status(int status) {
            return new Reply(status, Map.of(), new byte[0], Duration.ZERO, false);
        }

        Reply header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, body, delay, unending);
        }

        Reply body(byte[] b) {
            return new Reply(status, headers, b, delay, unending);
        }

        Reply after(Duration d) {
            return new Reply(status, headers, body, d, unending);
        }

        Reply endless() {
            return new Reply(status, headers, body, delay, true);
        }
    }

    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedDeque<Reply> replies = new ConcurrentLinkedDeque<>();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    private Receiver(HttpServer server) {
        this.server = server;
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    static Receiver https(SSLContext tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new Receiver(s);
    }

    static Receiver plain() throws IOException {
        return new Receiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16));
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Queues replies, answered in this order. */
    Receiver reply(Reply... r) {
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

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            byte[] body = x.getRequestBody().readAllBytes();
            requests.add(new Request(x.getRequestMethod(), x.getRequestURI().getRawPath(), headers, body));
            Reply reply = replies.poll();
            if (reply == null) {
                reply = Reply.status(200);
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
            if (reply.unending()) {
                x.sendResponseHeaders(reply.status(), 0);
                byte[] chunk = new byte[16 * 1024];
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                try (OutputStream out = x.getResponseBody()) {
                    while (System.nanoTime() < until) {
                        out.write(chunk);
                    }
                } catch (IOException closedByTheClient) {
                    // expected: the client stops reading
                }
                return;
            }
            x.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
