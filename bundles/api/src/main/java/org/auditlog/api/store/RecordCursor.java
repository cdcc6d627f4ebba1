package org.auditlog.api.store;

import java.util.Iterator;
import org.auditlog.api.adapter.AuditRecord;

/**
 * Records read one at a time from the store, oldest first, without holding them all in memory. The caller
 * must close it (try-with-resources); it holds a database connection while open.
 *
 * @since 1.0
 */
public interface RecordCursor extends Iterator<AuditRecord>, AutoCloseable {

    /**
     * The sequence number of the record {@link #next} returned last: its index in the tree of its organization and
     * product ({@link org.auditlog.api.evidence.EvidenceStore}), or -1 for a record stored before the log was kept.
     *
     * @since 1.2
     */
    default long sequence() {
        return -1;
    }

    /** Releases the connection; never throws a checked exception. */
    @Override
    void close();
}
