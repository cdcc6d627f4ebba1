package org.auditlog.api.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A search over one organization's records: those dated in {@code [from, to)} that match every clause.
 *
 * @param spaceKey the organization (required)
 * @param from only records dated at or after this instant, or {@code null}
 * @param to only records dated before this instant, or {@code null}
 * @param clauses every one must match (none: every record of the range)
 * @since 1.5
 */
public record SearchQuery(String spaceKey, Instant from, Instant to, List<SearchClause> clauses) {
    public SearchQuery {
        Objects.requireNonNull(spaceKey, "spaceKey");
        clauses = List.copyOf(clauses);
    }

    /** The search of an {@link EventQuery}'s filters. */
    public static SearchQuery of(EventQuery q) {
        List<SearchClause> clauses = new java.util.ArrayList<>();
        if (q.product() != null) {
            clauses.add(SearchClause.of(SearchField.PRODUCT, false, q.product()));
        }
        if (q.category() != null) {
            clauses.add(SearchClause.of(SearchField.CATEGORY, false, q.category()));
        }
        if (q.event() != null) {
            clauses.add(SearchClause.of(SearchField.EVENT, false, q.event()));
        }
        if (q.user() != null) {
            clauses.add(SearchClause.of(SearchField.ACTOR, false, q.user()));
        }
        return new SearchQuery(q.spaceKey(), q.from(), q.to(), clauses);
    }
}
