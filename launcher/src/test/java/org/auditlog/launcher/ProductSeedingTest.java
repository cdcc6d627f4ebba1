package org.auditlog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution's adapters in deploy/: copied once, upgraded with the server, the operator's left alone. */
class ProductSeedingTest {
    static final String APPS = "mvn:org.auditlog/org.auditlog.product.apps/1.0.0";
    static final String CACOO = "mvn:org.auditlog/org.auditlog.product.cacoo/1.0.0";
    static final String WEBHOOK = "mvn:org.auditlog/org.auditlog.stream.webhook/1.0.0";

    @TempDir
    Path dir;

    Path repository;
    Path data;
    Path deploy;
    List<Features.BundleRef> products = List.of(new Features.BundleRef(APPS, 80), new Features.BundleRef(CACOO, 80));

    @BeforeEach
    void folders() throws IOException {
        repository = Files.createDirectories(dir.resolve("system"));
        data = Files.createDirectories(dir.resolve("data"));
        deploy = Files.createDirectories(dir.resolve("deploy"));
        ship(APPS, "org.auditlog.product.apps", "1.0.0", "release 1");
        ship(CACOO, "org.auditlog.product.cacoo", "1.0.0", "release 1");
    }

    /** Puts a bundle jar into the distribution's repository, its content marked by {@code build}. */
    void ship(String location, String symbolicName, String version, String build) throws IOException {
        write(repository.resolve(Features.mavenPath(location)), symbolicName, version, build);
    }

    static void write(Path jar, String symbolicName, String version, String build) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        m.getMainAttributes().putValue("Bundle-Version", version);
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("build.txt"));
            j.write(build.getBytes());
        }
    }

    List<String> start() throws Exception {
        return ProductSeeding.run(products, repository, data, deploy);
    }

    String build(String file) throws IOException {
        try (JarFile jar = new JarFile(deploy.resolve(file).toFile())) {
            return new String(jar.getInputStream(jar.getEntry("build.txt")).readAllBytes());
        }
    }

    @Test
    void theFirstStartCopiesTheAdaptersAndLaterStartsOfTheSameServerChangeNothing() throws Exception {
        assertEquals(List.of("copied org.auditlog.product.apps.jar", "copied org.auditlog.product.cacoo.jar"), start());
        assertEquals("release 1", build("org.auditlog.product.apps.jar"));
        String marker = Files.readString(data.resolve(ProductSeeding.MARKER));
        assertTrue(
                marker.contains(ProductSeeding.sha256(deploy.resolve("org.auditlog.product.apps.jar"))
                        + "  org.auditlog.product.apps.jar"),
                marker);
        assertEquals(List.of(), start());
    }

    @Test
    void aNewServerReplacesTheCopiesTheOperatorLeftAloneAndNotTheOnesTheyReplacedOrRemoved() throws Exception {
        start();
        // the operator deploys their own Cacoo build; then a new release of the server is started
        write(deploy.resolve("org.auditlog.product.cacoo.jar"), "org.auditlog.product.cacoo", "1.0.0", "operator's");
        ship(APPS, "org.auditlog.product.apps", "1.0.0", "release 2");
        ship(CACOO, "org.auditlog.product.cacoo", "1.0.0", "release 2");
        assertEquals(List.of("upgraded org.auditlog.product.apps.jar to the distribution's 1.0.0"), start());
        assertEquals("release 2", build("org.auditlog.product.apps.jar"));
        assertEquals("operator's", build("org.auditlog.product.cacoo.jar"));
        assertEquals(List.of(), start());

        // an adapter the operator removed stays removed, also when the next release brings a new one
        Files.delete(deploy.resolve("org.auditlog.product.apps.jar"));
        ship(APPS, "org.auditlog.product.apps", "1.0.0", "release 3");
        assertEquals(List.of(), start());
        assertFalse(Files.exists(deploy.resolve("org.auditlog.product.apps.jar")));
    }

    @Test
    void aMarkerWithoutHashesTakesTheCopiesOfTheSameAdapterNotNewerAsTheServers() throws Exception {
        Files.writeString(data.resolve(ProductSeeding.MARKER), "product adapters copied into " + deploy + "\n");
        write(deploy.resolve("org.auditlog.product.apps.jar"), "org.auditlog.product.apps", "1.0.0", "release 1");
        write(deploy.resolve("org.auditlog.product.cacoo.jar"), "org.auditlog.product.cacoo", "1.1.0", "operator's");
        ship(APPS, "org.auditlog.product.apps", "1.0.0", "release 2");
        assertEquals(List.of("upgraded org.auditlog.product.apps.jar to the distribution's 1.0.0"), start());
        assertEquals("release 2", build("org.auditlog.product.apps.jar"));
        assertEquals("operator's", build("org.auditlog.product.cacoo.jar"), "newer than the distribution's");
        // from now on the marker has hashes: the operator's Cacoo stays theirs
        ship(CACOO, "org.auditlog.product.cacoo", "1.0.0", "release 2");
        assertEquals(List.of(), start());
        assertEquals("operator's", build("org.auditlog.product.cacoo.jar"));
    }

    @Test
    void aPlugInNewInAReleaseIsCopiedOnceIntoADataFolderSeededBeforeIt() throws Exception {
        start();
        // the next release brings a stream destination
        ship(WEBHOOK, "org.auditlog.stream.webhook", "1.0.0", "release 2");
        products = List.of(
                new Features.BundleRef(APPS, 80),
                new Features.BundleRef(CACOO, 80),
                new Features.BundleRef(WEBHOOK, 80));
        assertEquals(List.of("copied org.auditlog.stream.webhook.jar"), start());
        assertEquals("release 2", build("org.auditlog.stream.webhook.jar"));
        assertEquals(List.of(), start());
        // removed by the operator, it stays away
        Files.delete(deploy.resolve("org.auditlog.stream.webhook.jar"));
        assertEquals(List.of(), start());
        assertFalse(Files.exists(deploy.resolve("org.auditlog.stream.webhook.jar")));
    }

    @Test
    void aFileTheOperatorPutThereBeforeTheFirstStartStaysTheirsAndRemovedStaysAway() throws Exception {
        write(deploy.resolve("org.auditlog.product.cacoo.jar"), "org.auditlog.product.cacoo", "1.0.0", "operator's");
        assertEquals(List.of("copied org.auditlog.product.apps.jar"), start());
        assertEquals("operator's", build("org.auditlog.product.cacoo.jar"));
        ship(CACOO, "org.auditlog.product.cacoo", "1.0.0", "release 2");
        assertEquals(List.of(), start());
        assertEquals("operator's", build("org.auditlog.product.cacoo.jar"));
        Files.delete(deploy.resolve("org.auditlog.product.cacoo.jar"));
        assertEquals(List.of(), start());
        assertFalse(Files.exists(deploy.resolve("org.auditlog.product.cacoo.jar")));
    }

    @Test
    void aMarkerWithoutHashesTakesAMissingAdapterAsRemoved() throws Exception {
        Files.writeString(data.resolve(ProductSeeding.MARKER), "product adapters copied into " + deploy + "\n");
        write(deploy.resolve("org.auditlog.product.apps.jar"), "org.auditlog.product.apps", "1.0.0", "release 1");
        // Cacoo was removed by the operator; the marker cannot tell, so it stays away, now and later
        assertEquals(List.of(), start());
        assertFalse(Files.exists(deploy.resolve("org.auditlog.product.cacoo.jar")));
        assertEquals(List.of(), start());
        assertFalse(Files.exists(deploy.resolve("org.auditlog.product.cacoo.jar")));
    }
}
