package org.auditlog.api.stream;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stream as the API shows it: never a secret's value, only the names of the secrets set.
 *
 * @param spaceKey the organization, or {@code null} for a server-wide stream
 * @param state {@code active}, {@code paused}, {@code failing} or {@code disabled} (its destination type is not
 *     installed)
 * @param pausedBy who or what paused it ({@code user:<id>}, {@code operator}, {@code plan: <reason>},
 *     {@code failing}), or {@code null}
 * @param logs its place in each log it covers: per organization and product
 * @since 1.0
 */
public record StreamView(
        String id,
        String spaceKey,
        String name,
        String type,
        Map<String, String> settings,
        Set<String> secrets,
        List<String> products,
        List<String> categories,
        String state,
        String pausedBy,
        Instant created,
        Instant updated,
        List<LogPlace> logs) {
    public StreamView {
        settings = Map.copyOf(settings);
        secrets = Set.copyOf(secrets);
        products = List.copyOf(products);
        categories = List.copyOf(categories);
        logs = List.copyOf(logs);
    }

    /**
     * A stream's place in the log of one organization and product.
     *
     * @param delivered the last sequence delivered (or passed over by the filters), -1 when none
     * @param backlog the events written and not delivered yet
     * @param lagMillis the last delivered event's time from commit to the destination's acceptance, or -1
     * @param lastSuccess when a batch was last accepted, or {@code null}
     * @param lastError when an attempt last failed, or {@code null} (cleared by a success)
     * @param errorCategory its category ({@link Delivery}), or {@code null}
     * @param errorMessage its message, or {@code null}
     * @param failingSince since when attempts fail without a success, or {@code null}
     * @param gapFrom the first sequence of a gap (events that retention removed before they were delivered), or -1
     * @param gapTo the last sequence of that gap, or -1
     */
    public record LogPlace(
            String spaceKey,
            String product,
            long delivered,
            long backlog,
            long lagMillis,
            Instant lastSuccess,
            Instant lastError,
            String errorCategory,
            String errorMessage,
            Instant failingSince,
            long gapFrom,
            long gapTo) {}
}
