package org.auditlog.api.store;

/**
 * A freshly issued token.
 *
 * @param token the bearer value to hand to the client; not stored anywhere in clear
 * @param grant what it allows
 * @since 1.0
 */
public record IssuedToken(String token, TokenGrant grant) {}
