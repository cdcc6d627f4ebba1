package org.auditlog.storage.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.ExportJobStore;
import org.auditlog.api.store.StoreException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link ExportJobStore} on MyBatis: jobs in {@code export_job}, the ledger of completed monthly runs in
 * {@code monthly_run} (one row per month, the first completion kept).
 *
 * <p>A job's id is random (from {@link SecureRandom}), positive and below 2<sup>53</sup>, so it stays a JSON
 * number every client reads exactly; a sequence shared by all organizations would tell each of them how many
 * exports the others make. An id already taken (about one chance in 2<sup>53</sup> per job) is drawn again.
 */
@Component(service = ExportJobStore.class, property = StorageDatabase.STORE)
public class MyBatisExportJobStore implements ExportJobStore {
    /** Size of {@code export_job.failure}; a longer reason is cut rather than refused. */
    static final int FAILURE_SIZE = 1000;
    /** Ids are below this: the largest integers a JSON number (an IEEE double) holds exactly. */
    static final long ID_BOUND = 1L << 53;
    /** Draws of an id before a failing insert is taken for what it says rather than a collision. */
    static final int ID_ATTEMPTS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final LongSupplier ids;

    /** The component: the store on the bundle's database. */
    @Activate
    public MyBatisExportJobStore(@Reference StorageDatabase database) {
        this(database.database());
    }

    MyBatisExportJobStore(Database db) {
        this(db, MyBatisExportJobStore::newId);
    }

    /** With another source of ids (a test's, to make a collision happen). */
    MyBatisExportJobStore(Database db, LongSupplier ids) {
        this.db = db;
        this.ids = ids;
    }

    @Override
    public ExportJob create(ExportJob job) {
        ExportJobRow row = new ExportJobRow(job, MyBatisAuditStore.truncate(job.failure(), FAILURE_SIZE));
        for (int attempt = 1;; attempt++) {
            row.id = ids.getAsLong();
            try (SqlSession session = db.sessions().openSession(false)) {
                session.getMapper(ExportJobMapper.class).insert(row);
                session.commit(true);
                break;
            } catch (RuntimeException e) {
                if (attempt < ID_ATTEMPTS && isDuplicateKey(e)) {
                    continue; // the id was taken: draw another
                }
                throw new StoreException("could not store the export job: " + MyBatisAuditStore.rootMessage(e), e);
            }
        }
        // As it reads back: with its id, times to the millisecond the column keeps, the failure as cut.
        return new ExportJob(row.id, job.spaceKey(), job.product(), job.requestedBy(), millis(job.requested()),
                job.firstDay(), job.lastDay(), job.state(), job.rows(), job.fileName(), row.failure,
                millis(job.started()), millis(job.finished()), job.attempts());
    }

    /** A random id in [1, 2^53). */
    static long newId() {
        return 1 + RANDOM.nextLong(ID_BOUND - 1);
    }

    private static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLIntegrityConstraintViolationException
                    || t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<ExportJob> find(long id) {
        try (SqlSession session = db.sessions().openSession(true)) {
            return Optional.ofNullable(session.getMapper(ExportJobMapper.class).find(id));
        } catch (RuntimeException e) {
            throw new StoreException("could not read export job " + id + ": " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public List<ExportJob> list(String spaceKey, int max) {
        if (max <= 0) {
            return List.of(); // HSQLDB reads LIMIT 0 as no limit at all
        }
        try (SqlSession session = db.sessions().openSession(true)) {
            return List.copyOf(session.getMapper(ExportJobMapper.class).list(spaceKey, max));
        } catch (RuntimeException e) {
            throw new StoreException("could not read the export jobs of " + spaceKey + ": "
                    + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public List<ExportJob> unfinished() {
        try (SqlSession session = db.sessions().openSession(true)) {
            return List.copyOf(session.getMapper(ExportJobMapper.class).unfinished());
        } catch (RuntimeException e) {
            throw new StoreException("could not read the unfinished export jobs: " + MyBatisAuditStore.rootMessage(e),
                    e);
        }
    }

    /**
     * Picks the oldest claimable job (on PostgreSQL with {@code FOR UPDATE SKIP LOCKED}, so servers asking at once
     * pick different jobs), then claims it with an update that checks again that it is claimable.
     */
    @Override
    public synchronized Optional<ExportJob> claim(String holder, Duration ttl) {
        try (SqlSession session = db.sessions().openSession(false)) {
            Connection c = session.getConnection();
            try {
                Instant now = MyBatisLeaseStore.now(c);
                Long id = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM export_job WHERE state IN ('QUEUED', "
                        + "'RUNNING') AND (claim_expires IS NULL OR claim_expires < ?) ORDER BY requested, id "
                        + (db.dialect() == Dialect.POSTGRESQL ? "LIMIT 1 FOR UPDATE SKIP LOCKED" : "LIMIT 1"))) {
                    ps.setObject(1, now.atOffset(ZoneOffset.UTC));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            id = rs.getLong(1);
                        }
                    }
                }
                if (id == null) {
                    c.commit();
                    return Optional.empty();
                }
                int n;
                try (PreparedStatement ps = c.prepareStatement("UPDATE export_job SET claimed_by = ?, claim_expires = ? "
                        + "WHERE id = ? AND state IN ('QUEUED', 'RUNNING') AND (claim_expires IS NULL OR claim_expires < ?)")) {
                    ps.setString(1, holder);
                    ps.setObject(2, now.plus(ttl).atOffset(ZoneOffset.UTC));
                    ps.setLong(3, id);
                    ps.setObject(4, now.atOffset(ZoneOffset.UTC));
                    n = ps.executeUpdate();
                }
                c.commit();
                return n == 1 ? find(id) : Optional.empty();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("could not claim an export job: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public boolean renewClaim(long id, String holder, Duration ttl) {
        try (SqlSession session = db.sessions().openSession(false)) {
            Connection c = session.getConnection();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE export_job SET claim_expires = ? WHERE id = ? AND claimed_by = ?")) {
                ps.setObject(1, MyBatisLeaseStore.now(c).plus(ttl).atOffset(ZoneOffset.UTC));
                ps.setLong(2, id);
                ps.setString(3, holder);
                int n = ps.executeUpdate();
                c.commit();
                return n == 1;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("could not renew the claim on export job " + id + ": "
                    + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public int releaseClaims(String prefix, String except) {
        try (SqlSession session = db.sessions().openSession(false)) {
            Connection c = session.getConnection();
            try (PreparedStatement ps = c.prepareStatement("UPDATE export_job SET claimed_by = NULL, claim_expires = NULL "
                    + "WHERE claimed_by LIKE ? ESCAPE '!' AND claimed_by <> ?")) {
                ps.setString(1, prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
                ps.setString(2, except);
                int n = ps.executeUpdate();
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("could not release the export job claims of " + prefix + ": "
                    + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    /** Writes the job's changing fields; a job deleted meanwhile (its organization was) is left deleted. */
    @Override
    public void update(ExportJob job) {
        try (SqlSession session = db.sessions().openSession(false)) {
            session.getMapper(ExportJobMapper.class).update(job,
                    MyBatisAuditStore.truncate(job.failure(), FAILURE_SIZE));
            session.commit(true);
        } catch (RuntimeException e) {
            throw new StoreException("could not update export job " + job.id() + ": "
                    + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public void progress(long id, long rows) {
        try (SqlSession session = db.sessions().openSession(false)) {
            session.getMapper(ExportJobMapper.class).progress(id, rows);
            session.commit(true);
        } catch (RuntimeException e) {
            throw new StoreException("could not record the progress of export job " + id + ": "
                    + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff) {
        try (SqlSession session = db.sessions().openSession(false)) {
            int n = session.getMapper(ExportJobMapper.class).deleteFinishedBefore(cutoff);
            session.commit(true);
            return n;
        } catch (RuntimeException e) {
            throw new StoreException("could not delete old export jobs: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public int deleteJobsOf(String spaceKey) {
        try (SqlSession session = db.sessions().openSession(false)) {
            int n = session.getMapper(ExportJobMapper.class).deleteOrganization(spaceKey);
            session.commit(true);
            return n;
        } catch (RuntimeException e) {
            throw new StoreException("could not delete the export jobs of " + spaceKey + ": "
                    + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public Optional<Instant> monthlyRunCompleted(YearMonth month) {
        try (SqlSession session = db.sessions().openSession(true)) {
            return Optional.ofNullable(session.getMapper(ExportJobMapper.class).monthlyRun(monthKey(month)));
        } catch (RuntimeException e) {
            throw new StoreException("could not read the monthly run of " + month + ": "
                    + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public void monthlyRunCompleted(YearMonth month, Instant at) {
        Objects.requireNonNull(at, "at");
        String key = monthKey(month);
        try (SqlSession session = db.sessions().openSession(false)) {
            session.getMapper(ExportJobMapper.class).rememberMonthlyRun(key, at);
            session.commit(true);
        } catch (RuntimeException e) {
            // Another thread recorded the same month between the merge's look and its insert: it is recorded.
            if (!MyBatisAuditStore.isUniqueViolation(e)) {
                throw new StoreException("could not record the monthly run of " + month + ": "
                        + MyBatisAuditStore.rootMessage(e), e);
            }
        }
    }

    /** {@code YYYYMM}, the key of {@code monthly_run}. */
    static String monthKey(YearMonth month) {
        if (month.getYear() < 0 || month.getYear() > 9999) {
            throw new IllegalArgumentException("month out of range: " + month);
        }
        return String.format("%04d%02d", month.getYear(), month.getMonthValue());
    }

    private static Instant millis(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }
}
