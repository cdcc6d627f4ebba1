package org.auditlog.storage.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.sling.testing.mock.osgi.MockOsgi;
import org.osgi.framework.BundleContext;

/**
 * The storage bundle's components as Declarative Services makes them, on a test's database: in a bundle context of
 * their own (one server), a {@link Clock} service, the {@link StorageDatabase} activated from the descriptor bnd
 * generates with the configuration given (the metatype defaults for the rest), and each store activated on it by
 * {@link #activate} with its references. The tests build the components here rather than through constructors of
 * their own. Closing it deactivates them, the database last, as the framework does when the bundle stops.
 *
 * <p>The database is the embedded HSQLDB database of the data folder {@code dir} (in {@code dir/db}), or, under the
 * Maven profile postgresql, the PostgreSQL database of the folder ({@link TestDatabases}): opening the same folder
 * again, after a close (a restart) or before it (another server), opens the same database.
 */
final class TestStorage implements AutoCloseable {
    /** The configuration of a test's database where the test names nothing else. */
    private static final Map<String, Object> DEFAULTS = Map.of(
            // fewer connections than a server's, as the tests have always had
            "writeConnections", 2,
            // a database server that does not answer fails the test at once
            "connectWaitSeconds", 0,
            // PostgresCopyTest asks for COPY; the other tests write as before, with INSERTs
            "postgresqlIngest", "insert");

    private final BundleContext context;
    private final StorageDatabase storage;

    private TestStorage(Clock clock, Path dataFolder, Map<String, Object> configuration) {
        BundleContext bundle = MockOsgi.newBundleContext();
        bundle.registerService(Clock.class, clock, null);
        try {
            this.storage = dataFolder == null
                    ? MockOsgi.registerInjectActivateService(StorageDatabase.class, bundle, configuration)
                    : activateEmbedded(bundle, dataFolder, configuration);
        } catch (RuntimeException e) {
            MockOsgi.shutdown(bundle);
            throw e;
        }
        this.context = bundle;
    }

    /** The test's database of the folder {@code dir}, on the system clock, with 2 write connections. */
    static TestStorage open(Path dir) throws Exception {
        return open(dir, Clock.systemUTC());
    }

    /**
     * The test's database of the folder {@code dir} (HSQLDB, or PostgreSQL under the profile postgresql), with the
     * Clock service {@code clock} and the configuration properties {@code configuration} (name, value, ...).
     */
    static TestStorage open(Path dir, Clock clock, Object... configuration) throws Exception {
        if (!TestDatabases.onPostgres()) {
            return embedded(dir, clock, configuration);
        }
        Map<String, Object> config = configuration(configuration);
        config.put("url", TestDatabases.urlOf(TestDatabases.databaseFor(dir)));
        return new TestStorage(clock, null, config);
    }

    /** The embedded HSQLDB database of the data folder {@code dir}, whichever database the other tests run on. */
    static TestStorage embedded(Path dir, Clock clock, Object... configuration) {
        return new TestStorage(clock, dir, configuration(configuration));
    }

    private static Map<String, Object> configuration(Object... properties) {
        if (properties.length % 2 != 0) {
            throw new IllegalArgumentException("configuration properties go in pairs of name and value");
        }
        Map<String, Object> config = new HashMap<>(DEFAULTS);
        for (int i = 0; i < properties.length; i += 2) {
            config.put((String) properties[i], properties[i + 1]);
        }
        return config;
    }

    /**
     * Activates the database with the framework property {@value StorageDatabase#DATA_PROPERTY} naming the data
     * folder: osgi-mock's bundle context reads framework properties from the system properties, so the property is
     * set for the activation only, one activation at a time.
     */
    private static synchronized StorageDatabase activateEmbedded(
            BundleContext bundle, Path dataFolder, Map<String, Object> configuration) {
        String before = System.setProperty(StorageDatabase.DATA_PROPERTY, dataFolder.toString());
        try {
            return MockOsgi.registerInjectActivateService(StorageDatabase.class, bundle, configuration);
        } finally {
            if (before == null) {
                System.clearProperty(StorageDatabase.DATA_PROPERTY);
            } else {
                System.setProperty(StorageDatabase.DATA_PROPERTY, before);
            }
        }
    }

    /** The component {@code type} (a store) as DS activates it: from its descriptor, with its references. */
    <T> T activate(Class<T> type) {
        return MockOsgi.registerInjectActivateService(type, context);
    }

    /** The open database, for what a test reads or does in SQL beside the stores. */
    Database database() {
        return storage.database();
    }

    /** Deactivates every component of this server, the database last. */
    @Override
    public void close() {
        MockOsgi.shutdown(context);
    }
}
