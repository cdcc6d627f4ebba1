package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes of organizations announced to every server sharing the database (PostgreSQL: LISTEN/NOTIFY, two
 * databases opened on one standing for two servers); none on the embedded HSQLDB, which no other server shares.
 */
class OrganizationChangesTest {
    @TempDir
    Path dir;

    @Test
    void aChangeThroughOneServerIsAnnouncedToTheOthersOnceItCommits() throws Exception {
        if (!TestDatabases.onPostgres()) {
            try (Database db = TestDatabases.open(dir, 2)) {
                PostgresOrganizationChanges changes = new PostgresOrganizationChanges(db, Thread::new);
                BlockingQueue<String> heard = new LinkedBlockingQueue<>();
                try (AutoCloseable l = changes.listen(heard::add)) {
                    new MyBatisOrganizationStore(db)
                            .save(new OrganizationSnapshot(
                                    MyBatisOrganizationStoreTest.org(0, PlanState.NOT_ACTIVATED),
                                    List.of(),
                                    List.of()));
                    assertNull(heard.poll(300, TimeUnit.MILLISECONDS), "nobody else to tell");
                } finally {
                    changes.close();
                }
            }
            return;
        }
        String url = TestDatabases.urlOf(TestDatabases.databaseFor(dir));
        try (Database a = Database.openUrl(url, "", "", Database.Pools.withWrite(2));
                Database b = Database.openUrl(url, "", "", Database.Pools.withWrite(2))) {
            PostgresOrganizationChanges onB = new PostgresOrganizationChanges(b, Thread::new);
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            try (AutoCloseable l = onB.listen(heard::add)) {
                Thread.sleep(300); // b's LISTEN is in place
                MyBatisOrganizationStore storeOnA = new MyBatisOrganizationStore(a);
                storeOnA.save(new OrganizationSnapshot(
                        MyBatisOrganizationStoreTest.org(0, PlanState.NOT_ACTIVATED), List.of(), List.of()));
                assertEquals("ACME", heard.poll(5, TimeUnit.SECONDS));
                storeOnA.purge("ACME");
                assertEquals("ACME", heard.poll(5, TimeUnit.SECONDS));
                assertNull(heard.poll(200, TimeUnit.MILLISECONDS), "once per change");
            } finally {
                onB.close();
            }
        }
    }
}
