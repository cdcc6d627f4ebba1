package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.work.BackgroundWork;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the records stored before the search language's tables (V11__search.sql, V5__search.sql) their words and
 * counts, in the background: the records with ids from {@code search_backfill.next_id} to {@code upto_id}, in id
 * order, {@link #CHUNK} per transaction, each transaction moving {@code next_id} on. A stop in the middle goes on
 * from the last commit at the next start. Servers sharing a database may all run it: a transaction that finds
 * {@code next_id} moved since it read it (another server did that chunk) is rolled back.
 *
 * <p>Until it is done, searches with words or addresses read records one by one within their bound, and counts
 * walk ({@link SearchIndex#indexed}). A store made with these tables has nothing to backfill.
 */
@Component(immediate = true)
public final class SearchBackfill {
    private static final Logger LOG = LoggerFactory.getLogger(SearchBackfill.class);

    /** Records per transaction. */
    static final int CHUNK = 2_000;

    static final String STATE_SQL = "SELECT next_id, upto_id FROM search_backfill WHERE id = 1";
    static final String MOVE_SQL = "UPDATE search_backfill SET next_id = ? WHERE id = 1 AND next_id = ?";

    private final Database db;
    private final ScheduledExecutorService thread;

    @Activate
    public SearchBackfill(@Reference StorageDatabase database, @Reference BackgroundWork work) {
        this.db = database.database();
        this.thread = work.scheduler("search-backfill");
        thread.execute(this::run);
    }

    /** A backfill of {@code db} whose chunks the caller runs ({@link #chunk}). */
    SearchBackfill(Database db) {
        this.db = db;
        this.thread = null;
    }

    @Deactivate
    void deactivate() {
        thread.shutdownNow();
    }

    /** Whether nothing is left to backfill. */
    static boolean done(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STATE_SQL);
                ResultSet rs = ps.executeQuery()) {
            return !rs.next() || rs.getLong(1) > rs.getLong(2);
        }
    }

    private void run() {
        long total = 0;
        long started = System.nanoTime();
        try {
            long[] state = db.transactions().read("could not read the search index backfill: ", session -> {
                try (PreparedStatement ps = session.getConnection().prepareStatement(STATE_SQL);
                        ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, -1};
                }
            });
            if (state[0] <= state[1]) {
                LOG.info(
                        "Search index backfill begins: the records with ids {} to {}, stored before the search index",
                        state[0],
                        state[1]);
            }
            while (!Thread.currentThread().isInterrupted()) {
                int n = chunk();
                if (n < 0) {
                    break;
                }
                total += n;
                if (total > 0 && total % 1_000_000 < CHUNK) {
                    LOG.info("Search index backfill: {} records so far", total);
                }
            }
            db.searchIndex().markIndexed();
            if (total > 0) {
                LOG.info(
                        "Search index backfill done: {} records in {} s",
                        total,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            }
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                LOG.warn("Search index backfill stopped ({}); it goes on in a minute", e.toString());
                thread.schedule(this::run, 1, TimeUnit.MINUTES);
            }
        }
    }

    /** One chunk in one transaction: how many records it indexed, or -1 when nothing is left. */
    int chunk() {
        try (SearchIndex.Slot slot = db.searchIndex().slot()) {
            return db.transactions().write("could not backfill the search index: ", session -> {
                Connection c = session.getConnection();
                long next;
                long upto;
                try (PreparedStatement ps = c.prepareStatement(STATE_SQL);
                        ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return -1;
                    }
                    next = rs.getLong(1);
                    upto = rs.getLong(2);
                }
                if (next > upto) {
                    return -1;
                }
                List<AuditRecord> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + EventSearch.COLUMNS
                        + " FROM audit_event WHERE id >= ? AND id <= ? ORDER BY id LIMIT " + CHUNK)) {
                    ps.setLong(1, next);
                    ps.setLong(2, upto);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.add(EventSearch.record(rs));
                        }
                    }
                }
                long moveTo = rows.size() < CHUNK
                        ? upto + 1
                        : rows.get(rows.size() - 1).id() + 1;
                try (PreparedStatement ps = c.prepareStatement(MOVE_SQL)) {
                    ps.setLong(1, moveTo);
                    ps.setLong(2, next);
                    if (ps.executeUpdate() != 1) {
                        throw new SQLException("another server backfilled these records", "40001");
                    }
                }
                if (!rows.isEmpty()) {
                    db.searchIndex().write(c, rows, slot);
                }
                return rows.size();
            });
        }
    }
}
