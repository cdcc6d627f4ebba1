package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.store.InboxEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator's inbox view: {@code /api/v1/admin/products/{product}/inbox}. */
class InboxResourceTest {
    static final Instant RECEIVED = Instant.parse("2026-11-19T23:59:59.999Z");

    final FakeCapture capture = new FakeCapture();
    final InboxResource inbox = new InboxResource(capture);

    @BeforeEach
    void entries() {
        capture.inbox.put(
                5L,
                new InboxEntry(
                        5,
                        "Backlog",
                        "application/json",
                        "[{\"id\":1},{\"id\":2}]",
                        2,
                        new IngestContext("ACME", "203.0.113.5", "Agent/1"),
                        RECEIVED,
                        "date: must be before 9999-12-31"));
        capture.inbox.put(
                6L,
                new InboxEntry(
                        6,
                        "Backlog",
                        "application/json",
                        "not json {",
                        1,
                        new IngestContext(null, null, null),
                        RECEIVED,
                        null));
        capture.waiting.add(6L);
    }

    @Test
    void theSetAsideEntriesAreListedWithTheirReason() {
        Answer a = Answer.of(() -> inbox.failed("Backlog", null));
        assertEquals(200, a.status());
        assertEquals(List.of("failed Backlog 100"), capture.inboxCalls, "100 by default");
        JsonNode b = a.json();
        assertEquals(List.of("product", "entries"), EventsResourceTest.names(b));
        assertEquals(1, b.get("entries").size());
        JsonNode e = b.get("entries").get(0);
        assertEquals(
                List.of("id", "product", "state", "received", "events", "contentType", "failure"),
                EventsResourceTest.names(e));
        assertEquals("5", e.get("id").asText());
        assertTrue(e.get("id").isTextual());
        assertEquals("failed", e.get("state").asText());
        assertEquals("2026-11-19T23:59:59.999Z", e.get("received").asText());
        assertEquals(2, e.get("events").asInt());
        assertEquals("date: must be before 9999-12-31", e.get("failure").asText());
    }

    @Test
    void theLimitIsOneToAThousand() {
        assertEquals(200, Answer.of(() -> inbox.failed("Backlog", "1000")).status());
        assertEquals(200, Answer.of(() -> inbox.failed("Backlog", "")).status());
        assertEquals(List.of("failed Backlog 1000", "failed Backlog 100"), capture.inboxCalls);
        // the same rule as the events' limit: a padded number is refused there, and here too
        for (String limit : List.of("0", "1001", "many", "-5", "1.0", " 5 ", " ")) {
            Answer.of(() -> inbox.failed("Backlog", limit))
                    .assertError(400, "invalid_field", "limit", "must be a whole number from 1 to 1000");
        }
    }

    @Test
    void aProductTheServerNeverHadIs404UnknownProduct() {
        Answer.of(() -> inbox.failed("Typetalk", null))
                .assertError(
                        404,
                        "unknown_product",
                        "product",
                        "the server has never had an adapter for product 'Typetalk'");
        Answer.of(() -> inbox.one("Typetalk", "5"))
                .assertError(
                        404,
                        "unknown_product",
                        "product",
                        "the server has never had an adapter for product 'Typetalk'");
    }

    @Test
    void oneEntryShowsItsContextAndThePayloadsAsReceived() {
        Answer a = Answer.of(() -> inbox.one("Backlog", "5"));
        assertEquals(200, a.status());
        JsonNode e = a.json();
        assertEquals("ACME", e.get("spaceKey").asText());
        assertEquals("203.0.113.5", e.get("clientIp").asText());
        assertEquals("Agent/1", e.get("clientUserAgent").asText());
        assertTrue(e.get("payloads").isArray(), "the events as JSON, not a string holding them");
        assertEquals(2, e.get("payloads").get(1).get("id").asInt());
    }

    @Test
    void aWaitingEntryIsShownTooAndPayloadsThatAreNoJsonAsText() {
        JsonNode e = Answer.of(() -> inbox.one("Backlog", "6")).json();
        assertEquals("pending", e.get("state").asText());
        assertTrue(e.get("failure").isNull());
        assertTrue(e.get("spaceKey").isNull());
        assertEquals("not json {", e.get("payloads").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "0", "-5", "abc", "99999999999999999999", "5.0"})
    void anUnknownOrMalformedIdIs404(String id) {
        Answer.of(() -> inbox.one("Backlog", id))
                .assertError(404, "not_found", null, "no inbox entry " + id + " of Backlog");
        Answer.of(() -> inbox.retry("Backlog", id))
                .assertError(404, "not_found", null, "no inbox entry " + id + " of Backlog");
        Answer.of(() -> inbox.delete("Backlog", id))
                .assertError(404, "not_found", null, "no inbox entry " + id + " of Backlog");
    }

    @Test
    void anotherProductsEntryIs404() {
        Answer.of(() -> inbox.one("Apps", "5")).assertError(404, "not_found", null, "no inbox entry 5 of Apps");
        Answer.of(() -> inbox.delete("Apps", "5")).assertError(404, "not_found", null, "no inbox entry 5 of Apps");
    }

    @Test
    void retryingSaysWhereTheEntryIsNow() {
        JsonNode stored = Answer.of(() -> inbox.retry("Backlog", "5")).json();
        assertEquals(List.of("id", "state", "failure"), EventsResourceTest.names(stored));
        assertEquals("5", stored.get("id").asText());
        assertEquals("stored", stored.get("state").asText());
        assertTrue(stored.get("failure").isNull());

        InboxEntry again = capture.inbox.get(5L);
        capture.retryAnswer = Optional.of(new InboxEntry(
                5,
                "Backlog",
                again.contentType(),
                again.payloads(),
                2,
                again.context(),
                RECEIVED,
                "refused again: no such space"));
        JsonNode failed = Answer.of(() -> inbox.retry("Backlog", "5")).json();
        assertEquals("failed", failed.get("state").asText());
        assertEquals("refused again: no such space", failed.get("failure").asText());

        capture.retryAnswer = Optional.of(new InboxEntry(
                5, "Backlog", again.contentType(), again.payloads(), 2, again.context(), RECEIVED, null));
        assertEquals(
                "pending",
                Answer.of(() -> inbox.retry("Backlog", "5")).json().get("state").asText());
    }

    @Test
    void aWaitingEntryCannotBeRetriedOrDeleted409() {
        Answer.of(() -> inbox.retry("Backlog", "6"))
                .assertError(
                        409,
                        "inbox_entry_pending",
                        null,
                        "inbox entry 6 is waiting to be drained, not set aside; only an entry set aside can be retried or deleted");
        Answer.of(() -> inbox.delete("Backlog", "6"))
                .assertError(
                        409,
                        "inbox_entry_pending",
                        null,
                        "inbox entry 6 is waiting to be drained, not set aside; only an entry set aside can be retried or deleted");
        assertTrue(capture.inbox.containsKey(6L));
    }

    @Test
    void deletingASetAsideEntryIs204() {
        Answer a = Answer.of(() -> inbox.delete("Backlog", "5"));
        assertEquals(204, a.status());
        assertEquals(0, a.bytes().length);
        assertTrue(!capture.inbox.containsKey(5L));
    }
}
