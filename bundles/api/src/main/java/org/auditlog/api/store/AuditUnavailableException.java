package org.auditlog.api.store;

/**
 * An audited action was refused because its record could not be written to the organization's log (the
 * store is down, the write queue is full, no capture service is running). The action did not take place, or
 * was undone: an action and its record never part.
 *
 * @since 1.0
 */
public class AuditUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
