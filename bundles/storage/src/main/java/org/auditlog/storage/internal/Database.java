package org.auditlog.storage.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.apache.ibatis.datasource.pooled.PooledDataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open database: a connection pool, the migrated schema and the MyBatis session factory.
 *
 * <p>An embedded HSQLDB database lives in {@code <data>/db}. Its commits are made durable (write delay
 * off: every commit is synced to disk before it returns), and the folder is guarded by an operating
 * system file lock instead of HSQLDB's heartbeat lock file, which after a crash keeps the database shut
 * for several seconds; the operating system releases its lock the moment the process dies.
 */
final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    static final String HSQLDB_DRIVER = "org.hsqldb.jdbc.JDBCDriver";
    static final List<String> HSQLDB_SCRIPTS = List.of("V1__events_and_tokens.sql", "V2__inbox_and_products.sql",
            "V3__organizations.sql", "V4__exports_and_mail.sql", "V5__mail_failed.sql");

    private final String url;
    private final boolean embedded;
    private final PooledDataSource dataSource;
    private final SqlSessionFactory sessions;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private Database(String url, boolean embedded, PooledDataSource dataSource, SqlSessionFactory sessions,
            FileChannel lockChannel, FileLock lock) {
        this.url = url;
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.sessions = sessions;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens the embedded HSQLDB database under {@code dbDir}, creating and migrating it as needed. */
    static Database openEmbedded(Path dbDir, int maxConnections) throws SQLException, IOException {
        OwnerOnly.createDirectories(dbDir); // owner-only, as is every file in it (below)
        FileChannel channel = FileChannel.open(dbDir.resolve("auditlog.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this very JVM: the same answer as another process holding it
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new SQLException("the database in " + dbDir + " is in use by another server process");
        }
        String url = "jdbc:hsqldb:file:" + dbDir.resolve("auditlog").toAbsolutePath()
                + ";hsqldb.lock_file=false;hsqldb.tx=mvcc;sql.syntax_pgs=false";
        try {
            Database db = open(url, "SA", "", maxConnections, true, channel, lock);
            OwnerOnly.restrictTree(dbDir); // the files HSQLDB made at open, and any left readable by an older version
            return db;
        } catch (SQLException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /** Opens a database at a JDBC URL of the operator's choosing (an HSQLDB server, say). */
    static Database openUrl(String url, String user, String password, int maxConnections) throws SQLException {
        return open(url, user, password, maxConnections, false, null, null);
    }

    private static Database open(String url, String user, String password, int maxConnections, boolean embedded,
            FileChannel lockChannel, FileLock lock) throws SQLException {
        PooledDataSource ds = new PooledDataSource(Database.class.getClassLoader(), HSQLDB_DRIVER, url, user, password);
        ds.setPoolMaximumActiveConnections(maxConnections);
        ds.setPoolMaximumIdleConnections(maxConnections);
        ds.setDefaultAutoCommit(false);
        try (Connection c = ds.getConnection()) {
            try (Statement s = c.createStatement()) {
                // Sync the transaction log on every commit: an acknowledged record survives kill -9.
                s.execute("SET FILES WRITE DELAY FALSE");
                s.execute("SET DATABASE DEFAULT TABLE TYPE CACHED");
                // Large results (an export's month) spill to disk beyond this many rows instead of filling the heap.
                s.execute("SET DATABASE DEFAULT RESULT MEMORY ROWS 10000");
            }
            c.commit();
            new SchemaMigrator("db/hsqldb", HSQLDB_SCRIPTS).migrate(c);
        }
        SqlSessionFactory factory = buildFactory(ds);
        LOG.info("Opened audit store at {}", url);
        return new Database(url, embedded, ds, factory, lockChannel, lock);
    }

    private static SqlSessionFactory buildFactory(PooledDataSource ds) {
        // MyBatis reads mapper XML through the thread context class loader: make it this bundle's.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Database.class.getClassLoader());
        try {
            Configuration config = new Configuration(new Environment("auditlog", new JdbcTransactionFactory(), ds));
            config.getTypeHandlerRegistry().register(InstantTypeHandler.class);
            config.setDefaultStatementTimeout(60);
            config.addMapper(EventMapper.class);
            config.addMapper(TokenMapper.class);
            config.addMapper(InboxMapper.class);
            config.addMapper(OrganizationMapper.class);
            config.addMapper(ExportJobMapper.class);
            config.addMapper(DownloadTokenMapper.class);
            config.addMapper(MailMapper.class);
            return new SqlSessionFactoryBuilder().build(config);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    SqlSessionFactory sessions() {
        return sessions;
    }

    String url() {
        return url;
    }

    boolean isHealthy() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            if (embedded) {
                try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                } catch (SQLException e) {
                    LOG.warn("HSQLDB shutdown failed: {}", e.getMessage());
                }
            }
            dataSource.forceCloseAll();
        } finally {
            try {
                if (lock != null) {
                    lock.release();
                }
                if (lockChannel != null) {
                    lockChannel.close();
                }
            } catch (IOException e) {
                LOG.warn("Releasing the database lock failed: {}", e.getMessage());
            }
        }
    }
}
