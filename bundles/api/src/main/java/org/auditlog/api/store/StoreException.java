package org.auditlog.api.store;

/**
 * The store could not carry out a request; nothing of a failed write is kept.
 *
 * @since 1.0
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
