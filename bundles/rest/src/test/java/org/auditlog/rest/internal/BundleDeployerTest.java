package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/** What the deployer reads of an upload and what it refuses before anything reaches the deploy folder. */
class BundleDeployerTest {

    static byte[] jar(String manifest) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("META-INF/"));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(BundleDeployer.MANIFEST));
            zip.write(manifest.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    static DeployRefusedException refused(String manifest) {
        return assertThrows(DeployRefusedException.class, () -> BundleDeployer.inspect(jar(manifest)));
    }

    static ApiException answer(DeployRefusedException e) {
        return e.asApiException();
    }

    @Test
    void aBundleManifestGivesItsNameVersionAndHost() throws Exception {
        BundleDeployer.Upload u = BundleDeployer.inspect(jar("Manifest-Version: 1.0\nBundle-ManifestVersion: 2\n"
                + "Bundle-SymbolicName: org.example.adapter;singleton:=true\nBundle-Version: 1.2.3\n\n"));
        assertEquals(new BundleDeployer.Upload("org.example.adapter", new Version(1, 2, 3), null), u);
        BundleDeployer.Upload fragment = BundleDeployer.inspect(jar("Manifest-Version: 1.0\nBundle-ManifestVersion: 2\n"
                + "Bundle-SymbolicName: org.example.extra\nFragment-Host: org.example.adapter;bundle-version=1\n\n"));
        assertEquals("org.example.adapter", fragment.fragmentHost());
        assertEquals(Version.emptyVersion, fragment.version());
    }

    @Test
    void whatIsNotABundleIsRefusedNamingTheHeader() {
        assertEquals(
                "Bundle-SymbolicName",
                answer(refused("Manifest-Version: 1.0\n\n")).body().field());
        assertEquals(
                "Bundle-ManifestVersion",
                answer(refused("Manifest-Version: 1.0\nBundle-SymbolicName: a.b\n\n"))
                        .body()
                        .field());
        assertEquals(
                "Bundle-SymbolicName",
                answer(refused("Manifest-Version: 1.0\nBundle-ManifestVersion: 2\nBundle-SymbolicName: ../evil\n\n"))
                        .body()
                        .field());
        assertEquals(
                "Bundle-Version",
                answer(
                                refused(
                                        "Manifest-Version: 1.0\nBundle-ManifestVersion: 2\nBundle-SymbolicName: a.b\nBundle-Version: one\n\n"))
                        .body()
                        .field());
        assertEquals(
                "Fragment-Host",
                answer(
                                refused(
                                        "Manifest-Version: 1.0\nBundle-ManifestVersion: 2\nBundle-SymbolicName: a.b\nFragment-Host: /x\n\n"))
                        .body()
                        .field());
        ApiException notAJar = answer(assertThrows(
                DeployRefusedException.class,
                () -> BundleDeployer.inspect("plain text".getBytes(StandardCharsets.UTF_8))));
        assertEquals(400, notAJar.status());
        assertEquals("invalid_bundle", notAJar.body().error());
    }

    @Test
    void aManifestThatInflatesPastTheBoundIsRefusedWithoutReadingIt() throws Exception {
        StringBuilder big =
                new StringBuilder("Manifest-Version: 1.0\nBundle-ManifestVersion: 2\nBundle-SymbolicName: a.b\n");
        String line = "X-Padding: " + "a".repeat(60) + "\n";
        while (big.length() <= BundleDeployer.MAX_MANIFEST_BYTES) {
            big.append(line);
        }
        byte[] jar = jar(big + "\n");
        assertTrue(jar.length < 64 * 1024, "compressed small: " + jar.length);
        ApiException e = answer(assertThrows(DeployRefusedException.class, () -> BundleDeployer.inspect(jar)));
        assertEquals(400, e.status());
        assertEquals(BundleDeployer.MANIFEST, e.body().field());
    }

    @Test
    void theFrameworkAndBundlesNotFromDeployAreThePlatform() {
        Bundle framework = bundle(0, "org.apache.felix.framework", "System Bundle");
        Bundle feature = bundle(7, "org.auditlog.rest", "file:/opt/auditlog/system/org/auditlog/rest.jar");
        Bundle adapter = bundle(42, "org.auditlog.product.cacoo", "file:/srv/deploy/org.auditlog.product.cacoo.jar");
        BundleContext context = (BundleContext) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getProperty" -> BundleDeployer.DEPLOY_PROPERTY.equals(args[0]) ? "/srv/deploy" : null;
                    case "getBundles" -> new Bundle[] {framework, feature, adapter};
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        BundleDeployer deployer = new BundleDeployer(context);
        assertTrue(deployer.isPlatformName("system.bundle"));
        assertTrue(deployer.isPlatformName("org.apache.felix.framework"));
        assertTrue(deployer.isPlatformName("org.auditlog.rest"));
        assertFalse(deployer.isPlatformName("org.auditlog.product.cacoo"), "an adapter from deploy/ may be replaced");
        assertFalse(deployer.isPlatformName("org.example.new"));
        assertNull(deployer.deployFile(feature));
        assertEquals(
                "org.auditlog.product.cacoo.jar",
                deployer.deployFile(adapter).getFileName().toString());
    }

    private static Bundle bundle(long id, String name, String location) {
        return (Bundle) Proxy.newProxyInstance(
                BundleDeployerTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getBundleId" -> id;
                    case "getSymbolicName" -> name;
                    case "getLocation" -> location;
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> (int) id;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
