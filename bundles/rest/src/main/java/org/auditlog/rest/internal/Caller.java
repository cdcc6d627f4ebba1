package org.auditlog.rest.internal;

import org.auditlog.api.store.TokenGrant;

/**
 * Who is calling: the operator, or the holder of a stored token.
 *
 * @param operator whether the operator token was presented
 * @param grant the stored token's grant, or {@code null} for the operator
 * @param session whether the token came from a browser session (the settings page) rather than a bearer header
 */
record Caller(boolean operator, TokenGrant grant, boolean session) {
    static final String PROPERTY = "auditlog.caller";

    Caller(boolean operator, TokenGrant grant) {
        this(operator, grant, false);
    }
}
