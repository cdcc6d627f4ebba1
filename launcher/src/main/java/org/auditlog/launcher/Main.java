package org.auditlog.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.Manifest;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Starts an Auditlog server: an Apache Felix framework with the bundles of the feature
 * {@value #FEATURE}, FileInstall watching {@code deploy/} (bundles) and {@code config/} (.cfg and
 * .config files), in the foreground until Ctrl-C or SIGTERM.
 */
public final class Main {
    static final String FEATURE = "auditlog-server";
    /** Bundles copied into deploy/ on the first start of a data folder: the product adapters, */
    static final String PRODUCTS_FEATURE = "auditlog-products";
    /** and the stream destinations. */
    static final String DESTINATIONS_FEATURE = "auditlog-stream-destinations";
    /** The logging backend's configuration (Pax Logging's PID), in the configuration folder. */
    static final String LOGGING_CFG = "org.ops4j.pax.logging.cfg";
    /**
     * The launcher's own records: through java.util.logging, which Pax Logging routes into its backend once its
     * API bundle has started.
     */
    private static final Logger LOG = Logger.getLogger("org.auditlog.launcher");

    private Main() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("auditlog: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            return;
        }
        try {
            run(options);
        } catch (StartupException e) {
            System.err.println("auditlog: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(Options o) throws Exception {
        long started = System.nanoTime();
        checkPortFree(o.port());
        Files.createDirectories(o.data());
        OwnerOnly.restrictTree(o.data());
        Files.createDirectories(o.deploy());
        Files.createDirectories(o.config());

        Path repository = o.home().resolve("system");
        Path featureFile = repository.resolve(Features.mavenPath(featuresLocation()));
        Features features = Features.read(featureFile);
        List<Features.BundleRef> bundles = features.bundles(FEATURE);
        // logged once the logging backend runs
        List<Features.BundleRef> plugins = new ArrayList<>(features.bundles(PRODUCTS_FEATURE));
        plugins.addAll(features.bundles(DESTINATIONS_FEATURE));
        List<String> seeded = ProductSeeding.run(plugins, repository, o.data(), o.deploy());

        Map<String, Object> properties = new HashMap<>(frameworkProperties(o));
        properties.put("felix.log.logger", new FrameworkLog());
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> felixProperties = (Map) properties; // Felix takes the logger object in its configuration
        Framework framework =
                ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(felixProperties);
        framework.init();
        BundleContext context = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (Features.BundleRef ref : bundles) {
            Path file = ref.file(repository);
            if (!Files.isRegularFile(file)) {
                throw new StartupException("the distribution lacks " + ref.location() + " (expected " + file + ")");
            }
            try (InputStream in = Files.newInputStream(file)) {
                installed.add(context.installBundle(ref.location(), in));
            }
        }
        // SIGTERM and Ctrl-C stop the framework cleanly and exit 0; the hook covers any other JVM exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework), "auditlog-shutdown"));
        for (String signal : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(
                    new sun.misc.Signal(signal),
                    s -> new Thread(
                                    () -> {
                                        stop(framework);
                                        System.exit(0);
                                    },
                                    "auditlog-signal")
                            .start());
        }
        framework.start();
        int failures = 0;
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            try {
                b.start();
            } catch (BundleException e) {
                failures++;
                LOG.log(Level.SEVERE, "Bundle " + b.getSymbolicName() + " did not start", e);
            }
        }
        for (String line : seeded) {
            log("Plug-ins in deploy/: " + line);
        }
        log("Auditlog " + version() + " started " + installed.size() + " bundles"
                + (failures > 0 ? " (" + failures + " failed)" : "") + "; data in " + o.data() + ", deploy/ "
                + o.deploy() + ", config/ " + o.config());
        waitUntilHealthy(o.port(), started);
        framework.waitForStop(0);
    }

    static Map<String, String> frameworkProperties(Options o) {
        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, o.data().resolve("cache").toString());
        // The installed bundles come from the feature file at every start; deploy/ is re-read by FileInstall.
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put("felix.log.level", "1");
        // Pax Logging starts first and reads its configuration (PID org.ops4j.pax.logging) from this file as it
        // starts, before ConfigAdmin and FileInstall run, so that the first records have the configured layout;
        // ConfigAdmin then delivers the same file, and its changes. Its own fallback log (before its backend runs,
        // and Log4j's status messages) says warnings and errors only.
        p.put("org.ops4j.pax.logging.property.file", loggingConfiguration(o).toString());
        p.put("org.ops4j.pax.logging.DefaultServiceLog.level", "WARN");
        p.put("auditlog.data", o.data().toString());
        p.put("auditlog.deploy", o.deploy().toString());
        // A bundle uploaded through the admin API is first installed beside the running one to check that
        // it resolves; that needs two bundles of the same name and version to be allowed for a moment.
        p.put(Constants.FRAMEWORK_BSNVERSION, Constants.FRAMEWORK_BSNVERSION_MULTIPLE);
        p.put("org.osgi.service.http.port", Integer.toString(o.port()));
        // ConfigAdmin holds every configuration back until the interpolation plugin runs, so a component never
        // sees a raw $[env:...] placeholder.
        p.put("felix.cm.config.plugins", "org.apache.felix.configadmin.plugin.interpolation");
        p.put("org.apache.felix.http.name", "auditlog");
        // Jetty (Felix HTTP): a connection silent for 30 s is closed, also in the middle of a request body; 64
        // threads. A configuration of PID org.apache.felix.http (config/org.apache.felix.http.cfg) takes precedence.
        p.put("org.apache.felix.http.timeout", "30000");
        p.put("org.apache.felix.http.jetty.threadpool.max", "64");
        p.put("felix.fileinstall.dir", o.deploy() + "," + o.config());
        p.put("felix.fileinstall.poll", "1000");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.log.level", "3");
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        return p;
    }

    private static synchronized void stop(Framework framework) {
        try {
            if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                log("Auditlog stopping");
                framework.stop();
                framework.waitForStop(60_000);
                // no "stopped" record: the logging backend has stopped with the framework
            }
        } catch (Exception e) {
            System.err.println("auditlog: clean shutdown failed: " + e);
        }
    }

    private static void checkPortFree(int port) throws StartupException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new StartupException("port " + port + " is in use; choose another with --port N");
        }
    }

    /** Logs the time from launch to the first 200 from /health (or gives up after two minutes). */
    private static void waitUntilHealthy(int port, long startedNanos) {
        Thread t = new Thread(
                () -> {
                    URI health = URI.create("http://127.0.0.1:" + port + "/health");
                    long deadline = System.nanoTime() + 120_000_000_000L;
                    while (System.nanoTime() < deadline) {
                        try {
                            HttpURLConnection c =
                                    (HttpURLConnection) health.toURL().openConnection();
                            c.setConnectTimeout(1000);
                            c.setReadTimeout(5000);
                            int status = c.getResponseCode();
                            c.disconnect();
                            if (status == 200) {
                                log("Auditlog ready at http://localhost:" + port + "/ in "
                                        + (System.nanoTime() - startedNanos) / 1_000_000 + " ms");
                                return;
                            }
                        } catch (IOException e) {
                            // not listening yet
                        }
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    log("Auditlog is not healthy two minutes after start: see GET /health");
                },
                "auditlog-ready");
        t.setDaemon(true);
        t.start();
    }

    private static String featuresLocation() throws IOException {
        return manifest().getMainAttributes().getValue("Auditlog-Features");
    }

    private static String version() {
        try {
            return manifest().getMainAttributes().getValue("Auditlog-Version");
        } catch (IOException e) {
            return "(unknown version)";
        }
    }

    private static Manifest manifest() throws IOException {
        try (InputStream in = Main.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            if (in == null) {
                throw new IOException("the launcher jar has no manifest");
            }
            return new Manifest(in);
        }
    }

    /**
     * The logging configuration: the configuration folder's, or the distribution's when that folder has none (a
     * --config folder of its own), so that the server's records always have the one-record-per-line layout.
     */
    static Path loggingConfiguration(Options o) {
        Path own = o.config().resolve(LOGGING_CFG);
        return Files.isRegularFile(own) ? own : o.home().resolve("config").resolve(LOGGING_CFG);
    }

    static void log(String message) {
        LOG.info(message);
    }

    static final class StartupException extends Exception {
        private static final long serialVersionUID = 1L;

        StartupException(String message) {
            super(message);
        }
    }
}
