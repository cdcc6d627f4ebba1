package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedMap;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.UnknownProductException;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.StoreException;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/products/{product}/events}: the README's "Sending events" and its error table. */
class IngestResourceTest {
    static final String V1 = EventCapture.CANONICAL_MEDIA_TYPE;

    final FakeCapture capture = new FakeCapture();
    final IngestResource resource =
            new IngestResource(capture, Components.limits("maxBodyBytes", 1024, "maxEventsPerRequest", 3));

    /** Request headers as JAX-RS gives them: names case-insensitive; the media type from Content-Type. */
    static final class Headers implements HttpHeaders {
        final Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        MediaType type;

        Headers(MediaType type) {
            this.type = type;
        }

        Headers with(String name, String value) {
            values.put(name, value);
            return this;
        }

        @Override
        public String getHeaderString(String name) {
            return values.get(name);
        }

        @Override
        public MediaType getMediaType() {
            return type;
        }

        @Override
        public List<String> getRequestHeader(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MultivaluedMap<String, String> getRequestHeaders() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<MediaType> getAcceptableMediaTypes() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Locale> getAcceptableLanguages() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Locale getLanguage() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Cookie> getCookies() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Date getDate() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int getLength() {
            throw new UnsupportedOperationException();
        }
    }

    static Headers json() {
        return new Headers(MediaType.APPLICATION_JSON_TYPE);
    }

    Answer post(Headers headers, String body) {
        return post(headers, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    Answer post(Headers headers, InputStream body) {
        FakeRequest r = FakeRequest.post("v1/products/Backlog/events").caller(Fixtures.member(Fixtures.BACKLOG_INGEST));
        return Answer.of(() -> resource.ingest("Backlog", headers, r, body));
    }

    @Test
    void oneEventIsStored201WithItsIdAsAString() {
        Answer a = post(json(), "{\"id\":1}");
        assertEquals(201, a.status());
        JsonNode b = a.json();
        assertEquals(List.of("count", "ids"), EventsResourceTest.names(b));
        assertEquals(1, b.get("count").asInt());
        assertEquals("1001", b.get("ids").get(0).asText());
        assertTrue(b.get("ids").get(0).isTextual());
        assertEquals("Backlog", capture.ingestedProduct);
        assertEquals(
                List.of(new NativePayload("application/json", Map.of("id", 1), NativePayload.SINGLE)),
                capture.ingested);
    }

    @Test
    void anArrayIsOnePayloadPerElementInOrder() {
        Answer a = post(new Headers(MediaType.valueOf(V1 + "; charset=UTF-8")), "[{\"a\":1},{\"b\":2}]");
        assertEquals(201, a.status());
        assertEquals(2, a.json().get("count").asInt());
        assertEquals("[\"1001\",\"1002\"]", a.json().get("ids").toString());
        assertEquals(
                List.of(new NativePayload(V1, Map.of("a", 1), 0), new NativePayload(V1, Map.of("b", 2), 1)),
                capture.ingested,
                "the media type without its parameters");
    }

    @Test
    void withoutItsAdapterTheEventsAreQueued202() {
        capture.queue = true;
        Answer a = post(json(), "[{},{}]");
        assertEquals(202, a.status());
        JsonNode b = a.json();
        assertEquals(List.of("count", "queued", "detail"), EventsResourceTest.names(b));
        assertEquals(2, b.get("count").asInt());
        assertTrue(b.get("queued").asBoolean());
        assertEquals(
                "the Backlog adapter is not installed right now; the events are kept and will be stored when it "
                        + "returns",
                b.get("detail").asText());
    }

    @Test
    void theForwardedClientHeadersAndTheTokensOrganizationMakeTheContext() {
        post(
                json().with("X-Auditlog-Client-Ip", " 203.0.113.5 ").with("x-auditlog-client-user-agent", "Agent/1"),
                "{}");
        assertEquals(new IngestContext(null, "203.0.113.5", "Agent/1"), capture.ingestContext);
        post(json().with("X-Auditlog-Client-Ip", "  ").with("X-Auditlog-Client-User-Agent", ""), "{}");
        assertEquals(new IngestContext(null, null, null), capture.ingestContext, "blank headers are absent");

        FakeRequest bound =
                FakeRequest.post("v1/products/Apps/events").caller(Fixtures.member(Fixtures.APPS_INGEST_ACME));
        Answer.of(() -> resource.ingest("Apps", json(), bound, new ByteArrayInputStream("{}".getBytes())));
        assertEquals("ACME", capture.ingestContext.spaceKey());
    }

    @Test
    void aBodyWithoutContentTypeIs415NamingTheHeader() {
        post(new Headers(null), "{}")
                .assertError(
                        415,
                        "unsupported_media_type",
                        "Content-Type",
                        "send the body with Content-Type: application/json or application/vnd.auditlog.v1+json");
        assertNull(capture.ingested);
    }

    @Test
    void aBodyOverTheLimitWithoutALengthIs413Too() {
        // the gate bounds the body before it is read (RequestGateTest); the resource bounds it again
        post(json(), "[" + "{},".repeat(400) + "{}]")
                .assertError(
                        413,
                        "body_too_large",
                        null,
                        "the body is larger than 1024 bytes, the most this request may carry");
        String exactly = "\"" + "x".repeat(1022) + "\"";
        assertEquals(1024, exactly.length());
        post(json(), exactly).assertError(400, "invalid_field", null, "the body must be a JSON object or array");
    }

    @Test
    void anEmptyBodyIs400() {
        post(json(), "").assertError(400, "invalid_field", null, "the body is empty; send a JSON object or array");
    }

    @Test
    void malformedJsonIs400WithLineAndColumn() {
        String detail = post(json(), "{\n  \"a\": 1,\n  \"b\": }").assertError(400, "malformed_json", null);
        assertTrue(detail.startsWith("the body is not valid JSON at line 3, column 8: "), detail);
        assertTrue(
                post(json(), "{\"a\":1,\"a\":2}")
                        .assertError(400, "malformed_json", null)
                        .contains("Duplicate field 'a'"),
                "a field twice is refused, not one of them dropped");
        assertTrue(
                post(json(), "{} {}").assertError(400, "malformed_json", null).startsWith("the body is not valid JSON"),
                "trailing content");
        assertNull(capture.ingested);
    }

    @Test
    void aBodyThatIsNeitherObjectNorArrayIs400() {
        for (String body : List.of("42", "\"event\"", "null", "true")) {
            post(json(), body).assertError(400, "invalid_field", null, "the body must be a JSON object or array");
        }
    }

    @Test
    void anEmptyArrayIs400() {
        post(json(), "[]").assertError(400, "invalid_field", null, "the array holds no events");
    }

    @Test
    void moreEventsThanTheLimitIs413TooManyEvents() {
        post(json(), "[{},{},{},{}]")
                .assertError(413, "too_many_events", null, "a request may carry at most 3 events; this one carries 4");
        assertNull(capture.ingested);
        assertEquals(201, post(json(), "[{},{},{}]").status());
    }

    @Test
    void aRefusedEventIs400NamingItsPlaceInTheArray() {
        capture.ingestFailure =
                new PayloadRejectedException("date", "must be an ISO-8601 date-time with an offset").under("[1]");
        post(json(), "[{},{}]")
                .assertError(400, "invalid_field", "[1].date", "[1].date must be an ISO-8601 date-time with an offset");
        capture.ingestFailure = new PayloadRejectedException(null, "the product's adapter refused the payload");
        post(json(), "{}").assertError(400, "invalid_field", null, "the product's adapter refused the payload");
    }

    @Test
    void aProductTheServerNeverHadIs404() {
        capture.ingestFailure = new UnknownProductException("Backlog");
        post(json(), "{}")
                .assertError(
                        404, "unknown_product", "product", "the server has never had an adapter for product 'Backlog'");
    }

    @Test
    void eventsOfAnOrganizationThatDoesNotRecordAre409WithTheRule() {
        capture.ingestFailure = new PolicyException(
                PolicyException.Kind.CONFLICT, "plan_not_activated", "space_key", "the plan of ACME has not started");
        post(json(), "{}").assertError(409, "plan_not_activated", "space_key", "the plan of ACME has not started");
    }

    @Test
    void recordsTheDatabaseRefusesAre400AndAStoreThatIsDownIs503WithoutTheDatabasesWords() {
        capture.ingestFailure = new DataRefusedException(
                "ERROR: value too long for type character varying(64) in "
                        + "audit_event_2026_11 at db.internal.example:5432",
                null);
        Answer refused = post(json(), "{}");
        assertEquals(400, refused.status());
        assertEquals("refused_by_store", refused.json().get("error").asText());
        assertTrue(
                refused.json()
                        .get("detail")
                        .asText()
                        .matches("the store refused the records as data; sending "
                                + "them again will not help \\(incident [0-9a-f]{12}\\)"),
                refused.text());
        capture.ingestFailure = new StoreException(
                "Connection to db.internal.example:5432 refused; file " + "/var/lib/auditlog/data/db.lck", null);
        Answer a = post(json(), "{}");
        assertEquals(503, a.status());
        assertEquals("store_unavailable", a.json().get("error").asText());
        assertTrue(
                a.json()
                        .get("detail")
                        .asText()
                        .matches("the records were not stored: the store cannot write "
                                + "now; retry later \\(incident [0-9a-f]{12}\\)"),
                a.text());
        assertEquals("5", a.header("Retry-After"));
    }
}
