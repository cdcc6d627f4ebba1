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
import java.util.concurrent.atomic.AtomicLong;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ReadListener;
import javax.servlet.ServletException;
import javax.servlet.ServletInputStream;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of every API request, before its body is read: who is asking, how much of the server it may hold,
 * and how large its body may be.
 *
 * <ol>
 * <li><b>Who.</b> The credentials are checked first ({@link Authenticator}): an unknown, revoked or wrong token,
 * or an ended session, is answered 401 at once and its body never read. Only the methods whose {@link Access} is
 * {@link Access.Who#ANYONE ANYONE} (the sign-in, the public keys) are served without credentials; the gate finds a
 * request's method in {@link Routes}, built from the resources' own annotations. Any other anonymous request
 * goes on with no body to the API, which answers 401.</li>
 * <li><b>How many at once.</b> At most {@code maxConcurrentRequestsPerToken} requests of one verified caller
 * (a stored token, the member token of a session, the operator token) are in flight, answers included; the next
 * is 429 {@code too_many_requests}. Anonymous requests share {@code maxConcurrentAnonymousRequests} (503
 * {@code server_busy}). A made-up token never gets here, so it holds nobody's permits.</li>
 * <li><b>How large.</b> A body is bounded before it is read: {@code maxBodyBytes} for ingest, the method's own
 * limit where its resource reads the body as it streams ({@link Access#streamedBody()}: bundle uploads),
 * {@code maxAnonymousBodyBytes} without credentials and {@code maxControlBodyBytes} for any other call. A declared length over the bound is 413 {@code body_too_large} naming the bound; a chunked body is
 * cut at the bound with the same answer.</li>
 * <li><b>Without a thread.</b> A body (but a bundle's, which the operator alone sends and which is read by
 * its resource) is read asynchronously ({@link ReadListener}) within {@code bodyTimeoutSeconds}
 * ({@code anonymousBodyTimeoutSeconds} without credentials; else 408 {@code request_timeout}), and counted
 * against {@code maxBufferedBytes}, the bytes of bodies held in memory server-wide (beyond: 503
 * {@code server_busy}). Only once the whole body is in does the request take a thread.</li>
 * <li><b>Ingest's share.</b> At most {@code maxConcurrentIngest} ingest requests are processed at once, so
 * that ingest cannot take the whole thread pool from {@code /health} and the other requests (503
 * {@code server_busy}).</li>
 * </ol>
 */
final class RequestGate {
    private static final Logger LOG = LoggerFactory.getLogger(RequestGate.class);

    /** How much of an oversize body is read and dropped before the 413 goes out (a larger one is cut off). */
    static final long DRAIN_LIMIT = 8L * 1024 * 1024;

    /** The rest of the request's way: the API itself. */
    @FunctionalInterface
    interface Next {
        void handle(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException;
    }

    private final Authenticator authenticator;
    private final long maxIngestBody;
    private final long maxControlBody;
    private final long maxAnonymousBody;
    private final Routes routes;
    private final long bodyTimeoutMillis;
    private final long anonymousBodyTimeoutMillis;
    private final int maxPerCaller;
    private final Semaphore anonymous;
    private final int maxAnonymous;
    private final Semaphore processing;
    private final int maxProcessing;
    private final long maxBuffered;
    private final AtomicLong buffered = new AtomicLong();
    /** Requests in flight per verified caller; an entry is removed when its count returns to 0. */
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    RequestGate(RestConfig config, Authenticator authenticator, Routes routes) {
        this.authenticator = authenticator;
        this.routes = routes;
        this.maxIngestBody = config.maxBodyBytes();
        this.maxControlBody = config.maxControlBodyBytes();
        this.maxAnonymousBody = config.maxAnonymousBodyBytes();
        this.bodyTimeoutMillis = TimeUnit.SECONDS.toMillis(Math.max(1, config.bodyTimeoutSeconds()));
        this.anonymousBodyTimeoutMillis = TimeUnit.SECONDS.toMillis(Math.max(1, config.anonymousBodyTimeoutSeconds()));
        this.maxPerCaller = Math.max(1, config.maxConcurrentRequestsPerToken());
        this.maxAnonymous = Math.max(1, config.maxConcurrentAnonymousRequests());
        this.anonymous = new Semaphore(maxAnonymous);
        this.maxProcessing = Math.max(1, config.maxConcurrentIngest());
        this.processing = new Semaphore(maxProcessing);
        this.maxBuffered = Math.max(1, config.maxBufferedBytes());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "auditlog-request-body-timeout");
            t.setDaemon(true);
            return t;
        });
    }

    void stop() {
        timer.shutdownNow();
    }

    /** Bytes of request bodies held in memory now, server-wide. */
    long bufferedBytes() {
        return buffered.get();
    }

    /** Whether no request of this caller key is in flight (no entry is kept for it). */
    boolean idle(String key) {
        return !inFlight.containsKey(key);
    }

    void handle(HttpServletRequest req, HttpServletResponse resp, Next next) throws IOException, ServletException {
        Access access = routes.match(req.getMethod(), req.getPathInfo());
        Caller caller = null;
        if (access.value() != Access.Who.ANYONE) {
            try {
                caller = authenticator.identify(req.getHeader("Authorization"), sessionCookie(req));
            } catch (ApiException refused) {
                write(resp, refused, "WWW-Authenticate", "Bearer realm=\"auditlog\"");
                return;
            }
            if (caller == null) {
                // no credentials: the API answers 401 (or 404 for no such path) and never reads the body
                next.handle(new BufferedRequest(req, new byte[0]), resp);
                return;
            }
            req.setAttribute(Caller.PROPERTY, caller);
        }
        Permit permit = acquire(caller);
        if (permit == null) {
            if (caller == null) {
                write(resp, new ApiException(503, "server_busy", null, "the server is answering " + maxAnonymous
                        + " requests without credentials already; retry shortly"), "Retry-After", "1");
            } else {
                write(resp, new ApiException(429, "too_many_requests", "Authorization", "this token has "
                        + maxPerCaller + " requests in flight already; wait for one to finish"), "Retry-After", "1");
            }
            return;
        }
        try {
            boolean streamed = access.streamedBody() > 0;
            long limit = streamed ? access.streamedBody() : switch (access.value().body()) {
                case INGEST -> maxIngestBody;
                case ANONYMOUS -> maxAnonymousBody;
                case CONTROL -> maxControlBody;
            };
            long declared = req.getContentLengthLong();
            boolean body = declared > 0 || req.getHeader("Transfer-Encoding") != null;
            if (!body) {
                next.handle(req, resp);
                return;
            }
            if (declared > limit && (declared > DRAIN_LIMIT || !req.isAsyncSupported())) {
                write(resp, tooLarge(limit), "Connection", "close");
                return;
            }
            if (streamed || !req.isAsyncSupported()) {
                // the operator's jar: its resource reads it, up to the limit
                next.handle(req, resp);
                return;
            }
            AsyncContext async = req.startAsync(req, resp);
            async.setTimeout(0); // the body's deadline is kept here; processing has none (as without async)
            BodyReader reader = new BodyReader(async, req, resp, next, permit, access, limit, declared,
                    caller == null ? anonymousBodyTimeoutMillis : bodyTimeoutMillis);
            async.addListener(reader);
            reader.start();
            permit = null; // released when the async request completes
        } finally {
            if (permit != null) {
                permit.release();
            }
        }
    }

    private static String sessionCookie(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (Sessions.COOKIE.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    /** The key a caller's requests are counted under. */
    static String key(Caller caller) {
        return caller.operator() ? "operator" : "token:" + caller.grant().id();
    }

    private Permit acquire(Caller caller) {
        if (caller == null) {
            return anonymous.tryAcquire() ? new Permit(null) : null;
        }
        String key = key(caller);
        boolean[] taken = {false};
        inFlight.compute(key, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerCaller) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0] ? new Permit(key) : null;
    }

    /** A request's place in its caller's count (or among anonymous requests), given back exactly once. */
    private final class Permit {
        private final String key;
        private final AtomicBoolean released = new AtomicBoolean();

        Permit(String key) {
            this.key = key;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                if (key == null) {
                    anonymous.release();
                } else {
                    inFlight.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
                }
            }
        }
    }

    /** Reserves {@code n} bytes of the server-wide budget for bodies held in memory; false when it is spent. */
    private boolean reserve(long n) {
        while (true) {
            long now = buffered.get();
            if (now + n > maxBuffered) {
                return false;
            }
            if (buffered.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    static ApiException tooLarge(long limit) {
        return new ApiException(413, "body_too_large", null, "the body is larger than " + limit
                + " bytes, the most this request may carry");
    }

    private static void write(HttpServletResponse resp, ApiException e, String... headers) throws IOException {
        HttpErrors.write(resp, e.status(), e.body(), headers);
    }

    /**
     * Reads one body as it arrives, then hands the request on with the body in memory. Whichever comes first
     * of the whole body, a refusal (too large, the server's buffer spent), a failed read (Jetty's data rate or
     * idle timeout, the client gone) and the deadline decides the answer; the others then do nothing.
     */
    private final class BodyReader implements ReadListener, AsyncListener {
        private static final int READING = 0;
        private static final int DONE = 1;

        private final AsyncContext async;
        private final HttpServletRequest req;
        private final HttpServletResponse resp;
        private final Next next;
        private final Permit permit;
        private final Access access;
        private final long limit;
        private final long timeoutMillis;
        private final AtomicInteger state = new AtomicInteger(READING);
        private final AtomicBoolean completed = new AtomicBoolean();
        private final ByteArrayOutputStream body;
        private final byte[] chunk = new byte[8192];
        /** Bytes of the server-wide budget this body holds; given back when the request completes. */
        private long reserved;
        private ServletInputStream in;
        private volatile ScheduledFuture<?> deadline;
        /**
         * Bytes read and dropped after the body passed its limit, or -1 while it has not. An oversize body is read
         * to its end (up to {@link #DRAIN_LIMIT}) before the 413 goes out, so that a client still sending it
         * receives the answer instead of a connection reset, and the connection stays usable; a body larger than
         * that is cut off and the connection closed.
         */
        private long dropped = -1;

        BodyReader(AsyncContext async, HttpServletRequest req, HttpServletResponse resp, Next next, Permit permit,
                Access access, long limit, long declared, long timeoutMillis) {
            this.async = async;
            this.req = req;
            this.resp = resp;
            this.next = next;
            this.permit = permit;
            this.access = access;
            this.limit = limit;
            this.timeoutMillis = timeoutMillis;
            if (declared > limit) {
                dropped = 0;
            }
            // grows as the body arrives: a declared length alone reserves at most 64 KiB
            this.body = new ByteArrayOutputStream((int) Math.min(Math.max(Math.min(declared, limit), 256), 64 * 1024));
        }

        void start() throws IOException {
            deadline = timer.schedule(this::timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
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
                    if (dropped >= 0 || body.size() + n > limit) {
                        dropped = Math.max(dropped, 0) + n;
                        if (dropped > DRAIN_LIMIT) {
                            refuse(tooLarge(limit), "Connection", "close");
                            return;
                        }
                        continue;
                    }
                    if (!reserveFor(n)) {
                        refuse(new ApiException(503, "server_busy", null, "the server holds " + maxBuffered
                                + " bytes of request bodies already; retry shortly"), "Retry-After", "1",
                                "Connection", "close");
                        return;
                    }
                    body.write(chunk, 0, n);
                }
            } catch (IOException | RuntimeException e) {
                onError(e);
            }
        }

        private boolean reserveFor(int n) {
            synchronized (this) {
                if (!reserve(n)) {
                    return false;
                }
                reserved += n;
                return true;
            }
        }

        @Override
        public void onAllDataRead() {
            if (!finish()) {
                return;
            }
            if (dropped >= 0) {
                answer(tooLarge(limit));
                return;
            }
            byte[] bytes = body.toByteArray();
            async.start(() -> process(bytes));
        }

        private void process(byte[] bytes) {
            boolean ingest = access.value() == Access.Who.INGEST_TOKEN;
            if (ingest && !processing.tryAcquire()) {
                answer(new ApiException(503, "server_busy", null, "the server is processing " + maxProcessing
                        + " ingest requests already; retry shortly"), "Retry-After", "1");
                return;
            }
            try {
                next.handle(new BufferedRequest(req, bytes), resp);
            } catch (IOException | ServletException | RuntimeException e) {
                ErrorBody body = ErrorMappers.internalError(LOG, "Request failed", e);
                answer(new ApiException(500, body.error(), null, body.detail()));
                return;
            } finally {
                if (ingest) {
                    processing.release();
                }
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
            LOG.debug("Request body not read: {}", t.toString());
            answer(new ApiException(408, "request_timeout", null, "the body did not arrive in time (slower than "
                    + "the server accepts, or stalled): " + t.getMessage()), "Connection", "close");
        }

        private void timedOut() {
            if (!finish()) {
                return;
            }
            answer(new ApiException(408, "request_timeout", null, "the body did not arrive in full within "
                    + timeoutMillis / 1000 + " s"), "Connection", "close");
        }

        private void refuse(ApiException e, String... headers) {
            if (finish()) {
                answer(e, headers);
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
            done();
        }

        /** Gives back the caller's permit and the body's bytes, once. */
        private void done() {
            if (completed.compareAndSet(false, true)) {
                permit.release();
                synchronized (this) {
                    buffered.addAndGet(-reserved);
                    reserved = 0;
                }
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            done();
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
