package org.auditlog.storage.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database schema up to date from versioned scripts ({@code V<n>__<what>.sql}), each applied
 * once, in order, in its own transaction, and recorded in {@code schema_version}. On PostgreSQL, where several
 * servers may start at once on one database, each script's transaction first takes {@link #TAKE_TURNS}, so one
 * server applies it and the others find it applied.
 *
 * <p>Written here rather than taken from Flyway or Liquibase: both find scripts by scanning the class
 * path, which does not see inside an OSGi bundle without extra glue, and the whole job is a loop over a
 * fixed list.
 */
final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    /**
     * A lock of the transaction (released at its commit or rollback, so it also works through PgBouncer in
     * transaction mode, where a session's lock would not), on a number of this migrator's own.
     */
    static final String TAKE_TURNS = "SELECT pg_advisory_xact_lock(7361626)";

    private final String folder;
    private final List<String> scripts;
    /** Whether servers sharing the database take turns (PostgreSQL: a lock on schema_version per script). */
    private final boolean shared;

    /** The scripts of a dialect, all of them. */
    SchemaMigrator(Dialect dialect) {
        this(dialect.scriptFolder(), dialect.scripts(), dialect == Dialect.POSTGRESQL);
    }

    /**
     * @param folder resource folder of the scripts, e.g. {@code db/hsqldb}
     * @param scripts script names in the order they apply; the number after {@code V} is the version
     */
    SchemaMigrator(String folder, List<String> scripts) {
        this(folder, scripts, false);
    }

    private SchemaMigrator(String folder, List<String> scripts, boolean shared) {
        this.folder = folder;
        this.scripts = scripts;
        this.shared = shared;
    }

    /** Applies every script newer than the schema's version; returns the versions applied. */
    List<Integer> migrate(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                if (shared) {
                    // two servers starting at once: one creates the table, the other waits and finds it there
                    // (CREATE TABLE IF NOT EXISTS alone is no guard: both may pass the check)
                    s.execute(TAKE_TURNS);
                    s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY, "
                            + "script VARCHAR(200) NOT NULL, applied TIMESTAMP(3) WITH TIME ZONE NOT NULL)");
                    c.commit();
                } else if (!tableExists(c, "SCHEMA_VERSION")) {
                    s.execute("CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY, "
                            + "script VARCHAR(200) NOT NULL, applied TIMESTAMP(3) WITH TIME ZONE NOT NULL)");
                    c.commit();
                }
            }
            List<Integer> applied = new ArrayList<>();
            for (String script : scripts) {
                int version = versionOf(script);
                if (shared) {
                    // the lock is held to the commit of the script: another server waits, then finds it applied
                    try (Statement s = c.createStatement()) {
                        s.execute(TAKE_TURNS);
                    }
                }
                if (version <= currentVersion(c)) {
                    c.commit();
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    for (String sql : statements(read(script))) {
                        s.execute(sql);
                    }
                    try (PreparedStatement p = c.prepareStatement(
                            "INSERT INTO schema_version (version, script, applied) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
                        p.setInt(1, version);
                        p.setString(2, script);
                        p.executeUpdate();
                    }
                    c.commit();
                    applied.add(version);
                    LOG.info("Applied schema script {}", script);
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw new SQLException("schema script " + script + " failed: " + e.getMessage(), e);
                }
            }
            return applied;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    static int versionOf(String script) {
        int end = script.indexOf("__");
        if (!script.startsWith("V") || end < 2) {
            throw new IllegalArgumentException("script name must look like V<n>__<what>.sql: " + script);
        }
        return Integer.parseInt(script.substring(1, end));
    }

    /** Splits a script on semicolons that end a line; lines starting with {@code --} are comments. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean tableExists(Connection c, String name) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, null, name, null)) {
            return rs.next();
        }
    }

    private String read(String script) {
        String path = folder + "/" + script;
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema script missing from the bundle: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
