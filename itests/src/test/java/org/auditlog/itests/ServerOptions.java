package org.auditlog.itests;

import static org.ops4j.pax.exam.CoreOptions.bootDelegationPackage;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.launcher.Features;
import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options that boot the server exactly as the launcher does: the bundles of the feature
 * {@code auditlog-server}, from the distribution's {@code system/} folder, in the same start levels.
 */
final class ServerOptions {

    private ServerOptions() {}

    static Path distribution() {
        return Path.of(System.getProperty("auditlog.dist", "../launcher/target/auditlog"))
                .toAbsolutePath()
                .normalize();
    }

    static Path featureFile() throws IOException {
        try (var files = Files.walk(distribution().resolve("system/org/auditlog/auditlog-features"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-features.xml"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no feature file in the distribution; run mvn package first"));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The server, on a free port, with a fresh data folder. */
    static List<Option> server(int port, Path data) throws IOException {
        List<Option> options = new ArrayList<>();
        Path system = distribution().resolve("system");
        Features features = Features.read(featureFile());
        List<Features.BundleRef> bundles = new ArrayList<>(features.bundles("auditlog-server"));
        // the launcher puts the adapters and the stream destinations in deploy/; here they are installed directly
        bundles.addAll(features.bundles("auditlog-products"));
        bundles.addAll(features.bundles("auditlog-stream-destinations"));
        for (Features.BundleRef ref : bundles) {
            // a fragment (the log layout's converters) attaches to its host and is never started
            options.add(bundle(ref.file(system).toUri().toString())
                    .startLevel(ref.startLevel())
                    .start(!isFragment(ref.file(system))));
        }
        options.add(frameworkStartLevel(100));
        if (Postgres.on()) {
            // the suite's PostgreSQL run: FileInstall hands the store its database, as config/ does for the launcher
            Files.createDirectories(data.resolve("deploy"));
            Files.writeString(data.resolve("deploy/org.auditlog.storage.cfg"), "url = " + Postgres.urlFor(data) + "\n");
        }
        options.add(frameworkProperty("auditlog.data").value(data.toString()));
        options.add(frameworkProperty("org.osgi.service.http.port").value(Integer.toString(port)));
        options.add(frameworkProperty("felix.fileinstall.dir")
                .value(data.resolve("deploy").toString()));
        options.add(frameworkProperty("auditlog.deploy")
                .value(data.resolve("deploy").toString()));
        options.add(frameworkProperty("org.osgi.framework.bsnversion").value("multiple"));
        options.add(frameworkProperty("felix.cm.config.plugins")
                .value("org.apache.felix.configadmin.plugin.interpolation"));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
        // Pax Logging without a configuration file: Log4j's default layout, warnings and errors only
        options.add(frameworkProperty("org.ops4j.pax.logging.DefaultServiceLog.level")
                .value("WARN"));
        options.add(junitBundles());
        // the probe's service may take more than Pax Exam's 10 s to appear on a loaded machine
        options.add(systemProperty("pax.exam.service.timeout").value("60000"));
        // the tests' OpenAPI checks (Api, RawHttp) run in the application class loader, with their validator and
        // its Jackson, not in the framework: only JDK types cross
        options.add(frameworkProperty("org.osgi.framework.bundle.parent").value("app"));
        options.add(bootDelegationPackage("org.auditlog.itests.contract"));
        return options;
    }

    private static boolean isFragment(Path jar) throws IOException {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        }
    }
}
