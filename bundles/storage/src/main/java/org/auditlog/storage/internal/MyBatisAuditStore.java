package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.EventCursor;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.api.store.StoreBusyException;
import org.auditlog.api.store.StoreException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link AuditStore} on MyBatis. */
@Component(service = AuditStore.class, property = StorageDatabase.STORE)
public class MyBatisAuditStore implements AuditStore {
    private final Database db;
    private final String insertSql;
    private final String noteLateSql;
    private final boolean copy;
    /** The monthly partitions of the events on PostgreSQL, or null. */
    private final Partitions partitions;
    private final UserDirectory users;
    private final EventSearch search;
    private final Supplier<Clock> clock;
    /** The tamper-evident log every append adds to. */
    private final EvidenceLog evidence;

    /**
     * How near the end of its month a record counts as late already: a record stored a moment before midnight
     * may commit after a file of its month was begun, so it is noted, and that file is built again.
     */
    static final Duration LATE_MARGIN = Duration.ofMinutes(5);
    static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuuMM");
    static final String NOTE_LATE_SQL = "MERGE INTO late_record t USING (VALUES (CAST(? AS VARCHAR(64)), "
            + "CAST(? AS VARCHAR(32)), CAST(? AS CHAR(6)), CAST(? AS TIMESTAMP(3) WITH TIME ZONE))) "
            + "AS v (space_key, product, month, last_stored) "
            + "ON t.space_key = v.space_key AND t.product = v.product AND t.month = v.month "
            + "WHEN MATCHED THEN UPDATE SET t.last_stored = v.last_stored "
            + "WHEN NOT MATCHED THEN INSERT VALUES (v.space_key, v.product, v.month, v.last_stored)";
    /** {@link #NOTE_LATE_SQL} on PostgreSQL, where an upsert must not fail when another writer got there first. */
    static final String POSTGRESQL_NOTE_LATE_SQL = "INSERT INTO late_record (space_key, product, month, last_stored) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (space_key, product, month) DO UPDATE SET last_stored = EXCLUDED.last_stored";
    static final String LATE_SQL = "SELECT last_stored FROM late_record WHERE space_key = ? AND product = ? "
            + "AND month = ?";
    static final String COUNT_SQL = "SELECT COUNT(*) FROM audit_event "
            + "WHERE space_key = ? AND product = ? AND event_date >= ? AND event_date < ?";
    /** The rows of one organization, product and period, in file order (index audit_event_product_org_date). */
    static final String STREAM_SQL = "SELECT id, space_key, product, event_date, category, event, action, "
            + "operation_user_id, operation_user_name, operation_user_email, ip_address, user_agent, version, seq "
            + "FROM audit_event WHERE space_key = ? AND product = ? AND event_date >= ? AND event_date < ? "
            + "ORDER BY product, space_key, event_date, id";
    /** Rows deleted per transaction by {@link #deleteDatedBefore}, so no transaction holds a month of a big organization. */
    static final int RETENTION_CHUNK = 10_000;
    /** SQLState of HSQLDB's "statement execution aborted: timeout reached" (error code -4872). */
    static final String HSQLDB_TIMEOUT_STATE = "40502";
    /** {@link #followIndexes}: no scan of whole tables, no bitmap scans, sorts only where nothing else can do. */
    static final String FOLLOW_INDEXES_SQL = "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; "
            + "SET LOCAL enable_sort = off";
    /** SQLState of PostgreSQL's "canceling statement due to statement timeout" (query_canceled). */
    static final String POSTGRESQL_CANCELED_STATE = "57014";

    /** The component: the store on the bundle's database. */
    @Activate
    public MyBatisAuditStore(@Reference StorageDatabase database) {
        this(database.database(), database.searchScanRows(), database::clock, database.copyIngest());
    }

    MyBatisAuditStore(Database db) {
        this(db, EventSearch.DEFAULT_SCAN_ROWS);
    }

    MyBatisAuditStore(Database db, int scanRows) {
        this(db, scanRows, Clock::systemUTC);
    }

    MyBatisAuditStore(Database db, int scanRows, Supplier<Clock> clock) {
        this(db, scanRows, clock, false);
    }

    /** @param copy write with COPY instead of batched INSERTs (PostgreSQL only) */
    MyBatisAuditStore(Database db, int scanRows, Supplier<Clock> clock, boolean copy) {
        if (copy && db.dialect() != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("COPY is PostgreSQL's");
        }
        this.copy = copy;
        this.db = db;
        this.clock = clock;
        this.users = db.users();
        this.search = new EventSearch(scanRows, db.pools().queryTimeoutSeconds());
        this.insertSql = db.sessions().getConfiguration()
                .getMappedStatement(EventMapper.class.getName() + ".insert").getBoundSql(null).getSql();
        this.noteLateSql = db.dialect() == Dialect.POSTGRESQL ? POSTGRESQL_NOTE_LATE_SQL : NOTE_LATE_SQL;
        this.partitions = db.partitions();
        this.evidence = new EvidenceLog(db.dialect(), clock);
    }

    /**
     * Appends through a plain JDBC batch on the MyBatis session's connection. The hot path of every ingest
     * skips MyBatis' per-row parameter mapping (reflection over each record), which cost a third of the
     * server's insert throughput in the ingest benchmark; the statement is the mapper's own
     * {@code EventMapper.insert}, so the SQL stays in one place.
     */
    @Override
    public void append(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        preparePartitions(records);
        try {
            write(records);
        } catch (StoreException e) {
            if (partitions == null || !Partitions.isMissingPartition(e)) {
                throw e;
            }
            // another server's retention dropped a month these records are dated in: make it again, once
            partitionMissing(records, e);
            preparePartitions(records);
            write(records);
        }
    }

    /**
     * After a write failed for want of a partition (another server's retention dropped a month these records are
     * dated in): the months are looked up again at the next {@link #preparePartitions}, which makes them again.
     */
    void partitionMissing(List<AuditRecord> records, Throwable failure) {
        if (partitions != null && Partitions.isMissingPartition(failure)) {
            partitions.forget(records);
        }
    }

    /**
     * Makes the partitions the records need before they are written in a transaction of their own (PostgreSQL;
     * nothing on HSQLDB). A month past the year 9999 is refused as data: no partition is made for it.
     */
    void preparePartitions(List<AuditRecord> records) {
        prepareTrees(records);
        if (partitions == null) {
            return;
        }
        try {
            partitions.ensureFor(records);
        } catch (IllegalArgumentException e) {
            throw new DataRefusedException("could not store " + records.size() + " records: " + e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("could not make the partitions for " + records.size() + " records: "
                    + rootMessage(e), e);
        }
    }

    /** Makes the rows of the trees the records go to that do not exist yet ({@link EvidenceLog#prepare}). */
    private void prepareTrees(List<AuditRecord> records) {
        if (evidence.allKnown(records)) {
            return;
        }
        try (SqlSession session = db.sessions().openSession(true)) {
            evidence.prepare(session.getConnection(), records);
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("could not make the trees of " + records.size() + " records: " + rootMessage(e), e);
        }
    }

    private void write(List<AuditRecord> records) {
        try (SqlSession session = db.sessions().openSession(false)) {
            Connection c = session.getConnection();
            try {
                List<List<String>> written = insertAll(c, records);
                c.commit();
                users.remember(written);
            } catch (SQLException | RuntimeException e) {
                // Roll back here: MyBatis does not know this session wrote anything, and on close it turns
                // auto-commit back on, which would commit the rows of the failed batch that did go in.
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            throw storeFailure("could not store " + records.size() + " records: " + rootMessage(e), e);
        }
    }

    /**
     * The exception for a failed write: a {@link DataRefusedException} when the database refused the data
     * itself, which writing it again cannot change; otherwise a {@link StoreException} (retry later).
     */
    static StoreException storeFailure(String message, Throwable e) {
        // a month without its partition (another server just dropped it) is the store's to mend, not the data's fault
        return isDataRefusal(e) && !Partitions.isMissingPartition(e) ? new DataRefusedException(message, e)
                : new StoreException(message, e);
    }

    /**
     * Whether the database refused the data (SQLState class 22, data exception, or 23, integrity constraint
     * violation) somewhere in the cause chain or the chained SQL exceptions of a batch. Connection and
     * transaction failures (classes 08, 40, 57, ...) are not refusals: the same write may succeed later.
     */
    static boolean isDataRefusal(Throwable e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
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

    /**
     * Inserts records in one JDBC batch on the caller's connection and transaction, with the
     * {@link UserDirectory} rows they need; returns those rows, for {@link #remember} after the commit.
     */
    List<List<String>> insertAll(Connection c, List<AuditRecord> records) throws SQLException {
        List<List<String>> written = users.write(c, records);
        long[] seqs = evidence.append(c, records);
        if (copy) {
            CopyIngest.copy(c, records, seqs);
        } else {
            try (PreparedStatement ps = c.prepareStatement(insertSql)) {
                addAll(ps, records, seqs);
                ps.executeBatch();
            }
        }
        noteLate(c, records);
        return written;
    }

    /**
     * Notes, in the records' transaction, each (organization, product, month) of the records dated in a month
     * that has ended (or ends within {@link #LATE_MARGIN}): {@link #lastLateRecord}. Records of the current
     * month, nearly all of them, cost one comparison each.
     */
    private void noteLate(Connection c, List<AuditRecord> records) throws SQLException {
        Instant now = clock.get().instant();
        Instant current = YearMonth.from(now.plus(LATE_MARGIN).atOffset(ZoneOffset.UTC)).atDay(1)
                .atStartOfDay().toInstant(ZoneOffset.UTC);
        Set<List<String>> late = new LinkedHashSet<>();
        for (AuditRecord r : records) {
            if (r.date().isBefore(current)) {
                late.add(List.of(r.spaceKey(), r.product(), MONTH.format(r.date().atOffset(ZoneOffset.UTC))));
            }
        }
        if (late.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(noteLateSql)) {
            for (List<String> key : late) {
                ps.setString(1, key.get(0));
                ps.setString(2, key.get(1));
                ps.setString(3, key.get(2));
                ps.setObject(4, now.atOffset(ZoneOffset.UTC));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** One lookup in {@code late_record}, noted by {@link #insertAll}. */
    @Override
    public Optional<Instant> lastLateRecord(String spaceKey, String product, YearMonth month) {
        // on the connections of every store but searches: a primary-key lookup, never behind an export's stream
        try (SqlSession session = db.sessions().openSession(true);
                PreparedStatement statement = session.getConnection().prepareStatement(LATE_SQL)) {
            statement.setString(1, spaceKey);
            statement.setString(2, product);
            statement.setString(3, MONTH.format(month));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getObject(1, OffsetDateTime.class).toInstant()) : Optional.empty();
            }
        } catch (SQLException | RuntimeException e) {
            throw readFailure("could not read the late records: ", e);
        }
    }

    /** Notes the user rows of a committed {@link #insertAll}. */
    void remember(List<List<String>> written) {
        users.remember(written);
    }

    private static void addAll(PreparedStatement ps, List<AuditRecord> records, long[] seqs) throws SQLException {
        for (int i = 0; i < records.size(); i++) {
            AuditRecord r = records.get(i);
            ps.setLong(1, r.id());
            ps.setString(2, r.spaceKey());
            ps.setString(3, r.product());
            ps.setObject(4, r.date().atOffset(ZoneOffset.UTC));
            ps.setString(5, r.category());
            ps.setString(6, r.event());
            ps.setString(7, r.action());
            ps.setString(8, r.operationUserId());
            ps.setString(9, r.operationUserName());
            ps.setString(10, r.operationUserEmail());
            ps.setString(11, r.ipAddress());
            ps.setString(12, r.userAgent());
            ps.setString(13, r.version());
            ps.setLong(14, seqs[i]);
            ps.addBatch();
        }
    }

    @Override
    public EventPage query(EventQuery query) {
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
            throw readFailure("could not read records: ", e);
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
            PreparedStatement statement = session.getConnection().prepareStatement(STREAM_SQL,
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
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
                        return new AuditRecord(rows.getLong(1), rows.getString(2), rows.getString(3),
                                rows.getObject(4, OffsetDateTime.class).toInstant(), rows.getString(5),
                                rows.getString(6), rows.getString(7), rows.getString(8), rows.getString(9),
                                rows.getString(10), rows.getString(11), rows.getString(12), rows.getString(13));
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
            throw readFailure("could not read records: ", e);
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
            throw readFailure("could not count records: ", e);
        }
    }

    /** The parameters of {@link #STREAM_SQL} and {@link #COUNT_SQL}: organization, product, {@code [from, to)}. */
    private static void bindPeriod(PreparedStatement statement, String spaceKey, String product,
            Instant from, Instant to) throws SQLException {
        statement.setString(1, spaceKey);
        statement.setString(2, product);
        statement.setObject(3, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        statement.setObject(4, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
    }

    @Override
    public long maxId() {
        try (SqlSession session = db.sessions().openSession(true)) {
            Long max = session.getMapper(EventMapper.class).maxId();
            return max == null ? 0 : max;
        }
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
            throw new StoreException("could not drop the expired months: " + rootMessage(e), e);
        }
        boolean aligned = cutoff.equals(Partitions.start(month));
        return total + (aligned ? deleteLateNotesBefore(cutoff) : deleteRowsDatedBefore(cutoff));
    }

    private long deleteLateNotesBefore(Instant cutoff) {
        try (SqlSession session = db.sessions().openSession(false);
                PreparedStatement ps = session.getConnection().prepareStatement("DELETE FROM late_record WHERE month < ?")) {
            ps.setString(1, MONTH.format(cutoff.atOffset(ZoneOffset.UTC)));
            ps.executeUpdate();
            session.commit(true);
            return 0;
        } catch (SQLException e) {
            throw new StoreException("could not delete the expired late-record notes: " + e.getMessage(), e);
        }
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
        String spaceKey = null;
        while (true) {
            try (SqlSession session = db.sessions().openSession(false)) {
                EventMapper mapper = session.getMapper(EventMapper.class);
                spaceKey = mapper.nextSpaceKey(spaceKey);
                if (spaceKey == null) {
                    try (PreparedStatement ps = session.getConnection().prepareStatement(
                            "DELETE FROM late_record WHERE month < ?")) {
                        ps.setString(1, MONTH.format(cutoff.atOffset(ZoneOffset.UTC)));
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        throw new StoreException("could not delete the expired late-record notes: " + e.getMessage(), e);
                    }
                    session.commit(true);
                    return total;
                }
                int n;
                do {
                    n = mapper.deleteDatedBefore(spaceKey, cutoff, RETENTION_CHUNK);
                    session.commit(true);
                    total += n;
                } while (n == RETENTION_CHUNK);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>In one transaction: the records, the user directory's rows, the late-record notes and the evidence (trees,
     * tiles, month starts, strays, checkpoints). The trees' rows go first: a checkpoint is stored under its tree
     * row's lock ({@link MyBatisEvidenceStore#saveCheckpoint}), so one being stored now either commits before this
     * delete reads the checkpoints or finds its tree gone.
     */
    @Override
    public long deleteOrganization(String spaceKey) {
        try (SqlSession session = db.sessions().openSession(false)) {
            int n = session.getMapper(EventMapper.class).deleteOrganization(spaceKey);
            users.deleteOrganization(session.getConnection(), spaceKey);
            for (String table : List.of("evidence_tree", "evidence_checkpoint", "evidence_tile", "evidence_month",
                    "evidence_stray", "late_record")) {
                try (PreparedStatement ps = session.getConnection().prepareStatement(
                        "DELETE FROM " + table + " WHERE space_key = ?")) {
                    ps.setString(1, spaceKey);
                    ps.executeUpdate();
                }
            }
            session.commit(true);
            evidence.forget(spaceKey);
            return n;
        } catch (SQLException e) {
            throw new StoreException("could not delete the records of " + spaceKey + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isHealthy() {
        return db.isHealthy();
    }

    /**
     * The exception for a failed read: {@link StoreBusyException} when no connection of the pool became free in
     * time ({@link BoundedDataSource.PoolBusyException}, wrapped by MyBatis) or when the database stopped the
     * statement at its timeout (HSQLDB: SQLState 40502, "statement execution aborted: timeout reached";
     * PostgreSQL: 57014, "canceling statement due to statement timeout"; other drivers say
     * {@link java.sql.SQLTimeoutException}); else a {@link StoreException}.
     */
    static StoreException readFailure(String what, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BoundedDataSource.PoolBusyException) {
                return new StoreBusyException(StoreBusyException.Reason.BUSY,
                        "the store is busy: " + t.getMessage(), e);
            }
            if (t instanceof SQLTimeoutException || t instanceof SQLException s
                    && (HSQLDB_TIMEOUT_STATE.equals(s.getSQLState()) || POSTGRESQL_CANCELED_STATE.equals(s.getSQLState()))) {
                return new StoreBusyException(StoreBusyException.Reason.QUERY_TIMEOUT,
                        "the search ran past the statement timeout and was stopped: " + t.getMessage(), e);
            }
        }
        return new StoreException(what + rootMessage(e), e);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /**
     * Whether a unique key refused a row (SQLState 23505) somewhere in the cause chain: MyBatis wraps the
     * driver's exception, and the driver may wrap its own.
     */
    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code text} cut to at most {@code max} characters (a column's size), ending in "..." when cut, and never
     * between the two halves of a surrogate pair; {@code null} stays {@code null}.
     */
    static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 3;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }
}
