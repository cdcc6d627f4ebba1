package org.auditlog.storage.internal;

import java.util.List;

import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.AuditRecord;
import org.auditlog.api.AuditStore;
import org.auditlog.api.EventCursor;
import org.auditlog.api.EventPage;
import org.auditlog.api.EventQuery;
import org.auditlog.api.StoreException;

/** {@link AuditStore} on MyBatis. */
final class MyBatisAuditStore implements AuditStore {
    private final Database db;

    MyBatisAuditStore(Database db) {
        this.db = db;
    }

    @Override
    public void append(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try (SqlSession session = db.sessions().openSession(ExecutorType.BATCH, false)) {
            EventMapper mapper = session.getMapper(EventMapper.class);
            for (AuditRecord r : records) {
                mapper.insert(r);
            }
            session.commit(true);
        } catch (RuntimeException e) {
            throw new StoreException("could not store " + records.size() + " records: " + rootMessage(e), e);
        }
    }

    @Override
    public EventPage query(EventQuery query) {
        try (SqlSession session = db.sessions().openSession(true)) {
            List<AuditRecord> rows = session.getMapper(EventMapper.class).query(query, query.limit() + 1);
            if (rows.size() <= query.limit()) {
                return new EventPage(List.copyOf(rows), null);
            }
            List<AuditRecord> page = List.copyOf(rows.subList(0, query.limit()));
            AuditRecord last = page.get(page.size() - 1);
            return new EventPage(page, new EventCursor(last.date(), last.id()));
        } catch (RuntimeException e) {
            throw new StoreException("could not read records: " + rootMessage(e), e);
        }
    }

    @Override
    public long maxId() {
        try (SqlSession session = db.sessions().openSession(true)) {
            Long max = session.getMapper(EventMapper.class).maxId();
            return max == null ? 0 : max;
        }
    }

    @Override
    public boolean isHealthy() {
        return db.isHealthy();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
