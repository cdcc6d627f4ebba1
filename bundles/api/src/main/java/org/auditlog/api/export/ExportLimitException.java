package org.auditlog.api.export;

import java.time.Duration;
import org.auditlog.api.access.PolicyException;

/**
 * A request for a current-month export refused by a bound on export requests (docs/exports.md): another export of
 * the organization and product is queued or running, or the member or the organization asked for as many today as
 * the export configuration allows. {@link #rule()} names the bound, {@link #retryAfter()} when asking again may
 * succeed; the REST API answers it 429 with {@code Retry-After}. Thrown by {@link ExportService}.
 *
 * @since 1.1
 */
public class ExportLimitException extends PolicyException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public ExportLimitException(String rule, String field, String detail, Duration retryAfter) {
        super(Kind.CONFLICT, rule, field, detail);
        this.retryAfter = retryAfter;
    }

    /** How long to wait before asking again: until the export ends, or until the next day (UTC). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
