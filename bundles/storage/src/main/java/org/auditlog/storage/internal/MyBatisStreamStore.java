package org.auditlog.storage.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.StoreException;
import org.auditlog.api.store.StoredStream;
import org.auditlog.api.store.StreamPosition;
import org.auditlog.api.store.StreamStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link StreamStore} on MyBatis over the tables {@code stream} and {@code stream_position}. A stream's name is
 * unique in its scope ({@code name_scope}: the organization, or {@code ""} for the server-wide streams); the
 * settings and filters are JSON text ({@link JsonText}). A place is made, when missing, only for a stream that
 * exists ({@code insertPlace}, and the foreign key behind it), so that nothing moves a deleted stream's place back
 * into being.
 *
 * <p>{@link #advance} runs in one transaction that first checks the lease's row ({@code lease}, as
 * {@link MyBatisLeaseStore} keeps it) for its holder, epoch and expiry against the database's time, in an
 * {@code UPDATE} that changes nothing and locks the row to the commit ({@link LeaseMapper#hold}), then moves the
 * place only from where it was expected. A takeover under way is waited for and then refuses the move; a takeover
 * that comes after waits for the move's commit. (A {@code SELECT ... FOR UPDATE} would do on PostgreSQL, but
 * HSQLDB's reads the last committed row without waiting for a change under way.)
 */
@Component(service = StreamStore.class, property = StorageDatabase.STORE)
public class MyBatisStreamStore implements StreamStore {
    /** The longest error message kept ({@code stream_position.error_message}). */
    static final int MESSAGE_MAX = 1000;
    /** The longest error category kept ({@code stream_position.error_category}). */
    static final int CATEGORY_MAX = 32;

    private final Transactions tx;

    /** The component: the store on the bundle's database. */
    @Activate
    public MyBatisStreamStore(@Reference StorageDatabase database) {
        this.tx = database.database().transactions();
    }

    @Override
    public void create(StoredStream stream) {
        StreamRow row = rowOf(stream);
        tx.update("could not store the stream " + stream.id() + ": ", session -> {
            StreamMapper m = session.getMapper(StreamMapper.class);
            if (m.find(stream.id()) != null) {
                throw new DataRefusedException("the stream id " + stream.id() + " is taken", null);
            }
            refuseTakenName(m, row);
            try {
                m.insert(row);
            } catch (RuntimeException e) {
                throw refusal(e, row);
            }
        });
    }

    @Override
    public Optional<StoredStream> find(String id) {
        return tx.read(
                "could not read the stream " + id + ": ",
                session -> Optional.ofNullable(
                                session.getMapper(StreamMapper.class).find(id))
                        .map(MyBatisStreamStore::streamOf));
    }

    @Override
    public List<StoredStream> list(String spaceKey) {
        return tx
                .read(
                        "could not list the streams of " + scopeOf(spaceKey) + ": ",
                        session -> session.getMapper(StreamMapper.class).list(nameScope(spaceKey)))
                .stream()
                .map(MyBatisStreamStore::streamOf)
                .toList();
    }

    @Override
    public List<StoredStream> all() {
        return tx
                .read(
                        "could not list the streams: ",
                        session -> session.getMapper(StreamMapper.class).all())
                .stream()
                .map(MyBatisStreamStore::streamOf)
                .toList();
    }

    @Override
    public boolean update(StoredStream stream, long expectedRevision) {
        StreamRow row = rowOf(stream);
        return tx.write("could not update the stream " + stream.id() + ": ", session -> {
            StreamMapper m = session.getMapper(StreamMapper.class);
            StreamRow stored = m.find(stream.id());
            if (stored == null || stored.revision() != expectedRevision) {
                return false;
            }
            // the organization stays the stored one, and with it the scope of the name
            StreamRow kept = new StreamRow(
                    row.id(),
                    stored.spaceKey(),
                    stored.nameScope(),
                    row.name(),
                    row.type(),
                    row.settings(),
                    row.sealedSecrets(),
                    row.products(),
                    row.categories(),
                    row.state(),
                    row.pausedBy(),
                    stored.created(),
                    row.updated(),
                    row.revision());
            refuseTakenName(m, kept);
            try {
                return m.update(kept, expectedRevision) == 1;
            } catch (RuntimeException e) {
                throw refusal(e, kept);
            }
        });
    }

    @Override
    public boolean delete(String id) {
        return tx.write("could not delete the stream " + id + ": ", session -> {
            StreamMapper m = session.getMapper(StreamMapper.class);
            m.deletePlaces(id);
            return m.delete(id) == 1;
        });
    }

    @Override
    public int deleteOrganization(String spaceKey) {
        return tx.write("could not delete the streams of " + spaceKey + ": ", session -> {
            StreamMapper m = session.getMapper(StreamMapper.class);
            m.deleteOrganizationPlaces(spaceKey);
            return m.deleteOrganization(spaceKey);
        });
    }

    @Override
    public List<StreamPosition> positions(String streamId) {
        return tx.read(
                "could not read the places of the stream " + streamId + ": ",
                session -> session.getMapper(StreamMapper.class).positions(streamId));
    }

    @Override
    public boolean advance(
            String streamId,
            String spaceKey,
            String product,
            long expectedNext,
            long next,
            Instant at,
            long lag,
            String leaseName,
            String holder,
            long epoch) {
        Objects.requireNonNull(at, "at");
        if (expectedNext < 0 || next < expectedNext) {
            throw new IllegalArgumentException(
                    "a place moves on from a sequence of 0 or more: " + expectedNext + " to " + next);
        }
        return tx.write("could not move the place of the stream " + streamId + ": ", session -> {
            // the lease's row locked to the commit: a server taking it over waits for this move, then sees it
            if (session.getMapper(LeaseMapper.class).hold(leaseName, holder, epoch) != 1) {
                return false;
            }
            if (!place(session, streamId, spaceKey, product, expectedNext)) {
                return false;
            }
            return session.getMapper(StreamMapper.class)
                            .advance(streamId, spaceKey, product, expectedNext, next, millis(at), lag)
                    == 1;
        });
    }

    @Override
    public void failed(
            String streamId, String spaceKey, String product, long next, Instant at, String category, String message) {
        Objects.requireNonNull(at, "at");
        tx.update("could not record the failure of the stream " + streamId + ": ", session -> {
            if (place(session, streamId, spaceKey, product, next)) {
                session.getMapper(StreamMapper.class)
                        .failed(
                                streamId,
                                spaceKey,
                                product,
                                millis(at),
                                cut(category, CATEGORY_MAX),
                                cut(message, MESSAGE_MAX));
            }
        });
    }

    @Override
    public void moveTo(String streamId, String spaceKey, Map<String, Long> nextByProduct) {
        for (Map.Entry<String, Long> e : nextByProduct.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException(
                        "a place is a sequence of 0 or more: " + e.getKey() + " " + e.getValue());
            }
        }
        tx.update("could not move the places of the stream " + streamId + ": ", session -> {
            StreamMapper m = session.getMapper(StreamMapper.class);
            for (Map.Entry<String, Long> e : nextByProduct.entrySet()) {
                if (place(session, streamId, spaceKey, e.getKey(), e.getValue())) {
                    m.moveTo(streamId, spaceKey, e.getKey(), e.getValue());
                }
            }
        });
    }

    @Override
    public void gap(String streamId, String spaceKey, String product, long from, long to, Instant at) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException(
                    "a gap is from a sequence of 0 or more to one as high: " + from + " to " + to);
        }
        tx.update("could not record a gap of the stream " + streamId + ": ", session -> {
            if (place(session, streamId, spaceKey, product, from)) {
                session.getMapper(StreamMapper.class).gap(streamId, spaceKey, product, from, to);
            }
        });
    }

    /**
     * Makes the place at {@code next} when it is not stored and the stream exists; false when the stream was deleted
     * at this very moment (its transaction is rolled back). A place another transaction makes at the same moment is
     * taken as made (HSQLDB refuses the second insert with a unique violation, PostgreSQL's inserts nothing): the
     * statement that follows changes it, or, while that transaction has not committed, nothing. The statement that
     * follows changes nothing either when the stream is gone.
     */
    private static boolean place(SqlSession session, String streamId, String spaceKey, String product, long next) {
        try {
            session.getMapper(StreamMapper.class).insertPlace(streamId, spaceKey, product, next);
            return true;
        } catch (RuntimeException e) {
            if (SqlFailures.isForeignKeyViolation(e)) {
                session.rollback(true); // PostgreSQL ended the transaction: nothing of it is to be kept anyway
                return false;
            }
            if (SqlFailures.isUniqueViolation(e)) {
                return true;
            }
            throw e;
        }
    }

    /** Refuses, before the write, a name another stream has in the same scope. */
    private static void refuseTakenName(StreamMapper m, StreamRow row) {
        StreamRow named = m.findByName(row.nameScope(), row.name());
        if (named != null && !named.id().equals(row.id())) {
            throw new DataRefusedException(
                    "the name " + row.name() + " is taken by the stream " + named.id() + " of "
                            + scopeOf(row.spaceKey()),
                    null);
        }
    }

    /** A unique key's refusal of a row written at the same moment as another: the id or the name taken. */
    private static RuntimeException refusal(RuntimeException e, StreamRow row) {
        if (SqlFailures.isUniqueViolation(e)) {
            return new DataRefusedException(
                    "the stream id " + row.id() + " or the name " + row.name() + " of " + scopeOf(row.spaceKey())
                            + " is taken",
                    e);
        }
        return e;
    }

    private static String nameScope(String spaceKey) {
        return spaceKey == null ? "" : spaceKey;
    }

    private static String scopeOf(String spaceKey) {
        return spaceKey == null ? "the server-wide streams" : "organization " + spaceKey;
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static StreamRow rowOf(StoredStream s) {
        return new StreamRow(
                s.id(),
                s.spaceKey(),
                nameScope(s.spaceKey()),
                s.name(),
                s.type(),
                JsonText.object(s.settings()),
                s.sealedSecrets(),
                JsonText.array(s.products()),
                JsonText.array(s.categories()),
                s.state(),
                s.pausedBy(),
                millis(s.created()),
                millis(s.updated()),
                s.revision());
    }

    /**
     * A time as the columns keep it (to the millisecond), cut rather than rounded: PostgreSQL would round, HSQLDB
     * cut.
     */
    private static Instant millis(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }

    static StoredStream streamOf(StreamRow r) {
        try {
            return new StoredStream(
                    r.id(),
                    r.spaceKey(),
                    r.name(),
                    r.type(),
                    JsonText.readObject(r.settings()),
                    r.sealedSecrets(),
                    JsonText.readArray(r.products()),
                    JsonText.readArray(r.categories()),
                    r.state(),
                    r.pausedBy(),
                    r.created(),
                    r.updated(),
                    r.revision());
        } catch (IllegalStateException e) {
            throw new StoreException("the stream " + r.id() + " cannot be read: " + e.getMessage(), e);
        }
    }
}
