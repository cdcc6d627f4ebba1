package org.auditlog.rest.internal;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body of every 4xx and 5xx answer; {@code position} only for {@code invalid_query}: the 0-based character
 * offset in {@code q} where reading it failed.
 */
record ErrorBody(
        String error,
        String field,
        String detail,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer position) {
    ErrorBody(String error, String field, String detail) {
        this(error, field, detail, null);
    }
}
