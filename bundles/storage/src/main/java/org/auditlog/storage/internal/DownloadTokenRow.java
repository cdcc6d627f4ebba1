package org.auditlog.storage.internal;

import java.time.Instant;

/** One row of {@code download_token}. */
public record DownloadTokenRow(
        String id, String spaceKey, long jobId, String userId, String mailKey, byte[] secretHash, Instant created) {}
