package org.auditlog.storage.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IpAddresses;
import org.auditlog.api.store.IpRange;
import org.auditlog.api.store.SearchClause;
import org.auditlog.api.store.SearchField;
import org.auditlog.api.store.SearchQuery;

/**
 * Whether a record matches a {@link SearchQuery}: every record a search reads is checked here, whatever the SQL
 * before it narrowed, so an index only ever decides which records are read, never which are given.
 */
final class SearchMatcher {
    private final SearchQuery query;
    private final List<Check> checks = new ArrayList<>();
    private final boolean needsWords;

    private interface Check {
        boolean test(AuditRecord r, Lazy words);
    }

    /** The words of the record's action, made once and only when a check needs them. */
    static final class Lazy {
        private final AuditRecord r;
        private List<String> words;

        Lazy(AuditRecord r) {
            this.r = r;
        }

        List<String> get() {
            if (words == null) {
                words = Words.of(r.action());
            }
            return words;
        }
    }

    SearchMatcher(SearchQuery query) {
        this.query = query;
        boolean text = false;
        for (SearchClause clause : query.clauses()) {
            Check any = any(clause);
            checks.add(clause.negated() ? (r, w) -> !any.test(r, w) : any);
            text |= clause.field() == SearchField.TEXT;
        }
        this.needsWords = text;
    }

    private static Check any(SearchClause clause) {
        Set<String> values = Set.copyOf(clause.values());
        switch (clause.field()) {
            case PRODUCT:
                return (r, w) -> values.contains(r.product());
            case CATEGORY:
                return (r, w) -> values.contains(r.category());
            case EVENT:
                return (r, w) -> values.contains(r.event());
            case ACTOR:
                return (r, w) -> values.contains(r.operationUserId())
                        || values.contains(r.operationUserName())
                        || values.contains(r.operationUserEmail());
            case IP: {
                List<IpRange> ranges =
                        clause.values().stream().map(IpRange::parse).toList();
                return (r, w) -> {
                    if (r.ipAddress().isEmpty() || !IpAddresses.isValid(r.ipAddress())) {
                        return false;
                    }
                    byte[] address = IpAddresses.bytes(r.ipAddress());
                    for (IpRange range : ranges) {
                        if (range.contains(address)) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            case TEXT: {
                List<String> phrase = Words.of(clause.values().get(0));
                return (r, w) -> Words.contains(w.get(), phrase);
            }
            default:
                throw new IllegalArgumentException("no such field: " + clause.field());
        }
    }

    /** Whether {@code r} is of the search's organization and range and matches every clause. */
    boolean matches(AuditRecord r) {
        if (!r.spaceKey().equals(query.spaceKey())
                || (query.from() != null && r.date().isBefore(query.from()))
                || (query.to() != null && !r.date().isBefore(query.to()))) {
            return false;
        }
        Lazy words = needsWords ? new Lazy(r) : null;
        for (Check check : checks) {
            if (!check.test(r, words)) {
                return false;
            }
        }
        return true;
    }
}
