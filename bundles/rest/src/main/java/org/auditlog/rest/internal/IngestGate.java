package org.auditlog.rest.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ReadListener;
import javax.servlet.ServletException;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of the API: bounds what one client, and slow clients together, can hold of the server.
 *
 * <ul>
 * <li>At most {@code maxConcurrentRequestsPerToken} requests of one bearer token are in flight; the next is
 * answered 429 {@code too_many_requests} with {@code Retry-After: 1}. The token is not verified here (the API's
 * AuthFilter does that, once): its public id, {@code alt_<id>_<secret>}, is the key. An entry lives only while
 * a request of its key is in flight, so made-up tokens leave nothing behind.</li>
 * <li>An ingest body is read without a thread: asynchronously ({@link ReadListener}), up to {@code maxBodyBytes}
 * (beyond: 413 {@code payload_too_large}), within {@code bodyTimeoutSeconds} (else 408 {@code request_timeout});
 * Jetty's minimum data rate and idle timeout end a trickling body sooner, also as 408. Only once the whole body
 * is in does the request take a thread, with the body from memory.</li>
 * <li>At most {@code maxConcurrentIngest} ingest requests are processed at once, so that ingest cannot take the
 * whole thread pool from {@code /health} and the other requests; the next is answered 503 {@code server_busy}
 * with {@code Retry-After: 1}.</li>
 * </ul>
 */
@Component(service = Filter.class, configurationPid = ApiServlet.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=/api/*",
                HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME + "=auditlog-ingest-gate",
                HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_ASYNC_SUPPORTED + ":Boolean=true"})
public class IngestGate implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(IngestGate.class);
    private static final String TOKEN_PREFIX = "alt_";

    private final int maxBodyBytes;
    private final long bodyTimeoutMillis;
    private final int maxPerToken;
    private final Semaphore processing;
    private final int maxProcessing;
    /** Requests in flight per token id; an entry is removed when its count returns to 0. */
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    @Activate
    public IngestGate(ApiServlet.Config config) {
        this.maxBodyBytes = config.maxBodyBytes();
        this.bodyTimeoutMillis = TimeUnit.SECONDS.toMillis(Math.max(1, config.bodyTimeoutSeconds()));
        this.maxPerToken = Math.max(1, config.maxConcurrentRequestsPerToken());
        this.maxProcessing = Math.max(1, config.maxConcurrentIngest());
        this.processing = new Semaphore(maxProcessing);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "auditlog-ingest-body-timeout");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void stop() {
        timer.shutdownNow();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        String key = tokenId(req.getHeader("Authorization"));
        if (key == null) {
            chain.doFilter(request, response); // no stored token: the API answers 401 or 403 without the body
            return;
        }
        if (!acquire(key)) {
            HttpErrors.write(resp, 429, new ErrorBody("too_many_requests", "Authorization", "this token has "
                    + maxPerToken + " requests in flight already; wait for one to finish"), "Retry-After", "1");
            return;
        }
        Permit permit = new Permit(key);
        try {
            if (!isIngestWithBody(req) || !req.isAsyncSupported()) {
                chain.doFilter(request, response);
                return;
            }
            long declared = req.getContentLengthLong();
            if (declared > IngestResource.DRAIN_LIMIT) {
                write(resp, tooLarge(), "Connection", "close");
                return;
            }
            AsyncContext async = req.startAsync(req, resp);
            async.setTimeout(0); // the body's deadline is kept here; processing has none (as without async)
            BodyReader reader = new BodyReader(async, req, resp, chain, permit, declared);
            async.addListener(reader);
            reader.start();
            permit = null; // released when the async request completes
        } finally {
            if (permit != null) {
                permit.release();
            }
        }
    }

    /** {@code POST .../v1/products/{product}/events} with a body (a length over 0, or chunked). */
    private static boolean isIngestWithBody(HttpServletRequest req) {
        if (!"POST".equals(req.getMethod())) {
            return false;
        }
        String path = req.getPathInfo();
        if (path == null) {
            return false;
        }
        String[] s = path.split("/", -1);
        boolean ingest = s.length == 5 && s[0].isEmpty() && "v1".equals(s[1]) && "products".equals(s[2])
                && !s[3].isEmpty() && "events".equals(s[4]);
        return ingest && (req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null);
    }

    /** The public id of a bearer token {@code alt_<id>_<secret>}, or null when the header holds no such token. */
    static String tokenId(String authorization) {
        if (authorization == null) {
            return null;
        }
        String h = authorization.strip();
        if (!h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = h.substring(7).strip();
        if (!t.startsWith(TOKEN_PREFIX)) {
            return null;
        }
        int end = t.indexOf('_', TOKEN_PREFIX.length());
        if (end <= TOKEN_PREFIX.length() || end - TOKEN_PREFIX.length() > 64) {
            return null;
        }
        return t.substring(TOKEN_PREFIX.length(), end);
    }

    private boolean acquire(String key) {
        boolean[] taken = {false};
        inFlight.compute(key, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerToken) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0];
    }

    /** Whether no request of this token id is in flight (no entry is kept for it). */
    boolean idle(String key) {
        return !inFlight.containsKey(key);
    }

    /** A request's place in its token's count, given back exactly once. */
    private final class Permit {
        private final String key;
        private final AtomicBoolean released = new AtomicBoolean();

        Permit(String key) {
            this.key = key;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                inFlight.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", null, "the body is larger than " + maxBodyBytes + " bytes");
    }

    private static void write(HttpServletResponse resp, ApiException e, String... headers) throws IOException {
        HttpErrors.write(resp, e.status(), e.body(), headers);
    }

    /**
     * Reads one body as it arrives, then hands the request on with the body in memory. Whichever comes first
     * of the whole body, a refusal (too large), a failed read (Jetty's data rate or idle timeout, the client
     * gone) and the deadline decides the answer; the others then do nothing.
     */
    private final class BodyReader implements ReadListener, AsyncListener {
        private static final int READING = 0;
        private static final int DONE = 1;

        private final AsyncContext async;
        private final HttpServletRequest req;
        private final HttpServletResponse resp;
        private final FilterChain chain;
        private final Permit permit;
        private final AtomicInteger state = new AtomicInteger(READING);
        private final ByteArrayOutputStream body;
        private final byte[] chunk = new byte[8192];
        private ServletInputStream in;
        private volatile ScheduledFuture<?> deadline;
        /**
         * Bytes read and dropped after the body passed {@code maxBodyBytes}, or -1 while it has not. An oversize
         * body is read to its end (up to {@link IngestResource#DRAIN_LIMIT}) before the 413 goes out, so that a
         * client still sending it receives the answer instead of a connection reset, and the connection stays
         * usable; a body larger than that is cut off and the connection closed.
         */
        private long dropped = -1;

        BodyReader(AsyncContext async, HttpServletRequest req, HttpServletResponse resp, FilterChain chain,
                Permit permit, long declared) {
            this.async = async;
            this.req = req;
            this.resp = resp;
            this.chain = chain;
            this.permit = permit;
            // grows as the body arrives: a declared length alone reserves at most 64 KiB
            this.body = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 8192), 64 * 1024));
        }

        void start() throws IOException {
            deadline = timer.schedule(this::timedOut, bodyTimeoutMillis, TimeUnit.MILLISECONDS);
            in = req.getInputStream();
            in.setReadListener(this);
        }

        private boolean finish() {
            if (!state.compareAndSet(READING, DONE)) {
                return false;
            }
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            return true;
        }

        @Override
        public void onDataAvailable() {
            try {
                while (state.get() == READING && in.isReady()) {
                    int n = in.read(chunk);
                    if (n < 0) {
                        return; // onAllDataRead follows
                    }
                    if (dropped >= 0 || body.size() + n > maxBodyBytes) {
                        dropped = Math.max(dropped, 0) + n;
                        if (dropped > IngestResource.DRAIN_LIMIT) {
                            refuse(tooLarge());
                            return;
                        }
                        continue;
                    }
                    body.write(chunk, 0, n);
                }
            } catch (IOException | RuntimeException e) {
                onError(e);
            }
        }

        @Override
        public void onAllDataRead() {
            if (!finish()) {
                return;
            }
            if (dropped >= 0) {
                answer(tooLarge());
                return;
            }
            byte[] bytes = body.toByteArray();
            async.start(() -> process(bytes));
        }

        private void process(byte[] bytes) {
            if (!processing.tryAcquire()) {
                answer(new ApiException(503, "server_busy", null, "the server is processing " + maxProcessing
                        + " ingest requests already; retry shortly"), "Retry-After", "1");
                return;
            }
            try {
                chain.doFilter(new BufferedRequest(req, bytes), resp);
            } catch (IOException | ServletException | RuntimeException e) {
                ErrorBody body = ErrorMappers.internalError(LOG, "Ingest request failed", e);
                answer(new ApiException(500, body.error(), null, body.detail()));
                return;
            } finally {
                processing.release();
            }
            complete();
        }

        @Override
        public void onError(Throwable t) {
            if (!finish()) {
                return;
            }
            // Jetty fails the read when the body arrives slower than its minimum data rate or stops for the idle
            // timeout; any other failure is most likely the client gone, and the answer is lost either way.
            LOG.debug("Ingest body not read: {}", t.toString());
            answer(new ApiException(408, "request_timeout", null, "the body did not arrive in time (slower than "
                    + "the server accepts, or stalled): " + t.getMessage()), "Connection", "close");
        }

        private void timedOut() {
            if (!finish()) {
                return;
            }
            answer(new ApiException(408, "request_timeout", null, "the body did not arrive in full within "
                    + bodyTimeoutMillis / 1000 + " s"), "Connection", "close");
        }

        private void refuse(ApiException e) {
            if (finish()) {
                answer(e, "Connection", "close");
            }
        }

        private void answer(ApiException e, String... headers) {
            try {
                write(resp, e, headers);
            } catch (IOException | RuntimeException x) {
                LOG.debug("Answer {} not sent: {}", e.status(), x.toString());
            }
            complete();
        }

        private void complete() {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // completed already (the container ended the request)
            }
            permit.release();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            permit.release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // no container timeout is set (setTimeout(0)); the body's deadline is timedOut()
        }

        @Override
        public void onError(AsyncEvent event) {
            if (finish()) {
                complete();
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
