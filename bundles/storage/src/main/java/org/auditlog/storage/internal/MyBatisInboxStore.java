package org.auditlog.storage.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.ibatis.session.ExecutorType;
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
    private final Transactions tx;
    /** The drain's writes of events: the same hot path as the audit store's appends. */
    private final EventWriter events;

    private final Supplier<Clock> clock;

    /** The component: the store on the bundle's database. */
    @Activate
    public MyBatisInboxStore(@Reference StorageDatabase database) {
        this.db = database.database();
        this.tx = db.transactions();
        this.clock = database::clock;
        this.events = new EventWriter(db, clock, false);
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
        return tx.write(
                "could not keep the events in the inbox: ",
                ExecutorType.SIMPLE,
                session -> {
                    session.getMapper(InboxMapper.class).insert(row);
                    return row.id;
                },
                SqlFailures::writeFailure);
    }

    @Override
    public List<InboxEntry> pending(String product, int max) {
        return tx
                .read(
                        "could not read the inbox: ",
                        session -> session.getMapper(InboxMapper.class).pending(product, max))
                .stream()
                .map(MyBatisInboxStore::entry)
                .toList();
    }

    @Override
    public List<InboxEntry> failedEntries(String product, int max) {
        return tx.read(
                "could not read the inbox: ",
                session -> session.getMapper(InboxMapper.class).failed(product, max).stream()
                        .map(MyBatisInboxStore::entry)
                        .toList());
    }

    @Override
    public Optional<InboxEntry> entry(long entryId) {
        return tx.read(
                "could not read the inbox: ",
                session -> Optional.ofNullable(
                                session.getMapper(InboxMapper.class).one(entryId))
                        .map(MyBatisInboxStore::entry));
    }

    @Override
    public boolean retryEntry(long entryId) {
        return tx.write(
                        "could not change the inbox: ",
                        session -> session.getMapper(InboxMapper.class).retry(entryId))
                == 1;
    }

    @Override
    public boolean deleteFailed(long entryId) {
        return tx.write(
                        "could not change the inbox: ",
                        session -> session.getMapper(InboxMapper.class).deleteFailed(entryId))
                == 1;
    }

    @Override
    public int deleteOrganization(String spaceKey) {
        return tx.write(
                "could not delete the inbox entries of " + spaceKey + ": ",
                session -> session.getMapper(InboxMapper.class).deleteOrganization(spaceKey));
    }

    @Override
    public int deleteSetAsideBefore(Instant cutoff) {
        return tx.write(
                "could not delete the expired inbox entries: ",
                session -> session.getMapper(InboxMapper.class).deleteFailedBefore(cutoff));
    }

    private static InboxEntry entry(InboxRow r) {
        return new InboxEntry(
                r.id,
                r.product,
                r.contentType,
                r.payloads,
                r.eventCount,
                new IngestContext(r.spaceKey, r.clientIp, r.clientUserAgent),
                r.received,
                r.failure);
    }

    @Override
    public void consume(long entryId, List<AuditRecord> records) {
        events.preparePartitions(records);
        EventWriter.Written written;
        try (SearchIndex.Slot slot = events.slot()) {
            written = tx.write(
                    "could not store the events of inbox entry " + entryId + ": ",
                    ExecutorType.SIMPLE,
                    session -> {
                        // Delete first: if another drain consumed the entry already, nothing is inserted twice.
                        if (session.getMapper(InboxMapper.class).delete(entryId) != 1) {
                            return EventWriter.Written.NOTHING;
                        }
                        return events.insertAll(session.getConnection(), records, slot);
                    },
                    SqlFailures::writeFailure);
        } catch (StoreException e) {
            events.partitionMissing(records, e); // the entry is tried again, and the month made again first
            throw e;
        }
        events.remember(written);
    }

    @Override
    public void fail(long entryId, String reason) {
        String r = Columns.truncate(reason == null ? "refused" : reason, 1024);
        tx.update(
                "could not set inbox entry " + entryId + " aside: ",
                session -> session.getMapper(InboxMapper.class).fail(entryId, r));
    }

    @Override
    public long pendingEvents(String product) {
        return tx.read(
                "could not read the inbox: ",
                session -> session.getMapper(InboxMapper.class).pendingEvents(product));
    }

    @Override
    public long failedEvents(String product) {
        return tx.read(
                "could not read the inbox: ",
                session -> session.getMapper(InboxMapper.class).failedEvents(product));
    }

    @Override
    public Set<String> knownProducts() {
        return new LinkedHashSet<>(tx.read(
                "could not read the known products: ",
                session -> session.getMapper(InboxMapper.class).knownProducts()));
    }

    @Override
    public void rememberProduct(String product) {
        tx.update(
                "could not remember product " + product + ": ",
                session -> session.getMapper(InboxMapper.class)
                        .rememberProduct(product, clock.get().instant()));
    }
}
