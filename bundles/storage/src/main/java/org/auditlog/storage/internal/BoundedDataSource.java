package org.auditlog.storage.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * One pool of connections with a bounded wait: at most {@code size} connections are handed out at once, and a
 * caller that finds them all in use waits at most {@code waitMillis} (first come, first served) before it gets
 * {@link PoolBusyException}.
 *
 * <p>The pool inside is HikariCP's, of the same size (Database). Its own {@code connectionTimeout} bounds the
 * making of a connection; the permits here keep what Hikari has no words for: a wait in the order of arrival
 * with the store's answer ({@link PoolBusyException}, answered 503 busy), and the share of time searches may
 * take ({@link TimeBudget}). They never let more than {@code size} connections out of the pool, so it always has
 * one free for a permit holder.
 */
final class BoundedDataSource implements DataSource {
    private final String name;
    private final DataSource pool;
    private final Semaphore permits;
    private final int size;
    private final long waitMillis;
    private final TimeBudget budget;

    BoundedDataSource(String name, DataSource pool, int size, long waitMillis) {
        this(name, pool, size, waitMillis, null);
    }

    /**
     * @param budget the share of connection time the pool may use, or {@code null} for no limit: a caller
     *        waits (within {@code waitMillis}) while it is spent
     */
    BoundedDataSource(String name, DataSource pool, int size, long waitMillis, TimeBudget budget) {
        if (size < 1) {
            throw new IllegalArgumentException(name + " connections must be at least 1, not " + size);
        }
        this.name = name;
        this.pool = pool;
        this.size = size;
        this.waitMillis = waitMillis;
        this.budget = budget;
        this.permits = new Semaphore(size, true);
    }

    /** Thrown by {@link #getConnection()} when no connection became free within the wait. */
    static final class PoolBusyException extends SQLTransientConnectionException {
        private static final long serialVersionUID = 1L;

        PoolBusyException(String message) {
            super(message, SqlFailures.CANNOT_CONNECT);
        }
    }

    String name() {
        return name;
    }

    int size() {
        return size;
    }

    long waitMillis() {
        return waitMillis;
    }

    /** Connections handed out now. */
    int inUse() {
        return size - permits.availablePermits();
    }

    @Override
    public Connection getConnection() throws SQLException {
        long start = System.nanoTime();
        long wait = TimeUnit.MILLISECONDS.toNanos(waitMillis);
        try {
            if (budget != null) {
                for (long until = budget.nanosUntilAvailable(); until > 0; until = budget.nanosUntilAvailable()) {
                    long left = wait - (System.nanoTime() - start);
                    if (until > left) {
                        throw new PoolBusyException(name + " connections have used their share (" + budget.percent()
                                + "% of their time) and none is free within " + waitMillis + " ms");
                    }
                    TimeUnit.NANOSECONDS.sleep(until);
                }
            }
            long left = Math.max(0, wait - (System.nanoTime() - start));
            if (!permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                throw new PoolBusyException(
                        "all " + size + " " + name + " connections stayed in use for " + waitMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PoolBusyException("interrupted while waiting for a " + name + " connection");
        }
        Connection c;
        try {
            c = pool.getConnection();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
        return wrap(c);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool's credentials are fixed");
    }

    /** The connection, giving its permit back when it is closed (once, however often close is called). */
    private Connection wrap(Connection c) {
        AtomicBoolean closed = new AtomicBoolean();
        long handedOut = budget == null ? 0 : budget.now();
        InvocationHandler handler = (proxy, method, args) -> {
            String m = method.getName();
            if ("close".equals(m) && method.getParameterCount() == 0) {
                if (closed.compareAndSet(false, true)) {
                    try {
                        c.close();
                    } finally {
                        if (budget != null) {
                            budget.spend(budget.now() - handedOut);
                        }
                        permits.release();
                    }
                }
                return null;
            }
            if ("isClosed".equals(m) && method.getParameterCount() == 0 && closed.get()) {
                return true;
            }
            try {
                return method.invoke(c, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(
                BoundedDataSource.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    /** Closes the pool and every connection of it. */
    void close() {
        if (pool instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the " + name + " pool failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger(Logger.GLOBAL_LOGGER_NAME);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
