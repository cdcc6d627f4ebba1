package org.auditlog.api;

/** The store could not carry out a request; nothing of a failed write is kept. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
