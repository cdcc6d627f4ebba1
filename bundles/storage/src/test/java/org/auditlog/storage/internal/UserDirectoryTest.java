package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.adapter.AuditRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDirectoryTest {
    @TempDir
    Path dir;

    /**
     * Two servers share the database: one purged ACME (its rows went with its data), the other had ACME's user rows
     * among those it knows. When ACME records that user again, the row is written again, so a search by the user's
     * name finds the new records.
     */
    @Test
    void aRowAnotherServerDeletedIsWrittenAgainOnceItIsNoLongerKnown() throws Exception {
        AtomicLong nanos = new AtomicLong();
        try (TestStorage storage = TestStorage.open(dir)) {
            Database db = storage.database();
            UserDirectory here = new UserDirectory(db.dialect(), nanos::get);
            UserDirectory there = new UserDirectory(db.dialect(), nanos::get);
            List<AuditRecord> ann = List.of(MyBatisStoresTest.record(1, "ACME", "Apps", "2026-11-01T00:00:00Z", "ann"));
            write(db, here, ann);
            assertEquals(List.of("ann"), lookup(db, "ann name"));

            try (SqlSession s = db.sessions().openSession(false)) {
                there.deleteOrganization(s.getConnection(), "ACME");
                s.commit(true);
            }
            assertEquals(List.of(), lookup(db, "ann name"));

            nanos.addAndGet(UserDirectory.KNOWN_FOR.toNanos());
            assertEquals(List.of(), write(db, here, ann), "known for a day: nothing written");
            nanos.incrementAndGet();
            assertEquals(1, write(db, here, ann).size());
            assertEquals(List.of("ann"), lookup(db, "ann name"));
        }
    }

    private static List<List<String>> write(Database db, UserDirectory users, List<AuditRecord> records)
            throws Exception {
        try (SqlSession s = db.sessions().openSession(false)) {
            Connection c = s.getConnection();
            List<List<String>> written = users.write(c, records);
            c.commit();
            users.remember(written);
            return written;
        }
    }

    private static List<String> lookup(Database db, String user) throws Exception {
        try (SqlSession s = db.sessions().openSession(true)) {
            return UserDirectory.lookup(s.getConnection(), "ACME", user);
        }
    }
}
