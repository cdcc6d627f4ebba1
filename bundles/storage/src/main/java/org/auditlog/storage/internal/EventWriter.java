package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.ibatis.session.ExecutorType;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.StoreException;

/**
 * The hot write path, in plain JDBC: the records of one group commit (or of one inbox entry) with the user
 * directory's rows, the evidence appends and the late-record notes, in the caller's transaction. Ingest skips
 * MyBatis' per-row parameter mapping (reflection over each record), which cost a third of the server's insert
 * throughput in the ingest benchmark; the insert is the mapper's own {@code EventMapper.insert}, so its SQL stays
 * in one place; on PostgreSQL the rows may go with COPY instead ({@link CopyIngest}).
 *
 * <p>Used by the audit store's appends and by the inbox's drain, each with a writer of its own.
 */
final class EventWriter {
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

    private final Transactions tx;
    private final String insertSql;
    private final String noteLateSql;
    private final boolean copy;
    /** The monthly partitions of the events on PostgreSQL, or null. */
    private final Partitions partitions;

    private final UserDirectory users;
    private final SearchIndex index;
    private final Supplier<Clock> clock;
    /** The tamper-evident log every append adds to. */
    private final EvidenceLog evidence;

    /** @param copy write with COPY instead of batched INSERTs (PostgreSQL only) */
    EventWriter(Database db, Supplier<Clock> clock, boolean copy) {
        if (copy && db.dialect() != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("COPY is PostgreSQL's");
        }
        this.tx = db.transactions();
        this.copy = copy;
        this.clock = clock;
        this.users = db.users();
        this.index = db.searchIndex();
        this.insertSql = db.sessions()
                .getConfiguration()
                .getMappedStatement(EventMapper.class.getName() + ".insert")
                .getBoundSql(null)
                .getSql();
        this.noteLateSql = db.dialect() == Dialect.POSTGRESQL ? POSTGRESQL_NOTE_LATE_SQL : NOTE_LATE_SQL;
        this.partitions = db.partitions();
        this.evidence = new EvidenceLog(db.dialect(), clock);
    }

    /**
     * Appends the records in one transaction; on PostgreSQL, makes the month of a partition another server's
     * retention dropped meanwhile again, and writes once more.
     */
    void append(List<AuditRecord> records) {
        preparePartitions(records);
        try {
            write(records);
        } catch (StoreException e) {
            if (partitions == null || !SqlFailures.isMissingPartition(e)) {
                throw e;
            }
            // another server's retention dropped a month these records are dated in: make it again, once
            partitionMissing(records, e);
            preparePartitions(records);
            write(records);
        }
    }

    /** The rows a transaction wrote that this server notes once it committed ({@link #remember}). */
    record Written(List<List<String>> users, SearchIndex.Written search) {
        static final Written NOTHING = new Written(List.of(), SearchIndex.Written.NOTHING);
    }

    private void write(List<AuditRecord> records) {
        Written written;
        try (SearchIndex.Slot slot = index.slot()) {
            written = tx.write(
                    "could not store " + records.size() + " records: ",
                    ExecutorType.SIMPLE,
                    session -> insertAll(session.getConnection(), records, slot),
                    SqlFailures::writeFailure);
        }
        remember(written);
    }

    /** A slot of the counts for one transaction ({@link SearchIndex#slot}); close it after the transaction ends. */
    SearchIndex.Slot slot() {
        return index.slot();
    }

    /**
     * After a write failed for want of a partition (another server's retention dropped a month these records are
     * dated in): the months are looked up again at the next {@link #preparePartitions}, which makes them again.
     */
    void partitionMissing(List<AuditRecord> records, Throwable failure) {
        if (partitions != null && SqlFailures.isMissingPartition(failure)) {
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
            throw SqlFailures.failure("could not make the partitions for " + records.size() + " records: ", e);
        }
    }

    /** Makes the rows of the trees the records go to that do not exist yet ({@link EvidenceLog#prepare}). */
    private void prepareTrees(List<AuditRecord> records) {
        if (evidence.allKnown(records)) {
            return;
        }
        tx.read("could not make the trees of " + records.size() + " records: ", session -> {
            evidence.prepare(session.getConnection(), records);
            return null;
        });
    }

    /**
     * Inserts records in one JDBC batch on the caller's connection and transaction, with the
     * {@link UserDirectory} rows they need and their words and counts ({@link SearchIndex}, in {@code slot}, held
     * by the caller until the transaction ends); returns the directory's rows, for {@link #remember} after the
     * commit.
     */
    Written insertAll(Connection c, List<AuditRecord> records, SearchIndex.Slot slot) throws SQLException {
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
        SearchIndex.Written search = index.write(c, records, slot);
        noteLate(c, records);
        return new Written(written, search);
    }

    /** Notes the user and word rows of a committed {@link #insertAll}. */
    void remember(Written written) {
        users.remember(written.users());
        index.remember(written.search());
    }

    /** Forgets the trees of an organization whose rows were deleted. */
    void forget(String spaceKey) {
        evidence.forget(spaceKey);
    }

    /**
     * Notes, in the records' transaction, each (organization, product, month) of the records dated in a month
     * that has ended (or ends within {@link #LATE_MARGIN}): {@code AuditStore#lastLateRecord}. Records of the
     * current month, nearly all of them, cost one comparison each.
     */
    private void noteLate(Connection c, List<AuditRecord> records) throws SQLException {
        Instant now = clock.get().instant();
        Instant current = YearMonth.from(now.plus(LATE_MARGIN).atOffset(ZoneOffset.UTC))
                .atDay(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        Set<List<String>> late = new LinkedHashSet<>();
        for (AuditRecord r : records) {
            if (r.date().isBefore(current)) {
                late.add(
                        List.of(r.spaceKey(), r.product(), MONTH.format(r.date().atOffset(ZoneOffset.UTC))));
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
}
