package org.auditlog.storage.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Predicate;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.StoreBusyException;
import org.auditlog.api.store.StoreException;

/**
 * What a failure of the database means, and the exception a store reports it with. Every SQLState the stores
 * look at is written here, once; a failure is searched for them through its causes (MyBatis wraps the driver's
 * exception, and the driver may wrap its own) and the chained exceptions of a batch.
 *
 * <ul>
 * <li>class 22 (data exception) and 23 (integrity constraint violation): the database refused the data, and
 * writing it again cannot change that ({@link #isDataRefusal}); 23505 is a unique key
 * ({@link #isUniqueViolation}), 23503 a foreign key ({@link #isForeignKeyViolation}), 23514 with "no partition" a month whose partition is missing
 * ({@link #isMissingPartition}, the store's to mend, not a refusal);</li>
 * <li>class 08 (connection exception): the database cannot be reached ({@link #isUnreachable});</li>
 * <li>HSQLDB's 40502 and PostgreSQL's 57014: a statement stopped at its timeout ({@link #isQueryTimeout});</li>
 * <li>no connection of a pool free in time ({@link #isPoolBusy}).</li>
 * </ul>
 */
final class SqlFailures {
    /** Unique violation: a unique or primary key refused a row. */
    static final String UNIQUE_VIOLATION = "23505";
    /** Foreign key violation: a row names a row of another table that is not there (a stream's place, its stream). */
    static final String FOREIGN_KEY_VIOLATION = "23503";
    /** Check violation; PostgreSQL's answer to a row dated in a month without a partition. */
    static final String CHECK_VIOLATION = "23514";
    /** Connection exception, "SQL client unable to establish SQL connection": a pool had no connection in time. */
    static final String CANNOT_CONNECT = "08001";
    /** Object not in prerequisite state: a row the write expects (an evidence tree's) is missing. */
    static final String NOT_IN_PREREQUISITE_STATE = "55000";
    /** Feature not supported: a PostgreSQL older than the store needs. */
    static final String FEATURE_NOT_SUPPORTED = "0A000";
    /** HSQLDB's "statement execution aborted: timeout reached" (error code -4872). */
    static final String HSQLDB_TIMEOUT = "40502";
    /** PostgreSQL's "canceling statement due to statement timeout" (query_canceled). */
    static final String POSTGRESQL_CANCELED = "57014";

    private SqlFailures() {}

    /** Turns a failure into the exception a store reports: given what failed ("could not ...: ") and why. */
    @FunctionalInterface
    interface Report {
        StoreException of(String what, Throwable e);
    }

    /**
     * A {@link StoreException} reading {@code what} and the failure's root message (retry later); a
     * {@link StoreException} already made is reported as it is.
     */
    static StoreException failure(String what, Throwable e) {
        if (e instanceof StoreException s) {
            return s;
        }
        return new StoreException(what + rootMessage(e), e);
    }

    /**
     * The exception for a failed write of records: a {@link DataRefusedException} when the database refused the
     * data itself, which writing it again cannot change; otherwise a {@link StoreException} (retry later).
     */
    static StoreException writeFailure(String what, Throwable e) {
        if (e instanceof StoreException s) {
            return s;
        }
        String message = what + rootMessage(e);
        // a month without its partition (another server just dropped it) is the store's to mend, not the data's fault
        return isDataRefusal(e) && !isMissingPartition(e)
                ? new DataRefusedException(message, e)
                : new StoreException(message, e);
    }

    /**
     * The exception for a failed read: {@link StoreBusyException} when no connection of the pool became free in
     * time ({@link #isPoolBusy}) or when the database stopped the statement at its timeout
     * ({@link #isQueryTimeout}); else a {@link StoreException}.
     */
    static StoreException readFailure(String what, Throwable e) {
        if (e instanceof StoreException s) {
            return s;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isPoolBusy(t)) {
                return new StoreBusyException(
                        StoreBusyException.Reason.BUSY, "the store is busy: " + t.getMessage(), e);
            }
            if (isQueryTimeout(t)) {
                return new StoreBusyException(
                        StoreBusyException.Reason.QUERY_TIMEOUT,
                        "the search ran past the statement timeout and was stopped: " + t.getMessage(),
                        e);
            }
        }
        return new StoreException(what + rootMessage(e), e);
    }

    /** The message of the innermost cause: the driver's own words. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /**
     * Whether the database refused the data (SQLState class 22, data exception, or 23, integrity constraint
     * violation). Connection and transaction failures (classes 08, 40, 57, ...) are not refusals: the same write
     * may succeed later.
     */
    static boolean isDataRefusal(Throwable e) {
        return anySql(
                e,
                s -> s.getSQLState() != null
                        && (s.getSQLState().startsWith("22") || s.getSQLState().startsWith("23")));
    }

    /** Whether a unique key refused a row (SQLState 23505). */
    static boolean isUniqueViolation(Throwable e) {
        return anySql(e, s -> UNIQUE_VIOLATION.equals(s.getSQLState()));
    }

    /** Whether a foreign key refused a row (SQLState 23503). */
    static boolean isForeignKeyViolation(Throwable e) {
        return anySql(e, s -> FOREIGN_KEY_VIOLATION.equals(s.getSQLState()));
    }

    /** Whether an insert failed for want of a partition (SQLState 23514, "no partition of relation ... found"). */
    static boolean isMissingPartition(Throwable e) {
        return anySql(
                e,
                s -> CHECK_VIOLATION.equals(s.getSQLState())
                        && String.valueOf(s.getMessage()).contains("no partition"));
    }

    /** A connection failure (SQLState class 08, or a pool that could not get one) rather than a refusal. */
    static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLException s
                            && s.getSQLState() != null
                            && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a pool had no connection free within its wait ({@link BoundedDataSource.PoolBusyException}). */
    static boolean isPoolBusy(Throwable t) {
        return t instanceof BoundedDataSource.PoolBusyException;
    }

    /**
     * Whether the database stopped a statement at its timeout (HSQLDB: SQLState 40502; PostgreSQL: 57014; other
     * drivers say {@link SQLTimeoutException}).
     */
    static boolean isQueryTimeout(Throwable t) {
        return t instanceof SQLTimeoutException
                || t instanceof SQLException s
                        && (HSQLDB_TIMEOUT.equals(s.getSQLState()) || POSTGRESQL_CANCELED.equals(s.getSQLState()));
    }

    /**
     * Whether a SQL exception in the cause chain, or one chained to it ({@link SQLException#getNextException},
     * the rows of a batch), passes the test.
     */
    private static boolean anySql(Throwable e, Predicate<SQLException> test) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException s) {
                if (test.test(s)) {
                    return true;
                }
                if (s.getNextException() != null) {
                    todo.push(s.getNextException());
                }
            }
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
        }
        return false;
    }
}
