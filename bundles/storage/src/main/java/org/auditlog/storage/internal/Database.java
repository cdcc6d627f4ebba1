package org.auditlog.storage.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.hsqldb.jdbc.JDBCDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open database: three connection pools, the migrated schema and a MyBatis session factory per pool.
 *
 * <p>The pools keep readers and writers apart ({@link Pools}): the <em>write</em> pool serves every store but
 * the reads of events (the group committer's appends, the inbox, tokens, organizations, jobs, the outbox), the
 * <em>read</em> pool the event searches (with a statement timeout and a bounded wait for a connection), and the
 * <em>export</em> pool the export streams and their counts (no statement timeout: a month of a large
 * organization is read in one statement). However many searches run, writes keep their connections; and since
 * HSQLDB runs a statement on the calling thread, the read pool's size is also the most cores searches can take.
 *
 * <p>An embedded HSQLDB database lives in {@code <data>/db}. Its commits are made durable (write delay
 * off: every commit is synced to disk before it returns), and the folder is guarded by an operating
 * system file lock instead of HSQLDB's heartbeat lock file, which after a crash keeps the database shut
 * for several seconds; the operating system releases its lock the moment the process dies.
 */
final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    static final List<String> HSQLDB_SCRIPTS = Dialect.HSQLDB.scripts();
    /** How long a new connection may take before the pool gives up (a PostgreSQL server down, say). */
    static final long CONNECT_MILLIS = 10_000;

    /** How long a write waits for a connection of its pool before it fails (the pool should never run out). */
    static final long WRITE_WAIT_MILLIS = 60_000;
    /** How long an export waits for an export connection: exports are few, long, and mostly background jobs. */
    static final long EXPORT_WAIT_MILLIS = 120_000;

    /**
     * Sizes of the pools, the bounded wait of a reader, the readers' statement timeout and share of time.
     *
     * @param writeConnections connections for everything but the reads of events
     * @param readConnections connections for event searches; also the most cores searches can take
     * @param exportConnections connections for export streams and their counts
     * @param readWaitMillis how long a search waits for a read connection before it is refused as busy
     * @param queryTimeoutSeconds how long a search's statement may run before it is stopped (0: no limit)
     * @param readBusyPercent the most of the read connections' time searches may use (100: no limit)
     */
    record Pools(
            int writeConnections,
            int readConnections,
            int exportConnections,
            long readWaitMillis,
            int queryTimeoutSeconds,
            int readBusyPercent) {
        static final int DEFAULT_WRITE = 6;
        static final int DEFAULT_EXPORT = 2;
        static final long DEFAULT_READ_WAIT_MILLIS = 2000;
        static final int DEFAULT_QUERY_TIMEOUT_SECONDS = 10;
        static final int DEFAULT_READ_BUSY_PERCENT = 25;

        Pools {
            if (writeConnections < 1 || readConnections < 1 || exportConnections < 1) {
                throw new IllegalArgumentException("every pool needs at least one connection: write " + writeConnections
                        + ", read " + readConnections + ", export " + exportConnections);
            }
            if (readWaitMillis < 0 || queryTimeoutSeconds < 0) {
                throw new IllegalArgumentException("readWaitMillis and queryTimeoutSeconds cannot be negative");
            }
            if (readBusyPercent < 1 || readBusyPercent > 100) {
                throw new IllegalArgumentException("searchBusyPercent is 1 to 100, not " + readBusyPercent);
            }
        }

        /** Pools whose searches may use all of the read connections' time. */
        Pools(
                int writeConnections,
                int readConnections,
                int exportConnections,
                long readWaitMillis,
                int queryTimeoutSeconds) {
            this(writeConnections, readConnections, exportConnections, readWaitMillis, queryTimeoutSeconds, 100);
        }

        /** Read connections when the configuration says 0: half the processors, at least one. */
        static int automaticReadConnections() {
            return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        }

        /** The defaults, with this many write connections. */
        static Pools withWrite(int writeConnections) {
            return new Pools(
                    writeConnections,
                    automaticReadConnections(),
                    DEFAULT_EXPORT,
                    DEFAULT_READ_WAIT_MILLIS,
                    DEFAULT_QUERY_TIMEOUT_SECONDS,
                    DEFAULT_READ_BUSY_PERCENT);
        }
    }

    private final String url;
    /** The credentials of a connection outside the pools ({@link #directConnection}). */
    private final String user;

    private final String password;
    private final Dialect dialect;
    private final boolean embedded;
    /** The monthly partitions of the events (PostgreSQL), or null (HSQLDB keeps one table). */
    private final Partitions partitions;
    /** Every (user id, name, email) this database's records carry: one directory, whatever stores use it. */
    private final UserDirectory users;
    /** The words and counts of the search language, written beside the records. */
    private final SearchIndex searchIndex;

    private final Pools pools;
    private final BoundedDataSource writePool;
    private final BoundedDataSource readPool;
    private final BoundedDataSource exportPool;
    private final SqlSessionFactory sessions;
    private final SqlSessionFactory readSessions;
    private final SqlSessionFactory exportSessions;
    /** Reads and transactions on the write pool's sessions. */
    private final Transactions transactions;

    private final FileChannel lockChannel;
    private final FileLock lock;

    /** Statement timeout of the write pool's mapped statements (as before the pools were split). */
    private static final int WRITE_STATEMENT_TIMEOUT_SECONDS = 60;

    private Database(
            String url,
            String user,
            String password,
            Dialect dialect,
            boolean embedded,
            Pools pools,
            BoundedDataSource writePool,
            BoundedDataSource readPool,
            BoundedDataSource exportPool,
            Partitions partitions,
            FileChannel lockChannel,
            FileLock lock) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.dialect = dialect;
        this.users = new UserDirectory(dialect);
        this.searchIndex = new SearchIndex(dialect);
        this.embedded = embedded;
        this.partitions = partitions;
        this.pools = pools;
        this.writePool = writePool;
        this.searchIndex.readStateFrom(writePool);
        this.readPool = readPool;
        this.exportPool = exportPool;
        this.sessions = buildFactory(dialect, writePool, WRITE_STATEMENT_TIMEOUT_SECONDS, true);
        this.readSessions = buildFactory(dialect, readPool, pools.queryTimeoutSeconds(), false);
        this.exportSessions = buildFactory(dialect, exportPool, 0, false);
        this.transactions = new Transactions(sessions);
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens the embedded HSQLDB database with the default pools and this many write connections. */
    static Database openEmbedded(Path dbDir, int writeConnections) throws SQLException, IOException {
        return openEmbedded(dbDir, Pools.withWrite(writeConnections));
    }

    /** Opens the embedded HSQLDB database under {@code dbDir}, creating and migrating it as needed. */
    static Database openEmbedded(Path dbDir, Pools pools) throws SQLException, IOException {
        OwnerOnly.createDirectories(dbDir); // owner-only, as is every file in it (below)
        FileChannel channel =
                FileChannel.open(dbDir.resolve("auditlog.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
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
            Database db = open(Dialect.HSQLDB, url, "SA", "", pools, true, channel, lock);
            OwnerOnly.restrictTree(dbDir); // the files HSQLDB made at open, and any left readable by an older version
            return db;
        } catch (SQLException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /**
     * Opens a database at a JDBC URL of the operator's choosing: PostgreSQL ({@code jdbc:postgresql:}) or an
     * HSQLDB server ({@code jdbc:hsqldb:}), creating and migrating its schema as needed.
     */
    static Database openUrl(String url, String user, String password, Pools pools) throws SQLException {
        return open(Dialect.of(url), url, user, password, pools, false, null, null);
    }

    private static Database open(
            Dialect dialect,
            String url,
            String user,
            String password,
            Pools pools,
            boolean embedded,
            FileChannel lockChannel,
            FileLock lock)
            throws SQLException {
        BoundedDataSource write =
                pool(dialect, "write", url, user, password, pools.writeConnections(), WRITE_WAIT_MILLIS, null);
        BoundedDataSource read = pool(
                dialect,
                "read",
                url,
                user,
                password,
                pools.readConnections(),
                pools.readWaitMillis(),
                pools.readBusyPercent() >= 100
                        ? null
                        : new TimeBudget(pools.readBusyPercent(), pools.readConnections(), System::nanoTime));
        BoundedDataSource export =
                pool(dialect, "export", url, user, password, pools.exportConnections(), EXPORT_WAIT_MILLIS, null);
        Partitions partitions = null;
        try {
            try (Connection c = write.getConnection()) {
                if (dialect == Dialect.HSQLDB) {
                    try (Statement s = c.createStatement()) {
                        // Sync the transaction log on every commit: an acknowledged record survives kill -9.
                        s.execute("SET FILES WRITE DELAY FALSE");
                        s.execute("SET DATABASE DEFAULT TABLE TYPE CACHED");
                        // Large results (an export's month) spill to disk beyond this many rows instead of filling
                        // the heap.
                        s.execute("SET DATABASE DEFAULT RESULT MEMORY ROWS 10000");
                    }
                    c.commit();
                } else {
                    PostgresServer.check(c);
                }
                new SchemaMigrator(dialect).migrate(c);
                if (embedded) {
                    // the folder's lock says no other process has the database: every lease and claim in it is
                    // of a process that has ended, and goes now rather than when it would run out
                    try (Statement s = c.createStatement()) {
                        s.execute("DELETE FROM lease");
                        s.execute(
                                "UPDATE export_job SET claimed_by = NULL, claim_expires = NULL WHERE claimed_by IS NOT NULL");
                        s.execute("UPDATE mail_outbox SET claimed_until = NULL WHERE claimed_until IS NOT NULL");
                    }
                    c.commit();
                }
            }
            if (dialect == Dialect.POSTGRESQL) {
                partitions = new Partitions(write);
                partitions.start(Instant.now());
            }
        } catch (SQLException | RuntimeException e) {
            read.close();
            export.close();
            write.close();
            throw e;
        }
        LOG.info(
                "Opened audit store at {}: {} write, {} read ({} ms wait, {} s statement timeout, {}% of their time), "
                        + "{} export connections",
                PostgresServer.withoutSecrets(url),
                pools.writeConnections(),
                pools.readConnections(),
                pools.readWaitMillis(),
                pools.queryTimeoutSeconds(),
                pools.readBusyPercent(),
                pools.exportConnections());
        return new Database(
                url, user, password, dialect, embedded, pools, write, read, export, partitions, lockChannel, lock);
    }

    private static BoundedDataSource pool(
            Dialect dialect,
            String name,
            String url,
            String user,
            String password,
            int size,
            long waitMillis,
            TimeBudget budget) {
        DataSource connections;
        if (dialect == Dialect.POSTGRESQL) {
            PGSimpleDataSource pg = postgres(url, user, password, "auditlog " + name);
            pg.setReWriteBatchedInserts(true);
            connections = pg;
        } else {
            JDBCDataSource hsqldb = new JDBCDataSource();
            hsqldb.setUrl(url);
            hsqldb.setUser(user);
            hsqldb.setPassword(password);
            connections = hsqldb;
        }
        return new BoundedDataSource(name, hikari(dialect, name, connections, size), size, waitMillis, budget);
    }

    /**
     * HikariCP on the driver's plain data source, for both databases: a pool that checks a connection before it
     * hands it out and replaces the broken ones, so that after a restart of PostgreSQL (or of an HSQLDB server) the
     * next request finds a working connection; the driver's own pooling data sources are deprecated (PostgreSQL's)
     * or check nothing. Multi-row inserts for batches on PostgreSQL ({@code reWriteBatchedInserts}).
     *
     * <p>On HSQLDB no connection is kept idle ({@code minimumIdle} 0): the pool then never opens a connection by
     * itself, so none reopens an embedded database after its {@code SHUTDOWN} ({@link #close}).
     */
    private static HikariDataSource hikari(Dialect dialect, String name, DataSource connections, int size) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(connections);
        config.setPoolName("auditlog-" + name);
        config.setAutoCommit(false);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(dialect == Dialect.POSTGRESQL ? Math.min(size, 2) : 0);
        config.setConnectionTimeout(CONNECT_MILLIS);
        // Connections are made when first needed: the migration right after this tells whether the server answers.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** The driver's plain data source for a URL; an empty user or password is left to the driver. */
    private static PGSimpleDataSource postgres(String url, String user, String password, String applicationName) {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(url);
        if (!user.isEmpty()) {
            pg.setUser(user);
        }
        if (!password.isEmpty()) {
            pg.setPassword(password);
        }
        pg.setApplicationName(applicationName);
        return pg;
    }

    /**
     * A session factory on one pool; {@code allMappers} for the write pool, only {@link EventMapper} for the
     * pools that read events. {@code statementTimeoutSeconds} 0 leaves statements without a timeout.
     */
    private static SqlSessionFactory buildFactory(
            Dialect dialect, DataSource ds, int statementTimeoutSeconds, boolean allMappers) {
        // MyBatis reads mapper XML through the thread context class loader: make it this bundle's.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Database.class.getClassLoader());
        try {
            Configuration config = new Configuration(new Environment("auditlog", new JdbcTransactionFactory(), ds));
            // statements marked databaseId="postgresql" (or "hsqldb") replace the unmarked ones of the same id
            config.setDatabaseId(dialect.id());
            config.getTypeHandlerRegistry().register(InstantTypeHandler.class);
            if (statementTimeoutSeconds > 0) {
                config.setDefaultStatementTimeout(statementTimeoutSeconds);
            }
            config.addMapper(EventMapper.class);
            if (!allMappers) {
                return new SqlSessionFactoryBuilder().build(config);
            }
            config.addMapper(TokenMapper.class);
            config.addMapper(InboxMapper.class);
            config.addMapper(OrganizationMapper.class);
            config.addMapper(ExportJobMapper.class);
            config.addMapper(DownloadTokenMapper.class);
            config.addMapper(MailMapper.class);
            config.addMapper(LeaseMapper.class);
            config.addMapper(StreamMapper.class);
            return new SqlSessionFactoryBuilder().build(config);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Sessions of the write pool: every store but the reads of events. */
    SqlSessionFactory sessions() {
        return sessions;
    }

    /** Reads and transactions of every store but the reads of events: on the write pool's sessions. */
    Transactions transactions() {
        return transactions;
    }

    /** The directory of the users this database's records carry. */
    UserDirectory users() {
        return users;
    }

    /** The words and counts of the search language. */
    SearchIndex searchIndex() {
        return searchIndex;
    }

    /** Sessions of the read pool (event searches), with the statement timeout of {@link Pools}. */
    SqlSessionFactory readSessions() {
        return readSessions;
    }

    /** Sessions of the export pool (export streams and their counts), without a statement timeout. */
    SqlSessionFactory exportSessions() {
        return exportSessions;
    }

    Pools pools() {
        return pools;
    }

    Dialect dialect() {
        return dialect;
    }

    /** The monthly partitions of the events on PostgreSQL; null on HSQLDB. */
    Partitions partitions() {
        return partitions;
    }

    BoundedDataSource readPool() {
        return readPool;
    }

    BoundedDataSource writePool() {
        return writePool;
    }

    BoundedDataSource exportPool() {
        return exportPool;
    }

    String url() {
        return url;
    }

    /** A PostgreSQL connection of its own, outside the pools, for a session that lasts (LISTEN). */
    Connection directConnection() throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            throw new SQLException("only PostgreSQL connections are made outside the pools");
        }
        PGSimpleDataSource pg = postgres(url, user, password, "auditlog notices");
        pg.setTcpKeepAlive(true);
        return pg.getConnection();
    }

    boolean isHealthy() {
        try (Connection c = writePool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            if (embedded) {
                try (Connection c = writePool.getConnection();
                        Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                } catch (SQLException e) {
                    LOG.warn("HSQLDB shutdown failed: {}", e.getMessage());
                }
            }
            readPool.close();
            exportPool.close();
            writePool.close();
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
