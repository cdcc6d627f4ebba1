package org.auditlog.rest.internal;

import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.servlet.AsyncContext;
import javax.servlet.ServletException;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

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
 * {@code server_busy}). A made-up token never gets here, so it holds nobody's permits ({@link CallerPermits}).</li>
 * <li><b>How large.</b> A body is bounded before it is read: {@code maxBodyBytes} for ingest, the method's own
 * limit where its resource reads the body as it streams ({@link Access#streamedBody()}: bundle uploads),
 * {@code maxAnonymousBodyBytes} without credentials and {@code maxControlBodyBytes} for any other call. A
 * declared length over the bound is 413 {@code body_too_large} naming the bound; a chunked body is cut at the
 * bound with the same answer.</li>
 * <li><b>Without a thread.</b> A body (but a bundle's, which the operator alone sends and which is read by
 * its resource) is read asynchronously ({@link BodyReader}) within {@code bodyTimeoutSeconds}
 * ({@code anonymousBodyTimeoutSeconds} without credentials; else 408 {@code request_timeout}), and counted
 * against {@code maxBufferedBytes}, the bytes of bodies held in memory server-wide ({@link BodyBudget}; beyond: 503
 * {@code server_busy}). Only once the whole body is in does the request take a thread.</li>
 * <li><b>Ingest's share.</b> At most {@code maxConcurrentIngest} ingest requests are processed at once, so
 * that ingest cannot take the whole thread pool from {@code /health} and the other requests (503
 * {@code server_busy}).</li>
 * </ol>
 */
final class RequestGate {
    /** How much of an oversize body is read and dropped before the 413 goes out (a larger one is cut off). */
    static final long DRAIN_LIMIT = BodyReader.DRAIN_LIMIT;

    /** What the body readers of a gate share: the bytes held, ingest's share of the threads, the deadlines. */
    record Shared(BodyBudget budget, Semaphore processing, int maxProcessing, ScheduledExecutorService timer) {}

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
    private final CallerPermits permits;
    private final BodyBudget budget;
    private final ScheduledExecutorService timer;
    private final Shared shared;

    /** A gate with these limits; {@code timer} keeps the bodies' deadlines (its owner shuts it down). */
    RequestGate(RestConfig config, Authenticator authenticator, Routes routes, ScheduledExecutorService timer) {
        this.authenticator = authenticator;
        this.routes = routes;
        this.maxIngestBody = config.maxBodyBytes();
        this.maxControlBody = config.maxControlBodyBytes();
        this.maxAnonymousBody = config.maxAnonymousBodyBytes();
        this.bodyTimeoutMillis = TimeUnit.SECONDS.toMillis(Math.max(1, config.bodyTimeoutSeconds()));
        this.anonymousBodyTimeoutMillis = TimeUnit.SECONDS.toMillis(Math.max(1, config.anonymousBodyTimeoutSeconds()));
        this.permits =
                new CallerPermits(config.maxConcurrentRequestsPerToken(), config.maxConcurrentAnonymousRequests());
        this.budget = new BodyBudget(config.maxBufferedBytes());
        int maxProcessing = Math.max(1, config.maxConcurrentIngest());
        this.timer = timer;
        this.shared = new Shared(budget, new Semaphore(maxProcessing), maxProcessing, timer);
    }

    /** Bytes of request bodies held in memory now, server-wide. */
    long bufferedBytes() {
        return budget.held();
    }

    /** Whether no request of this caller key is in flight (no entry is kept for it). */
    boolean idle(String key) {
        return permits.idle(key);
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
        CallerPermits.Permit permit = permits.acquire(caller);
        if (permit == null) {
            if (caller == null) {
                write(
                        resp,
                        new ApiException(
                                503,
                                "server_busy",
                                null,
                                "the server is answering " + permits.maxAnonymous()
                                        + " requests without credentials already; retry shortly"),
                        "Retry-After",
                        "1");
            } else {
                write(
                        resp,
                        new ApiException(
                                429,
                                "too_many_requests",
                                "Authorization",
                                "this token has " + permits.maxPerCaller()
                                        + " requests in flight already; wait for one to finish"),
                        "Retry-After",
                        "1");
            }
            return;
        }
        try {
            boolean streamed = access.streamedBody() > 0;
            long limit = streamed
                    ? access.streamedBody()
                    : switch (access.value().body()) {
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
            BodyReader reader = new BodyReader(
                    async,
                    req,
                    resp,
                    next,
                    permit,
                    access,
                    limit,
                    declared,
                    caller == null ? anonymousBodyTimeoutMillis : bodyTimeoutMillis,
                    shared);
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

    static ApiException tooLarge(long limit) {
        return new ApiException(
                413,
                "body_too_large",
                null,
                "the body is larger than " + limit + " bytes, the most this request may carry");
    }

    private static void write(HttpServletResponse resp, ApiException e, String... headers) throws IOException {
        HttpErrors.write(resp, e.status(), e.body(), headers);
    }
}
