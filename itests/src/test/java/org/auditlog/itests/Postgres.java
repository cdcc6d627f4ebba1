package org.auditlog.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The PostgreSQL server of the suite's second run (Maven profile {@code postgresql}, system property
 * {@value #PROPERTY}: the JDBC URL of a database to make the others with). Each data folder of a test gets a
 * database of its own, made empty when the folder first asks and kept for its restarts; a server started on
 * the folder is pointed at it through {@code AUDITLOG_JDBC_URL}, as an operator would. Without the property,
 * every server runs on its embedded HSQLDB database.
 */
final class Postgres {
    static final String PROPERTY = "it.postgresql";
    static final String MARKER = ".postgresql-database";
    private static final Set<String> MADE = new LinkedHashSet<>();

    static {
        // the databases made go with the test JVM (WITH FORCE: a server killed by a test may still hold one)
        Runtime.getRuntime().addShutdownHook(new Thread(Postgres::dropAll, "drop-test-databases"));
    }

    private Postgres() {}

    static boolean on() {
        return !System.getProperty(PROPERTY, "").isBlank();
    }

    /** The environment that points a server on this data folder at its database; empty on HSQLDB. */
    static Map<String, String> env(Path data) throws IOException {
        return on() ? Map.of("AUDITLOG_JDBC_URL", urlFor(data)) : Map.of();
    }

    /** The JDBC URL of the data folder's database, made empty the first time. */
    static synchronized String urlFor(Path data) throws IOException {
        String name = "auditlog_it_" + hash(data.toAbsolutePath().normalize().toString());
        Path marker = data.resolve(MARKER);
        if (!Files.exists(marker)) {
            try (Connection c = DriverManager.getConnection(System.getProperty(PROPERTY));
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IOException("could not make the test database " + name + ": " + e.getMessage(), e);
            }
            Files.createDirectories(data);
            Files.writeString(marker, name);
            MADE.add(name);
        }
        String admin = System.getProperty(PROPERTY);
        int slash = admin.indexOf('/', "jdbc:postgresql://".length());
        int query = admin.indexOf('?', slash);
        return admin.substring(0, slash + 1) + name + (query < 0 ? "" : admin.substring(query));
    }

    private static synchronized void dropAll() {
        if (MADE.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(System.getProperty(PROPERTY));
                Statement s = c.createStatement()) {
            for (String name : MADE) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("could not drop the test databases " + MADE + ": " + e.getMessage());
        }
    }

    private static String hash(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
