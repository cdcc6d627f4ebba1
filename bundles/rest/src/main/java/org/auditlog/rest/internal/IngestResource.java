package org.auditlog.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.IngestResult;
import org.auditlog.api.capture.UnknownProductException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/products/{product}/events}: one event (a JSON object) or several (a JSON array),
 * answered 201 with the ids once the records are durably committed, or 202 when the product's adapter is
 * absent and the events were durably put in the inbox.
 */
@Path("v1/products/{product}/events")
@Component(service = ApiResource.class)
@Access(Access.Who.INGEST_TOKEN)
public final class IngestResource implements ApiResource {
    /** Header carrying the acting user's IP address, as the product saw it. */
    static final String CLIENT_IP = "X-Auditlog-Client-Ip";
    /** Header carrying the acting user's user agent, as the product saw it. */
    static final String CLIENT_USER_AGENT = "X-Auditlog-Client-User-Agent";

    private static final Logger LOG = LoggerFactory.getLogger(IngestResource.class);

    private final EventCapture capture;
    private final RestLimits limits;

    @Activate
    public IngestResource(@Reference EventCapture capture, @Reference RestLimits limits) {
        this.capture = capture;
        this.limits = limits;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, EventCapture.CANONICAL_MEDIA_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response ingest(
            @PathParam("product") String product,
            @Context HttpHeaders headers,
            @Context ContainerRequestContext request,
            InputStream body)
            throws IOException, UnknownProductException, PayloadRejectedException {
        // A refusal is logged (the product's integration is broken and nobody may be watching its answers);
        // everything of the request in the line is escaped.
        try {
            return accept(product, headers, request, body);
        } catch (ApiException e) {
            LOG.info("Events for {} refused ({}): {}", product, e.status(), e.getMessage());
            throw e;
        } catch (PayloadRejectedException | UnknownProductException | PolicyException e) {
            LOG.info("Events for {} refused: {}", product, e.getMessage());
            throw e;
        }
    }

    private Response accept(String product, HttpHeaders headers, ContainerRequestContext request, InputStream body)
            throws IOException, UnknownProductException, PayloadRejectedException {
        MediaType type = headers.getMediaType();
        if (type == null) {
            // JAX-RS matches a request without Content-Type to any @Consumes: refuse it here, as any other type
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    HttpHeaders.CONTENT_TYPE,
                    "send the body with " + "Content-Type: " + MediaType.APPLICATION_JSON + " or "
                            + EventCapture.CANONICAL_MEDIA_TYPE);
        }
        byte[] bytes = readLimited(body);
        Object json = parse(bytes);
        String contentType = type.getType() + "/" + type.getSubtype();
        List<NativePayload> payloads = new ArrayList<>();
        if (json instanceof List<?> list) {
            if (list.isEmpty()) {
                throw ApiException.badRequest(null, "the array holds no events");
            }
            if (list.size() > limits.maxEventsPerRequest()) {
                throw new ApiException(
                        413,
                        "too_many_events",
                        null,
                        "a request may carry at most " + limits.maxEventsPerRequest() + " events; this one carries "
                                + list.size());
            }
            for (int i = 0; i < list.size(); i++) {
                payloads.add(new NativePayload(contentType, list.get(i), i));
            }
        } else {
            payloads.add(new NativePayload(contentType, json, NativePayload.SINGLE));
        }
        IngestContext context = new IngestContext(
                ((Caller) request.getProperty(Caller.PROPERTY)).grant().spaceKey(),
                emptyToNull(headers.getHeaderString(CLIENT_IP)),
                emptyToNull(headers.getHeaderString(CLIENT_USER_AGENT)));
        IngestResult result = capture.ingest(product, payloads, context);
        Map<String, Object> answer = new LinkedHashMap<>();
        if (result.isQueued()) {
            answer.put("count", result.queued());
            answer.put("queued", true);
            answer.put(
                    "detail",
                    "the " + product + " adapter is not installed right now; the events are kept "
                            + "and will be stored when it returns");
            return Response.status(202).entity(answer).build();
        }
        List<AuditRecord> stored = result.records();
        answer.put("count", stored.size());
        answer.put("ids", stored.stream().map(r -> Long.toString(r.id())).toList());
        return Response.status(201).entity(answer).build();
    }

    /** The body, which {@link RequestGate} bounded and read already; bounded again here all the same. */
    private byte[] readLimited(InputStream body) throws IOException {
        int max = limits.maxBodyBytes();
        byte[] bytes = body.readNBytes(max + 1);
        if (bytes.length > max) {
            throw RequestGate.tooLarge(max);
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest(null, "the body is empty; send a JSON object or array");
        }
        return bytes;
    }

    private static Object parse(byte[] bytes) {
        try {
            Object json = Json.MAPPER.readValue(bytes, Object.class);
            if (!(json instanceof Map) && !(json instanceof List)) {
                throw ApiException.badRequest(null, "the body must be a JSON object or array");
            }
            return json;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new ApiException(
                    400, "malformed_json", null, "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json", null, "the body could not be read: " + e.getMessage());
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
