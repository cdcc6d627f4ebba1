package org.auditlog.stream.http.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog;
import org.auditlog.api.stream.Delivery;

/**
 * How an HTTP answer, or the failure to get one, becomes a {@link Delivery}, for every HTTP destination:
 *
 * <ul>
 *   <li>2xx: accepted.
 *   <li>3xx: refused ({@code rejected}), the {@code Location} in the message: redirects are not followed, the
 *       stream's url should name the receiver itself.
 *   <li>401, 403: refused ({@code auth}). 404: refused ({@code not_found}).
 *   <li>408: retry ({@code timeout}). 429: retry ({@code throttled}). 5xx: retry ({@code server}). Each after the
 *       answer's {@code Retry-After} (seconds or an HTTP date), at most a day.
 *   <li>Another 4xx: refused ({@code rejected}). The same request would be refused again as it is (HTTP's
 *       meaning of 4xx, and this server's own rule in docs/errors.md), so the stream shows {@code failing} until
 *       someone fixes the receiver or the settings; a refused batch keeps its place and is still tried, less
 *       often, so nothing is lost when the receiver changes its mind.
 *   <li>No answer: retry, {@code timeout} (the attempt's time ran out, or a connect or read timed out), {@code tls}
 *       (the handshake failed: an untrusted certificate, one for another name), else {@code network}.
 * </ul>
 *
 * What a refusal advises, what the receiver is called and how text from its answer is shown are the destination's
 * ({@link Receiver}). Messages name the URL's host and, for a failed connection, the address; never the path, the
 * query or a secret.
 */
public final class HttpOutcomes {
    /** The longest wait a {@code Retry-After} may ask for; a longer one is cut to it. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    private static final int MAX_QUOTED = 200;

    private HttpOutcomes() {}

    /** What a destination says about the answers of its receivers. */
    public interface Receiver {
        /** The receiver as a message names it: {@code "receiver"}, {@code "collector"}. */
        String noun();

        /** A text of the answer (a redirect's {@code Location}) as a message shows it. */
        default String shown(String text) {
            return quoted(text);
        }

        /**
         * What to do about a refused 4xx (neither 408 nor 429), appended to the message: {@code ": check the
         * stream's token"}, or {@code ""}.
         */
        String advice(int status);
    }

    /**
     * The outcome of an answer.
     *
     * @param said how messages start: {@code host answered 404 Not Found}, see {@link #said}
     */
    public static Delivery of(HttpSender.Answer answer, String said, Receiver receiver, Instant now) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return Delivery.accepted();
        }
        if (status >= 300 && status < 400) {
            return Delivery.refused(
                    "rejected",
                    said + ", redirecting to "
                            + (answer.location() == null ? "nowhere" : receiver.shown(answer.location()))
                            + "; redirects are not followed: set the url to the " + receiver.noun() + " itself");
        }
        switch (status) {
            case 408:
                return Delivery.retry(retryAfter(answer.retryAfter(), now), "timeout", said);
            case 429:
                return Delivery.retry(retryAfter(answer.retryAfter(), now), "throttled", said);
            default:
                break;
        }
        if (status >= 400 && status < 500) {
            String category = switch (status) {
                case 401, 403 -> "auth";
                case 404 -> "not_found";
                default -> "rejected";
            };
            return Delivery.refused(category, said + receiver.advice(status));
        }
        return Delivery.retry(retryAfter(answer.retryAfter(), now), "server", said);
    }

    /** {@code host answered 404 Not Found}: how messages on an answer start. */
    public static String said(String host, int status) {
        return host + " answered " + status + reason(status);
    }

    /** The failure of an exchange with {@code host} at {@code address}. */
    public static Delivery of(IOException e, String host, InetAddress address, Duration timeout) {
        String where = host + " (" + address.getHostAddress() + ")";
        if (e instanceof HttpSender.DeadlineException) {
            return Delivery.retry(null, "timeout", "no answer from " + where + " within " + seconds(timeout));
        }
        if (e instanceof SocketTimeoutException) {
            return Delivery.retry(null, "timeout", "no answer from " + where + ": " + cause(e));
        }
        if (tls(e)) {
            return Delivery.retry(null, "tls", "TLS with " + where + " failed: " + cause(e));
        }
        if (connectFailed(e)) {
            return Delivery.retry(null, "network", "connection to " + where + " failed: " + cause(e));
        }
        return Delivery.retry(null, "network", "exchange with " + where + " failed: " + cause(e));
    }

    /** Whether no connection was made, so another address of the host may be tried. */
    public static boolean connectFailed(IOException e) {
        return e instanceof ConnectException
                || e instanceof NoRouteToHostException
                || e instanceof org.apache.hc.client5.http.ConnectTimeoutException;
    }

    private static boolean tls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A {@code Retry-After} value as a wait from {@code now}: seconds, or an HTTP date; {@code null} when absent or
     * unreadable; at most {@link #MAX_RETRY_AFTER}.
     */
    public static Duration retryAfter(String value, Instant now) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        Duration wait;
        if (v.matches("[0-9]{1,12}")) {
            wait = Duration.ofSeconds(Long.parseLong(v));
        } else {
            try {
                wait = Duration.between(
                        now,
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    /** {@code " Not Found"}: a status's reason phrase with its space, or nothing for a status without one. */
    public static String reason(int status) {
        String r = EnglishReasonPhraseCatalog.INSTANCE.getReason(status, Locale.ENGLISH);
        return r == null ? "" : " " + r;
    }

    /** {@code "10 s"}, or {@code "1500 ms"}. */
    public static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The innermost message of a failure, quoted. */
    private static String cause(Throwable e) {
        Throwable t = e;
        String message = null;
        for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return message == null ? e.getClass().getSimpleName() : quoted(message);
    }

    /** Text from outside, on one line of printable characters, cut at {@value #MAX_QUOTED} characters. */
    public static String quoted(String text) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < text.length() && s.length() < MAX_QUOTED; i++) {
            char c = text.charAt(i);
            s.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        if (text.length() > MAX_QUOTED) {
            s.append('\u2026');
        }
        return s.toString();
    }
}
