package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.auditlog.api.store.TokenGrant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST}, {@code GET /api/v1/admin/tokens} and {@code DELETE …/{id}}. */
class TokensResourceTest {
    final FakeTokens tokens = new FakeTokens();
    final FakeCapture capture = new FakeCapture();
    final FakeOrgs orgs = new FakeOrgs();
    final TokensResource resource = new TokensResource(tokens, capture, orgs, () -> Fixtures.CLOCK);

    Answer issue(String body) {
        return Answer.of(() -> resource.issue(body));
    }

    @Test
    void anIngestTokenIsIssued201WithItsSecretShownOnlyHere() {
        Answer a = issue("{\"kind\":\"ingest\",\"product\":\"Apps\"}");
        assertEquals(201, a.status());
        JsonNode b = a.json();
        assertEquals(
                List.of("id", "kind", "product", "spaceKey", "userId", "created", "expires", "token"),
                EventsResourceTest.names(b));
        assertEquals("t-new0", b.get("id").asText());
        assertEquals("ingest", b.get("kind").asText());
        assertEquals("Apps", b.get("product").asText());
        assertTrue(b.get("spaceKey").isNull());
        assertTrue(b.get("userId").isNull());
        assertTrue(b.get("expires").isNull(), "an ingest token does not expire");
        assertEquals("2026-11-20T10:00:00.000Z", b.get("created").asText());
        assertEquals("alt_t-new0_secret", b.get("token").asText());
        TokenGrant stored = tokens.issued.get(0);
        assertEquals(List.of("ingest", "Apps"), List.of(stored.kind(), stored.product()));
        assertNull(stored.spaceKey());
        assertNull(stored.userId());
        assertNull(stored.expires());
    }

    @Test
    void anIngestTokenMayBeBoundToOneOrganization() {
        assertEquals(
                "ACME",
                issue("{\"kind\":\"ingest\",\"product\":\"Backlog\",\"spaceKey\":\"ACME\"}")
                        .json()
                        .get("spaceKey")
                        .asText());
        assertEquals("ACME", tokens.issued.get(0).spaceKey());
    }

    @Test
    void anIngestTokensProductMustBeKnownInstalledOrNot() {
        assertEquals(201, issue("{\"kind\":\"ingest\",\"product\":\"Cacoo\"}").status(), "Cacoo's adapter is gone");
        issue("{\"kind\":\"ingest\",\"product\":\"Typetalk\"}")
                .assertError(
                        400,
                        "invalid_field",
                        "product",
                        "the server has never had an adapter for Typetalk; known products: [Apps, Backlog, Cacoo]");
        issue("{\"kind\":\"ingest\"}").assertError(400, "invalid_field", "product", "is required for an ingest token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-ACME", "AC ME", "ACME/x", ""})
    void anIngestTokensSpaceKeyMustBeOne(String spaceKey) {
        Answer a = issue("{\"kind\":\"ingest\",\"product\":\"Apps\",\"spaceKey\":\"" + spaceKey + "\"}");
        if (spaceKey.isEmpty()) {
            a.assertError(400, "invalid_field", "spaceKey", "must be a non-empty string");
        } else {
            a.assertError(
                    400,
                    "invalid_field",
                    "spaceKey",
                    "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        assertEquals(List.of(), tokens.issued);
    }

    @Test
    void aMemberTokenExpiresAfterThirtyDaysByDefault() {
        Answer a = issue("{\"kind\":\"member\",\"spaceKey\":\"ACME\",\"userId\":\"u1\"}");
        assertEquals(201, a.status());
        JsonNode b = a.json();
        assertEquals("member", b.get("kind").asText());
        assertTrue(b.get("product").isNull());
        assertEquals("ACME", b.get("spaceKey").asText());
        assertEquals("u1", b.get("userId").asText());
        assertEquals("2026-12-20T10:00:00.000Z", b.get("expires").asText());
        assertEquals(
                Fixtures.NOW.plus(Duration.ofDays(30)), tokens.issued.get(0).expires());
    }

    @Test
    void aMemberTokensLifetimeIsOneHourToAYear() {
        assertEquals(
                "2026-11-20T11:00:00.000Z",
                issue("{\"kind\":\"member\",\"spaceKey\":\"ACME\",\"userId\":\"u1\"," + "\"ttlHours\":1}")
                        .json()
                        .get("expires")
                        .asText());
        assertEquals(
                201,
                issue("{\"kind\":\"member\",\"spaceKey\":\"ACME\",\"userId\":\"u1\",\"ttlHours\":8760}")
                        .status());
        assertEquals(
                Fixtures.NOW.plus(Duration.ofHours(8760)), tokens.issued.get(1).expires());
        for (String ttl : List.of("0", "-1", "8761")) {
            issue("{\"kind\":\"member\",\"spaceKey\":\"ACME\",\"userId\":\"u1\",\"ttlHours\":" + ttl + "}")
                    .assertError(400, "invalid_field", "ttlHours", "must be from 1 to 8760");
        }
        for (String ttl : List.of("\"24\"", "1.5", "true")) {
            issue("{\"kind\":\"member\",\"spaceKey\":\"ACME\",\"userId\":\"u1\",\"ttlHours\":" + ttl + "}")
                    .assertError(400, "invalid_field", "ttlHours", "must be a whole number");
        }
        // a whole number too large for the field says so, rather than that it is not a whole number
        for (String ttl : List.of("10000000000", "100000000000000000000")) {
            issue("{\"kind\":\"member\",\"spaceKey\":\"ACME\",\"userId\":\"u1\",\"ttlHours\":" + ttl + "}")
                    .assertError(
                            400, "invalid_field", "ttlHours", "must be a whole number from -2147483648 to 2147483647");
        }
        assertEquals(2, tokens.issued.size());
    }

    @Test
    void aMemberTokenNeedsAMemberOfAnExistingOrganizationAndNoProduct() {
        issue("{\"kind\":\"member\",\"userId\":\"u1\"}")
                .assertError(400, "invalid_field", "spaceKey", "is required for a member token");
        issue("{\"kind\":\"member\",\"spaceKey\":\"ACME\"}")
                .assertError(400, "invalid_field", "userId", "is required for a member token");
        issue("{\"kind\":\"member\",\"spaceKey\":\"ACME\",\"userId\":\"u9\"}")
                .assertError(400, "invalid_field", "userId", "is not a member of ACME");
        issue("{\"kind\":\"member\",\"spaceKey\":\"ACME\",\"userId\":\"u1\",\"product\":\"Apps\"}")
                .assertError(400, "invalid_field", "product", "a member token names no product");
        issue("{\"kind\":\"member\",\"spaceKey\":\"NOPE\",\"userId\":\"u1\"}")
                .assertError(404, "no_such_organization", null, "there is no organization NOPE");
        assertEquals(List.of(), tokens.issued);
    }

    @Test
    void theKindIsRequiredAndIsIngestOrMember() {
        issue("{\"product\":\"Apps\"}").assertError(400, "invalid_field", "kind", "is required");
        issue("{\"kind\":\"admin\"}").assertError(400, "invalid_field", "kind", "must be ingest or member");
        issue("{\"kind\":\"Ingest\",\"product\":\"Apps\"}")
                .assertError(400, "invalid_field", "kind", "must be ingest or member");
        issue("{\"kind\":1}").assertError(400, "invalid_field", "kind", "must be a non-empty string");
    }

    @Test
    void anUnknownFieldIsRefusedNamingIt() {
        issue("{\"kind\":\"ingest\",\"product\":\"Apps\",\"ttl\":5}")
                .assertError(
                        400,
                        "invalid_field",
                        "ttl",
                        "unknown field; expected kind, product, spaceKey, userId, ttlHours");
        assertEquals(List.of(), tokens.issued);
    }

    @Test
    void aBodyThatIsNoJsonObjectIsRefused() {
        issue("").assertError(400, "invalid_field", null, "the body must be a JSON object");
        issue("null").assertError(400, "invalid_field", null, "the body must be a JSON object");
        issue("[{\"kind\":\"ingest\"}]").assertError(400, "invalid_field", null, "the body must be a JSON object");
        assertTrue(issue("{kind:ingest}")
                .assertError(400, "malformed_json", null)
                .startsWith("the body is not valid JSON: "));
        assertTrue(
                issue("{\"kind\":\"ingest\"} {}")
                        .assertError(400, "malformed_json", null)
                        .startsWith("the body is not valid JSON: "),
                "trailing content");
    }

    @Test
    void theListHasNoSecrets() {
        Answer a = Answer.of(resource::list);
        assertEquals(200, a.status());
        JsonNode list = a.json().get("tokens");
        assertEquals(5, list.size());
        for (JsonNode t : list) {
            assertEquals(
                    List.of("id", "kind", "product", "spaceKey", "userId", "created", "expires"),
                    EventsResourceTest.names(t));
        }
        assertFalse(a.text().contains("secret"), a.text());
        assertEquals("t-ann", list.get(0).get("id").asText());
        assertEquals("2026-12-10T10:00:00.000Z", list.get(0).get("expires").asText());
    }

    @Test
    void revokingIs204AndAnUnknownIdIs404() {
        Answer a = Answer.of(() -> resource.revoke("t-bob"));
        assertEquals(204, a.status());
        assertEquals(0, a.bytes().length);
        assertTrue(tokens.verify("alt_t-bob_secret").isEmpty(), "the token stops working at once");
        Answer.of(() -> resource.revoke("t-bob")).assertError(404, "not_found", null, "no active token has id t-bob");
    }
}
