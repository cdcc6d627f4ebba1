package org.auditlog.rest.internal;

import java.math.BigInteger;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.ws.rs.core.Response;
import org.auditlog.api.adapter.CanonicalRecords;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.SettingsRefusedException;
import org.auditlog.api.stream.StreamConflictException;
import org.auditlog.api.stream.StreamRequest;
import org.auditlog.api.stream.StreamService;
import org.auditlog.api.stream.StreamView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the two stream resources share ({@link StreamsResource} for an organization's streams,
 * {@link StreamsAdminResource} for the server-wide ones): reading the bodies, the JSON of a stream and of a test
 * delivery, the refusals of the {@link StreamService}, and the action text of a stream's records. A stream's JSON
 * and every text made here name its destination's type and settings and the names of its secrets, never a secret's
 * value (a {@link StreamView} has none).
 */
final class Streams {
    private static final Logger LOG = LoggerFactory.getLogger(Streams.class);

    // the events of a stream's records in its organization's log, in the category SelfAudit.CATEGORY
    static final String CREATE = "Create a stream";
    static final String CHANGE = "Change a stream";
    static final String PAUSE = "Pause a stream";
    static final String RESUME = "Resume a stream";
    static final String REPLAY = "Replay a stream";
    static final String TEST = "Test a stream";
    static final String DELETE = "Delete a stream";

    private static final List<String> FIELDS = List.of("name", "destination", "products", "categories");
    private static final String DESTINATION_EXAMPLE = "{\"type\":\"webhook\",\"url\":\"https://siem.example/in\"}";

    private Streams() {}

    /** Where the changes of one caller's streams are recorded. */
    interface Journal {
        /**
         * Records an action about to be done (or just done and undone if this throws).
         *
         * @throws org.auditlog.api.store.AuditUnavailableException when it cannot: the action must not be done
         */
        void before(String event, String action);

        /** Records an action done that cannot be undone; throws when it cannot, saying it was done. */
        void after(String event, String action);
    }

    /**
     * The calls on the streams of one organization, or the server-wide ones ({@code spaceKey} {@code null}), for
     * a caller allowed to make them: {@code by} names the caller for a pause, {@code base} is the path of the
     * streams, {@code journal} where their changes are recorded.
     */
    record Calls(StreamService service, String spaceKey, String base, String by, Journal journal) {
        private String where() {
            return spaceKey == null ? "among the server-wide streams" : "in this organization";
        }

        private StreamView find(String id) {
            return found(service.find(spaceKey, id), id, where());
        }

        Response create(String body) {
            StreamRequest asked = Streams.request(body);
            StreamView created;
            try {
                created = service.create(spaceKey, asked);
            } catch (SettingsRefusedException e) {
                throw refused(e);
            }
            try {
                journal.before(CREATE, named(created) + " was created");
            } catch (RuntimeException e) {
                // a stream never stands without its record: it goes again, and the request is refused
                try {
                    service.delete(spaceKey, created.id());
                } catch (RuntimeException undo) {
                    LOG.error(
                            "The stream {} of {} was created but not recorded, and stays",
                            created.id(),
                            spaceKey,
                            undo);
                    e.addSuppressed(undo);
                }
                throw e;
            }
            return Response.status(201)
                    .location(URI.create(base + "/" + created.id()))
                    .entity(view(created))
                    .build();
        }

        Map<String, Object> list() {
            return Map.of(
                    "streams",
                    service.list(spaceKey).stream().map(Streams::view).toList());
        }

        Map<String, Object> get(String id) {
            return view(find(id));
        }

        Map<String, Object> update(String id, String body) {
            StreamRequest asked = Streams.request(body);
            StreamView before = find(id);
            StreamView after;
            try {
                after = found(service.update(spaceKey, id, asked), id, where());
            } catch (SettingsRefusedException e) {
                throw refused(e);
            }
            journal.after(CHANGE, changed(before, after));
            return view(after);
        }

        Response delete(String id) {
            StreamView s = find(id);
            journal.before(DELETE, named(s) + " was deleted");
            if (!service.delete(spaceKey, id)) {
                throw ApiException.notFound("no stream " + id + " " + where());
            }
            return Response.noContent().build();
        }

        Map<String, Object> pause(String id) {
            StreamView s = find(id);
            journal.before(PAUSE, named(s) + " was paused");
            return view(found(service.pause(spaceKey, id, by), id, where()));
        }

        Map<String, Object> resume(String id) {
            StreamView s = find(id);
            journal.before(RESUME, named(s) + " was resumed");
            return view(found(service.resume(spaceKey, id), id, where()));
        }

        Map<String, Object> test(String id) {
            StreamView s = find(id);
            journal.before(TEST, named(s) + " was sent a test event");
            return delivery(found(service.test(spaceKey, id), id, where()));
        }

        Map<String, Object> replay(String id, String body) {
            Replay asked = Streams.replay(body);
            StreamView after;
            try {
                after = found(service.replay(spaceKey, id, asked.from(), asked.sequences()), id, where());
            } catch (SettingsRefusedException e) {
                throw refused(e);
            }
            journal.after(REPLAY, named(after) + " was set to deliver again " + asked.describe());
            return view(after);
        }
    }

    /** The service, or 503 {@code streams_unavailable} while no streams bundle provides one. */
    static StreamService available(StreamService service) {
        if (service == null) {
            throw new ApiException(
                    503,
                    "streams_unavailable",
                    null,
                    "streams are not available: the streams bundle is not running on this server");
        }
        return service;
    }

    /** A stream's body ({@code POST …/streams}, {@code PUT …/streams/{id}}), its members' types checked. */
    static StreamRequest request(String body) {
        Map<?, ?> b = Requests.object(body, FIELDS);
        String name = TokensResource.string(b, "name");
        if (name == null) {
            throw ApiException.badRequest("name", "is required");
        }
        Object d = b.get("destination");
        if (d == null) {
            throw ApiException.badRequest("destination", "is required, e.g. " + DESTINATION_EXAMPLE);
        }
        if (!(d instanceof Map<?, ?> given)) {
            throw ApiException.badRequest("destination", "must be a JSON object, e.g. " + DESTINATION_EXAMPLE);
        }
        Object type = given.get("type");
        if (type == null) {
            throw ApiException.badRequest("destination.type", "is required");
        }
        if (!(type instanceof String t) || t.isBlank()) {
            throw ApiException.badRequest("destination.type", "must be a non-empty string");
        }
        Map<String, Object> destination = new LinkedHashMap<>();
        given.forEach((k, v) -> destination.put((String) k, v)); // a JSON object's names are strings
        return new StreamRequest(name, destination, strings(b, "products"), strings(b, "categories"));
    }

    /** An optional array of non-empty strings; absent or {@code null} is empty. */
    private static List<String> strings(Map<?, ?> b, String field) {
        Object v = b.get(field);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw ApiException.badRequest(field, "must be an array of strings (empty for all)");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s) || s.isBlank()) {
                throw ApiException.badRequest(field + "[" + i + "]", "must be a non-empty string");
            }
            out.add(s);
        }
        return out;
    }

    /** Where a replay starts: {@code from} an instant, or at the {@code sequences} given per product. */
    record Replay(Instant from, Map<String, Long> sequences) {
        /** How the stream's record tells it. */
        String describe() {
            if (from != null) {
                return "from " + Json.date(from);
            }
            List<String> each = new ArrayList<>();
            sequences.forEach((product, n) -> each.add(n + " of " + product));
            return "from the sequences " + String.join(", ", each);
        }
    }

    /** A replay's body: exactly one of {@code from} and {@code sequences}. */
    static Replay replay(String body) {
        Map<?, ?> b = Requests.object(body, List.of("from", "sequences"));
        Object from = b.get("from");
        Object sequences = b.get("sequences");
        if (from != null && sequences != null) {
            throw ApiException.badRequest("sequences", "give from or sequences, not both");
        }
        if (from == null && sequences == null) {
            throw ApiException.badRequest(
                    "from",
                    "is required, or sequences instead: {\"from\":\"2026-11-01T00:00:00Z\"} or "
                            + "{\"sequences\":{\"Backlog\":1200}}");
        }
        if (from != null) {
            String rule = "must be an ISO-8601 date-time with an offset, e.g. 2026-11-01T00:00:00Z";
            if (!(from instanceof String text)) {
                throw ApiException.badRequest("from", rule);
            }
            try {
                return new Replay(CanonicalRecords.parseDate("from", text), null);
            } catch (PayloadRejectedException e) {
                throw ApiException.badRequest("from", rule);
            }
        }
        if (!(sequences instanceof Map<?, ?> given) || given.isEmpty()) {
            throw ApiException.badRequest(
                    "sequences",
                    "must be a JSON object of the sequence to start from per product, e.g. {\"Backlog\":1200}");
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : given.entrySet()) {
            String product = (String) e.getKey();
            String field = "sequences." + product;
            if (product.isBlank()) {
                throw ApiException.badRequest("sequences", "a product's name must not be empty");
            }
            Object n = e.getValue();
            long value;
            if (n instanceof Integer i) {
                value = i;
            } else if (n instanceof Long l) {
                value = l;
            } else if (n instanceof BigInteger) {
                throw ApiException.badRequest(field, "must be a whole number from 0 to " + Long.MAX_VALUE);
            } else {
                throw ApiException.badRequest(field, "must be a whole number, 0 or more");
            }
            if (value < 0) {
                throw ApiException.badRequest(field, "must be a whole number, 0 or more");
            }
            out.put(product, value);
        }
        return new Replay(null, out);
    }

    /**
     * A refusal of the service as the client sees it: 409 {@code stream_exists} for a name taken, else 400
     * {@code invalid_field} naming the member and the rule.
     */
    static ApiException refused(SettingsRefusedException e) {
        if (e instanceof StreamConflictException) {
            return new ApiException(409, "stream_exists", e.field(), e.rule());
        }
        return ApiException.badRequest(e.field(), e.rule());
    }

    /** The stream, or 404 {@code not_found}. */
    static <T> T found(Optional<T> stream, String id, String where) {
        return stream.orElseThrow(() -> ApiException.notFound("no stream " + id + " " + where));
    }

    /** How a stream's record names it: its name and its destination's type, never a setting nor a secret. */
    static String named(StreamView s) {
        return "The stream '" + s.name() + "' (" + s.type() + ")";
    }

    /** A change's record: the stream as it was and, when its name or type changed, as it is. */
    static String changed(StreamView before, StreamView after) {
        boolean renamed = !before.name().equals(after.name()) || !before.type().equals(after.type());
        return named(before) + " was changed" + (renamed ? ": now '" + after.name() + "' (" + after.type() + ")" : "");
    }

    /** A stream as JSON. */
    static Map<String, Object> view(StreamView s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("organization", s.spaceKey());
        m.put("name", s.name());
        Map<String, Object> destination = new LinkedHashMap<>();
        destination.put("type", s.type());
        new TreeMap<>(s.settings()).forEach(destination::putIfAbsent); // the type's own name stays
        destination.put("secrets", List.copyOf(new TreeSet<>(s.secrets())));
        m.put("destination", destination);
        m.put("products", s.products());
        m.put("categories", s.categories());
        m.put("state", s.state());
        m.put("pausedBy", s.pausedBy());
        m.put("created", Json.date(s.created()));
        m.put("updated", Json.date(s.updated()));
        m.put("logs", s.logs().stream().map(Streams::place).toList());
        return m;
    }

    private static Map<String, Object> place(StreamView.LogPlace p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("organization", p.spaceKey());
        m.put("product", p.product());
        m.put("delivered", p.delivered());
        m.put("backlog", p.backlog());
        m.put("lagMillis", p.lagMillis());
        m.put("lastSuccess", Json.date(p.lastSuccess()));
        Map<String, Object> error = null;
        if (p.lastError() != null) {
            error = new LinkedHashMap<>();
            error.put("at", Json.date(p.lastError()));
            error.put("category", p.errorCategory());
            error.put("message", p.errorMessage());
        }
        m.put("lastError", error);
        m.put("failingSince", Json.date(p.failingSince()));
        Map<String, Object> gap = null;
        if (p.gapFrom() >= 0) {
            gap = new LinkedHashMap<>();
            gap.put("from", p.gapFrom());
            gap.put("to", p.gapTo());
        }
        m.put("gap", gap);
        return m;
    }

    /** A test delivery's outcome as JSON; the wait a destination asked for in whole seconds, rounded up. */
    static Map<String, Object> delivery(Delivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcome", d.outcome().name().toLowerCase(Locale.ROOT));
        m.put("category", d.category());
        m.put("message", d.message());
        m.put(
                "retryAfterSeconds",
                d.retryAfter() == null ? null : (d.retryAfter().toMillis() + 999) / 1000);
        return m;
    }
}
