package org.auditlog.api.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * How an attempt to deliver a batch went: {@link #accepted()}, {@link #retry} (the destination may take it later:
 * a network failure, a 5xx, a 429, a missing acknowledgement) or {@link #refused} (the destination refuses for
 * good until its settings change: a 401, 403 or 404, an address the server may not reach). A refused batch makes
 * the stream {@code failing}; it keeps its place and is tried again, less often, so nothing is skipped.
 *
 * <p>A failure names its category, one of {@code network}, {@code timeout}, {@code tls}, {@code server} (5xx),
 * {@code throttled} (429), {@code rejected} (another 4xx), {@code auth} (401, 403), {@code not_found} (404),
 * {@code address} (refused by the {@link NetworkGuard}), {@code ack} (no acknowledgement in time), {@code internal},
 * and a message for the stream's state: short, without secrets.
 *
 * @since 1.0
 */
public final class Delivery {
    /** The three outcomes. */
    public enum Outcome {
        ACCEPTED,
        RETRY,
        REFUSED
    }

    private static final Delivery ACCEPTED = new Delivery(Outcome.ACCEPTED, null, null, null);

    private final Outcome outcome;
    private final Duration retryAfter;
    private final String category;
    private final String message;

    private Delivery(Outcome outcome, Duration retryAfter, String category, String message) {
        this.outcome = outcome;
        this.retryAfter = retryAfter;
        this.category = category;
        this.message = message;
    }

    /** The destination has the batch (for an acknowledging destination: acknowledged it). */
    public static Delivery accepted() {
        return ACCEPTED;
    }

    /**
     * The batch may be accepted later.
     *
     * @param after the wait the destination asked for ({@code Retry-After}), or {@code null} to leave it to the
     *     server's backoff
     */
    public static Delivery retry(Duration after, String category, String message) {
        if (after != null && after.isNegative()) {
            after = Duration.ZERO;
        }
        return new Delivery(
                Outcome.RETRY, after, Objects.requireNonNull(category, "category"), Objects.requireNonNull(message));
    }

    /** The destination refuses for good, until the stream's settings change. */
    public static Delivery refused(String category, String message) {
        return new Delivery(
                Outcome.REFUSED, null, Objects.requireNonNull(category, "category"), Objects.requireNonNull(message));
    }

    public Outcome outcome() {
        return outcome;
    }

    public boolean isAccepted() {
        return outcome == Outcome.ACCEPTED;
    }

    /** The wait the destination asked for, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The failure's category, or {@code null} when accepted. */
    public String category() {
        return category;
    }

    /** The failure's message, or {@code null} when accepted. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return outcome == Outcome.ACCEPTED
                ? "accepted"
                : outcome.name().toLowerCase(java.util.Locale.ROOT) + " (" + category + "): " + message
                        + (retryAfter == null ? "" : ", after " + retryAfter);
    }
}
