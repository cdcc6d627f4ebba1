package org.auditlog.storage.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the stores need of a PostgreSQL server, checked once when the database is opened. */
final class PostgresServer {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);

    private PostgresServer() {}

    /**
     * Refuses a server older than {@link Dialect#MIN_POSTGRESQL_VERSION_NUM}; warns when its settings let a
     * commit return before it is on disk ({@code fsync} or {@code synchronous_commit} off): an acknowledged
     * event could then be lost in a crash of the database server.
     */
    static void check(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int, "
                        + "current_setting('fsync'), current_setting('synchronous_commit'), version()")) {
            rs.next();
            int version = rs.getInt(1);
            if (version < Dialect.MIN_POSTGRESQL_VERSION_NUM) {
                throw new SQLException(
                        "PostgreSQL 14 or later is needed (DETACH PARTITION ... CONCURRENTLY); " + "this server is "
                                + rs.getString(4),
                        SqlFailures.FEATURE_NOT_SUPPORTED);
            }
            if (!"on".equals(rs.getString(2)) || "off".equals(rs.getString(3))) {
                LOG.warn(
                        "PostgreSQL runs with fsync={} and synchronous_commit={}: a commit may return before it is "
                                + "on disk, and events acknowledged just before a crash of the database server can be lost",
                        rs.getString(2),
                        rs.getString(3));
            }
        }
        c.commit();
    }

    /** A JDBC URL without its query string (which may carry a password) for the log. */
    static String withoutSecrets(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }
}
