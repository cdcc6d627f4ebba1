package org.auditlog.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh Apache Karaf instance of a test's own: the pristine Karaf that Maven unpacked, copied under
 * {@code target/}, configured only through its own {@code etc/} folder, and started as an operator starts it
 * ({@code bin/karaf server}, in the foreground of its own process).
 * <p>
 * Its Maven resolver (pax-url) is offline: every {@code mvn:} URL resolves from Karaf's own {@code system/}
 * folder or from the folders {@link Builder#repository(Path, String) given to it}, never from a network
 * repository and never from the Maven repository of the user running the test.
 */
final class KarafInstance implements AutoCloseable {
    private final Path home;
    private final Path console;
    private Process process;

    private KarafInstance(Path home, Path console) {
        this.home = home;
        this.console = console;
    }

    /** The pristine Karaf unpacked by the build ({@code it.karaf.dist}). */
    static Path distribution() {
        return requiredFolder("it.karaf.dist", "the Karaf distribution unpacked by the build");
    }

    /** Folder under which each run gets its instance ({@code it.karaf.instances}). */
    static Path instancesRoot() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("it.karaf.instances", "target/karaf-instances"))
                .toAbsolutePath()
                .normalize());
    }

    static Path requiredFolder(String property, String what) {
        String value = System.getProperty(property);
        if (value == null || !Files.isDirectory(Path.of(value))) {
            throw new IllegalStateException(what + " is missing (system property " + property + " = " + value
                    + "); run the tests through mvn verify");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    static Builder builder(Path instance) {
        return new Builder(instance);
    }

    static final class Builder {
        private final Path instance;
        private final List<String> repositories = new ArrayList<>();
        private final List<String> systemProperties = new ArrayList<>();
        private final List<String> featureRepositories = new ArrayList<>();
        private final List<String> bootFeatures = new ArrayList<>();
        private final List<String> extraSystemPackages = new ArrayList<>();
        private final List<String[]> environment = new ArrayList<>();
        private final List<String> blacklistedBundles = new ArrayList<>();
        private final List<Path> etcFiles = new ArrayList<>();
        private final List<String[]> etcLines = new ArrayList<>();
        private final List<String[]> startupBundles = new ArrayList<>();

        private Builder(Path instance) {
            this.instance = instance;
        }

        /** A Maven-layout folder the instance's resolver reads {@code mvn:} URLs from (snapshots too). */
        Builder repository(Path folder, String id) {
            repositories.add(folder.toUri() + "@id=" + id + "@snapshots");
            return this;
        }

        /** A line of {@code etc/system.properties} (visible to bundles through BundleContext.getProperty). */
        Builder systemProperty(String key, String value) {
            systemProperties.add(key + " = " + value.replace("\\", "\\\\"));
            return this;
        }

        Builder httpPort(int port) {
            return systemProperty("org.osgi.service.http.port", Integer.toString(port));
        }

        /** A feature repository and a feature to install at boot ({@code etc/org.apache.karaf.features.cfg}). */
        Builder bootFeature(String repositoryUrl, String feature) {
            featureRepositories.add(repositoryUrl);
            bootFeatures.add(feature);
            return this;
        }

        /** A JDK package the system bundle exports on top of Karaf's {@code etc/jre.properties} list. */
        Builder exportJdkPackage(String javaPackage) {
            extraSystemPackages.add(javaPackage);
            return this;
        }

        /** A bundle Karaf leaves out of every feature ({@code etc/org.apache.karaf.features.xml}). */
        Builder blacklistBundle(String location) {
            blacklistedBundles.add(location);
            return this;
        }

        Builder environment(String name, String value) {
            environment.add(new String[] {name, value});
            return this;
        }

        /** A configuration file copied into {@code etc/} as it is (a {@code <pid>.cfg}, say). */
        Builder etcFile(Path file) {
            etcFiles.add(file);
            return this;
        }

        /** Sets {@code key = value} in a file of {@code etc/} in place of the line Karaf has for that key. */
        Builder etcLine(String file, String key, String value) {
            etcLines.add(new String[] {file, key, value});
            return this;
        }

        /**
         * A bundle Karaf installs from {@code etc/startup.properties}, as an operator adds one: its jar copied
         * from a Maven-layout folder into Karaf's {@code system/}, its line put before the line of {@code before}
         * (an artifact id), at that line's start level. A fragment of a startup bundle is added this way, so that
         * it is there when its host resolves.
         */
        Builder startupBundle(Path repository, String groupId, String artifactId, String version, String before) {
            startupBundles.add(new String[] {repository.toString(), groupId, artifactId, version, before});
            return this;
        }

        /** Copies Karaf into {@code <instance>/karaf}, configures it and starts it. */
        KarafInstance start() throws IOException {
            Path home = instance.resolve("karaf");
            copyTree(distribution(), home);
            for (Path script : List.of(
                    home.resolve("bin/karaf"),
                    home.resolve("bin/stop"),
                    home.resolve("bin/inc"),
                    home.resolve("bin/setenv"))) {
                if (Files.exists(script)) {
                    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            Path etc = home.resolve("etc");

            // no fixed ports: SSH console and JMX on free ports, the shutdown port is random by default
            replaceLine(
                    etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(ServerOptions.freePort()));
            replaceLine(
                    etc.resolve("org.apache.karaf.management.cfg"),
                    "rmiRegistryPort",
                    Integer.toString(ServerOptions.freePort()));
            replaceLine(
                    etc.resolve("org.apache.karaf.management.cfg"),
                    "rmiServerPort",
                    Integer.toString(ServerOptions.freePort()));

            // an offline Maven resolver: Karaf's system/ folder and the given folders, nothing else
            StringBuilder mvn = new StringBuilder()
                    .append("# written by the integration test: offline, repositories are local folders only\n")
                    .append("org.ops4j.pax.url.mvn.offline = true\n")
                    .append("org.ops4j.pax.url.mvn.useFallbackRepositories = false\n")
                    .append("org.ops4j.pax.url.mvn.localRepository = ${karaf.data}/maven-local\n")
                    .append("org.ops4j.pax.url.mvn.repositories =\n")
                    .append("org.ops4j.pax.url.mvn.defaultRepositories = \\\n")
                    .append("    ${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots");
            for (String r : repositories) {
                mvn.append(", \\\n    ").append(r);
            }
            Files.writeString(
                    etc.resolve("org.ops4j.pax.url.mvn.cfg"), mvn.append('\n').toString());

            Path features = etc.resolve("org.apache.karaf.features.cfg");
            prependToList(features, "featuresRepositories", featureRepositories);
            prependToList(features, "featuresBoot", bootFeatures);

            if (!blacklistedBundles.isEmpty()) {
                StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                        .append(
                                "<featuresProcessing xmlns=\"http://karaf.apache.org/xmlns/features-processing/v1.0.0\">\n")
                        .append("  <blacklistedBundles>\n");
                for (String b : blacklistedBundles) {
                    xml.append("    <bundle>").append(b).append("</bundle>\n");
                }
                Files.writeString(
                        etc.resolve("org.apache.karaf.features.xml"),
                        xml.append("  </blacklistedBundles>\n</featuresProcessing>\n")
                                .toString());
            }
            for (Path f : etcFiles) {
                Files.copy(f, etc.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            for (String[] line : etcLines) {
                replaceLine(etc.resolve(line[0]), line[1], line[2]);
            }
            for (String[] b : startupBundles) {
                String folder = b[1].replace('.', '/') + "/" + b[2] + "/" + b[3];
                String jar = b[2] + "-" + b[3] + ".jar";
                Files.createDirectories(home.resolve("system").resolve(folder));
                Files.copy(
                        Path.of(b[0]).resolve(folder).resolve(jar),
                        home.resolve("system").resolve(folder).resolve(jar),
                        StandardCopyOption.REPLACE_EXISTING);
                insertStartupLine(etc.resolve("startup.properties"), "mvn\\:" + b[1] + "/" + b[2] + "/" + b[3], b[4]);
            }
            append(
                    etc.resolve("system.properties"),
                    "\n# integration test\n" + String.join("\n", systemProperties) + "\n");
            if (!extraSystemPackages.isEmpty()) {
                // jre.properties defines one list per Java version, jre-10 ... jre-21 all being ${jre-9}
                String key = "jre-" + Runtime.version().feature();
                append(
                        etc.resolve("custom.properties"),
                        "\n# integration test: JDK packages jre.properties lacks\n" + key + " = ${jre-9}, "
                                + String.join(", ", extraSystemPackages) + "\n");
            }

            KarafInstance karaf = new KarafInstance(home, instance.resolve("karaf-console.log"));
            ProcessBuilder pb =
                    new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile());
            for (String variable : List.of(
                    "KARAF_HOME",
                    "KARAF_BASE",
                    "KARAF_DATA",
                    "KARAF_ETC",
                    "KARAF_LOG",
                    "KARAF_OPTS",
                    "EXTRA_JAVA_OPTS",
                    "JAVA_OPTS")) {
                pb.environment().remove(variable);
            }
            // the JDK running the tests; exec: the script becomes the JVM, so signals reach Karaf itself
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("KARAF_EXEC", "exec");
            // C1 only, as for the launcher's servers (ServerProcess): the test's Karaf lives a minute
            pb.environment().put("EXTRA_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
            for (String[] e : environment) {
                pb.environment().put(e[0], e[1]);
            }
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(karaf.console.toFile()));
            karaf.process = pb.start();
            return karaf;
        }
    }

    /** Karaf's log file ({@code data/log/karaf.log}). */
    Path log() {
        return home.resolve("data/log/karaf.log");
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Waits (bounded) until {@code GET /health} answers 200; fails early if Karaf exits or logs that its boot
     * features did not install (Karaf keeps running then, but the server never comes up).
     */
    void awaitHealthy(Api api, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Path log = home.resolve("data/log/karaf.log");
        Api.Reply last = null;
        for (int round = 0; System.nanoTime() < deadline; round++) {
            if (!isAlive()) {
                throw new AssertionError("Karaf exited with " + process.exitValue() + " before /health answered 200");
            }
            if (round % 5 == 4 && tail(log, 2000).contains("Error installing boot features")) {
                throw new AssertionError("Karaf could not install its boot features");
            }
            try {
                last = api.whileStarting().get("/health", null);
                if (last.status() == 200) {
                    api.get("/health", null); // the answer of a server that is up is checked
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("/health not 200 within " + within + "; last answer: " + last);
    }

    /**
     * For failure messages: the errors in Karaf's log (each logged error and the innermost causes of stack
     * traces), then the last lines of the log and of Karaf's console output.
     */
    String diagnostics(int lines) {
        Path log = home.resolve("data/log/karaf.log");
        return "\n----- errors in " + log + " -----\n" + errors(log, 20)
                + "\n----- tail of " + log + " -----\n" + tail(log, lines)
                + "\n----- tail of " + console + " -----\n" + tail(console, 10);
    }

    static String errors(Path file, int max) {
        try {
            if (!Files.exists(file)) {
                return "(no such file)";
            }
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if ((l.contains("| ERROR |") || l.startsWith("Caused by:")) && !out.contains(l)) {
                    out.add(l.length() > 600 ? l.substring(0, 600) + " ..." : l);
                }
            }
            return out.isEmpty() ? "(none)" : String.join("\n", out.subList(Math.max(0, out.size() - max), out.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read: " + e + ")";
        }
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no such file)";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read: " + e + ")";
        }
    }

    /** {@code bin/stop}, then SIGTERM, then SIGKILL, each step bounded. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (!isAlive()) {
            return;
        }
        ProcessBuilder stop = new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile());
        stop.environment().put("JAVA_HOME", System.getProperty("java.home"));
        stop.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        Process p = stop.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        }
    }

    /** Deletes the instance folder (after a successful run; a failed run keeps it for a look). */
    static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Replaces the value of {@code key = value} (an uncommented line); fails if the file has no such line. */
    private static void replaceLine(Path file, String key, String value) throws IOException {
        String text = Files.readString(file);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=.*$").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(file + " has no line '" + key + " = ...'");
        }
        Files.writeString(file, m.replaceFirst(Matcher.quoteReplacement(key + " = " + value)));
    }

    /**
     * Inserts {@code location = <level>} before the line of {@code startup.properties} whose location names the
     * artifact {@code before}, at that line's start level.
     */
    private static void insertStartupLine(Path file, String location, String before) throws IOException {
        String text = Files.readString(file);
        Matcher m = Pattern.compile("(?m)^mvn\\\\:[^/]+/" + Pattern.quote(before) + "/\\S+\\s*=\\s*(\\d+)\\s*$")
                .matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(file + " has no line for " + before);
        }
        Files.writeString(
                file, text.substring(0, m.start()) + location + " = " + m.group(1) + "\n" + text.substring(m.start()));
    }

    /** Puts entries first in a comma-separated list property ({@code key = \} continued on the next lines). */
    private static void prependToList(Path file, String key, List<String> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        String text = Files.readString(file);
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=\\s*\\\\$").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(file + " has no line '" + key + " = \\'");
        }
        Files.writeString(
                file,
                m.replaceFirst(
                        Matcher.quoteReplacement(key + " = \\\n    " + String.join(", \\\n    ", entries) + ", \\")));
    }
}
