package org.auditlog.storage.internal;

import java.time.Instant;

/** One row of {@code api_token}. */
public record TokenRow(
        String id,
        String kind,
        String product,
        String spaceKey,
        String userId,
        byte[] secretHash,
        Instant created,
        Instant revoked,
        Instant expires) {}
