package org.auditlog.stream.syslog.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One connection to a receiver, TLS or plain TCP, bounded by the attempt's deadline: the connection and every read
 * time out when it passes, and a watchdog closes the socket then, which ends a write the receiver does not take
 * (a write has no timeout of its own).
 *
 * <p>TLS: the server's certificate is verified against the trusted certificates, and its names against the host
 * name of the settings (endpoint identification {@code HTTPS}: a DNS name in the subject alternative names, else
 * the common name; an IP address in the IP address names), which is also sent as SNI, whatever address of it the
 * connection went to. TLS 1.2 or 1.3.
 */
final class Connection implements AutoCloseable {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** The time a receiver is given, beyond two round trips, to refuse the client after the TLS handshake. */
    static final int VERDICT_MILLIS = 50;

    private final String host;
    private final int port;
    private final long deadline;
    private Socket raw;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private ScheduledFuture<?> watchdog;
    private volatile boolean timedOut;
    /** How long the TCP connection took: one round trip. */
    private long connectNanos;
    /** When the connection was ready (after the TLS handshake), in {@link System#nanoTime()}. */
    private long readyAt;

    private boolean tls;

    private Connection(String host, int port, long deadline) {
        this.host = host;
        this.port = port;
        this.deadline = deadline;
    }

    /**
     * Connects to the first of {@code addresses} (those of {@code host}) that answers, then, unless
     * {@code tls == null}, shakes hands in TLS.
     *
     * @param deadline the attempt's end, in {@link System#nanoTime()}
     * @param tls the TLS context, or {@code null} for plain TCP
     */
    static Connection open(
            String host,
            int port,
            List<InetAddress> addresses,
            SSLContext tls,
            long deadline,
            ScheduledExecutorService timer)
            throws Failure {
        Connection c = new Connection(host, port, deadline);
        try {
            c.connect(addresses);
            c.watchdog = timer.schedule(c::expire, Math.max(1, c.remaining()), TimeUnit.MILLISECONDS);
            c.socket = tls == null ? c.raw : c.handshake(tls);
            c.tls = tls != null;
            c.readyAt = System.nanoTime();
            c.in = new BufferedInputStream(c.socket.getInputStream(), 4096);
            c.out = new BufferedOutputStream(c.socket.getOutputStream(), 16384);
            return c;
        } catch (Failure f) {
            c.close();
            throw f;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw c.failure("connecting to", e);
        }
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    /** Milliseconds left before the deadline, at least 1 while some are left, 0 after it. */
    int remaining() {
        long left = deadline - System.nanoTime();
        return left <= 0 ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left)));
    }

    /** Bounds the next reads by the time left; a {@link SocketTimeoutException} when none is left. */
    void readsUntilDeadline() throws IOException {
        int left = remaining();
        if (left <= 0 || timedOut) {
            throw new SocketTimeoutException("the attempt's time ran out");
        }
        socket.setSoTimeout(left);
    }

    /** Whether the attempt's time ran out (and the connection was closed for it). */
    boolean timedOut() {
        return timedOut;
    }

    /**
     * Ends the connection as RFC 5425 (4.4) and RFC 6587 have it: sends TLS's close_notify (or, in plain TCP, the
     * end of the stream), then waits, until the deadline, for the receiver to close its side. Every frame written
     * before was then read by the receiver: a TLS receiver answers close_notify with its own close_notify, and
     * closes, once it has read every record before it; a receiver that dies with bytes unread resets the
     * connection instead.
     */
    void closeCleanly() throws Failure {
        try {
            out.flush();
        } catch (IOException e) {
            throw failure("sending to", e);
        }
        stillOpen();
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw failure("sending to", e);
        }
        try {
            readsUntilDeadline();
            byte[] buffer = new byte[512];
            while (in.read(buffer) >= 0) {
                // A syslog receiver sends nothing: read to the end of its stream.
            }
        } catch (IOException e) {
            if (timedOut || e instanceof SocketTimeoutException) {
                throw notClosed();
            }
            throw failure("closing the connection to", e);
        }
    }

    /**
     * Fails when the receiver closed the connection before this side did: its close is then no answer to ours, and
     * says nothing of what it read. A receiver that refuses a client after the TLS handshake (rsyslog refusing a
     * client without a certificate, or with one it does not permit) closes the connection right away, with a
     * close_notify that would pass for an answer: its verdict is awaited, from the end of the handshake, for two
     * round trips (the TCP connection's) and {@value #VERDICT_MILLIS} ms more.
     */
    private void stillOpen() throws Failure {
        long verdict = tls ? readyAt + 2 * connectNanos + TimeUnit.MILLISECONDS.toNanos(VERDICT_MILLIS) : 0;
        int wait = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(verdict - System.nanoTime()));
        try {
            socket.setSoTimeout(Math.min(wait, Math.max(1, remaining())));
            int read = in.read();
            throw Failure.retry(
                    "network",
                    read < 0
                            ? "the receiver at " + where() + " closed the connection before the end of the batch"
                                    + (tls ? " (does it refuse this client's certificate, or want one?)" : "")
                            : "the receiver at " + where() + " sent data, which a syslog receiver does not");
        } catch (SocketTimeoutException e) {
            // Still open, as it should be.
        } catch (IOException e) {
            throw failure("sending to", e);
        }
    }

    private Failure notClosed() {
        return Failure.retry(
                "ack",
                "every message was sent to " + where() + " but the receiver did not close the connection in time: "
                        + "whether it read them is not known");
    }

    /** The failure of an I/O error while doing {@code what} ({@code "sending to"}). */
    Failure failure(String what, Exception e) {
        if (timedOut || e instanceof SocketTimeoutException) {
            return Failure.retry("timeout", "timed out " + what + " " + where());
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Failure.retry("network", what + " " + where() + ": " + reason);
    }

    String where() {
        return host + ":" + port
                + (raw != null
                                && raw.getInetAddress() != null
                                && !raw.getInetAddress().getHostAddress().equals(host)
                        ? " (" + raw.getInetAddress().getHostAddress() + ")"
                        : "");
    }

    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        closeQuietly(socket);
        closeQuietly(raw);
    }

    private void connect(List<InetAddress> addresses) throws Failure {
        IOException last = null;
        boolean allTimedOut = true;
        for (InetAddress address : addresses) {
            int left = remaining();
            if (left <= 0) {
                break;
            }
            Socket s = new Socket();
            try {
                long start = System.nanoTime();
                s.connect(new InetSocketAddress(address, port), left);
                connectNanos = System.nanoTime() - start;
                raw = s;
                return;
            } catch (SocketTimeoutException e) {
                last = e;
            } catch (IOException e) {
                last = e;
                allTimedOut = false;
            }
            closeQuietly(s);
        }
        if (last == null || allTimedOut) {
            throw Failure.retry("timeout", "timed out connecting to " + host + ":" + port);
        }
        String reason = last instanceof ConnectException
                ? "connection refused"
                : last instanceof NoRouteToHostException ? "no route to host" : last.getMessage();
        throw Failure.retry("network", "could not connect to " + host + ":" + port + ": " + reason);
    }

    private SSLSocket handshake(SSLContext context) throws Failure {
        try {
            raw.setSoTimeout(Math.max(1, remaining()));
            // The settings' host name, not the address: SNI and the certificate's names are checked against it.
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(PROTOCOLS);
            ssl.setSSLParameters(parameters);
            ssl.setUseClientMode(true);
            ssl.startHandshake();
            return ssl;
        } catch (SSLException e) {
            if (timedOut || causedBy(e, SocketTimeoutException.class)) {
                throw Failure.retry("timeout", "timed out in the TLS handshake with " + where());
            }
            if (causedBy(e, CertificateException.class)) {
                // A certificate that does not verify, or for another name: nothing changes until someone changes
                // the receiver's certificate or the stream's settings (ca, host).
                throw Failure.refused("tls", "the certificate of " + where() + " is refused: " + rootMessage(e));
            }
            if (causedBy(e, EOFException.class) || causedBy(e, SocketException.class)) {
                throw failure("in the TLS handshake with", e);
            }
            // An alert, or no TLS at all: no protocol or cipher suite in common, a client certificate required, a
            // plain TCP port. It stays so until the receiver's or the stream's settings change.
            throw Failure.refused("tls", "the TLS handshake with " + where() + " failed: " + rootMessage(e));
        } catch (IOException e) {
            throw failure("in the TLS handshake with", e);
        }
    }

    private void expire() {
        timedOut = true;
        closeQuietly(raw);
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing: nothing more to do
            }
        }
    }
}
