package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.api.store.StoreException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link AuditStore} on MyBatis.
 *
 * <p>How this bundle reaches its database, once for every store: each store's SQL is a MyBatis mapper
 * ({@code *Mapper.xml}, one statement per id, {@code databaseId="postgresql"} where PostgreSQL says it otherwise),
 * run through {@link Transactions}, which opens the session, commits or rolls back and reports a failure through
 * {@link SqlFailures}. The mappers stop at the event path, which is plain JDBC on the session's connection, in
 * classes named for what they do: the group commit's write of events with their users, evidence and late-record
 * notes ({@link EventWriter}, {@link UserDirectory}, {@link EvidenceLog}, PostgreSQL's {@link CopyIngest} and
 * {@link Partitions}), the searches ({@link EventSearch}) and the export stream and count here, where MyBatis'
 * per-row mapping cost a third of the ingest throughput and a quarter of an export's time; and the
 * {@link JdbcEvidenceStore}, which reads the tables the write path appends to with the same SQL. The schema's
 * migration ({@link SchemaMigrator}) and the move to PostgreSQL ({@link MoveToPostgres}) are no stores: they run
 * scripts and copies on a connection of their own.
 */
@Component(service = AuditStore.class, property = StorageDatabase.STORE)
public class MyBatisAuditStore implements AuditStore {
    private final Database db;
    private final Transactions tx;
    /** The appends: plain JDBC, the hot path. */
    private final EventWriter writer;
    /** The monthly partitions of the events on PostgreSQL, or null. */
    private final Partitions partitions;

    private final UserDirectory users;
    private final EventSearch search;
    private final Supplier<Clock> clock;

    static final String COUNT_SQL = "SELECT COUNT(*) FROM audit_event "
            + "WHERE space_key = ? AND product = ? AND event_date >= ? AND event_date < ?";
    /** The rows of one organization, product and period, in file order (index audit_event_product_org_date). */
    static final String STREAM_SQL = "SELECT id, space_key, product, event_date, category, event, action, "
            + "operation_user_id, operation_user_name, operation_user_email, ip_address, user_agent, version, seq "
            + "FROM audit_event WHERE space_key = ? AND product = ? AND event_date >= ? AND event_date < ? "
            + "ORDER BY product, space_key, event_date, id";
    /** Rows deleted per transaction by {@link #deleteDatedBefore}, so no transaction holds a month of a big organization. */
    static final int RETENTION_CHUNK = 10_000;
    /** {@link #followIndexes}: no scan of whole tables, no bitmap scans, sorts only where nothing else can do. */
    static final String FOLLOW_INDEXES_SQL =
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; " + "SET LOCAL enable_sort = off";

    /** The component: the store on the bundle's database. */
    @Activate
    public MyBatisAuditStore(@Reference StorageDatabase database) {
        this.db = database.database();
        this.clock = database::clock;
        // COPY instead of batched INSERTs when the configuration asks for it on PostgreSQL
        this.writer = new EventWriter(db, clock, database.copyIngest());
        this.tx = db.transactions();
        this.users = db.users();
        this.search = new EventSearch(database.searchScanRows(), db.pools().queryTimeoutSeconds());
        this.partitions = db.partitions();
    }

    /** Appends through the hot write path ({@link EventWriter}), in one transaction. */
    @Override
    public void append(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        writer.append(records);
    }

    /** One lookup in {@code late_record}, noted by {@link #insertAll}. */
    @Override
    public Optional<Instant> lastLateRecord(String spaceKey, String product, YearMonth month) {
        // on the connections of every store but searches: a primary-key lookup, never behind an export's stream
        return tx.read(
                "could not read the late records: ",
                session -> Optional.ofNullable(session.getMapper(EventMapper.class)
                        .lastLateRecord(spaceKey, product, EventWriter.MONTH.format(month))),
                SqlFailures::readFailure);
    }

    @Override
    public EventPage query(EventQuery query) {
        return query(query, search);
    }

    /**
     * A page of {@code query} found by {@code search}: the store's own, or one with another bound of index entries
     * (the tests of the bound try many on one database, where the configuration gives the store one).
     */
    EventPage query(EventQuery query, EventSearch search) {
        try (SqlSession session = db.readSessions().openSession(partitions == null)) {
            Connection c = session.getConnection();
            if (partitions == null) {
                return search.page(c, query);
            }
            try {
                followIndexes(c);
                return search.page(c, query);
            } finally {
                c.rollback(); // read only: ends the transaction of the settings
            }
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.readFailure("could not read records: ", e);
        }
    }

    /**
     * PostgreSQL: the rest of this transaction reads through indexes, in their order. Every statement of a
     * search or an export has an index that gives its rows in the order asked, and stops at its limit
     * (EventSearch); the planner, asked freely, picks a bitmap scan and a sort of all of an organization's rows
     * when its statistics are behind (a month's partition filled faster than autovacuum analyzes it), which
     * took a page from milliseconds to seconds. {@code SET LOCAL} ends with the transaction, so the setting
     * also holds behind PgBouncer in transaction mode and never reaches other statements.
     */
    static void followIndexes(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(FOLLOW_INDEXES_SQL);
        }
    }

    @Override
    public RecordCursor stream(String spaceKey, String product, Instant from, Instant to) {
        // Plain JDBC on the session's connection rather than a MyBatis cursor: an export reads every row of a
        // month, and MyBatis' per-row constructor mapping cost about a quarter of the export's time
        // (ExportBenchmark).
        // PostgreSQL streams a result in fetch-size steps only inside a transaction; otherwise the driver reads a
        // month of rows into memory before the first one is returned
        SqlSession session = db.exportSessions().openSession(partitions == null);
        try {
            if (partitions != null) {
                followIndexes(session.getConnection());
            }
            PreparedStatement statement = session.getConnection()
                    .prepareStatement(STREAM_SQL, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(1000);
            bindPeriod(statement, spaceKey, product, from, to);
            ResultSet rows = statement.executeQuery();
            return new RecordCursor() {
                private Boolean ahead;
                private long sequence = -1;

                @Override
                public long sequence() {
                    return sequence;
                }

                @Override
                public boolean hasNext() {
                    if (ahead == null) {
                        try {
                            ahead = rows.next();
                        } catch (SQLException e) {
                            throw new StoreException("could not read records: " + e.getMessage(), e);
                        }
                    }
                    return ahead;
                }

                @Override
                public AuditRecord next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    ahead = null;
                    try {
                        long seq = rows.getLong(14);
                        sequence = rows.wasNull() ? -1 : seq;
                        return new AuditRecord(
                                rows.getLong(1),
                                rows.getString(2),
                                rows.getString(3),
                                rows.getObject(4, OffsetDateTime.class).toInstant(),
                                rows.getString(5),
                                rows.getString(6),
                                rows.getString(7),
                                rows.getString(8),
                                rows.getString(9),
                                rows.getString(10),
                                rows.getString(11),
                                rows.getString(12),
                                rows.getString(13));
                    } catch (SQLException e) {
                        throw new StoreException("could not read records: " + e.getMessage(), e);
                    }
                }

                @Override
                public void close() {
                    try {
                        statement.close();
                    } catch (SQLException e) {
                        // the session close below releases the connection anyway
                    } finally {
                        session.close();
                    }
                }
            };
        } catch (SQLException | RuntimeException e) {
            session.close();
            throw SqlFailures.readFailure("could not read records: ", e);
        }
    }

    /** How many rows {@link #stream} gives for the same arguments: one index range, counted. */
    @Override
    public long count(String spaceKey, String product, Instant from, Instant to) {
        try (SqlSession session = db.exportSessions().openSession(true);
                PreparedStatement statement = session.getConnection().prepareStatement(COUNT_SQL)) {
            bindPeriod(statement, spaceKey, product, from, to);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.readFailure("could not count records: ", e);
        }
    }

    /** The parameters of {@link #STREAM_SQL} and {@link #COUNT_SQL}: organization, product, {@code [from, to)}. */
    private static void bindPeriod(
            PreparedStatement statement, String spaceKey, String product, Instant from, Instant to)
            throws SQLException {
        statement.setString(1, spaceKey);
        statement.setString(2, product);
        statement.setObject(3, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        statement.setObject(4, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
    }

    @Override
    public long maxId() {
        Long max = tx.read(
                "could not read the largest id: ",
                session -> session.getMapper(EventMapper.class).maxId());
        return max == null ? 0 : max;
    }

    /**
     * Deletes the expired records: on PostgreSQL whole months, as partitions ({@link Partitions#dropBefore}); on
     * HSQLDB, and on PostgreSQL inside the cutoff's month, row by row ({@link #deleteRowsDatedBefore}).
     */
    @Override
    public long deleteDatedBefore(Instant cutoff) {
        if (partitions == null) {
            return deleteRowsDatedBefore(cutoff);
        }
        // PostgreSQL: whole months go as partitions; a cutoff inside a month (never retention's own) deletes the
        // rest of that month's expired rows one by one
        YearMonth month = Partitions.monthOf(cutoff);
        long total;
        try {
            total = partitions.dropBefore(month);
            partitions.ensureAhead(clock.get().instant());
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.failure("could not drop the expired months: ", e);
        }
        boolean aligned = cutoff.equals(Partitions.start(month));
        return total + (aligned ? deleteLateNotesBefore(cutoff) : deleteRowsDatedBefore(cutoff));
    }

    private long deleteLateNotesBefore(Instant cutoff) {
        tx.update("could not delete the expired late-record notes: ", session -> deleteLateNotes(session, cutoff));
        return 0;
    }

    private static void deleteLateNotes(SqlSession session, Instant cutoff) {
        session.getMapper(EventMapper.class)
                .deleteLateRecordsBefore(EventWriter.MONTH.format(cutoff.atOffset(ZoneOffset.UTC)));
    }

    /**
     * Deletes expired records organization by organization, each through its range of the
     * {@code (space_key, event_date, id)} index, in transactions of at most {@link #RETENTION_CHUNK} rows.
     * One {@code DELETE ... WHERE event_date < ?} over the table read every row of the store each day (about
     * 4 s per 2,000,000 rows even when nothing had expired, with the database cache emptied of what ingest
     * needs); this costs one index probe per organization plus the rows that do go.
     */
    private long deleteRowsDatedBefore(Instant cutoff) {
        long total = 0;
        for (String spaceKey = tx.read(
                        "could not delete expired records: ",
                        session -> session.getMapper(EventMapper.class).nextSpaceKey(null));
                spaceKey != null; ) {
            String organization = spaceKey;
            int n;
            do {
                n = tx.write(
                        "could not delete the expired records of " + organization + ": ",
                        session -> session.getMapper(EventMapper.class)
                                .deleteDatedBefore(organization, cutoff, RETENTION_CHUNK));
                total += n;
            } while (n == RETENTION_CHUNK);
            spaceKey = tx.read(
                    "could not delete expired records: ",
                    session -> session.getMapper(EventMapper.class).nextSpaceKey(organization));
        }
        tx.update("could not delete the expired late-record notes: ", session -> deleteLateNotes(session, cutoff));
        return total;
    }

    /**
     * {@inheritDoc}
     *
     * <p>In one transaction: the records, the user directory's rows, the late-record notes and the evidence (trees,
     * tiles, month starts, strays, checkpoints). The trees' rows go first: a checkpoint is stored under its tree
     * row's lock ({@link JdbcEvidenceStore#saveCheckpoint}), so one being stored now either commits before this
     * delete reads the checkpoints or finds its tree gone.
     */
    @Override
    public long deleteOrganization(String spaceKey) {
        int deleted = tx.write("could not delete the records of " + spaceKey + ": ", session -> {
            int n = session.getMapper(EventMapper.class).deleteOrganization(spaceKey);
            users.deleteOrganization(session.getConnection(), spaceKey);
            for (String table : List.of(
                    "evidence_tree",
                    "evidence_checkpoint",
                    "evidence_tile",
                    "evidence_month",
                    "evidence_stray",
                    "late_record")) {
                session.getMapper(EventMapper.class).deleteOrganizationRows(table, spaceKey);
            }
            return n;
        });
        writer.forget(spaceKey);
        return deleted;
    }

    @Override
    public boolean isHealthy() {
        return db.isHealthy();
    }
}
