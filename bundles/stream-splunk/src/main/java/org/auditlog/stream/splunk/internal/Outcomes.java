package org.auditlog.stream.splunk.internal;

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
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog;
import org.auditlog.api.stream.Delivery;

/**
 * How the collector's answer, or the failure to get one, becomes a {@link Delivery}. The HTTP status decides, as
 * for the webhook destination; the HEC status code in the answer's body ({@code {"text":…,"code":N}}, the codes of
 * Splunk's "Troubleshoot HTTP Event Collector") says why, and picks the advice:
 *
 * <ul>
 *   <li>2xx: the collector has the events (accepted, or waiting for the acknowledgement: {@link
 *       SplunkHecDestination}).
 *   <li>3xx: refused ({@code rejected}): redirects are not followed.
 *   <li>401, 403 (codes 1 to 4: the token disabled, missing, malformed or unknown): refused ({@code auth}).
 *   <li>404: refused ({@code not_found}): no collector at the URL.
 *   <li>400 with code 14 (acknowledgement disabled), 10 or 11 (the channel missing or invalid, which a token with
 *       acknowledgement needs): refused ({@code rejected}), saying to set {@code ack} to false or to enable indexer
 *       acknowledgement on the token.
 *   <li>Another 4xx (code 5 no data, 6 invalid data format, 7 incorrect index, 12, 13, 15 indexed fields, 16; a 413):
 *       refused ({@code rejected}): the same request would be refused again as it is.
 *   <li>408: retry ({@code timeout}). 429: retry ({@code throttled}). 5xx (code 8 internal error, 9 server busy, 18
 *       to 20 unhealthy): retry ({@code server}). Each after the answer's {@code Retry-After} (seconds or an HTTP
 *       date), at most a day.
 *   <li>No answer: retry, {@code timeout}, {@code tls} or {@code network}, as the webhook destination says.
 * </ul>
 *
 * Messages name the URL's host and, for a failed connection, the address; never the path or the token. The
 * collector's own text is quoted only for a code this table does not know, and without the token in it. The parts
 * on Retry-After, on failures without an answer and on quoting are the webhook destination's.
 */
final class Outcomes {
    /** The longest wait a {@code Retry-After} may ask for; a longer one is cut to it. */
    static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    /** Advice for a token without indexer acknowledgement. */
    static final String ACK_ADVICE =
            "indexer acknowledgement is off for this token: set the stream's ack to false, or enable indexer"
                    + " acknowledgement on the token";

    /** HEC's status codes and their texts. */
    static final Map<Integer, String> CODES = Map.ofEntries(
            Map.entry(0, "Success"),
            Map.entry(1, "Token disabled"),
            Map.entry(2, "Token is required"),
            Map.entry(3, "Invalid authorization"),
            Map.entry(4, "Invalid token"),
            Map.entry(5, "No data"),
            Map.entry(6, "Invalid data format"),
            Map.entry(7, "Incorrect index"),
            Map.entry(8, "Internal server error"),
            Map.entry(9, "Server is busy"),
            Map.entry(10, "Data channel is missing"),
            Map.entry(11, "Invalid data channel"),
            Map.entry(12, "Event field is required"),
            Map.entry(13, "Event field cannot be blank"),
            Map.entry(14, "ACK is disabled"),
            Map.entry(15, "Error in handling indexed fields"),
            Map.entry(16, "Query string authorization is not enabled"),
            Map.entry(17, "HEC is healthy"),
            Map.entry(18, "HEC is unhealthy, queues are full"),
            Map.entry(19, "HEC is unhealthy, ack service unavailable"),
            Map.entry(20, "HEC is unhealthy, queues are full, ack service unavailable"));

    private static final int MAX_QUOTED = 200;

    private Outcomes() {}

    /**
     * A collector's answer other than a 2xx.
     *
     * @param token the stream's token, kept out of any text quoted from the answer
     */
    static Delivery of(HttpSender.Answer answer, HecJson.Reply reply, String host, String token, Instant now) {
        int status = answer.status();
        String said = host + " answered " + status + reason(status) + hec(reply, token);
        if (status >= 300 && status < 400) {
            return Delivery.refused(
                    "rejected",
                    said + ", redirecting to "
                            + (answer.location() == null ? "nowhere" : redacted(answer.location(), token))
                            + "; redirects are not followed: set the url to the collector itself");
        }
        Integer code = reply.code();
        switch (status) {
            case 401, 403:
                return Delivery.refused(
                        "auth",
                        said
                                + (code != null && code == 1
                                        ? ": enable the token in Splunk, or give the stream another"
                                        : ": check the stream's token"));
            case 404:
                return Delivery.refused(
                        "not_found",
                        said + ": no HTTP Event Collector at the url (the collector's base URL, such as"
                                + " https://hec.example.com:8088, with HEC enabled)");
            case 408:
                return Delivery.retry(retryAfter(answer.retryAfter(), now), "timeout", said);
            case 413:
                return Delivery.refused(
                        "rejected",
                        said + ": the batch is larger than the collector takes (max_content_length); lower"
                                + " batchEvents of org.auditlog.streams, or raise the collector's limit");
            case 429:
                return Delivery.retry(retryAfter(answer.retryAfter(), now), "throttled", said);
            default:
                break;
        }
        if (status >= 400 && status < 500) {
            if (code != null && (code == 14 || code == 10 || code == 11)) {
                return Delivery.refused("rejected", said + ": " + ACK_ADVICE);
            }
            if (code != null && code == 7) {
                return Delivery.refused(
                        "rejected", said + ": the token may not write to that index; check the stream's index");
            }
            return Delivery.refused("rejected", said);
        }
        return Delivery.retry(retryAfter(answer.retryAfter(), now), "server", said);
    }

    /** {@code " (HEC code 6: Invalid data format, event 3 of the batch)"}, or nothing without a code. */
    static String hec(HecJson.Reply reply, String token) {
        if (reply.code() == null) {
            return "";
        }
        String text = CODES.get(reply.code());
        if (text == null) {
            text = reply.text() == null ? "unknown code" : redacted(reply.text(), token);
        }
        return " (HEC code " + reply.code() + ": " + text
                + (reply.invalidEvent() == null ? "" : ", event " + (reply.invalidEvent() + 1L) + " of the batch")
                + ")";
    }

    /** The failure of an exchange with {@code host} at {@code address}. */
    static Delivery of(IOException e, String host, InetAddress address, Duration timeout) {
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
    static boolean connectFailed(IOException e) {
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
    static Duration retryAfter(String value, Instant now) {
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

    static String reason(int status) {
        String r = EnglishReasonPhraseCatalog.INSTANCE.getReason(status, Locale.ENGLISH);
        return r == null ? "" : " " + r;
    }

    static String seconds(Duration d) {
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

    /** Text from the collector, quoted, with the token (should the collector repeat it) left out. */
    static String redacted(String text, String token) {
        String t = token == null || token.isEmpty() ? text : text.replace(token, "[token]");
        return quoted(t);
    }

    /** Text from outside, on one line of printable characters, cut at {@value #MAX_QUOTED} characters. */
    static String quoted(String text) {
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
