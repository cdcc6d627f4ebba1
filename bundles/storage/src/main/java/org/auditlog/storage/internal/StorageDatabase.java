package org.auditlog.storage.internal;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database every store of this bundle works on, configured by PID {@value #PID}: by default an embedded
 * HSQLDB under {@code <auditlog.data>/db}, else the JDBC URL of the configuration (PostgreSQL, or an HSQLDB
 * server). Each store is a component
 * of its own that references this one ({@link MyBatisAuditStore}, {@link MyBatisTokenStore},
 * {@link MyBatisInboxStore}, {@link MyBatisOrganizationStore}, {@link MyBatisExportJobStore},
 * {@link MyBatisDownloadTokenStore}, {@link MyBatisMailStore}, {@link MyBatisLeaseStore},
 * {@link MyBatisStreamStore}), so a change of the configuration closes the
 * database after every store on it has gone, and opens the new one before they come back. The service is
 * this bundle's own (its package is not exported).
 */
@Component(
        service = StorageDatabase.class,
        configurationPid = StorageDatabase.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StorageDatabase.Config.class)
public class StorageDatabase {
    static final String PID = "org.auditlog.storage";
    private static final Logger LOG = LoggerFactory.getLogger(StorageDatabase.class);
    /** Service property of every store published by this bundle, naming the database. */
    static final String STORE_PROPERTY = "auditlog.store";

    static final String STORE_TYPE = "hsqldb";
    /** The service property every store component carries. */
    static final String STORE = STORE_PROPERTY + "=" + STORE_TYPE;
    /** Framework property naming the data folder (set by the launcher's {@code --data}). */
    static final String DATA_PROPERTY = "auditlog.data";

    @ObjectClassDefinition(
            name = "Auditlog storage",
            description = "Where audit records and tokens are kept: the database and its connections, in three "
                    + "pools (write, read, export) so that searches never take the connections writes need.")
    public @interface Config {
        @AttributeDefinition(
                name = "JDBC URL",
                description = "JDBC URL of the database: jdbc:postgresql://host:5432/name for "
                        + "PostgreSQL 14 or later, or jdbc:hsqldb:... for an HSQLDB server. Empty: the embedded HSQLDB "
                        + "database in <data>/db. See docs/postgresql.md.")
        String url() default "";

        @AttributeDefinition(name = "JDBC URL (older name)", description = "Replaced by url; used when url is empty.")
        String jdbcUrl() default "";

        @AttributeDefinition(
                name = "User",
                description = "Database user (only with url). Empty: the driver's default (PostgreSQL: "
                        + "the user in the URL, else the operating system user; HSQLDB: SA).")
        String user() default "";

        /** Property {@code .password}: DS keeps dotted properties off the service's properties. */
        @AttributeDefinition(
                name = "Password",
                description = "Database password (only with url). Empty: left to the driver. The leading "
                        + "dot keeps it off the service's properties, where other bundles could read it.",
                type = AttributeType.PASSWORD)
        String _password() default "";

        @AttributeDefinition(
                name = "Connect wait (seconds)",
                description = "How long a start waits for a database server that does not answer "
                        + "(PostgreSQL starting, say) before the store gives up, in seconds; it tries again every 5 s.",
                min = "0")
        int connectWaitSeconds() default 120;

        @AttributeDefinition(
                name = "Write connections",
                description =
                        "Connections for writes and every store but the reads of events: the "
                                + "capture group committer's appends, the inbox, tokens, organizations, export jobs, the mail outbox, "
                                + "and the streams' pages read in sequence order (so a stream is neither bound by the searches' time "
                                + "limit nor waits behind an export). Searches never take these. 0: maxConnections if that is set (older configurations), else 6.",
                min = "0")
        int writeConnections() default 0;

        @AttributeDefinition(
                name = "Read connections",
                description = "Connections for event searches (GET /api/v1/orgs/{key}/events). HSQLDB "
                        + "runs a statement on the calling thread, so this is also the most processor cores searches can "
                        + "take. 0: half the processors, at least 1.",
                min = "0")
        int readConnections() default 0;

        @AttributeDefinition(
                name = "Export connections",
                description = "Connections for export streams and their counts (export jobs, "
                        + "past-month files). No statement timeout applies to them (a month is read in one statement); an "
                        + "export waits up to 120 s for one.",
                min = "1")
        int exportConnections() default 2;

        @AttributeDefinition(
                name = "Read wait (millis)",
                description = "How long a search waits for a free read connection before it is "
                        + "answered 503 busy, in milliseconds.",
                min = "0")
        long readWaitMillis() default 2000;

        @AttributeDefinition(
                name = "Query timeout (seconds)",
                description = "How long a search's statement may run before it is stopped and answered "
                        + "503 query_timeout, in seconds (0: no limit).",
                min = "0")
        int queryTimeoutSeconds() default 10;

        @AttributeDefinition(
                name = "Search scan rows",
                description = "The most index entries one page of a filtered event search looks at "
                        + "(a filter its index does not hold: category, event, product with user, a user name). A page the "
                        + "bound ends early has fewer events, searchedBackTo and a cursor to go on. See docs/rest.md.",
                min = "100")
        int searchScanRows() default EventSearch.DEFAULT_SCAN_ROWS;

        @AttributeDefinition(
                name = "Search busy percent",
                description = "The most of the read connections' time searches may use, in percent, "
                        + "averaged over about a second (an idle store lets one second of searching through at once). "
                        + "Beyond it a search waits, within readWaitMillis, or is answered 503 busy; the rest of the "
                        + "processors stay with ingest. 100: no limit.",
                min = "1",
                max = "100")
        int searchBusyPercent() default Database.Pools.DEFAULT_READ_BUSY_PERCENT;

        @AttributeDefinition(
                name = "PostgreSQL ingest method",
                description = "How ingest writes events on PostgreSQL: copy (COPY ... FROM STDIN, the "
                        + "faster in the PostgreSQL ingest benchmark) or insert (JDBC batches the driver rewrites into "
                        + "multi-row INSERTs). Ignored on HSQLDB. See docs/postgresql.md.",
                options = {
                    @Option(value = "copy", label = "COPY ... FROM STDIN"),
                    @Option(value = "insert", label = "multi-row INSERTs")
                })
        String postgresqlIngest() default "copy";

        @AttributeDefinition(
                name = "Max connections",
                description = "Replaced by writeConnections and readConnections. When set and "
                        + "writeConnections is not, it is the size of the write pool.",
                min = "0")
        int maxConnections() default 0;
    }

    /** The pools a configuration asks for, with its automatic values filled in. */
    static Database.Pools pools(Config config) {
        int write = config.writeConnections() > 0
                ? config.writeConnections()
                : config.maxConnections() > 0 ? config.maxConnections() : Database.Pools.DEFAULT_WRITE;
        int read = config.readConnections() > 0 ? config.readConnections() : Database.Pools.automaticReadConnections();
        return new Database.Pools(
                write,
                read,
                config.exportConnections(),
                config.readWaitMillis(),
                config.queryTimeoutSeconds(),
                config.searchBusyPercent());
    }

    /** Time source of every store; dynamic so that a clock registered later (a test's movable clock) takes over. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    private final Database db;
    private final int searchScanRows;
    private final boolean copyIngest;

    @Activate
    public StorageDatabase(BundleContext context, Config config) throws Exception {
        // the configuration is checked before anything is opened (and, on PostgreSQL, migrated)
        String ingest = config.postgresqlIngest().strip();
        if (!ingest.equals("insert") && !ingest.equals("copy")) {
            throw new IllegalArgumentException("postgresqlIngest must be insert or copy, not " + ingest);
        }
        String url = url(config);
        Dialect dialect = url.isEmpty() ? Dialect.HSQLDB : Dialect.of(url);
        if (url.isEmpty()) {
            String data =
                    Optional.ofNullable(context.getProperty(DATA_PROPERTY)).orElse("data");
            this.db = Database.openEmbedded(Path.of(data).resolve("db"), pools(config));
        } else {
            String user = config.user().isBlank() && dialect == Dialect.HSQLDB
                    ? "SA"
                    : config.user().strip();
            this.db = openWaiting(url, user, config._password(), pools(config), config.connectWaitSeconds());
        }
        this.searchScanRows = Math.max(1, config.searchScanRows());
        this.copyIngest = dialect == Dialect.POSTGRESQL && ingest.equals("copy");
    }

    /** The configured URL: {@code url}, else the older {@code jdbcUrl}; empty for the embedded database. */
    static String url(Config config) {
        return config.url().isBlank() ? config.jdbcUrl().strip() : config.url().strip();
    }

    /**
     * Opens the database at a URL, trying again every few seconds for up to {@code waitSeconds} while the server
     * cannot be reached (a server and its database started together); any other failure ends the wait.
     */
    static Database openWaiting(String url, String user, String password, Database.Pools pools, int waitSeconds)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        while (true) {
            try {
                return Database.openUrl(url, user, password, pools);
            } catch (SQLException e) {
                if (!SqlFailures.isUnreachable(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warn(
                        "The database at {} does not answer ({}); trying again in 5 s",
                        PostgresServer.withoutSecrets(url),
                        e.getMessage());
                TimeUnit.SECONDS.sleep(5);
            }
        }
    }

    @Deactivate
    void deactivate() {
        db.close();
    }

    Database database() {
        return db;
    }

    int searchScanRows() {
        return searchScanRows;
    }

    /** Whether ingest writes with COPY (PostgreSQL, postgresqlIngest = copy). */
    boolean copyIngest() {
        return copyIngest;
    }

    Clock clock() {
        return clock;
    }
}
