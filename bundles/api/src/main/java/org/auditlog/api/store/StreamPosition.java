package org.auditlog.api.store;

import java.time.Instant;

/**
 * A stream's place in the log of one organization and product.
 *
 * @param streamId the stream's id
 * @param spaceKey the organization whose log this is (for a server-wide stream, one of every organization's)
 * @param product the product whose log this is
 * @param next the next sequence to deliver: every sequence below it was delivered, filtered out, or passed over (a
 *     gap, a replay from further on)
 * @param lastSuccess when a batch was last accepted, or {@code null}
 * @param lastLag the commit-to-acceptance time of the last event delivered, in ms, or -1
 * @param lastError when the last attempt failed, or {@code null} after a success
 * @param errorCategory the last failure's category, or {@code null} after a success
 * @param errorMessage the last failure's message, or {@code null} after a success
 * @param failingSince when the attempts began failing without a success since, or {@code null}
 * @param gapFrom the first sequence of the last gap (removed by retention before delivery), or -1
 * @param gapTo the last sequence of that gap, or -1
 * @since 1.4
 */
public record StreamPosition(
        String streamId,
        String spaceKey,
        String product,
        long next,
        Instant lastSuccess,
        long lastLag,
        Instant lastError,
        String errorCategory,
        String errorMessage,
        Instant failingSince,
        long gapFrom,
        long gapTo) {}
