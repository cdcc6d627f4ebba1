package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;

/** The operator's bundle endpoints under {@code /api/v1/admin/bundles}, short of installing a real jar. */
class BundlesResourceTest {
    @TempDir
    Path deploy;

    /** A bundle whose state the test moves; start and stop fail when {@link #refusal} is set. */
    final class FakeBundle {
        final long id;
        final String name;
        final String location;
        final String fragmentHost;
        int state = Bundle.ACTIVE;
        String refusal;
        final Path file;
        final Bundle proxy;

        FakeBundle(long id, String name, String location, String fragmentHost, Path file) {
            this.id = id;
            this.name = name;
            this.location = location;
            this.fragmentHost = fragmentHost;
            this.file = file;
            Dictionary<String, String> headers = new Hashtable<>();
            if (fragmentHost != null) {
                headers.put("Fragment-Host", fragmentHost);
            }
            proxy = (Bundle) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Bundle.class}, (p, m, a) -> switch (m.getName()) {
                        case "getBundleId" -> id;
                        case "getSymbolicName" -> name;
                        case "getLocation" -> location;
                        case "getVersion" -> new Version(1, 0, 1);
                        case "getHeaders" -> headers;
                        case "getState" -> file != null && !Files.exists(file) ? Bundle.UNINSTALLED : state;
                        case "start" -> {
                            if (refusal != null) {
                                throw new BundleException(refusal);
                            }
                            state = Bundle.ACTIVE;
                            yield null;
                        }
                        case "stop" -> {
                            if (refusal != null) {
                                throw new BundleException(refusal);
                            }
                            state = Bundle.RESOLVED;
                            yield null;
                        }
                        case "equals" -> p == a[0];
                        case "hashCode" -> (int) id;
                        case "toString" -> name;
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    final List<FakeBundle> bundles = new ArrayList<>();
    FakeBundle framework;
    FakeBundle rest;
    FakeBundle backlog;
    FakeBundle fragment;
    String deployProperty;

    @BeforeEach
    void server() throws IOException {
        deployProperty = deploy.toString();
        framework = add(new FakeBundle(0, "org.apache.felix.framework", "System Bundle", null, null));
        rest = add(new FakeBundle(12, "org.auditlog.rest", "mvn:org.auditlog/org.auditlog.rest/1.0.0", null, null));
        Path jar = Files.write(deploy.resolve("org.auditlog.product.backlog.jar"), new byte[] {1, 2, 3});
        backlog = add(
                new FakeBundle(42, "org.auditlog.product.backlog", jar.toUri().toString(), null, jar));
        fragment = add(new FakeBundle(
                43, "org.example.extra", "mvn:org.example/extra/1", "org.auditlog.product.backlog", null));
        fragment.state = Bundle.RESOLVED;
    }

    FakeBundle add(FakeBundle b) {
        bundles.add(b);
        return b;
    }

    BundlesResource resource() {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (p, m, a) -> switch (m.getName()) {
                    case "getProperty" -> BundleDeployer.DEPLOY_PROPERTY.equals(a[0]) ? deployProperty : null;
                    case "getBundles" -> bundles.stream().map(b -> b.proxy).toArray(Bundle[]::new);
                    case "getBundle" ->
                        a == null
                                ? rest.proxy
                                : bundles.stream()
                                        .filter(b -> b.id == (Long) a[0])
                                        .map(b -> b.proxy)
                                        .findFirst()
                                        .orElse(null);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return new BundlesResource(context);
    }

    @Test
    void everyBundleIsListedWithItsStateAndTheFileItCameFrom() {
        Answer a = Answer.of(resource()::list);
        assertEquals(200, a.status());
        JsonNode list = a.json().get("bundles");
        assertEquals(4, list.size());
        JsonNode b = list.get(2);
        assertEquals(
                List.of("id", "symbolicName", "version", "state", "fragment", "location", "deployFile"),
                EventsResourceTest.names(b));
        assertEquals(42, b.get("id").asLong());
        assertEquals("1.0.1", b.get("version").asText());
        assertEquals("ACTIVE", b.get("state").asText());
        assertFalse(b.get("fragment").asBoolean());
        assertEquals("org.auditlog.product.backlog.jar", b.get("deployFile").asText());
        assertTrue(list.get(1).get("deployFile").isNull(), "a platform bundle comes from no file of deploy/");
        assertTrue(list.get(3).get("fragment").asBoolean());
        assertEquals("RESOLVED", list.get(3).get("state").asText());
    }

    @Test
    void aBundleIsFoundByItsNumericId() {
        assertEquals(
                "org.auditlog.product.backlog",
                Answer.of(() -> resource().one("42")).json().get("symbolicName").asText());
        for (String id : List.of("99", "abc", "-1", "4.2", "")) {
            Answer.of(() -> resource().one(id)).assertError(404, "not_found", null, "no bundle has id " + id);
        }
    }

    @Test
    void startAndStopAnswerTheNewState() {
        BundlesResource r = resource();
        assertEquals(
                "RESOLVED", Answer.of(() -> r.stop("42")).json().get("state").asText());
        assertEquals(
                "ACTIVE", Answer.of(() -> r.start("42")).json().get("state").asText());
    }

    @Test
    void aStartOrStopTheFrameworkRefusesIs409WithItsReason() {
        backlog.refusal = "Unresolved requirement: Import-Package: org.example.missing";
        Answer.of(() -> resource().start("42"))
                .assertError(
                        409, "bundle_not_started", null, "Unresolved requirement: Import-Package: org.example.missing");
        Answer.of(() -> resource().stop("42"))
                .assertError(
                        409, "bundle_not_stopped", null, "Unresolved requirement: Import-Package: org.example.missing");
    }

    @Test
    void theFrameworkAndThisApisOwnBundleCannotBeChanged() {
        for (String id : List.of("0", "12")) {
            String name = id.equals("0") ? "org.apache.felix.framework" : "org.auditlog.rest";
            String detail = name + " cannot be changed through this API: the server would stop answering";
            Answer.of(() -> resource().stop(id)).assertError(409, "protected_bundle", null, detail);
            Answer.of(() -> resource().start(id)).assertError(409, "protected_bundle", null, detail);
            Answer.of(() -> resource().remove(id)).assertError(409, "protected_bundle", null, detail);
        }
        assertEquals(Bundle.ACTIVE, rest.state);
    }

    @Test
    void aBundleFromDeployIsRemoved204OnceUninstalled() throws IOException {
        Answer a = Answer.of(() -> resource().remove("42"));
        assertEquals(204, a.status());
        assertFalse(Files.exists(backlog.file));
    }

    @Test
    void aPlatformBundleCannotBeRemoved() {
        String detail = Answer.of(() -> resource().remove("43")).assertError(409, "platform_bundle", null);
        assertTrue(detail.startsWith("org.example.extra is part of the server platform"), detail);
    }

    @Test
    void anUploadThatIsNotABundleIs400InvalidBundle() {
        Answer.of(() -> resource().upload(new ByteArrayInputStream("plain text".getBytes())))
                .assertError(400, "invalid_bundle", "jar", "the upload is not a jar with a manifest");
    }

    @Test
    void anUploadWithThePlatformsNameIs409NamingTheHeader() throws IOException {
        byte[] jar = BundleDeployerTest.jar("Manifest-Version: 1.0\nBundle-ManifestVersion: 2\n"
                + "Bundle-SymbolicName: org.auditlog.rest\nBundle-Version: 9.0.0\n\n");
        String detail = Answer.of(() -> resource().upload(new ByteArrayInputStream(jar)))
                .assertError(409, "platform_bundle", "Bundle-SymbolicName");
        assertTrue(detail.startsWith("org.auditlog.rest is the name of a bundle of the server platform"), detail);
        byte[] fragmentOfRest = BundleDeployerTest.jar("Manifest-Version: 1.0\nBundle-ManifestVersion: 2\n"
                + "Bundle-SymbolicName: org.example.patch\nFragment-Host: org.auditlog.rest\n\n");
        Answer.of(() -> resource().upload(new ByteArrayInputStream(fragmentOfRest)))
                .assertError(409, "platform_bundle", "Fragment-Host");
    }

    @Test
    void withoutADeployFolderAnUploadIs409() throws IOException {
        deployProperty = null;
        byte[] jar = BundleDeployerTest.jar(
                "Manifest-Version: 1.0\nBundle-ManifestVersion: 2\n" + "Bundle-SymbolicName: org.example.new\n\n");
        Answer.of(() -> resource().upload(new ByteArrayInputStream(jar)))
                .assertError(
                        409,
                        "no_deploy_folder",
                        null,
                        "this server has no deploy folder (framework property auditlog.deploy)");
    }

    @Test
    void theSameJarAgainIs200Unchanged() throws IOException {
        byte[] jar = BundleDeployerTest.jar("Manifest-Version: 1.0\nBundle-ManifestVersion: 2\n"
                + "Bundle-SymbolicName: org.auditlog.product.backlog\nBundle-Version: 1.0.1\n\n");
        Files.write(backlog.file, jar);
        Answer a = Answer.of(() -> resource().upload(new ByteArrayInputStream(jar)));
        assertEquals(200, a.status());
        assertEquals(
                "unchanged: this exact jar is installed already",
                a.json().get("detail").asText());
        assertEquals(42, a.json().get("id").asLong());
    }
}
