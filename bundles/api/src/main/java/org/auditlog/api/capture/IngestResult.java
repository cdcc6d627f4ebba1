package org.auditlog.api.capture;

import java.util.List;
import org.auditlog.api.adapter.AuditRecord;

/**
 * What became of the events of one request.
 *
 * @param records the stored records with their ids, in request order; empty when the events were queued
 * @param queued how many events were put in the inbox instead (the product is known but its adapter is
 *        absent right now); they are translated and stored when an adapter for the product returns
 * @since 1.0
 */
public record IngestResult(List<AuditRecord> records, int queued) {

    /** Whether the events wait in the inbox rather than being stored already. */
    public boolean isQueued() {
        return queued > 0;
    }
}
