package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.store.InboxEntry;
import org.auditlog.api.store.InboxStore;
import org.auditlog.api.store.StoreException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link InboxStore} on MyBatis. */
@Component(service = InboxStore.class, property = StorageDatabase.STORE)
public class MyBatisInboxStore implements InboxStore {
    private final Database db;
    private final MyBatisAuditStore events;
    private final Supplier<Clock> clock;

    /** The component: the store on the bundle's database. */
    @Activate
    public MyBatisInboxStore(@Reference StorageDatabase database) {
        this(database.database(), new MyBatisAuditStore(database.database(), database.searchScanRows()),
                database::clock);
    }

    MyBatisInboxStore(Database db, MyBatisAuditStore events, Supplier<Clock> clock) {
        this.db = db;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public long enqueue(InboxEntry entry) {
        InboxRow row = new InboxRow();
        row.product = entry.product();
        row.contentType = entry.contentType();
        row.payloads = entry.payloads();
        row.eventCount = entry.events();
        row.spaceKey = entry.context().spaceKey();
        row.clientIp = entry.context().clientIp();
        row.clientUserAgent = entry.context().clientUserAgent();
        row.received = entry.received() == null ? clock.get().instant() : entry.received();
        try (SqlSession session = db.sessions().openSession(false)) {
            session.getMapper(InboxMapper.class).insert(row);
            session.commit(true);
            return row.id;
        } catch (RuntimeException e) {
            throw MyBatisAuditStore.storeFailure("could not keep the events in the inbox: "
                    + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public List<InboxEntry> pending(String product, int max) {
        try (SqlSession session = db.sessions().openSession(true)) {
            return session.getMapper(InboxMapper.class).pending(product, max).stream().map(MyBatisInboxStore::entry)
                    .toList();
        }
    }

    @Override
    public List<InboxEntry> failedEntries(String product, int max) {
        try (SqlSession session = db.sessions().openSession(true)) {
            return session.getMapper(InboxMapper.class).failed(product, max).stream().map(MyBatisInboxStore::entry)
                    .toList();
        } catch (RuntimeException e) {
            throw new StoreException("could not read the inbox: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public Optional<InboxEntry> entry(long entryId) {
        try (SqlSession session = db.sessions().openSession(true)) {
            return Optional.ofNullable(session.getMapper(InboxMapper.class).one(entryId)).map(MyBatisInboxStore::entry);
        } catch (RuntimeException e) {
            throw new StoreException("could not read the inbox: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public boolean retryEntry(long entryId) {
        try (SqlSession session = db.sessions().openSession(false)) {
            int n = session.getMapper(InboxMapper.class).retry(entryId);
            session.commit(true);
            return n == 1;
        } catch (RuntimeException e) {
            throw new StoreException("could not change the inbox: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public boolean deleteFailed(long entryId) {
        try (SqlSession session = db.sessions().openSession(false)) {
            int n = session.getMapper(InboxMapper.class).deleteFailed(entryId);
            session.commit(true);
            return n == 1;
        } catch (RuntimeException e) {
            throw new StoreException("could not change the inbox: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public int deleteOrganization(String spaceKey) {
        try (SqlSession session = db.sessions().openSession(false)) {
            int n = session.getMapper(InboxMapper.class).deleteOrganization(spaceKey);
            session.commit(true);
            return n;
        } catch (RuntimeException e) {
            throw new StoreException("could not delete the inbox entries of " + spaceKey + ": "
                    + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public int deleteSetAsideBefore(Instant cutoff) {
        try (SqlSession session = db.sessions().openSession(false)) {
            int n = session.getMapper(InboxMapper.class).deleteFailedBefore(cutoff);
            session.commit(true);
            return n;
        } catch (RuntimeException e) {
            throw new StoreException("could not delete the expired inbox entries: " + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    private static InboxEntry entry(InboxRow r) {
        return new InboxEntry(r.id, r.product, r.contentType, r.payloads, r.eventCount,
                new IngestContext(r.spaceKey, r.clientIp, r.clientUserAgent), r.received, r.failure);
    }

    @Override
    public void consume(long entryId, List<AuditRecord> records) {
        events.preparePartitions(records);
        try (SqlSession session = db.sessions().openSession(false)) {
            Connection c = session.getConnection();
            try {
                // Delete first: if another drain consumed the entry already, nothing is inserted twice.
                List<List<String>> written = List.of();
                if (session.getMapper(InboxMapper.class).delete(entryId) == 1) {
                    written = events.insertAll(c, records);
                }
                c.commit();
                events.remember(written);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            events.partitionMissing(records, e); // the entry is tried again, and the month made again first
            throw MyBatisAuditStore.storeFailure("could not store the events of inbox entry " + entryId + ": "
                    + MyBatisAuditStore.rootMessage(e), e);
        }
    }

    @Override
    public void fail(long entryId, String reason) {
        try (SqlSession session = db.sessions().openSession(false)) {
            String r = MyBatisAuditStore.truncate(reason == null ? "refused" : reason, 1024);
            session.getMapper(InboxMapper.class).fail(entryId, r);
            session.commit(true);
        }
    }

    @Override
    public long pendingEvents(String product) {
        try (SqlSession session = db.sessions().openSession(true)) {
            return session.getMapper(InboxMapper.class).pendingEvents(product);
        }
    }

    @Override
    public long failedEvents(String product) {
        try (SqlSession session = db.sessions().openSession(true)) {
            return session.getMapper(InboxMapper.class).failedEvents(product);
        }
    }

    @Override
    public Set<String> knownProducts() {
        try (SqlSession session = db.sessions().openSession(true)) {
            return new LinkedHashSet<>(session.getMapper(InboxMapper.class).knownProducts());
        }
    }

    @Override
    public void rememberProduct(String product) {
        try (SqlSession session = db.sessions().openSession(false)) {
            session.getMapper(InboxMapper.class).rememberProduct(product, clock.get().instant());
            session.commit(true);
        }
    }
}
