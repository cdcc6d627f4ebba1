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

    /** Releases the connection; never throws a checked exception. */
    @Override
    void close();
}
