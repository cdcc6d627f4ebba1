package org.auditlog.storage.internal;

import java.sql.SQLException;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.auditlog.api.store.StoreException;

/**
 * Runs a store's work on a session of one pool, and reports its failure once: a read in auto-commit, a write in
 * one transaction, committed when the work returns and rolled back when it throws, the failure turned into the
 * store's exception by {@link SqlFailures} ("what" failed, then the driver's words). The work reaches the database
 * through the session's mappers, or through {@link SqlSession#getConnection()} where a store's SQL is plain JDBC;
 * either way the session commits and rolls back the connection (forced: MyBatis does not know that plain JDBC on
 * its connection wrote anything, and on close it turns auto-commit back on, which would commit what did go in).
 * An {@link IllegalArgumentException} of the work (the caller asked for what cannot be) is the caller's, not the
 * store's, and goes through as it is.
 */
final class Transactions {
    /** The work of one read or one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(SqlSession session) throws SQLException;
    }

    /** Work that gives nothing back. */
    @FunctionalInterface
    interface Step {
        void run(SqlSession session) throws SQLException;
    }

    private final SqlSessionFactory sessions;

    Transactions(SqlSessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Reads in auto-commit; a failure is a {@link StoreException} reading {@code what} and why. */
    <T> T read(String what, Work<T> work) {
        return read(what, work, SqlFailures::failure);
    }

    /** Reads in auto-commit; a failure is reported by {@code report}. */
    <T> T read(String what, Work<T> work, SqlFailures.Report report) {
        try (SqlSession session = sessions.openSession(true)) {
            return work.run(session);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw report.of(what, e);
        }
    }

    /** Runs {@code work} in one transaction; a failure is a {@link StoreException} reading {@code what} and why. */
    <T> T write(String what, Work<T> work) {
        return write(what, ExecutorType.SIMPLE, work, SqlFailures::failure);
    }

    /** {@link #write(String, Work)} for work that gives nothing back. */
    void update(String what, Step step) {
        write(
                what,
                ExecutorType.SIMPLE,
                session -> {
                    step.run(session);
                    return null;
                },
                SqlFailures::failure);
    }

    /**
     * Runs {@code work} in one transaction of a session with that executor ({@link ExecutorType#REUSE}: one
     * prepared statement for a mapped statement run many times); a failure is reported by {@code report}.
     */
    <T> T write(String what, ExecutorType executor, Work<T> work, SqlFailures.Report report) {
        try (SqlSession session = sessions.openSession(executor, false)) {
            try {
                T out = work.run(session);
                session.commit(true);
                return out;
            } catch (SQLException | RuntimeException e) {
                session.rollback(true);
                throw e;
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw report.of(what, e);
        }
    }
}
