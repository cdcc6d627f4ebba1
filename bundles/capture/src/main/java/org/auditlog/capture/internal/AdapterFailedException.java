package org.auditlog.capture.internal;

/** An adapter threw while translating; the payload is neither stored nor blamed on the sender. */
final class AdapterFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AdapterFailedException(String product, Throwable cause) {
        super("the " + product + " adapter failed to translate the payload: " + cause, cause);
    }
}
