package org.auditlog.itests;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
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

/**
 * The per-product examples of docs/products.md, end to end: each payload is posted over HTTP to the product's
 * adapter, and the stored record must be the one docs/products.md shows (all fields but the id).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ProductExamplesIT {

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
    public void backlog() throws Exception {
        check("Backlog", "ACME", true, "203.0.113.7", """
                {"id": 3153, "project": {"id": 92, "projectKey": "SUB", "name": "Subtasking", "archived": false},
                 "type": 2,
                 "content": {"id": 4809, "key_id": 121, "summary": "Login button does nothing on Safari",
                             "description": "Steps: open the login page in Safari 17 and press the button.",
                             "comment": {"id": 7237, "content": "Fixed by the handler rewrite, please verify on staging."},
                             "changes": [{"field": "status", "new_value": "4", "old_value": "1", "type": "standard"}]},
                 "notifications": [],
                 "createdUser": {"id": 1, "userId": "admin", "name": "admin", "roleType": 1, "lang": "ja",
                                 "nulabAccount": {"nulabId": "Prm9ZD9DQD5snNW", "name": "admin", "uniqueId": "admin"},
                                 "mailAddress": "eguchi@nulab.example"},
                 "created": "2013-12-27T07:50:44Z"}""", """
                {"id": "…", "space_key": "ACME", "product": "Backlog", "date": "2013-12-27T07:50:44.000Z",
                 "category": "Issue", "event": "Update an issue", "action": "SUB-121 was updated in SUB",
                 "operation_user_id": "Prm9ZD9DQD5snNW", "operation_user_name": "admin",
                 "operation_user_email": "eguchi@nulab.example", "ip_address": "203.0.113.7", "user_agent": "", "version": "V1"}""");
    }

    @Test
    public void typetalk() throws Exception {
        check("Typetalk", "ACME", true, "203.0.113.5", """
                {"topic": {"id": 208, "name": "IT Peeps", "createdAt": "2014-06-10T02:32:29Z", "updatedAt": "2014-06-10T02:32:29Z"},
                 "post": {"id": 333, "topicId": 208, "replyTo": null, "message": "(never recorded)",
                          "account": {"id": 100, "name": "jessica", "fullName": "Jessica Fitzherbert",
                                      "createdAt": "2014-06-24T02:32:29Z", "updatedAt": "2014-06-24T02:32:29Z"},
                          "mention": null, "attachments": [], "likes": [], "talks": [], "links": [],
                          "createdAt": "2014-12-10T09:00:29Z", "updatedAt": "2014-12-10T09:00:29Z"}}""", """
                {"id": "…", "space_key": "ACME", "product": "Typetalk", "date": "2014-12-10T09:00:29.000Z",
                 "category": "Message", "event": "Post a message", "action": "Message 333 was posted in topic \\"IT Peeps\\"",
                 "operation_user_id": "100", "operation_user_name": "Jessica Fitzherbert", "operation_user_email": "",
                 "ip_address": "203.0.113.5", "user_agent": "", "version": "V1"}""");
    }

    @Test
    public void cacoo() throws Exception {
        check("Cacoo", "ACME", true, "203.0.113.7", """
                {"type": "comment.added", "occurredAt": "Tue, 03 Nov 2026 13:45:00 +0900",
                 "actor": {"id": "Xq7LmN2pRt4vWz8", "name": "Bob Ito", "email": "bob@acme.example"},
                 "diagram": {"diagramId": "D1a2b3", "title": "Network plan", "security": "url", "folderName": "Infra"},
                 "comment": {"id": 99817, "content": "the VLAN ids are wrong"}}""", """
                {"id": "…", "space_key": "ACME", "product": "Cacoo", "date": "2026-11-03T04:45:00.000Z",
                 "category": "Comment", "event": "Add a comment",
                 "action": "Comment 99817 was added to diagram \\"Network plan\\" (D1a2b3)",
                 "operation_user_id": "Xq7LmN2pRt4vWz8", "operation_user_name": "Bob Ito",
                 "operation_user_email": "bob@acme.example", "ip_address": "203.0.113.7", "user_agent": "", "version": "V1"}""");
    }

    @Test
    public void apps() throws Exception {
        check("Apps", "ACME", false, null, """
                {"type": "member.role_changed", "occurredAt": "2026-11-05T14:20:00+01:00", "spaceKey": "ACME",
                 "actor": {"id": "u1", "name": "Ann Archer", "email": "ann@acme.example", "ipAddress": "203.0.113.5"},
                 "member": {"id": "u2", "name": "Bob Baker", "email": "bob@acme.example"},
                 "role": {"from": "member", "to": "admin"}}""", """
                {"id": "…", "space_key": "ACME", "product": "Apps", "date": "2026-11-05T13:20:00.000Z",
                 "category": "Member", "event": "Change a member's role",
                 "action": "Role of bob@acme.example was changed from member to admin",
                 "operation_user_id": "u1", "operation_user_name": "Ann Archer", "operation_user_email": "ann@acme.example",
                 "ip_address": "203.0.113.5", "user_agent": "", "version": "V1"}""");
    }

    /** Posts a payload of docs/products.md and compares the stored record with the one shown there, field by field. */
    private void check(
            String product, String spaceKey, boolean boundToken, String clientIp, String payload, String expectedRecord)
            throws Exception {
        Api api = new Api(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        api.awaitHealthy(Duration.ofSeconds(60));
        String operator = Api.operatorToken(Path.of(context.getProperty("auditlog.data")));
        String token = api.ingestToken(operator, product, boundToken ? spaceKey : null);
        api.activeOrg(operator, spaceKey);
        Api.Reply r = clientIp == null
                ? api.post("/api/v1/products/" + product + "/events", token, "application/json", payload)
                : api.post(
                        "/api/v1/products/" + product + "/events",
                        token,
                        "application/json",
                        payload,
                        "X-Auditlog-Client-Ip",
                        clientIp);
        assertEquals(r.toString(), 201, r.status());
        // the organization's own Apps records (its plan, its members) are left out by the event name
        String event = Api.JSON.readTree(expectedRecord).get("event").asText();
        JsonNode stored = api.get(
                        "/api/v1/orgs/" + spaceKey + "/events?product=" + product + "&event="
                                + java.net.URLEncoder.encode(event, java.nio.charset.StandardCharsets.UTF_8),
                        operator)
                .json()
                .get("events");
        assertEquals(1, stored.size());
        JsonNode expected = Api.JSON.readTree(expectedRecord);
        JsonNode actual = stored.get(0);
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getKey().equals("id")) {
                assertEquals(
                        product + " " + f.getKey(),
                        f.getValue().asText(),
                        actual.get(f.getKey()).asText());
            }
        }
        assertEquals(r.json().get("ids").get(0).asText(), actual.get("id").asText());
    }
}
