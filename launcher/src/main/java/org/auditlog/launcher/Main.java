package org.auditlog.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
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
    /** Bundles copied into deploy/ on the first start of a data folder. */
    static final String PRODUCTS_FEATURE = "auditlog-products";
    /** Marks a data folder whose deploy/ has been given the product adapters once. */
    private static final DateTimeFormatter LOG_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    /** Held so the levels stick: java.util.logging keeps loggers only weakly. */
    private static final List<Logger> QUIET_LOGGERS = List.of(
            Logger.getLogger("org.apache.aries.spifly"));

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // first: every line the server writes goes through these, so that one record is one line
        OneRecordPerLine.install();
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
        System.setProperty("org.slf4j.simpleLogger.showDateTime", System.getProperty("org.slf4j.simpleLogger.showDateTime", "true"));
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat",
                System.getProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ"));
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn"));
        // Jersey, HK2 and SPI Fly log through java.util.logging: one line per record, like the rest.
        System.setProperty("java.util.logging.SimpleFormatter.format",
                System.getProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL%1$tz [%3$s] %4$s %5$s%6$s%n"));
        LineHandler.install(System.getProperty("java.util.logging.SimpleFormatter.format"));
        QUIET_LOGGERS.forEach(l -> l.setLevel(Level.WARNING));

        Path repository = o.home().resolve("system");
        Path featureFile = repository.resolve(Features.mavenPath(featuresLocation()));
        Features features = Features.read(featureFile);
        List<Features.BundleRef> bundles = features.bundles(FEATURE);
        for (String line : ProductSeeding.run(features.bundles(PRODUCTS_FEATURE), repository, o.data(), o.deploy())) {
            log("Product adapters: " + line);
        }

        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next()
                .newFramework(frameworkProperties(o));
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
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(() -> {
                stop(framework);
                System.exit(0);
            }, "auditlog-signal").start());
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
                System.err.println("auditlog: bundle " + b.getSymbolicName() + " did not start: " + e.getMessage());
            }
        }
        log("Auditlog " + version() + " started " + installed.size() + " bundles" + (failures > 0 ? " (" + failures
                + " failed)" : "") + "; data in " + o.data() + ", deploy/ " + o.deploy() + ", config/ " + o.config());
        waitUntilHealthy(o.port(), started);
        framework.waitForStop(0);
    }

    static Map<String, String> frameworkProperties(Options o) {
        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, o.data().resolve("cache").toString());
        // The installed bundles come from the feature file at every start; deploy/ is re-read by FileInstall.
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put("felix.log.level", "1");
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
                log("Auditlog stopped");
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
        Thread t = new Thread(() -> {
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                try {
                    HttpURLConnection c = (HttpURLConnection) health.toURL().openConnection();
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
        }, "auditlog-ready");
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

    static void log(String message) {
        System.out.println(LOG_TIME.format(OffsetDateTime.now()) + " [launcher] " + message);
    }

    static final class StartupException extends Exception {
        private static final long serialVersionUID = 1L;

        StartupException(String message) {
            super(message);
        }
    }
}
