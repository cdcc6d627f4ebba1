package org.auditlog.storage.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
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

    private final Transactions tx;
    /**
     * Where ids are drawn ({@link #newId}). Not final only so that a test can make a collision happen, which random
     * ids all but never do; the component never changes it.
     */
    LongSupplier ids = MyBatisExportJobStore::newId;

    /** The component: the store on the bundle's database. */
    @Activate
    public MyBatisExportJobStore(@Reference StorageDatabase database) {
        this.tx = database.database().transactions();
    }

    @Override
    public ExportJob create(ExportJob job) {
        ExportJobRow row = new ExportJobRow(job, Columns.truncate(job.failure(), FAILURE_SIZE));
        for (int attempt = 1; ; attempt++) {
            row.id = ids.getAsLong();
            try {
                tx.update(
                        "could not store the export job: ",
                        session -> session.getMapper(ExportJobMapper.class).insert(row));
                break;
            } catch (StoreException e) {
                if (attempt < ID_ATTEMPTS && SqlFailures.isUniqueViolation(e)) {
                    continue; // the id was taken: draw another
                }
                throw e;
            }
        }
        // As it reads back: with its id, times to the millisecond the column keeps, the failure as cut.
        return new ExportJob(
                row.id,
                job.spaceKey(),
                job.product(),
                job.requestedBy(),
                millis(job.requested()),
                job.firstDay(),
                job.lastDay(),
                job.state(),
                job.rows(),
                job.fileName(),
                row.failure,
                millis(job.started()),
                millis(job.finished()),
                job.attempts());
    }

    /** A random id in [1, 2^53). */
    static long newId() {
        return 1 + RANDOM.nextLong(ID_BOUND - 1);
    }

    @Override
    public Optional<ExportJob> find(long id) {
        return tx.read(
                "could not read export job " + id + ": ",
                session -> Optional.ofNullable(
                        session.getMapper(ExportJobMapper.class).find(id)));
    }

    @Override
    public List<ExportJob> list(String spaceKey, int max) {
        if (max <= 0) {
            return List.of(); // HSQLDB reads LIMIT 0 as no limit at all
        }
        return tx.read(
                "could not read the export jobs of " + spaceKey + ": ",
                session -> List.copyOf(session.getMapper(ExportJobMapper.class).list(spaceKey, max)));
    }

    @Override
    public List<ExportJob> unfinished() {
        return tx.read(
                "could not read the unfinished export jobs: ",
                session -> List.copyOf(session.getMapper(ExportJobMapper.class).unfinished()));
    }

    /**
     * Picks the oldest claimable job (on PostgreSQL with {@code FOR UPDATE SKIP LOCKED}, so servers asking at once
     * pick different jobs), then claims it with an update that checks again that it is claimable.
     */
    @Override
    public synchronized Optional<ExportJob> claim(String holder, Duration ttl) {
        return tx.write("could not claim an export job: ", session -> {
                    Instant now = session.getMapper(LeaseMapper.class).now();
                    ExportJobMapper m = session.getMapper(ExportJobMapper.class);
                    Long id = m.claimable(now);
                    return id != null && m.claim(id, holder, now, now.plus(ttl)) == 1
                            ? Optional.of(id)
                            : Optional.<Long>empty();
                })
                .flatMap(this::find);
    }

    @Override
    public boolean renewClaim(long id, String holder, Duration ttl) {
        return tx.write(
                        "could not renew the claim on export job " + id + ": ",
                        session -> session.getMapper(ExportJobMapper.class)
                                .renewClaim(
                                        id,
                                        holder,
                                        session.getMapper(LeaseMapper.class)
                                                .now()
                                                .plus(ttl)))
                == 1;
    }

    @Override
    public int releaseClaims(String prefix, String except) {
        return tx.write(
                "could not release the export job claims of " + prefix + ": ",
                session -> session.getMapper(ExportJobMapper.class)
                        .releaseClaims(
                                prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%", except));
    }

    /** Writes the job's changing fields; a job deleted meanwhile (its organization was) is left deleted. */
    @Override
    public void update(ExportJob job) {
        tx.update(
                "could not update export job " + job.id() + ": ",
                session -> session.getMapper(ExportJobMapper.class)
                        .update(job, Columns.truncate(job.failure(), FAILURE_SIZE)));
    }

    @Override
    public void progress(long id, long rows) {
        tx.update(
                "could not record the progress of export job " + id + ": ",
                session -> session.getMapper(ExportJobMapper.class).progress(id, rows));
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff) {
        return tx.write(
                "could not delete old export jobs: ",
                session -> session.getMapper(ExportJobMapper.class).deleteFinishedBefore(cutoff));
    }

    @Override
    public int deleteJobsOf(String spaceKey) {
        return tx.write(
                "could not delete the export jobs of " + spaceKey + ": ",
                session -> session.getMapper(ExportJobMapper.class).deleteOrganization(spaceKey));
    }

    @Override
    public Optional<Instant> monthlyRunCompleted(YearMonth month) {
        return tx.read(
                "could not read the monthly run of " + month + ": ",
                session -> Optional.ofNullable(
                        session.getMapper(ExportJobMapper.class).monthlyRun(monthKey(month))));
    }

    @Override
    public void monthlyRunCompleted(YearMonth month, Instant at) {
        Objects.requireNonNull(at, "at");
        String key = monthKey(month);
        try {
            tx.update(
                    "could not record the monthly run of " + month + ": ",
                    session -> session.getMapper(ExportJobMapper.class).rememberMonthlyRun(key, at));
        } catch (StoreException e) {
            // Another thread recorded the same month between the merge's look and its insert: it is recorded.
            if (!SqlFailures.isUniqueViolation(e)) {
                throw e;
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
