package org.auditlog.rest.internal;

import org.auditlog.api.TokenGrant;

/**
 * Who is calling: the operator, or the holder of a stored token.
 *
 * @param operator whether the operator token was presented
 * @param grant the stored token's grant, or {@code null} for the operator
 */
record Caller(boolean operator, TokenGrant grant) {
    static final String PROPERTY = "auditlog.caller";
}
