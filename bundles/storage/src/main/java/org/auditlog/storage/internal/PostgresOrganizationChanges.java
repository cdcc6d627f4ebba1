package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.auditlog.api.store.OrganizationChanges;
import org.auditlog.api.work.BackgroundWork;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link OrganizationChanges} by PostgreSQL's LISTEN/NOTIFY: {@link MyBatisOrganizationStore} sends
 * {@code NOTIFY auditlog_organizations, '<space key>'} in the transaction of each change (delivered when it
 * commits), and a thread of this component listens on a connection of its own, outside the pools, and passes
 * each notice on. A lost connection is made again every second, and the listeners hear {@code null} (changes
 * may have been missed). LISTEN is a session's: behind PgBouncer in transaction mode, point {@code url} at the
 * database itself, or notices do not arrive and the policy's snapshots fall back to their 2 s lifetime. On the
 * embedded HSQLDB database it does nothing: every change is this server's own.
 */
@Component(service = OrganizationChanges.class, property = StorageDatabase.STORE)
public class PostgresOrganizationChanges implements OrganizationChanges {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresOrganizationChanges.class);
    static final String CHANNEL = "auditlog_organizations";

    private final Database db;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closing;

    @Activate
    public PostgresOrganizationChanges(@Reference StorageDatabase database, @Reference BackgroundWork work) {
        this.db = database.database();
        if (db.dialect() == Dialect.POSTGRESQL) {
            thread = work.threads("organization-notices").newThread(this::listenLoop);
            thread.start();
        } else {
            thread = null;
        }
    }

    @Override
    public AutoCloseable listen(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Deactivate
    void close() throws InterruptedException {
        closing = true;
        if (thread != null) {
            thread.interrupt();
            thread.join(5000);
        }
    }

    private void listenLoop() {
        boolean missed = false;
        while (!closing) {
            try (Connection c = db.directConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                if (missed) {
                    LOG.info("Listening for organization changes again");
                    tell(null);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closing) {
                    PGNotification[] notices = pg.getNotifications(1000);
                    if (notices != null) {
                        for (PGNotification n : notices) {
                            tell(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closing) {
                    return;
                }
                missed = true;
                LOG.warn("The connection for organization changes failed ({}); trying again in 1 s", e.getMessage());
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void tell(String spaceKey) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(spaceKey);
            } catch (RuntimeException e) {
                LOG.warn("A listener of organization changes failed", e);
            }
        }
    }
}
