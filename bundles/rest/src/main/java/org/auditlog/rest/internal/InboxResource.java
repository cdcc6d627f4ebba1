package org.auditlog.rest.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.UnknownProductException;
import org.auditlog.api.store.InboxEntry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /api/v1/admin/products/{product}/inbox}: the operator's view of a product's inbox entries that were set
 * aside (refused by the adapter, the V1 rules, the organization's plan or the store itself), to read, retry or
 * delete them. Waiting entries are drained by the server and can only be read here.
 */
@Path("v1/admin/products/{product}/inbox")
@Produces(MediaType.APPLICATION_JSON)
@Component(service = ApiResource.class)
@Access(Access.Who.OPERATOR)
public final class InboxResource implements ApiResource {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final EventCapture capture;

    @Activate
    public InboxResource(@Reference EventCapture capture) {
        this.capture = capture;
    }

    @GET
    public Map<String, Object> failed(@PathParam("product") String product, @QueryParam("limit") String limit)
            throws UnknownProductException {
        List<InboxEntry> entries = capture.failedInboxEntries(product, limit(limit));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("product", product);
        m.put("entries", entries.stream().map(InboxResource::summary).toList());
        return m;
    }

    @GET
    @Path("{id}")
    public Map<String, Object> one(@PathParam("product") String product, @PathParam("id") String id)
            throws UnknownProductException {
        InboxEntry entry = capture.inboxEntry(product, id(product, id)).orElseThrow(() -> notFound(product, id));
        Map<String, Object> m = summary(entry);
        m.put("spaceKey", entry.context().spaceKey());
        m.put("clientIp", entry.context().clientIp());
        m.put("clientUserAgent", entry.context().clientUserAgent());
        try {
            m.put("payloads", Json.MAPPER.readTree(entry.payloads()));
        } catch (IOException e) {
            m.put("payloads", entry.payloads()); // kept as received; shown as the text it is
        }
        return m;
    }

    @POST
    @Path("{id}/retry")
    public Map<String, Object> retry(@PathParam("product") String product, @PathParam("id") String id)
            throws UnknownProductException {
        long entryId = id(product, id);
        Optional<InboxEntry> after;
        try {
            after = capture.retryInboxEntry(product, entryId);
        } catch (NoSuchElementException e) {
            throw notFound(product, id);
        } catch (IllegalStateException e) {
            throw waiting(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", Long.toString(entryId));
        m.put("state", after.map(InboxResource::state).orElse("stored"));
        m.put("failure", after.map(InboxEntry::failure).orElse(null));
        return m;
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("product") String product, @PathParam("id") String id)
            throws UnknownProductException {
        try {
            capture.deleteInboxEntry(product, id(product, id));
        } catch (NoSuchElementException e) {
            throw notFound(product, id);
        } catch (IllegalStateException e) {
            throw waiting(e);
        }
        return Response.noContent().build();
    }

    static Map<String, Object> summary(InboxEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", Long.toString(e.id()));
        m.put("product", e.product());
        m.put("state", state(e));
        m.put("received", Json.date(e.received()));
        m.put("events", e.events());
        m.put("contentType", e.contentType());
        m.put("failure", e.failure());
        return m;
    }

    private static String state(InboxEntry e) {
        return e.failure() == null ? "pending" : "failed";
    }

    private static long id(String product, String id) {
        try {
            long n = Long.parseLong(id);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered as any unknown id
        }
        throw notFound(product, id);
    }

    private static ApiException notFound(String product, String id) {
        return ApiException.notFound("no inbox entry " + id + " of " + product);
    }

    private static ApiException waiting(IllegalStateException e) {
        return new ApiException(
                409,
                "inbox_entry_pending",
                null,
                e.getMessage() + "; only an entry set aside can be retried or deleted");
    }

    /** As the events' {@code limit}: digits only (no spaces), 1 to {@value #MAX_LIMIT}; absent or empty: the default. */
    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }
}
