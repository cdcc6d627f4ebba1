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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.EventCursor;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.Facets;
import org.auditlog.api.store.Histogram;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.api.store.SearchQuery;
import org.auditlog.api.store.StoreException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link AuditStore} on MyBatis.
 *
 * <p>How this bundle reaches its database, once for every store: each store's SQL is a MyBatis mapper ({@code
 * *Mapper.xml}, one statement per id, {@code databaseId="postgresql"} where PostgreSQL says it otherwise), run through
 * {@link Transactions}, which opens the session, commits or rolls back and reports a failure through {@link
 * SqlFailures}. The mappers stop at the event path, which is plain JDBC on the session's connection, in classes named
 * for what they do: the group commit's write of events with their users, evidence and late-record notes ({@link
 * EventWriter}, {@link UserDirectory}, {@link EvidenceLog}, PostgreSQL's {@link CopyIngest} and {@link Partitions}),
 * the searches ({@link EventSearch}) and the export stream and count and a stream's pages ({@link #sequenced}) here,
 * where MyBatis' per-row mapping cost a third of the ingest throughput and a quarter of an export's time; and the
 * {@link JdbcEvidenceStore}, which reads the tables the write path appends to with the same SQL. The schema's migration
 * ({@link SchemaMigrator}) and the move to PostgreSQL ({@link MoveToPostgres}) are no stores: they run scripts and
 * copies on a connection of their own.
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
    private final Counts counts;
    private final Supplier<Clock> clock;

    static final String COUNT_SQL = "SELECT COUNT(*) FROM audit_event "
            + "WHERE space_key = ? AND product = ? AND event_date >= ? AND event_date < ?";
    /** The rows of one organization, product and period, in file order (index audit_event_product_org_date). */
    static final String STREAM_SQL = "SELECT id, space_key, product, event_date, category, event, action, "
            + "operation_user_id, operation_user_name, operation_user_email, ip_address, user_agent, version, seq "
            + "FROM audit_event WHERE space_key = ? AND product = ? AND event_date >= ? AND event_date < ? "
            + "ORDER BY product, space_key, event_date, id";
    /**
     * One page of a stream on PostgreSQL ({@link #sequenced}): the rows of one organization and product from a
     * sequence on, a range of the index audit_event_org_product_seq (each month's partition's) in its order.
     */
    static final String SEQUENCED_SQL = "SELECT " + EventSearch.COLUMNS + ", seq FROM audit_event "
            + "WHERE space_key = ? AND product = ? AND seq >= ? ORDER BY space_key, product, seq FETCH FIRST ? ROWS ONLY";
    /**
     * One page of a stream on HSQLDB: the rows of the sequences {@code [?, ?]} of one organization and product, one
     * lookup each in the index audit_event_org_product_seq. HSQLDB picks an index by the columns its conditions
     * compare for equality alone, and of two indexes that start with the same ones the one made first: for {@link
     * #SEQUENCED_SQL} it picks audit_event_product_org_date, made before, and reads every row of the log. With the
     * sequence compared for equality too, the only index that starts with all three columns is the new one.
     */
    static final String HSQLDB_SEQUENCED_SQL = "SELECT " + EventSearch.COLUMNS + ", seq "
            + "FROM UNNEST(SEQUENCE_ARRAY(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(1 AS BIGINT))) AS t (n) "
            + "JOIN audit_event ON space_key = ? AND product = ? AND seq = t.n ORDER BY seq";
    /**
     * HSQLDB: the first sequence of a log stored from one on, where a page found every sequence of its range
     * deleted (a gap): a read of the log's rows (see {@link #HSQLDB_SEQUENCED_SQL}), once per gap.
     */
    static final String HSQLDB_NEXT_SEQUENCE_SQL =
            "SELECT MIN(seq) FROM audit_event WHERE space_key = ? AND product = ? AND seq >= ?";
    /** The most sequences {@link #HSQLDB_SEQUENCED_SQL} looks up in one statement. */
    static final int MAX_LOOKUPS = 10_000;
    /** The first sequence dated from an instant ({@link #firstSequenceDatedFrom}): a range of the date index. */
    static final String FIRST_DATED_SQL =
            "SELECT MIN(seq) FROM audit_event WHERE space_key = ? AND product = ? AND event_date >= ?";
    /** The size of a log: its evidence tree's. */
    static final String LOG_SIZE_SQL = "SELECT size FROM evidence_tree WHERE space_key = ? AND product = ?";
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
        SearchIndex index = db.searchIndex();
        this.search = new EventSearch(database.searchScanRows(), db.pools().queryTimeoutSeconds(), index::indexed);
        this.counts = new Counts(search, Counts.DEFAULT_COUNT_ROWS, db.pools().queryTimeoutSeconds(), index::indexed);
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
        return read("could not read records: ", c -> search.page(c, query, partitions != null));
    }

    @Override
    public EventPage search(SearchQuery query, int limit, EventCursor after) {
        return read("could not read records: ", c -> search.page(c, query, limit, after, partitions != null));
    }

    /** A page of a search found by {@code search} (the tests of the bound try many bounds on one database). */
    EventPage search(SearchQuery query, int limit, EventCursor after, EventSearch search) {
        return read("could not read records: ", c -> search.page(c, query, limit, after, partitions != null));
    }

    @Override
    public Histogram histogram(SearchQuery query, Histogram.Interval interval) {
        return read("could not count records: ", c -> counts.histogram(c, query, interval, partitions != null));
    }

    @Override
    public Facets facets(SearchQuery query) {
        return read("could not count records: ", c -> counts.facets(c, query, partitions != null));
    }

    @Override
    public Optional<Map<String, Map<YearMonth, Long>>> countsByMonth(String spaceKey, YearMonth first, YearMonth last) {
        if (!db.searchIndex().indexed()) {
            return Optional.empty();
        }
        return Optional.of(read("could not count records: ", c -> counts.byMonth(c, spaceKey, first, last)));
    }

    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * A read on the read pool (the searches' connections, with their statement timeout); on PostgreSQL in a
     * transaction that reads through indexes ({@link #followIndexes}). A refusal of the arguments
     * ({@link IllegalArgumentException}) is the caller's to report.
     */
    private <T> T read(String what, Read<T> work) {
        try (SqlSession session = db.readSessions().openSession(partitions == null)) {
            Connection c = session.getConnection();
            if (partitions == null) {
                return work.run(c);
            }
            try {
                followIndexes(c);
                return work.run(c);
            } finally {
                c.rollback(); // read only: ends the transaction of the settings
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.readFailure(what, e);
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

    /**
     * {@inheritDoc}
     *
     * <p>Read whole at once, on the index audit_event_org_product_seq (PostgreSQL: {@link #SEQUENCED_SQL}, a range of
     * it; HSQLDB: {@link #HSQLDB_SEQUENCED_SQL}, a lookup per sequence), on a connection of the write pool that goes
     * back before this returns: a page is read in milliseconds, and a stream that delivers it for minutes holds no
     * connection meanwhile, nor waits behind an export's month on the export pool, nor counts against the searches'
     * share of the read pool.
     */
    @Override
    public RecordCursor sequenced(String spaceKey, String product, long from, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        List<AuditRecord> records = new ArrayList<>(Math.min(limit, 1000));
        List<Long> sequences = new ArrayList<>(Math.min(limit, 1000));
        try (SqlSession session = db.sessions().openSession(partitions == null)) {
            Connection c = session.getConnection();
            if (db.dialect() == Dialect.HSQLDB) {
                lookUpSequences(c, spaceKey, product, Math.max(0, from), limit, records, sequences);
            } else {
                try {
                    followIndexes(c);
                    try (PreparedStatement ps = c.prepareStatement(SEQUENCED_SQL)) {
                        ps.setString(1, spaceKey);
                        ps.setString(2, product);
                        ps.setLong(3, Math.max(0, from));
                        ps.setInt(4, limit);
                        readSequenced(ps, records, sequences);
                    }
                } finally {
                    c.rollback(); // read only: ends the transaction of the settings
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.readFailure("could not read the records of " + spaceKey + " " + product + ": ", e);
        }
        return new RecordCursor() {
            private int next;

            @Override
            public long sequence() {
                return next == 0 ? -1 : sequences.get(next - 1);
            }

            @Override
            public boolean hasNext() {
                return next < records.size();
            }

            @Override
            public AuditRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return records.get(next++);
            }

            @Override
            public void close() {}
        };
    }

    /**
     * HSQLDB's page ({@link #HSQLDB_SEQUENCED_SQL}): the sequences from {@code from} on, below the log's size (its
     * evidence tree's: every sequence below it is committed, or deleted), until {@code limit} records are found, at
     * most {@link #MAX_LOOKUPS} a statement. A range whose sequences were all deleted (retention) goes on at the first
     * one stored after it ({@link #HSQLDB_NEXT_SEQUENCE_SQL}).
     */
    private static void lookUpSequences(
            Connection c,
            String spaceKey,
            String product,
            long from,
            int limit,
            List<AuditRecord> records,
            List<Long> sequences)
            throws SQLException {
        long size = logSize(c, spaceKey, product);
        long next = from;
        while (records.size() < limit && next < size) {
            int found = records.size();
            long last = Math.min(size, next + Math.min(limit - found, MAX_LOOKUPS)) - 1;
            try (PreparedStatement ps = c.prepareStatement(HSQLDB_SEQUENCED_SQL)) {
                ps.setLong(1, next);
                ps.setLong(2, last);
                ps.setString(3, spaceKey);
                ps.setString(4, product);
                readSequenced(ps, records, sequences);
            }
            if (records.size() > found) {
                next = last + 1;
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement(HSQLDB_NEXT_SEQUENCE_SQL)) {
                ps.setString(1, spaceKey);
                ps.setString(2, product);
                ps.setLong(3, last + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    next = rs.getLong(1);
                    if (rs.wasNull()) {
                        return;
                    }
                }
            }
        }
    }

    private static void readSequenced(PreparedStatement ps, List<AuditRecord> records, List<Long> sequences)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                records.add(EventSearch.record(rs));
                sequences.add(rs.getLong(14));
            }
        }
    }

    /** The size of a log: its evidence tree's, 0 for a log never written. */
    private static long logSize(Connection c, String spaceKey, String product) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOG_SIZE_SQL)) {
            ps.setString(1, spaceKey);
            ps.setString(2, product);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@link #FIRST_DATED_SQL} (a range of the product index from {@code from} on, on PostgreSQL in the months from
     * {@code from}'s on), then, when no record is dated so late, the size of the log's evidence tree ({@link
     * #LOG_SIZE_SQL}); 0 for a log without one.
     */
    @Override
    public long firstSequenceDatedFrom(String spaceKey, String product, Instant from) {
        try (SqlSession session = db.sessions().openSession(partitions == null)) {
            Connection c = session.getConnection();
            try {
                if (partitions != null) {
                    followIndexes(c);
                }
                try (PreparedStatement ps = c.prepareStatement(FIRST_DATED_SQL)) {
                    ps.setString(1, spaceKey);
                    ps.setString(2, product);
                    ps.setObject(3, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        long first = rs.getLong(1);
                        if (!rs.wasNull()) {
                            return first;
                        }
                    }
                }
                return logSize(c, spaceKey, product);
            } finally {
                if (partitions != null) {
                    c.rollback(); // read only: ends the transaction of the settings
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.readFailure(
                    "could not find the first record of " + spaceKey + " " + product + " dated from " + from + ": ", e);
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
        if (aligned) {
            deleteCountsBefore(cutoff);
        }
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
                try (SearchIndex.Slot slot = writer.slot()) {
                    n = tx.write(
                            "could not delete the expired records of " + organization + ": ",
                            session -> deleteChunk(session.getConnection(), organization, cutoff, slot));
                }
                total += n;
            } while (n == RETENTION_CHUNK);
            spaceKey = tx.read(
                    "could not delete expired records: ",
                    session -> session.getMapper(EventMapper.class).nextSpaceKey(organization));
        }
        tx.update("could not delete the expired late-record notes: ", session -> deleteLateNotes(session, cutoff));
        deleteCountsBefore(cutoff);
        return total;
    }

    /**
     * Deletes at most {@link #RETENTION_CHUNK} of an organization's oldest records dated before {@code cutoff},
     * with their words and counts: the rows are read first, since their words are found from their action.
     */
    private int deleteChunk(Connection c, String spaceKey, Instant cutoff, SearchIndex.Slot slot) throws SQLException {
        List<AuditRecord> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + EventSearch.COLUMNS + " FROM audit_event "
                + "WHERE space_key = ? AND event_date < ? ORDER BY space_key, event_date, id LIMIT "
                + RETENTION_CHUNK)) {
            ps.setString(1, spaceKey);
            ps.setObject(2, cutoff.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(EventSearch.record(rs));
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        db.searchIndex().forget(c, rows, slot, cutoff);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_event WHERE id = ? AND event_date = ?")) {
            for (AuditRecord r : rows) {
                ps.setLong(1, r.id());
                ps.setObject(2, r.date().atOffset(ZoneOffset.UTC));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return rows.size();
    }

    /** Deletes the counts of the hours and days that ended by {@code cutoff}: their records are all gone. */
    private void deleteCountsBefore(Instant cutoff) {
        tx.update(
                "could not delete the expired counts: ",
                session -> SearchIndex.deleteCountsBefore(session.getConnection(), null, cutoff));
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
            SearchIndex.forgetOrganization(session.getConnection(), spaceKey);
            db.searchIndex().forgetKnown();
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
