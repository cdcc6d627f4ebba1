package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.auditlog.launcher.Features;
import org.junit.Test;

/** The distribution as an operator gets it: its layout, its start script, live config and deploy folders. */
public class DistributionIT {
    static final String TOKEN = "distribution-test-operator-token";

    @Test
    public void everyBundleOfTheFeatureFileShipsInSystem() throws Exception {
        Path dist = ServerOptions.distribution();
        List<Features.BundleRef> bundles =
                Features.read(ServerOptions.featureFile()).bundles("auditlog-server");
        assertTrue(bundles.size() > 30);
        for (Features.BundleRef b : bundles) {
            Path jar = b.file(dist.resolve("system"));
            assertTrue("missing " + b.location(), Files.isRegularFile(jar));
            if (b.location().startsWith("mvn:org.auditlog/")) {
                // our bundles' symbolic names are their artifact ids, which are their package roots
                String artifactId = b.location().split("/")[1];
                try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
                    assertEquals(artifactId, j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
                }
            }
        }
        assertTrue(Files.isExecutable(dist.resolve("bin/auditlog")));
        assertTrue(Files.isDirectory(dist.resolve("deploy")));
        assertTrue(Files.isRegularFile(dist.resolve("config/org.auditlog.storage.cfg")));
        for (Features.BundleRef b : Features.read(ServerOptions.featureFile()).bundles("auditlog-products")) {
            Path jar = b.file(dist.resolve("system"));
            assertTrue("missing " + b.location(), Files.isRegularFile(jar));
            // adapters implement a consumer type: built against the adapter package 1.n they must accept any 1.x
            try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
                String imports = j.getManifest().getMainAttributes().getValue("Import-Package");
                assertTrue(
                        b.location() + " imports " + imports,
                        java.util.regex.Pattern.compile("org\\.auditlog\\.api\\.adapter;version=\"\\[1\\.\\d+,2\\)\"")
                                .matcher(imports)
                                .find());
            }
        }
        for (Features.BundleRef b :
                Features.read(ServerOptions.featureFile()).bundles("auditlog-stream-destinations")) {
            Path jar = b.file(dist.resolve("system"));
            assertTrue("missing " + b.location(), Files.isRegularFile(jar));
            // destinations implement a consumer type too: any stream package 1.x
            try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
                String imports = j.getManifest().getMainAttributes().getValue("Import-Package");
                assertTrue(
                        b.location() + " imports " + imports,
                        java.util.regex.Pattern.compile("org\\.auditlog\\.api\\.stream;version=\"\\[1\\.\\d+,2\\)\"")
                                .matcher(imports)
                                .find());
            }
        }
    }

    @Test
    public void theFirstStartPutsTheAdaptersInDeployAndLaterStartsRespectRemovals() throws Exception {
        Path data = Files.createTempDirectory("auditlog-dist");
        Path log = Files.createTempFile("auditlog-dist", ".log");
        int port = ServerOptions.freePort();
        Path cacoo = data.resolve("deploy/org.auditlog.product.cacoo.jar");
        try (ServerProcess server = ServerProcess.start(data, port, TOKEN, log).awaitHealthy()) {
            server.api.awaitAdapter(TOKEN, "Apps");
            server.api.awaitAdapter(TOKEN, "Cacoo");
            assertTrue(Files.isRegularFile(data.resolve("deploy/org.auditlog.product.apps.jar")));
            assertTrue(Files.isRegularFile(cacoo));
            // the stream destinations are plug-ins too, seeded beside the adapters
            assertTrue(Files.isRegularFile(data.resolve("deploy/org.auditlog.stream.webhook.jar")));
            awaitTrue(
                    "webhook destination active",
                    () -> "ACTIVE".equals(bundleState(server.api, "org.auditlog.stream.webhook")));
            assertTrue(Files.isRegularFile(data.resolve("deploy/org.auditlog.stream.syslog.jar")));
            awaitTrue(
                    "syslog destination active",
                    () -> "ACTIVE".equals(bundleState(server.api, "org.auditlog.stream.syslog")));
            assertTrue(Files.isRegularFile(data.resolve("deploy/org.auditlog.stream.splunk.jar")));
            awaitTrue(
                    "splunk-hec destination active",
                    () -> "ACTIVE".equals(bundleState(server.api, "org.auditlog.stream.splunk")));
            assertTrue(Files.isRegularFile(data.resolve("deploy/org.auditlog.stream.s3.jar")));
            awaitTrue(
                    "s3 destination active", () -> "ACTIVE".equals(bundleState(server.api, "org.auditlog.stream.s3")));
            Files.delete(cacoo);
            awaitTrue(
                    "Cacoo adapter removed",
                    () -> server.api
                            .get("/api/v1/products/Cacoo", TOKEN)
                            .json()
                            .get("adapter")
                            .isNull());
            assertEquals(0, server.terminate());
        }
        try (ServerProcess server = ServerProcess.start(data, port, TOKEN, log).awaitHealthy()) {
            server.api.awaitAdapter(TOKEN, "Apps");
            assertTrue("a removed adapter is not put back", !Files.exists(cacoo));
            JsonNode cacooStatus =
                    server.api.get("/api/v1/products/Cacoo", TOKEN).json();
            assertTrue(
                    "Cacoo is still known, without adapter",
                    cacooStatus.get("adapter").isNull());
            assertEquals(0, server.terminate());
        }
    }

    @Test
    public void configAndDeployFoldersAreWatchedWhileTheServerRuns() throws Exception {
        Path data = Files.createTempDirectory("auditlog-dist");
        Path config = Files.createDirectories(data.resolve("config"));
        // the database the shipped configuration names (the suite's PostgreSQL run sets AUDITLOG_JDBC_URL)
        Files.writeString(config.resolve("org.auditlog.storage.cfg"), "url = $[env:AUDITLOG_JDBC_URL;default=]\n");
        Path log = Files.createTempFile("auditlog-dist", ".log");
        try (ServerProcess server = ServerProcess.start(
                        data, ServerOptions.freePort(), TOKEN, log, "--config", config.toString())
                .awaitHealthy()) {
            String ingest = server.api.ingestToken(TOKEN, "Apps", "DIST");
            server.api.activeOrg(TOKEN, "DIST");
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 5; i++) {
                batch.append(i == 0 ? "" : ",")
                        .append(Api.json(Api.record("DIST", "2026-11-01T00:00:0" + i + "Z", "e" + i, "Ann")));
            }
            assertEquals(
                    201,
                    server.api
                            .post(
                                    "/api/v1/products/Apps/events",
                                    ingest,
                                    "application/json",
                                    batch.append("]").toString())
                            .status());
            assertEquals(
                    5,
                    server.api
                            .get("/api/v1/orgs/DIST/events?category=Test", TOKEN)
                            .json()
                            .get("events")
                            .size());

            // a .cfg dropped into config/ reconfigures the API live
            writeAtomically(config.resolve("org.auditlog.rest.cfg"), "defaultPageSize = 2\n");
            awaitTrue("page size 2 after the .cfg drop", () -> {
                Api.Reply r = server.api.get("/api/v1/orgs/DIST/events?category=Test", TOKEN);
                return r.status() == 200 && r.json().get("events").size() == 2;
            });

            // a bundle dropped into deploy/ is installed and started; deleting it uninstalls it
            Path jar = data.resolve("deploy/hello.jar");
            Files.write(data.resolve("hello.tmp"), TestBundles.bundle("org.auditlog.itests.hello", "1.0.0", null));
            Files.move(data.resolve("hello.tmp"), jar, StandardCopyOption.ATOMIC_MOVE);
            awaitTrue(
                    "hello bundle active", () -> "ACTIVE".equals(bundleState(server.api, "org.auditlog.itests.hello")));
            Files.delete(jar);
            awaitTrue("hello bundle gone", () -> bundleState(server.api, "org.auditlog.itests.hello") == null);
            assertEquals(200, server.api.get("/health", null).status());
            assertEquals(0, server.terminate());
        }
    }

    @Test
    public void aBusyPortIsAClearError() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0)) {
            Path data = Files.createTempDirectory("auditlog-dist");
            Path log = Files.createTempFile("auditlog-dist", ".log");
            try (ServerProcess server = ServerProcess.start(data, busy.getLocalPort(), TOKEN, log)) {
                assertEquals(1, server.waitFor());
                assertTrue(Files.readString(log).contains("port " + busy.getLocalPort() + " is in use"));
            }
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitTrue(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within 30 s: " + what);
    }

    static String bundleState(Api api, String symbolicName) throws Exception {
        for (JsonNode b : api.get("/health", TOKEN).json().get("bundles")) {
            if (symbolicName.equals(b.get("symbolicName").asText())) {
                return b.get("state").asText();
            }
        }
        return null;
    }

    static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
