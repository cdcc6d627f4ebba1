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
import org.auditlog.work.internal.Work;
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
            try (TestStorage storage = TestStorage.open(dir)) {
                PostgresOrganizationChanges changes = changes(storage);
                BlockingQueue<String> heard = new LinkedBlockingQueue<>();
                try (AutoCloseable l = changes.listen(heard::add)) {
                    storage.activate(MyBatisOrganizationStore.class)
                            .save(new OrganizationSnapshot(
                                    MyBatisOrganizationStoreTest.org(0, PlanState.NOT_ACTIVATED),
                                    List.of(),
                                    List.of()));
                    assertNull(heard.poll(300, TimeUnit.MILLISECONDS), "nobody else to tell");
                }
            }
            return;
        }
        try (TestStorage a = TestStorage.open(dir);
                TestStorage b = TestStorage.open(dir)) {
            PostgresOrganizationChanges onB = changes(b);
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            try (AutoCloseable l = onB.listen(heard::add)) {
                Thread.sleep(300); // b's LISTEN is in place
                MyBatisOrganizationStore storeOnA = a.activate(MyBatisOrganizationStore.class);
                storeOnA.save(new OrganizationSnapshot(
                        MyBatisOrganizationStoreTest.org(0, PlanState.NOT_ACTIVATED), List.of(), List.of()));
                assertEquals("ACME", heard.poll(5, TimeUnit.SECONDS));
                storeOnA.purge("ACME");
                assertEquals("ACME", heard.poll(5, TimeUnit.SECONDS));
                assertNull(heard.poll(200, TimeUnit.MILLISECONDS), "once per change");
            }
        }
    }

    /**
     * The component on a server, given the BackgroundWork service it has in the framework (the work bundle's, on
     * the server's lease store); closing the server stops its thread.
     */
    private static PostgresOrganizationChanges changes(TestStorage server) {
        server.activate(MyBatisLeaseStore.class);
        server.activate(Work.class);
        return server.activate(PostgresOrganizationChanges.class);
    }
}
