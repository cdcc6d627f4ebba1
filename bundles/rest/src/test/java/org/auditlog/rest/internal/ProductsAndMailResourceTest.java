package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.auditlog.api.mail.MailStatus;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/products}, {@code …/{product}} and the operator's {@code GET /api/v1/admin/mail}. */
class ProductsAndMailResourceTest {
    final FakeCapture capture = new FakeCapture();
    final ProductsResource products = new ProductsResource(capture);

    @Test
    void everyKnownProductIsListedWithItsAdapterCatalogAndInbox() {
        Answer a = Answer.of(products::list);
        assertEquals(200, a.status());
        JsonNode list = a.json().get("products");
        assertEquals(3, list.size());
        JsonNode backlog = list.get(1);
        assertEquals(List.of("product", "adapter", "catalog", "inbox"), EventsResourceTest.names(backlog));
        assertEquals("Backlog", backlog.get("product").asText());
        assertEquals(
                "org.auditlog.product.backlog",
                backlog.get("adapter").get("bundle").asText());
        assertEquals("1.0.1", backlog.get("adapter").get("version").asText());
        assertEquals(
                "[\"Add an issue\",\"Update an issue\"]",
                backlog.get("catalog").get("Issue").toString());
        assertEquals(0, backlog.get("inbox").get("pending").asLong());
        assertEquals(1, backlog.get("inbox").get("failed").asLong());
    }

    @Test
    void aProductWhoseAdapterIsGoneShowsNullsAndItsWaitingEvents() {
        JsonNode cacoo = Answer.of(() -> products.one("Cacoo")).json();
        assertTrue(cacoo.get("adapter").isNull());
        assertTrue(cacoo.get("catalog").isNull());
        assertEquals(4, cacoo.get("inbox").get("pending").asLong());
    }

    @Test
    void aProductTheServerNeverHadIs404() {
        Answer.of(() -> products.one("Typetalk"))
                .assertError(
                        404,
                        "unknown_product",
                        "product",
                        "the server has never had an adapter for product 'Typetalk'");
        Answer.of(() -> products.one("backlog"))
                .assertError(
                        404, "unknown_product", "product", "the server has never had an adapter for product 'backlog'");
    }

    @Test
    void theOutboxShowsPendingAndFailedMails() {
        FakeMail mail = new FakeMail();
        Instant queued = Instant.parse("2026-11-20T09:00:00Z");
        mail.pending.add(new MailStatus(
                "export-7",
                "ann@acme.example",
                "Your export is ready",
                MailStatus.State.PENDING,
                queued,
                null,
                3,
                Instant.parse("2026-11-20T10:04:00Z"),
                "421 try later"));
        mail.failed.add(new MailStatus(
                "monthly-202610-ACME-u2",
                "bob@acme.example",
                "Audit logs of 2026-10",
                MailStatus.State.FAILED,
                queued,
                null,
                1,
                null,
                "550 no such user"));
        mail.nextDue = Instant.parse("2026-11-20T10:04:00Z");
        Answer a = Answer.of(() -> new MailAdminResource(mail).outbox());
        assertEquals(200, a.status());
        JsonNode b = a.json();
        assertEquals(
                List.of("pending", "nextAttempt", "oldest", "failed", "latestFailed"), EventsResourceTest.names(b));
        assertEquals(1, b.get("pending").asLong());
        assertEquals("2026-11-20T10:04:00.000Z", b.get("nextAttempt").asText());
        JsonNode oldest = b.get("oldest").get(0);
        assertEquals(
                List.of("key", "to", "subject", "queued", "attempts", "nextAttempt", "lastError"),
                EventsResourceTest.names(oldest));
        assertEquals("export-7", oldest.get("key").asText());
        assertEquals(3, oldest.get("attempts").asInt());
        assertEquals("421 try later", oldest.get("lastError").asText());
        assertEquals(1, b.get("failed").asLong());
        JsonNode failed = b.get("latestFailed").get(0);
        assertTrue(failed.get("nextAttempt").isNull(), "not tried again");
        assertEquals("550 no such user", failed.get("lastError").asText());
        assertEquals(List.of(50, 50), mail.asked, "at most 50 of each");
    }

    @Test
    void anEmptyOutboxHasNoNextAttempt() {
        JsonNode b =
                Answer.of(() -> new MailAdminResource(new FakeMail()).outbox()).json();
        assertEquals(0, b.get("pending").asLong());
        assertTrue(b.get("nextAttempt").isNull());
        assertEquals(0, b.get("oldest").size());
    }
}
