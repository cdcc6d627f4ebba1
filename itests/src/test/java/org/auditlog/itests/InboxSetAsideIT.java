package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * An inbox entry that can never be stored does not hold up the ones behind it, also across a restart: the
 * distribution runs, the Backlog adapter's jar is deleted from deploy/, an event whose date the store cannot hold
 * is answered 202 between good ones, and when the adapter is back the good ones are stored while the bad one is
 * set aside with its reason, for the operator to read, retry and delete over REST.
 */
public class InboxSetAsideIT {
    static final String TOKEN = "inbox-set-aside-operator-token-0123456789";
    static final String INBOX = "/api/v1/admin/products/Backlog/inbox";

    @Test
    public void anEntryThatCannotBeStoredIsSetAsideAndTheOthersAreStored() throws Exception {
        Path data = Files.createTempDirectory("auditlog-inbox");
        Path log = Files.createTempFile("auditlog-inbox", ".log");
        Path jar = data.resolve("deploy/org.auditlog.product.backlog.jar");
        int port = ServerOptions.freePort();
        byte[] adapter;
        String ingest;
        String badId;
        try (ServerProcess server = ServerProcess.start(data, port, TOKEN, log).awaitHealthy()) {
            Api api = server.api;
            ingest = api.ingestToken(TOKEN, "Backlog", "INBX");
            api.activeOrg(TOKEN, "INBX");
            adapter = Files.readAllBytes(jar);

            removeAdapter(api, jar);
            assertEquals(202, postIssue(api, ingest, 1, "2026-11-01T10:00:00Z").status());
            // a date far beyond what the column holds (year 99999): once refused by the store on every drain
            assertEquals(
                    202, postIssue(api, ingest, 2, "+99999-01-01T00:00:00Z").status());
            assertEquals(202, postIssue(api, ingest, 3, "2026-11-01T10:00:01Z").status());
            assertEquals(202, postIssue(api, ingest, 4, "2026-11-01T10:00:02Z").status());
            // canonical records are read and checked before a 202: a bad date is refused and nothing is queued
            Api.Reply canonical = api.post(
                    "/api/v1/products/Backlog/events",
                    ingest,
                    "application/vnd.auditlog.v1+json",
                    Api.json(Api.record("INBX", "9999-12-31T12:00:00-12:00", "year 10000 in UTC", "Ann")));
            assertEquals(canonical.toString(), 400, canonical.status());
            assertEquals("date", canonical.json().get("field").asText());
            assertEquals(4, inbox(api).get("pending").asInt());

            putAdapterBack(api, jar, adapter);
            DistributionIT.awaitTrue(
                    "good entries drained past the bad one",
                    () -> inbox(api).get("pending").asInt() == 0);
            assertEquals(List.of(1, 3, 4), storedKeys(api));
            assertEquals(1, inbox(api).get("failed").asInt());

            // the operator's view: listed with its reason, readable with its payloads
            JsonNode list = api.get(INBOX, TOKEN).json();
            assertEquals(1, list.get("entries").size());
            JsonNode entry = list.get("entries").get(0);
            badId = entry.get("id").asText();
            assertEquals("failed", entry.get("state").asText());
            assertEquals(1, entry.get("events").asInt());
            assertEquals("application/json", entry.get("contentType").asText());
            assertTrue(entry.toString(), entry.get("received").asText().matches("\\d{4}-.*Z"));
            String reason = entry.get("failure").asText();
            assertTrue(reason, reason.contains("date") && reason.contains("9999-12-31T23:59:59.999Z"));
            JsonNode one = api.get(INBOX + "/" + badId, TOKEN).json();
            assertEquals(reason, one.get("failure").asText());
            assertEquals("INBX", one.get("spaceKey").asText());
            assertEquals(
                    "+99999-01-01T00:00:00Z",
                    one.get("payloads").get(0).get("created").asText());
            assertEquals(2, one.get("payloads").get(0).get("id").asInt());

            assertNotFound(api.get(INBOX + "/987654", TOKEN));
            assertNotFound(api.get(INBOX + "/not-a-number", TOKEN));
            assertNotFound(api.get("/api/v1/admin/products/Cacoo/inbox/" + badId, TOKEN));
            assertNotFound(api.post("/api/v1/admin/products/Cacoo/inbox/" + badId + "/retry", TOKEN, null, ""));
            assertNotFound(api.delete("/api/v1/admin/products/Cacoo/inbox/" + badId, TOKEN));
            assertEquals(
                    404, api.get("/api/v1/admin/products/Nothing/inbox", TOKEN).status());
            assertEquals(
                    "unknown_product",
                    api.get("/api/v1/admin/products/Nothing/inbox", TOKEN)
                            .json()
                            .get("error")
                            .asText());
            assertEquals(403, api.get(INBOX, ingest).status());

            // retried: refused again for the same reason, still set aside
            Api.Reply retried = api.post(INBOX + "/" + badId + "/retry", TOKEN, null, "");
            assertEquals(retried.toString(), 200, retried.status());
            assertEquals("failed", retried.json().get("state").asText());
            assertEquals(reason, retried.json().get("failure").asText());
            assertEquals(1, inbox(api).get("failed").asInt());

            // removed once more, one good event waits behind the bad one while the server restarts
            removeAdapter(api, jar);
            assertEquals(202, postIssue(api, ingest, 5, "2026-11-01T10:00:03Z").status());
            assertEquals(0, server.terminate());
        }
        try (ServerProcess server = ServerProcess.start(data, port, TOKEN, log).awaitHealthy()) {
            Api api = server.api;
            assertEquals(1, inbox(api).get("pending").asInt());
            putAdapterBack(api, jar, adapter);
            DistributionIT.awaitTrue(
                    "drained after the restart", () -> inbox(api).get("pending").asInt() == 0);
            assertEquals(List.of(1, 3, 4, 5), storedKeys(api));
            assertEquals(
                    "the bad entry survives the restart, set aside",
                    badId,
                    api.get(INBOX, TOKEN).json().get("entries").get(0).get("id").asText());
            assertEquals(201, postIssue(api, ingest, 6, "2026-11-01T10:00:04Z").status());

            Api.Reply deleted = api.delete(INBOX + "/" + badId, TOKEN);
            assertEquals(deleted.toString(), 204, deleted.status());
            assertNotFound(api.delete(INBOX + "/" + badId, TOKEN));
            assertNotFound(api.get(INBOX + "/" + badId, TOKEN));
            assertEquals(0, api.get(INBOX, TOKEN).json().get("entries").size());
            assertEquals(0, inbox(api).get("failed").asInt());
            assertEquals(List.of(1, 3, 4, 5, 6), storedKeys(api));
            assertEquals(0, server.terminate());
        }
    }

    static Api.Reply postIssue(Api api, String ingest, int key, String created) throws Exception {
        String body = HotUpgradeIT.issueCreated(key)
                .replace("2026-11-01T10:00:00Z", created)
                .replace("\"HOT\"", "\"INBX\"");
        return api.post(
                "/api/v1/products/Backlog/events",
                ingest,
                "application/json",
                body,
                "X-Auditlog-Client-Ip",
                "203.0.113.7");
    }

    static JsonNode inbox(Api api) throws Exception {
        return api.get("/api/v1/products/Backlog", TOKEN).json().get("inbox");
    }

    static List<Integer> storedKeys(Api api) throws Exception {
        List<Integer> keys = new ArrayList<>();
        for (JsonNode e : api.allEvents(TOKEN, "INBX", 100, "product=Backlog")) {
            String action = e.get("action").asText(); // "INBX-3 was created in INBX"
            keys.add(Integer.parseInt(action.substring(5, action.indexOf(' '))));
        }
        keys.sort(null);
        return keys;
    }

    static void removeAdapter(Api api, Path jar) throws Exception {
        Files.delete(jar);
        DistributionIT.awaitTrue(
                "Backlog adapter removed",
                () -> api.get("/api/v1/products/Backlog", TOKEN)
                        .json()
                        .get("adapter")
                        .isNull());
    }

    static void putAdapterBack(Api api, Path jar, byte[] adapter) throws Exception {
        HotUpgradeIT.replace(jar, adapter);
        DistributionIT.awaitTrue(
                "Backlog adapter back",
                () -> !api.get("/api/v1/products/Backlog", TOKEN)
                        .json()
                        .get("adapter")
                        .isNull());
    }

    static void assertNotFound(Api.Reply r) {
        assertEquals(r.toString(), 404, r.status());
        assertEquals(r.toString(), "not_found", r.json().get("error").asText());
    }
}
