package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Parts of the server come and go (a bundle stopped, an adapter being replaced): the answers say so
 * clearly, and everything is back once the part returns.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AvailabilityIT {

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
    public void withoutItsStoreTheServerIsUnhealthyAndTheApiSaysUnavailable() throws Exception {
        Api api = api();
        String operator = Api.operatorToken(Path.of(context.getProperty("auditlog.data")));
        String apps = api.ingestToken(operator, "Apps", null);
        api.activeOrg(operator, "AVAIL");
        String event = Api.json(Api.record("AVAIL", "2026-11-01T00:00:00Z", "before", "Ann"));
        assertEquals(
                201,
                api.post("/api/v1/products/Apps/events", apps, "application/json", event)
                        .status());

        Bundle storage = bundle("org.auditlog.storage");
        storage.stop();
        try {
            Api.Reply anonymous = api.get("/health", null);
            assertEquals(503, anonymous.status());
            assertEquals("{\"status\":\"DOWN\"}", anonymous.body());
            Api.Reply health = api.get("/health", operator);
            assertEquals(503, health.status());
            assertEquals("DOWN", health.json().get("status").asText());
            assertEquals("MISSING", health.json().get("store").asText());
            Api.Reply post = api.post("/api/v1/products/Apps/events", apps, "application/json", event);
            assertEquals(503, post.status());
            assertEquals("unavailable", post.json().get("error").asText());
        } finally {
            storage.start();
        }
        api.awaitHealthy(Duration.ofSeconds(60));
        assertEquals(
                201,
                api.post("/api/v1/products/Apps/events", apps, "application/json", event)
                        .status());
        JsonNode events = api.get("/api/v1/orgs/AVAIL/events?category=Test", operator)
                .json()
                .get("events");
        assertEquals(2, events.size());
    }

    @Test
    public void eventsForAProductWhoseAdapterIsGoneWaitInTheInboxAndAreStoredWhenItReturns() throws Exception {
        Api api = api();
        String operator = Api.operatorToken(Path.of(context.getProperty("auditlog.data")));
        String apps = api.ingestToken(operator, "Apps", null);
        api.activeOrg(operator, "ADAPT");
        Bundle adapter = bundle("org.auditlog.product.apps");
        adapter.stop();
        try {
            for (int i = 0; i < 3; i++) {
                String event = Api.json(Api.record("ADAPT", "2026-11-01T00:00:0" + i + "Z", "while away " + i, "Ann"));
                Api.Reply r = api.post("/api/v1/products/Apps/events", apps, "application/json", event);
                assertEquals(r.toString(), 202, r.status());
                assertEquals(true, r.json().get("queued").asBoolean());
            }
            JsonNode status = api.get("/api/v1/products/Apps", operator).json();
            assertTrue(status.get("adapter").isNull());
            assertEquals(3, status.get("inbox").get("pending").asInt());
            assertEquals(
                    0,
                    api.get("/api/v1/orgs/ADAPT/events?category=Test", operator)
                            .json()
                            .get("events")
                            .size());
            Api.Reply never = api.post("/api/v1/products/Nonesuch/events", apps, "application/json", "{}");
            assertEquals(403, never.status()); // the token is for Apps; a token for a never-seen product cannot exist
        } finally {
            adapter.start();
        }
        DistributionIT.awaitTrue(
                "inbox drained",
                () -> api.get("/api/v1/products/Apps", operator)
                                .json()
                                .get("inbox")
                                .get("pending")
                                .asInt()
                        == 0);
        JsonNode events = api.get("/api/v1/orgs/ADAPT/events?category=Test", operator)
                .json()
                .get("events");
        assertEquals(3, events.size());
        assertEquals("while away 2", events.get(0).get("action").asText());
        JsonNode status = api.get("/api/v1/products/Apps", operator).json();
        assertEquals(
                "org.auditlog.product.apps", status.get("adapter").get("bundle").asText());
        assertTrue(status.get("catalog").size() > 0);
    }

    @Test
    public void aProductNeverSeenIsUnknown() throws Exception {
        Api api = api();
        String operator = Api.operatorToken(Path.of(context.getProperty("auditlog.data")));
        Api.Reply r = api.get("/api/v1/products/Nonesuch", operator);
        assertEquals(404, r.status());
        assertEquals("unknown_product", r.json().get("error").asText());
        Api.Reply token = api.post(
                "/api/v1/admin/tokens", operator, "application/json", "{\"kind\":\"ingest\",\"product\":\"Nonesuch\"}");
        assertEquals(400, token.status());
    }

    private Api api() throws InterruptedException {
        Api api = new Api(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        api.awaitHealthy(Duration.ofSeconds(60));
        return api;
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
