package org.auditlog.storage.internal;

import java.time.Instant;

/**
 * One row of {@code stream}: the settings and filters as their JSON text ({@link JsonText}), {@code nameScope} the
 * organization or {@code ""} for a server-wide stream (what its name is unique in).
 */
public record StreamRow(
        String id,
        String spaceKey,
        String nameScope,
        String name,
        String type,
        String settings,
        byte[] sealedSecrets,
        String products,
        String categories,
        String state,
        String pausedBy,
        Instant created,
        Instant updated,
        long revision) {}
