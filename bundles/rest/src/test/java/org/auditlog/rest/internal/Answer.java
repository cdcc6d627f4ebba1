package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.capture.UnknownProductException;
import org.auditlog.api.store.AuditUnavailableException;
import org.auditlog.api.store.StoreException;

/**
 * What a client receives from a resource method: its status, headers and body. A refusal goes through the exception
 * mapper ApiServlet registers for it (the one for the nearest superclass, as Jersey picks it); the entity is
 * written by {@link JsonWriter}, or streamed as it is for a file.
 */
record Answer(int status, Response response, byte[] bytes) {

    /** A call of a resource method. */
    interface Call {
        Object run() throws Exception;
    }

    static Answer of(Call call) {
        Response r;
        try {
            Object result = call.run();
            r = result instanceof Response response
                    ? response
                    : Response.ok(result).build();
        } catch (Exception e) {
            r = mapped(e);
        }
        return new Answer(r.getStatus(), r, entity(r.getEntity()));
    }

    /** The answer ApiServlet's exception mappers give to a failure. */
    static Response mapped(Exception e) {
        if (e instanceof ApiException x) {
            return new ErrorMappers.Api().toResponse(x);
        }
        if (e instanceof AuditUnavailableException x) {
            return new ErrorMappers.Unaudited().toResponse(x);
        }
        if (e instanceof StoreException x) {
            return new ErrorMappers.Store().toResponse(x);
        }
        if (e instanceof PolicyException x) {
            return new ErrorMappers.Policy().toResponse(x);
        }
        if (e instanceof WebApplicationException x) {
            return new ErrorMappers.Web().toResponse(x);
        }
        if (e instanceof PayloadRejectedException x) {
            return new ErrorMappers.Rejected().toResponse(x);
        }
        if (e instanceof UnknownProductException x) {
            return new ErrorMappers.UnknownProduct().toResponse(x);
        }
        if (e instanceof RuntimeException x) {
            return new ErrorMappers.Unexpected().toResponse(x);
        }
        throw new AssertionError("no mapper answers " + e, e);
    }

    private static byte[] entity(Object entity) {
        if (entity == null) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (entity instanceof StreamingOutput s) {
                s.write(out);
            } else {
                JsonWriter w = new JsonWriter();
                if (!w.isWriteable(
                        entity.getClass(), entity.getClass(), new Annotation[0], MediaType.APPLICATION_JSON_TYPE)) {
                    throw new AssertionError("JsonWriter does not write " + entity.getClass());
                }
                w.writeTo(
                        entity,
                        entity.getClass(),
                        entity.getClass(),
                        new Annotation[0],
                        MediaType.APPLICATION_JSON_TYPE,
                        new MultivaluedHashMap<>(),
                        out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The body as JSON. */
    JsonNode json() {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    String header(String name) {
        Object v = response.getHeaders().getFirst(name);
        return v == null ? null : v.toString();
    }

    String type() {
        return response.getMediaType() == null ? null : response.getMediaType().toString();
    }

    /**
     * Asserts the JSON error body {@code {"error","field","detail"}} (exactly those three fields, a null field
     * written as null) with this status; returns the detail for further checks.
     */
    String assertError(int expectedStatus, String error, String field) {
        JsonNode b = json();
        assertEquals(expectedStatus, status, () -> "status; body " + text());
        assertEquals(MediaType.APPLICATION_JSON, type(), "an error is JSON");
        assertEquals(3, b.size(), () -> "error body fields: " + text());
        assertEquals(error, b.path("error").asText(null), () -> "error; body " + text());
        assertEquals(field == null, b.get("field").isNull(), () -> "field; body " + text());
        if (field != null) {
            assertEquals(field, b.get("field").asText(), () -> "field; body " + text());
        }
        return b.get("detail").asText();
    }

    /** {@link #assertError} and the exact detail. */
    void assertError(int expectedStatus, String error, String field, String detail) {
        assertEquals(detail, assertError(expectedStatus, error, field), () -> "detail; body " + text());
    }
}
