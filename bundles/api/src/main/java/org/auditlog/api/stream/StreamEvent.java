package org.auditlog.api.stream;

import java.util.Objects;
import org.auditlog.api.adapter.AuditRecord;

/**
 * One event of a batch: the V1 record and its sequence, its position (from 0) in the log of its organization and
 * product, which is the same for every stream and every delivery of it.
 *
 * @since 1.0
 */
public record StreamEvent(long sequence, AuditRecord record) {
    public StreamEvent {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative: " + sequence);
        }
        Objects.requireNonNull(record, "record");
    }
}
