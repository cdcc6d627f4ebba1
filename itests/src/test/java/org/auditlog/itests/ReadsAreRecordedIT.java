package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Every read of the log leaves its record, against the distribution (docs/rules.md section 9): a cursor made
 * by hand or carried to another search is refused, an inclusion proof is recorded, the operator's reads are
 * recorded as Nulab Support, and signing in to the settings page is recorded. A product cannot write records in
 * the server's own category.
 */
public class ReadsAreRecordedIT {
    static final String TOKEN = "reads-are-recorded-it-operator-token";
    static final String ORG = "READS";
    static ServerProcess server;
    static Api api;
    static String member;
    static String ingest;

    @BeforeClass
    public static void start() throws Exception {
        Path data = Files.createTempDirectory("auditlog-reads");
        Path log = Files.createTempFile("auditlog-reads", ".log");
        server = ServerProcess.start(data, ServerOptions.freePort(), TOKEN, log).awaitHealthy();
        api = server.api;
        api.activeOrg(TOKEN, ORG);
        member = api.post(
                        "/api/v1/admin/tokens",
                        TOKEN,
                        "application/json",
                        "{\"kind\":\"member\",\"spaceKey\":\"" + ORG + "\",\"userId\":\"owner\"}")
                .json()
                .get("token")
                .asText();
        ingest = api.ingestToken(TOKEN, "Apps", null);
        for (int i = 0; i < 5; i++) {
            Api.Reply r = api.post(
                    "/api/v1/products/Apps/events",
                    ingest,
                    "application/json",
                    Api.json(Api.record(ORG, "2026-11-0" + (i + 1) + "T00:00:00Z", "event " + i, "Ann")));
            assertEquals(r.toString(), 201, r.status());
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** The organization's records of the log's use (category Audit log), newest first. */
    static List<JsonNode> ownRecords(String event) throws Exception {
        return api.allEvents(TOKEN, ORG, 1000, "category=Audit%20log").stream()
                .filter(e -> event.equals(e.get("event").asText()))
                .toList();
    }

    @Test
    public void aCursorMadeByHandOrCarriedToAnotherSearchIsRefusedAndNothingIsReadUnrecorded() throws Exception {
        long searches = ownRecords("Search audit logs").stream()
                .filter(e -> "owner".equals(e.get("operation_user_id").asText()))
                .count();
        // the unsigned cursor of earlier versions, far in the future: the newest events, unrecorded
        String forged = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("9999999999999:1".getBytes(StandardCharsets.US_ASCII));
        Api.Reply r = api.get("/api/v1/orgs/" + ORG + "/events?limit=2&cursor=" + forged, member);
        assertEquals(r.toString(), 400, r.status());
        assertEquals("cursor", r.json().get("field").asText());

        Api.Reply first = api.get("/api/v1/orgs/" + ORG + "/events?limit=2&product=Apps", member);
        assertEquals(first.toString(), 200, first.status());
        String next = first.json().get("nextCursor").asText();
        Api.Reply second = api.get("/api/v1/orgs/" + ORG + "/events?limit=2&product=Apps&cursor=" + next, member);
        assertEquals(second.toString(), 200, second.status());
        Api.Reply carried = api.get("/api/v1/orgs/" + ORG + "/events?limit=2&category=Test&cursor=" + next, member);
        assertEquals(carried.toString(), 400, carried.status());
        Api.Reply otherCaller = api.get("/api/v1/orgs/" + ORG + "/events?limit=2&product=Apps&cursor=" + next, TOKEN);
        assertEquals(otherCaller.toString(), 400, otherCaller.status());
        // the first page only was recorded, by the member (the operator's listing of the records is recorded as
        // its own search, by Nulab Support, and not counted here)
        assertEquals(
                searches + 1,
                ownRecords("Search audit logs").stream()
                        .filter(e -> "owner".equals(e.get("operation_user_id").asText()))
                        .count());
    }

    @Test
    public void theOperatorsReadsAreRecordedAsNulabSupportNeverAsTheSystem() throws Exception {
        Api.Reply r = api.get("/api/v1/orgs/" + ORG + "/events?limit=1&category=Test", TOKEN);
        assertEquals(r.toString(), 200, r.status());
        List<JsonNode> searches = ownRecords("Search audit logs");
        assertTrue(searches.stream()
                .anyMatch(
                        e -> "Nulab Support".equals(e.get("operation_user_name").asText())
                                && e.get("action").asText().contains("category: Test")));
        assertTrue(searches.stream()
                .noneMatch(
                        e -> "System user".equals(e.get("operation_user_name").asText())));
    }

    @Test
    public void anInclusionProofIsARecordedRead() throws Exception {
        JsonNode event = api.allEvents(TOKEN, ORG, 1000).stream()
                .filter(e -> "event 2".equals(e.get("action").asText()))
                .findFirst()
                .orElseThrow();
        String id = event.get("id").asText();
        Api.Reply proof = api.get("/api/v1/orgs/" + ORG + "/evidence/Apps/inclusion?event=" + id, member);
        assertEquals(proof.toString(), 200, proof.status());
        assertTrue("ids are strings", proof.json().get("eventId").isTextual());
        List<JsonNode> proofs = ownRecords("Prove an audit log event");
        assertEquals(1, proofs.size());
        assertEquals(
                "The inclusion proof of event " + id + " of Apps was read",
                proofs.get(0).get("action").asText());
        assertEquals("owner", proofs.get(0).get("operation_user_id").asText());
    }

    @Test
    public void signingInToTheSettingsPageIsRecorded() throws Exception {
        String origin = "http://127.0.0.1:" + server.port;
        Api.Reply r = api.post(
                "/api/v1/session", null, "application/json", "{\"token\":\"" + member + "\"}", "Origin", origin);
        assertEquals(r.toString(), 201, r.status());
        List<JsonNode> signIns = ownRecords("Sign in to the audit log settings");
        assertEquals(1, signIns.size());
        assertEquals(
                "Olive Owner signed in to the audit log settings page",
                signIns.get(0).get("action").asText());
    }

    @Test
    public void aProductCannotWriteTheServersOwnRecords() throws Exception {
        Api.Reply r = api.post(
                "/api/v1/products/Apps/events",
                ingest,
                "application/json",
                "{\"space_key\":\"" + ORG + "\",\"date\":\"2026-11-01T00:00:00Z\",\"category\":\"Audit log\","
                        + "\"event\":\"Search audit logs\",\"action\":\"Audit logs were searched\","
                        + "\"operation_user_name\":\"System user\"}");
        assertEquals(r.toString(), 400, r.status());
        assertEquals("category", r.json().get("field").asText());
        Api.Reply grant = api.post(
                "/api/v1/products/Apps/events",
                ingest,
                "application/json",
                "{\"space_key\":\"" + ORG + "\",\"date\":\"2026-11-01T00:00:00Z\",\"category\":\"Privilege\","
                        + "\"event\":\"Grant the Audit Log Admin privilege\",\"action\":\"granted to Mallory\","
                        + "\"operation_user_name\":\"Nulab Support\"}");
        assertEquals(grant.toString(), 400, grant.status());
        assertEquals("operation_user_name", grant.json().get("field").asText());
        Api.Reply lone = api.post(
                "/api/v1/products/Apps/events",
                ingest,
                "application/json",
                "{\"space_key\":\"" + ORG + "\",\"date\":\"2026-11-01T00:00:00Z\",\"category\":\"Test\","
                        + "\"event\":\"Test event\",\"action\":\"broken \\ud800 text\",\"operation_user_name\":\"Ann\"}");
        assertEquals(lone.toString(), 400, lone.status());
        assertEquals("action", lone.json().get("field").asText());
    }
}
