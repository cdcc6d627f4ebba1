package org.auditlog.stream.splunk.internal;

import java.time.Instant;
import java.util.Map;
import org.auditlog.api.stream.Delivery;
import org.auditlog.stream.http.internal.HttpOutcomes;
import org.auditlog.stream.http.internal.HttpSender;

/**
 * How the collector's answer becomes a {@link Delivery}. The HTTP status decides, as {@link HttpOutcomes} says for
 * every HTTP destination; the HEC status code in the answer's body ({@code {"text":…,"code":N}}, the codes of
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
 * </ul>
 *
 * Messages name the URL's host; never the path or the token. The collector's own text is quoted only for a code
 * this table does not know, and without the token in it; so is a redirect's {@code Location}.
 */
final class Outcomes {
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
        String said = HttpOutcomes.said(host, answer.status()) + hec(reply, token);
        return HttpOutcomes.of(answer, said, new Collector(reply, token), now);
    }

    /** The collector of one answer: its HEC code picks the advice, and its texts are shown without the token. */
    private record Collector(HecJson.Reply reply, String token) implements HttpOutcomes.Receiver {
        @Override
        public String noun() {
            return "collector";
        }

        @Override
        public String shown(String text) {
            return redacted(text, token);
        }

        @Override
        public String advice(int status) {
            Integer code = reply.code();
            switch (status) {
                case 401, 403:
                    return code != null && code == 1
                            ? ": enable the token in Splunk, or give the stream another"
                            : ": check the stream's token";
                case 404:
                    return ": no HTTP Event Collector at the url (the collector's base URL, such as"
                            + " https://hec.example.com:8088, with HEC enabled)";
                case 413:
                    return ": the batch is larger than the collector takes (max_content_length); lower"
                            + " batchEvents of org.auditlog.streams, or raise the collector's limit";
                default:
                    break;
            }
            if (code != null && (code == 14 || code == 10 || code == 11)) {
                return ": " + ACK_ADVICE;
            }
            if (code != null && code == 7) {
                return ": the token may not write to that index; check the stream's index";
            }
            return "";
        }
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

    /** Text from the collector, quoted, with the token (should the collector repeat it) left out. */
    static String redacted(String text, String token) {
        String t = token == null || token.isEmpty() ? text : text.replace(token, "[token]");
        return HttpOutcomes.quoted(t);
    }
}
