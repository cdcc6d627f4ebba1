package org.auditlog.storage.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where a store test's database is: the embedded HSQLDB database in the test's folder, or, when the system
 * property {@value #POSTGRESQL_PROPERTY} names a PostgreSQL server (the Maven profile {@code postgresql} sets it),
 * a database of its own on that server, one per test folder, so that a test reopening its folder reopens its
 * database. The databases made are dropped when the test JVM ends. {@link TestStorage} opens them.
 */
final class TestDatabases {
    /** JDBC URL of a database on the server to make the test databases with, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}. */
    static final String POSTGRESQL_PROPERTY = "auditlog.test.postgresql";

    private static final Set<String> MADE = new LinkedHashSet<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropAll, "drop-test-databases"));
    }

    private TestDatabases() {}

    static boolean onPostgres() {
        return !System.getProperty(POSTGRESQL_PROPERTY, "").isBlank();
    }

    /** The database of a test folder, made (empty) the first time the folder asks. */
    static synchronized String databaseFor(Path dir) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256")
                .digest(dir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
        String name = "auditlog_test_" + HexFormat.of().formatHex(hash, 0, 8);
        Path marker = dir.resolve(".postgresql-database");
        if (!Files.exists(marker)) {
            try (Connection c = DriverManager.getConnection(System.getProperty(POSTGRESQL_PROPERTY));
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + name);
            }
            Files.createDirectories(dir);
            Files.writeString(marker, name);
            MADE.add(name);
        }
        return name;
    }

    /** The URL of a database on the server of {@value #POSTGRESQL_PROPERTY}. */
    static String urlOf(String database) {
        String admin = System.getProperty(POSTGRESQL_PROPERTY);
        int slash = admin.indexOf('/', "jdbc:postgresql://".length());
        int query = admin.indexOf('?', slash);
        return admin.substring(0, slash + 1) + database + (query < 0 ? "" : admin.substring(query));
    }

    private static synchronized void dropAll() {
        if (MADE.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(System.getProperty(POSTGRESQL_PROPERTY));
                Statement s = c.createStatement()) {
            for (String name : MADE) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("could not drop the test databases " + MADE + ": " + e.getMessage());
        }
    }
}
