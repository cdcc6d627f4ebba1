package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.auditlog.api.adapter.AuditRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monthly partitions of {@code audit_event} on PostgreSQL: one table {@code audit_event_pYYYYMM} per month
 * (UTC) of {@code event_date}, made ahead of time ({@link #AHEAD_MONTHS} months past the current one, at every
 * start and every retention run) and on demand for a record of any other month, before its batch is written.
 * There is no DEFAULT partition, so that retention can take a month out with {@code DETACH PARTITION ...
 * CONCURRENTLY}, which waits for the searches and writes on it but blocks none, and then drop it: deleting an
 * expired month is one statement, whatever it holds.
 *
 * <p>A partition is made as a table of its own and then attached ({@code ATTACH PARTITION} takes a SHARE UPDATE
 * EXCLUSIVE lock on {@code audit_event}, which ingest and searches never wait for; {@code CREATE TABLE ...
 * PARTITION OF} would take an ACCESS EXCLUSIVE one). Servers sharing the database make and drop partitions
 * under that same lock, taken first in the transaction, so two never make the same month at once.
 *
 * <p>The words of the records ({@code audit_word}, V5__search.sql) are partitioned the same way: every month's
 * {@code audit_word_pYYYYMM} is made, attached, detached and dropped with its {@code audit_event_pYYYYMM}, and a
 * start makes those of the months that have records and none (the months there were before V5).
 */
final class Partitions {
    private static final Logger LOG = LoggerFactory.getLogger(Partitions.class);
    static final String PARENT = "audit_event";
    static final String PREFIX = PARENT + "_p";
    /** The indexes of audit_event (V1__schema.sql, V4): each partition's are its name with this suffix. */
    static final String[][] INDEXES = {
        {"_org_date", "space_key, event_date, id"},
        {"_product_org_date", "product, space_key, event_date, id"},
        {"_user_org_date", "operation_user_id, space_key, event_date, id"},
        // V4__streams.sql: a stream's pages, in sequence order
        {"_org_product_seq", "space_key, product, seq"},
        // V5__search.sql: ip:, one address newest first
        {"_ip_org_date", "ip_address, space_key, event_date, id"}
    };
    /** The words of the records (V5__search.sql), partitioned as they are. */
    static final String WORDS = "audit_word";

    static final String WORDS_PREFIX = WORDS + "_p";
    /** Months made ahead of the current one. */
    static final int AHEAD_MONTHS = 2;

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuuMM");

    /** The attached partitions: every month in here has one (or had one, until retention dropped it). */
    private final Set<YearMonth> known = ConcurrentHashMap.newKeySet();

    private final DataSource ds;

    Partitions(DataSource ds) {
        this.ds = ds;
    }

    static String tableOf(YearMonth month) {
        return PREFIX + MONTH.format(month);
    }

    static String wordsTableOf(YearMonth month) {
        return WORDS_PREFIX + MONTH.format(month);
    }

    /** The month of a partition's table name, or null for any other name. */
    static YearMonth monthOf(String table) {
        String prefix = table.startsWith(WORDS_PREFIX) ? WORDS_PREFIX : PREFIX;
        if (!table.startsWith(prefix) || table.length() != prefix.length() + 6) {
            return null;
        }
        try {
            return YearMonth.parse(table.substring(prefix.length()), MONTH);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static YearMonth monthOf(Instant date) {
        return YearMonth.from(date.atOffset(ZoneOffset.UTC));
    }

    /** The first instant of a month (UTC). */
    static Instant start(YearMonth m) {
        return m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** Reads the attached partitions, then makes those of {@code now}'s month and the {@link #AHEAD_MONTHS} after. */
    void start(Instant now) throws SQLException {
        known.clear();
        List<YearMonth> withoutWords = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            TreeMap<YearMonth, Boolean> words = attached(c, WORDS);
            for (var e : attached(c).entrySet()) {
                if (e.getValue()) {
                    continue; // a drop stopped half-way: the next retention run finishes it
                }
                if (words.containsKey(e.getKey())) {
                    known.add(e.getKey());
                } else {
                    withoutWords.add(e.getKey());
                }
            }
            c.commit();
        }
        ensure(withoutWords);
        ensureAhead(now);
    }

    /** Makes the partitions of {@code now}'s month and of the {@link #AHEAD_MONTHS} months after it. */
    void ensureAhead(Instant now) throws SQLException {
        List<YearMonth> months = new ArrayList<>();
        YearMonth current = monthOf(now);
        for (int i = 0; i <= AHEAD_MONTHS; i++) {
            months.add(current.plusMonths(i));
        }
        ensure(months);
    }

    /**
     * Makes sure every month of the records has its partition; one comparison per record when all have. A
     * month that was made and dropped since (by another server's retention) is made again: the months are
     * read from the database whenever one is missing here.
     *
     * @throws IllegalArgumentException for a record dated outside the years 0 to 9999
     */
    void ensureFor(Collection<AuditRecord> records) throws SQLException {
        // the month of the record before, as [from, to): nearly every record of a batch falls in it
        Instant from = Instant.MAX;
        Instant to = Instant.MIN;
        Set<YearMonth> missing = null;
        for (AuditRecord r : records) {
            if (!r.date().isBefore(from) && r.date().isBefore(to)) {
                continue;
            }
            YearMonth m = monthOf(r.date());
            from = start(m);
            to = start(m.plusMonths(1));
            if (m.getYear() < 0 || m.getYear() > 9999) {
                throw new IllegalArgumentException("a record is dated " + r.date() + ", outside the years 0 to 9999");
            }
            if (!known.contains(m)) {
                if (missing == null) {
                    missing = new LinkedHashSet<>();
                }
                missing.add(m);
            }
        }
        if (missing != null) {
            ensure(missing);
        }
    }

    /** Forgets the months of the records, so that the next {@link #ensureFor} looks them up again. */
    void forget(Collection<AuditRecord> records) {
        for (AuditRecord r : records) {
            known.remove(monthOf(r.date()));
        }
    }

    private void ensure(Collection<YearMonth> months) throws SQLException {
        for (YearMonth m : months) {
            try (Connection c = ds.getConnection()) {
                try {
                    lock(c);
                    TreeMap<YearMonth, Boolean> attached = attached(c);
                    TreeMap<YearMonth, Boolean> words = attached(c, WORDS);
                    boolean events = attached.containsKey(m) && !attached.get(m);
                    boolean wordsThere = words.containsKey(m) && !words.get(m);
                    if (events && wordsThere) {
                        c.commit();
                        known.add(m);
                        continue;
                    }
                    if (!events) {
                        create(c, m, attached.containsKey(m));
                    }
                    if (!wordsThere) {
                        createWords(c, m, words.containsKey(m));
                    }
                    c.commit();
                    known.add(m);
                    LOG.info("Made the partition {} of {} for events dated in {}", tableOf(m), PARENT, m);
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        }
    }

    /** SHARE UPDATE EXCLUSIVE on the parent: it conflicts with itself only, so servers take turns here. */
    private static void lock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE " + PARENT + " IN SHARE UPDATE EXCLUSIVE MODE");
        }
    }

    /**
     * Makes the month's table and attaches it. A table of that name left detached by a drop that was stopped
     * half-way (or still pending its concurrent detach) holds an expired month: it goes first.
     */
    private static void create(Connection c, YearMonth m, boolean detachPending) throws SQLException {
        String table = tableOf(m);
        try (Statement s = c.createStatement()) {
            if (detachPending) {
                s.execute("ALTER TABLE " + PARENT + " DETACH PARTITION " + table + " FINALIZE");
            }
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("CREATE TABLE " + table + " (LIKE " + PARENT + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            // the parent's indexes, named after it (a plan then names the index it walks); ATTACH adopts them
            for (String[] index : INDEXES) {
                s.execute("CREATE INDEX " + table + index[0] + " ON " + table + " (" + index[1] + ")");
            }
            s.execute("ALTER TABLE " + PARENT + " ATTACH PARTITION " + table + " FOR VALUES FROM ('" + bound(m)
                    + "') TO ('" + bound(m.plusMonths(1)) + "')");
        }
    }

    /** Makes the month's table of words and attaches it, as {@link #create} does for the records. */
    private static void createWords(Connection c, YearMonth m, boolean detachPending) throws SQLException {
        String table = wordsTableOf(m);
        try (Statement s = c.createStatement()) {
            if (detachPending) {
                s.execute("ALTER TABLE " + WORDS + " DETACH PARTITION " + table + " FINALIZE");
            }
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("CREATE TABLE " + table + " (word BIGINT NOT NULL, minute TIMESTAMP(0) WITH TIME ZONE NOT "
                    + "NULL, slot INT NOT NULL, CONSTRAINT " + table + "_pkey PRIMARY KEY (word, minute, slot))");
            s.execute("ALTER TABLE " + WORDS + " ATTACH PARTITION " + table + " FOR VALUES FROM ('" + bound(m)
                    + "') TO ('" + bound(m.plusMonths(1)) + "')");
        }
    }

    /** The first instant of a month as a timestamptz literal. */
    static String bound(YearMonth m) {
        return String.format("%04d-%02d-01 00:00:00+00", m.getYear(), m.getMonthValue());
    }

    /**
     * The partitions of {@code audit_event} by month: true for one whose concurrent detach was begun and not
     * finished (a server stopped in the middle of a drop), false for the others.
     */
    static TreeMap<YearMonth, Boolean> attached(Connection c) throws SQLException {
        return attached(c, PARENT);
    }

    /** The partitions of {@code parent} ({@link #PARENT} or {@link #WORDS}) by month, as {@link #attached(Connection)}. */
    static TreeMap<YearMonth, Boolean> attached(Connection c, String parent) throws SQLException {
        TreeMap<YearMonth, Boolean> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.relname, i.inhdetachpending FROM pg_inherits i "
                + "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = CAST(? AS regclass)")) {
            ps.setString(1, parent);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    YearMonth m = monthOf(rs.getString(1));
                    if (m != null) {
                        out.put(m, rs.getBoolean(2));
                    }
                }
            }
        }
        return out;
    }

    /** Tables named like a partition that are not attached (a drop stopped between its detach and its drop). */
    static List<YearMonth> detached(Connection c) throws SQLException {
        return detached(c, PARENT, PREFIX);
    }

    private static List<YearMonth> detached(Connection c, String parent, String prefix) throws SQLException {
        TreeMap<YearMonth, Boolean> attached = attached(c, parent);
        List<YearMonth> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT relname FROM pg_class WHERE relkind = 'r' "
                + "AND relnamespace = CAST(current_schema() AS regnamespace) AND relname LIKE ?")) {
            ps.setString(1, prefix.replace("_", "\\_") + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    YearMonth m = monthOf(rs.getString(1));
                    if (m != null && !attached.containsKey(m)) {
                        out.add(m);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Drops every month before {@code month}: counts its rows, detaches it concurrently, drops it; returns how
     * many rows went. Resumes a drop stopped half-way (a pending detach is finished, a detached table dropped).
     */
    long dropBefore(YearMonth month) throws SQLException {
        long rows = 0;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true); // DETACH ... CONCURRENTLY runs outside a transaction block
            try {
                for (var e : attached(c).headMap(month).entrySet()) {
                    String table = tableOf(e.getKey());
                    rows += count(c, table);
                    try (Statement s = c.createStatement()) {
                        s.execute("ALTER TABLE " + PARENT + " DETACH PARTITION " + table
                                + (e.getValue() ? " FINALIZE" : " CONCURRENTLY"));
                    }
                    known.remove(e.getKey());
                    drop(c, table);
                    LOG.info("Dropped the partition {} (events dated in {})", table, e.getKey());
                }
                for (YearMonth m : detached(c)) {
                    if (m.isBefore(month)) {
                        String table = tableOf(m);
                        rows += count(c, table);
                        drop(c, table);
                        LOG.info("Dropped the detached partition {} (events dated in {})", table, m);
                    }
                }
                // the words of the same months (no count: their rows are the records' words)
                for (var e : attached(c, WORDS).headMap(month).entrySet()) {
                    String table = wordsTableOf(e.getKey());
                    try (Statement s = c.createStatement()) {
                        s.execute("ALTER TABLE " + WORDS + " DETACH PARTITION " + table
                                + (e.getValue() ? " FINALIZE" : " CONCURRENTLY"));
                    }
                    drop(c, table);
                }
                for (YearMonth m : detached(c, WORDS, WORDS_PREFIX)) {
                    if (m.isBefore(month)) {
                        drop(c, wordsTableOf(m));
                    }
                }
            } finally {
                c.setAutoCommit(false);
            }
        }
        return rows;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void drop(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }
}
