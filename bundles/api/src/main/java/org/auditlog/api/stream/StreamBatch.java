package org.auditlog.api.stream;

import java.util.List;
import java.util.Objects;

/**
 * Consecutive events of one organization and product, for one stream: the sequences {@link #firstSequence()} to
 * {@link #lastSequence()}, both included, every one of them either in {@link #events()} (in sequence order) or left
 * out by the stream's filters (products, categories). The next batch of the same organization and product starts
 * at {@code lastSequence + 1}, so a receiver that sees a batch start elsewhere knows it missed one.
 *
 * @param id the batch's identifier, the same for every attempt to deliver these sequences to this stream (a
 *     receiver deduplicates on it): {@code <stream>-<organization>-<product>-<first>-<last>}, URL-safe
 * @param streamId the stream's id
 * @param organization the space key
 * @param product the product
 * @param attempt 1 for the first attempt, then 2, 3, ...
 * @since 1.0
 */
public record StreamBatch(
        String id,
        String streamId,
        String organization,
        String product,
        long firstSequence,
        long lastSequence,
        List<StreamEvent> events,
        int attempt) {
    public StreamBatch {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(product, "product");
        events = List.copyOf(events);
        if (firstSequence < 0 || lastSequence < firstSequence) {
            throw new IllegalArgumentException("sequences " + firstSequence + " to " + lastSequence);
        }
        long previous = firstSequence - 1;
        for (StreamEvent e : events) {
            if (e.sequence() <= previous || e.sequence() > lastSequence) {
                throw new IllegalArgumentException("event " + e.sequence() + " out of order or outside the batch");
            }
            previous = e.sequence();
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more: " + attempt);
        }
    }
}
