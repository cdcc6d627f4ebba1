package org.auditlog.api;

/**
 * A freshly issued token.
 *
 * @param token the bearer value to hand to the client; not stored anywhere in clear
 * @param grant what it allows
 */
public record IssuedToken(String token, TokenGrant grant) {
}
