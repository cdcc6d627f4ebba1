package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.inject.Inject;
import org.auditlog.api.capture.EventCapture;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/** The operator's bundle API: upload (install or update by name), start, stop, remove, and clear refusals. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundlesAdminIT {
    static final String JAR = "application/java-archive";
    static final String HELLO = "org.auditlog.itests.hello";

    @Inject
    BundleContext context;

    @Inject
    EventCapture capture;

    @Configuration
    public Option[] config() throws Exception {
        return ServerOptions.server(ServerOptions.freePort(), Files.createTempDirectory("auditlog-it"))
                .toArray(new Option[0]);
    }

    @Test
    public void uploadUpdateStopStartAndRemoveABundle() throws Exception {
        Api api = new Api(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        api.awaitHealthy(Duration.ofSeconds(30));
        String operator = Api.operatorToken(Path.of(context.getProperty("auditlog.data")));
        Path deploy = Path.of(context.getProperty("auditlog.deploy"));
        String bundles = "/api/v1/admin/bundles";

        assertRefused(api.post(bundles, operator, JAR, "this is not a jar"), 400, "invalid_bundle", "jar");
        assertRefused(
                api.post(bundles, operator, JAR, TestBundles.plainJar()), 400, "invalid_bundle", "Bundle-SymbolicName");
        Api.Reply unresolved =
                api.post(bundles, operator, JAR, TestBundles.bundle(HELLO, "1.0.0", "com.example.missing"));
        assertRefused(unresolved, 422, "unresolvable_bundle", null);
        assertTrue(
                unresolved.toString(), unresolved.json().get("detail").asText().contains("com.example.missing"));
        assertFalse("nothing written for a refused jar", Files.exists(deploy.resolve(HELLO + ".jar")));
        assertNull(find(api, operator, HELLO));

        Api.Reply installed =
                api.post(bundles, operator, JAR, TestBundles.bundle(HELLO, "1.0.0", "org.osgi.framework"));
        assertEquals(installed.toString(), 201, installed.status());
        assertEquals("ACTIVE", installed.json().get("state").asText());
        assertEquals(HELLO + ".jar", installed.json().get("deployFile").asText());
        long id = installed.json().get("id").asLong();

        Api.Reply updated = api.post(bundles, operator, JAR, TestBundles.bundle(HELLO, "1.1.0", "org.osgi.framework"));
        assertEquals(updated.toString(), 200, updated.status());
        assertEquals("1.1.0", updated.json().get("version").asText());
        assertEquals("updated in place", id, updated.json().get("id").asLong());

        Api.Reply broken = api.post(bundles, operator, JAR, TestBundles.bundle(HELLO, "1.2.0", "com.example.missing"));
        assertRefused(broken, 422, "unresolvable_bundle", null);
        JsonNode running = find(api, operator, HELLO);
        assertEquals(
                "the running version stays", "1.1.0", running.get("version").asText());
        assertEquals("ACTIVE", running.get("state").asText());

        assertEquals(
                "RESOLVED",
                api.post(bundles + "/" + id + "/stop", operator, null, "")
                        .json()
                        .get("state")
                        .asText());
        assertEquals(
                "ACTIVE",
                api.post(bundles + "/" + id + "/start", operator, null, "")
                        .json()
                        .get("state")
                        .asText());

        assertEquals(204, api.delete(bundles + "/" + id, operator).status());
        assertNull(find(api, operator, HELLO));
        assertFalse(Files.exists(deploy.resolve(HELLO + ".jar")));
    }

    @Test
    public void platformBundlesAndUnknownIdsAreRefused() throws Exception {
        Api api = new Api(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        api.awaitHealthy(Duration.ofSeconds(30));
        String operator = Api.operatorToken(Path.of(context.getProperty("auditlog.data")));
        long storage = find(api, operator, "org.auditlog.storage").get("id").asLong();
        assertRefused(api.delete("/api/v1/admin/bundles/" + storage, operator), 409, "platform_bundle", null);
        assertRefused(api.post("/api/v1/admin/bundles/0/stop", operator, null, ""), 409, "protected_bundle", null);
        long rest = find(api, operator, "org.auditlog.rest").get("id").asLong();
        assertRefused(
                api.post("/api/v1/admin/bundles/" + rest + "/stop", operator, null, ""), 409, "protected_bundle", null);
        assertRefused(api.get("/api/v1/admin/bundles/99999", operator), 404, "not_found", null);
        assertEquals(
                403,
                api.get("/api/v1/admin/bundles", api.ingestToken(operator, "Apps", null))
                        .status());
    }

    private static JsonNode find(Api api, String operator, String symbolicName) throws Exception {
        for (JsonNode b : api.get("/api/v1/admin/bundles", operator).json().get("bundles")) {
            if (symbolicName.equals(b.get("symbolicName").asText())) {
                return b;
            }
        }
        return null;
    }

    private static void assertRefused(Api.Reply r, int status, String error, String field) {
        assertEquals(r.toString(), status, r.status());
        assertEquals(r.toString(), error, r.json().get("error").asText());
        if (field != null) {
            assertEquals(r.toString(), field, r.json().get("field").asText());
        }
    }
}
