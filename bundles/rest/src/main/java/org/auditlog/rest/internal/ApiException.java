package org.auditlog.rest.internal;

/**
 * A request refused with an HTTP status and the JSON error body {@code {"error", "field", "detail"}}.
 * {@code error} is a stable machine-readable code, {@code field} the offending input (or null),
 * {@code detail} a sentence for people.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String field;
    private final Integer position;

    ApiException(int status, String error, String field, String detail) {
        this(status, error, field, detail, null);
    }

    private ApiException(int status, String error, String field, String detail, Integer position) {
        super(detail);
        this.status = status;
        this.error = error;
        this.field = field;
        this.position = position;
    }

    /** A search query ({@code q}) that cannot be read: where, and what was expected there. */
    static ApiException invalidQuery(int position, String detail) {
        return new ApiException(400, "invalid_query", "q", "at " + position + ": " + detail, position);
    }

    static ApiException badRequest(String field, String detail) {
        return new ApiException(400, "invalid_field", field, detail);
    }

    static ApiException notFound(String detail) {
        return new ApiException(404, "not_found", null, detail);
    }

    int status() {
        return status;
    }

    ErrorBody body() {
        return new ErrorBody(error, field, getMessage(), position);
    }
}
