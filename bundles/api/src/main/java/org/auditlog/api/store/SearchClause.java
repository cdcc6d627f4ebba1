package org.auditlog.api.store;

import java.util.List;
import java.util.Objects;

/**
 * One condition of a {@link SearchQuery}: a record matches when its {@code field} matches one of {@code values}
 * (or, negated, none of them). A {@link SearchField#TEXT} clause holds one phrase: a record matches when the
 * phrase appears in its action (or, negated, does not).
 *
 * @param field what the clause compares
 * @param negated true for "none of the values"
 * @param values at least one; for {@link SearchField#TEXT}, exactly one
 * @since 1.5
 */
public record SearchClause(SearchField field, boolean negated, List<String> values) {
    public SearchClause {
        Objects.requireNonNull(field, "field");
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a clause needs at least one value");
        }
        if (field == SearchField.TEXT && values.size() != 1) {
            throw new IllegalArgumentException("a text clause holds one phrase");
        }
    }

    /** A clause of one value. */
    public static SearchClause of(SearchField field, boolean negated, String value) {
        return new SearchClause(field, negated, List.of(value));
    }
}
