package org.auditlog.api;

import java.util.Iterator;

/**
 * Records read one at a time from the store, oldest first, without holding them all in memory. The caller
 * must close it (try-with-resources); it holds a database connection while open.
 */
public interface RecordCursor extends Iterator<AuditRecord>, AutoCloseable {

    /** Releases the connection; never throws a checked exception. */
    @Override
    void close();
}
