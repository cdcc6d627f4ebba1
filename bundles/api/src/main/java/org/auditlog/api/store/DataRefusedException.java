package org.auditlog.api.store;

/**
 * The store refused the data itself (a value a column cannot hold, a constraint it breaks: SQLState classes 22
 * and 23), as opposed to being unable to write it now (database down, connection lost). Writing the same data
 * again gives the same answer, so a caller does not retry it.
 *
 * @since 1.0
 */
public class DataRefusedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public DataRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
