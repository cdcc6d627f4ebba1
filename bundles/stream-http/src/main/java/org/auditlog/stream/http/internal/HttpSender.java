package org.auditlog.stream.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * POSTs over Apache HttpClient 5 (classic, blocking), to one address the caller chose, and returns the answer's
 * status, the headers the outcome depends on and its body (a Splunk HTTP Event Collector says in it how the request
 * went and which acknowledgement to wait for). Each HTTP destination bundle holds its own copy of this class (bnd
 * copies this package into it), so each has its own pool of connections.
 *
 * <p>The target of every request carries the address the {@link org.auditlog.api.stream.NetworkGuard} returned for
 * this attempt and the URL's host name: the connection goes to that address, TLS sends the name as SNI and checks
 * the certificate against it, and the {@code Host} header names it. The client's own resolver refuses every name,
 * so no connection is ever made to an address the guard did not return. A pooled connection is reused only for the
 * same scheme, name, address and port (the route) and the same trust material (the pool's state).
 *
 * <p>Bounds: 64 connections, 8 per route; a connection lives at most a minute and is closed after 30 s idle; the
 * answer's status line and headers at most 8 KiB a line and 100 headers; at most {@value #MAX_RESPONSE_BODY} bytes
 * of the answer's body are read (more, and the connection is closed instead, the body kept cut); no redirect is
 * followed, nothing is retried, no cookie is kept, no proxy is used. The whole exchange ends by the deadline given:
 * past it, the request is cancelled and its connection closed.
 */
public final class HttpSender implements AutoCloseable {
    static final int MAX_RESPONSE_BODY = 64 * 1024;
    static final int MAX_CONNECTIONS = 64;
    static final int MAX_CONNECTIONS_PER_ROUTE = 8;

    /** The context attribute naming the {@link Trust} of a request. */
    private static final String TRUST = Trust.class.getName();

    private static final ContentType JSON = ContentType.create("application/json");

    /** The client resolves nothing itself: every target carries its guarded address. */
    private static final DnsResolver NO_RESOLUTION = new DnsResolver() {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            throw new UnknownHostException(host + " was not resolved through the network guard");
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            throw new UnknownHostException(host + " was not resolved through the network guard");
        }
    };

    /** The TLS strategy of the request's trust material. */
    private static final TlsSocketStrategy BY_TRUST = new TlsSocketStrategy() {
        @Override
        public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
                throws IOException {
            Object trust = context == null ? null : context.getAttribute(TRUST);
            if (!(trust instanceof Trust t)) {
                throw new SSLException("no trust material for " + target);
            }
            return t.tls().upgrade(socket, target, port, attachment, context);
        }
    };

    /**
     * What the receiver answered.
     *
     * @param body the answer's body, at most {@value #MAX_RESPONSE_BODY} bytes of it
     */
    public record Answer(int status, String retryAfter, String location, byte[] body) {}

    /** The attempt's deadline passed before the receiver answered. */
    public static final class DeadlineException extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        DeadlineException() {
            super("no answer within the attempt's time");
        }
    }

    private final PoolingHttpClientConnectionManager connections;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A sender with its own pool of connections and its own deadline thread.
     *
     * @param userAgent the {@code User-Agent} of every request, such as {@code Auditlog-Webhook/1.0}
     * @param threadName the name of the daemon thread that cancels the exchanges past their deadline
     */
    public HttpSender(String userAgent, String threadName) {
        connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(NO_RESOLUTION)
                .setTlsSocketStrategy(BY_TRUST)
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS_PER_ROUTE)
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom()
                                .setMaxLineLength(8 * 1024)
                                .setMaxHeaderCount(100)
                                .build())
                        .build())
                .setDefaultSocketConfig(SocketConfig.custom()
                        .setSoTimeout(Timeout.ofSeconds(30))
                        .build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(30))
                        .setSocketTimeout(Timeout.ofSeconds(30))
                        .setTimeToLive(TimeValue.ofMinutes(1))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
        client = HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent(userAgent)
                .evictExpiredConnections()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        deadlines = timer;
    }

    /**
     * POSTs {@code body} (JSON) to {@code url} over a connection to {@code address}.
     *
     * @param trust the trust material of an https URL
     * @param headers the request's headers, as objects: a secret's header logs without its value
     * @param deadline {@link System#nanoTime()} by which the exchange ends
     * @throws DeadlineException when the deadline passed before an answer
     * @throws IOException when the connection or the exchange failed
     */
    @SuppressWarnings("deprecation") // the per-request connect timeout: still honoured, the only one per request
    public Answer post(
            URI url,
            String host,
            int port,
            InetAddress address,
            Trust trust,
            List<Header> headers,
            byte[] body,
            long deadline)
            throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new DeadlineException();
        }
        Timeout timeout = Timeout.of(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)), TimeUnit.MILLISECONDS);
        HttpHost target = new HttpHost(url.getScheme().toLowerCase(java.util.Locale.ROOT), address, host, port);
        HttpPost post = new HttpPost(url);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, JSON));
        post.setConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(timeout)
                .setConnectTimeout(timeout)
                .setResponseTimeout(timeout)
                .setRedirectsEnabled(false)
                .setExpectContinueEnabled(false)
                .setProtocolUpgradeEnabled(false)
                .setAuthenticationEnabled(false)
                .build());
        HttpClientContext context = HttpClientContext.create();
        context.setAttribute(TRUST, trust);
        context.setUserToken(trust.key());

        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> timer = deadlines.schedule(
                () -> {
                    expired.set(true);
                    post.cancel();
                },
                remaining,
                TimeUnit.NANOSECONDS);
        ClassicHttpResponse response = null;
        try {
            response = client.executeOpen(target, post, context);
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            if (!read(response.getEntity(), read)) {
                post.cancel(); // closes the connection: the rest of the body is not read
            }
            return new Answer(
                    response.getCode(),
                    header(response, "Retry-After"),
                    header(response, "Location"),
                    read.toByteArray());
        } catch (IOException | RuntimeException e) {
            if (expired.get()) {
                DeadlineException d = new DeadlineException();
                d.initCause(e);
                throw d;
            }
            throw e;
        } finally {
            timer.cancel(false);
            if (response != null) {
                try {
                    response.close();
                } catch (IOException | RuntimeException e) {
                    // the answer is known; the connection is gone
                }
            }
        }
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header h = response.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    /**
     * Reads the answer's body into {@code out}, to its end when it has at most {@value #MAX_RESPONSE_BODY} bytes,
     * which gives the connection back to the pool; says whether it did. A longer body is kept cut.
     */
    private static boolean read(HttpEntity entity, ByteArrayOutputStream out) {
        if (entity == null) {
            return true;
        }
        try {
            InputStream in = entity.getContent();
            if (in == null) {
                return true;
            }
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                int room = MAX_RESPONSE_BODY - out.size();
                if (n > room) {
                    out.write(buffer, 0, room);
                    return false;
                }
                out.write(buffer, 0, n);
            }
            in.close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        deadlines.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
        connections.close(CloseMode.IMMEDIATE);
    }
}
