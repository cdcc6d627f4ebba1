package org.auditlog.rest.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ReadListener;
import javax.servlet.ServletException;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one body as it arrives, then hands the request on with the body in memory. Whichever comes first
 * of the whole body, a refusal (too large, the server's buffer spent), a failed read (Jetty's data rate or
 * idle timeout, the client gone) and the deadline decides the answer; the others then do nothing.
 */
final class BodyReader implements ReadListener, AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);

    /** How much of an oversize body is read and dropped before the 413 goes out (a larger one is cut off). */
    static final long DRAIN_LIMIT = 8L * 1024 * 1024;

    private static final int READING = 0;
    private static final int DONE = 1;

    private final AsyncContext async;
    private final HttpServletRequest req;
    private final HttpServletResponse resp;
    private final RequestGate.Next next;
    private final CallerPermits.Permit permit;
    private final BodyBudget budget;
    private final Semaphore processing;
    private final int maxProcessing;
    private final ScheduledExecutorService timer;
    private final Access access;
    private final long limit;
    /** The body's declared length (Content-Length), -1 when chunked. */
    private final long declared;

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

    BodyReader(
            AsyncContext async,
            HttpServletRequest req,
            HttpServletResponse resp,
            RequestGate.Next next,
            CallerPermits.Permit permit,
            Access access,
            long limit,
            long declared,
            long timeoutMillis,
            RequestGate.Shared shared) {
        this.async = async;
        this.req = req;
        this.resp = resp;
        this.next = next;
        this.permit = permit;
        this.budget = shared.budget();
        this.processing = shared.processing();
        this.maxProcessing = shared.maxProcessing();
        this.timer = shared.timer();
        this.access = access;
        this.limit = limit;
        this.declared = declared;
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
                        refuse(RequestGate.tooLarge(limit), "Connection", "close");
                        return;
                    }
                    continue;
                }
                if (!reserveFor(n)) {
                    refuse(
                            new ApiException(
                                    503,
                                    "server_busy",
                                    null,
                                    "the server holds " + budget.max()
                                            + " bytes of request bodies already; retry shortly"),
                            "Retry-After",
                            "1",
                            "Connection",
                            "close");
                    return;
                }
                body.write(chunk, 0, n);
                if (body.size() == declared) {
                    // The whole declared body is here: no read for its end. Jetty measures its minimum data
                    // rate from the first read, so a read of the end that a busy server makes late would find
                    // a small body, long complete, "too slow" (408).
                    onAllDataRead();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            onError(e);
        }
    }

    private boolean reserveFor(int n) {
        synchronized (this) {
            if (!budget.reserve(n)) {
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
            answer(RequestGate.tooLarge(limit));
            return;
        }
        byte[] bytes = body.toByteArray();
        async.start(() -> process(bytes));
    }

    private void process(byte[] bytes) {
        boolean ingest = access.value() == Access.Who.INGEST_TOKEN;
        if (ingest && !processing.tryAcquire()) {
            answer(
                    new ApiException(
                            503,
                            "server_busy",
                            null,
                            "the server is processing " + maxProcessing + " ingest requests already; retry shortly"),
                    "Retry-After",
                    "1");
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
        answer(
                new ApiException(
                        408,
                        "request_timeout",
                        null,
                        "the body did not arrive in time (slower than " + "the server accepts, or stalled): "
                                + t.getMessage()),
                "Connection",
                "close");
    }

    private void timedOut() {
        if (!finish()) {
            return;
        }
        answer(
                new ApiException(
                        408,
                        "request_timeout",
                        null,
                        "the body did not arrive in full within " + timeoutMillis / 1000 + " s"),
                "Connection",
                "close");
    }

    private void refuse(ApiException e, String... headers) {
        if (finish()) {
            answer(e, headers);
        }
    }

    private void answer(ApiException e, String... headers) {
        try {
            HttpErrors.write(resp, e.status(), e.body(), headers);
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
                budget.release(reserved);
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
    public void onStartAsync(AsyncEvent event) {}
}
