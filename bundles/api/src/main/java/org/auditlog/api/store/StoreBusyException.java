package org.auditlog.api.store;

/**
 * The store refused a read because it is saturated, not because it is down: no read connection became free
 * within the bounded wait ({@link Reason#BUSY}), or the statement ran past the store's statement timeout
 * ({@link Reason#QUERY_TIMEOUT}). Nothing was written; the same request may succeed later (a narrower search
 * for a timeout).
 *
 * @since 1.0
 */
public class StoreBusyException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** Why the read was refused. */
    public enum Reason {
        /** Every read connection stayed in use for the whole bounded wait. */
        BUSY,
        /** The statement ran past the statement timeout and was stopped. */
        QUERY_TIMEOUT
    }

    private final Reason reason;

    public StoreBusyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
