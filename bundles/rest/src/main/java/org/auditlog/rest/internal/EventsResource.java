package org.auditlog.rest.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.adapter.CanonicalRecords;
import org.auditlog.api.adapter.Column;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.EventCursor;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.Facets;
import org.auditlog.api.store.Histogram;
import org.auditlog.api.store.SearchClause;
import org.auditlog.api.store.SearchField;
import org.auditlog.api.store.SearchQuery;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /api/v1/orgs/{spaceKey}/events}: one organization's records, newest first, a page at a time.
 *
 * <p>{@code from} is inclusive and {@code to} exclusive; either takes a date-time with offset, or a date
 * ({@code 2026-11-01}), which means the start of that day in UTC for {@code from} and the end of that day
 * for {@code to}. {@code cursor} is the {@code nextCursor} of the previous page.
 */
@Path("v1/orgs/{spaceKey}/events")
@Component(service = ApiResource.class)
@Access(Access.Who.ORGANIZATION_MEMBER)
public final class EventsResource implements ApiResource {
    /** The days of a histogram's or the facets' range when the search gives no start. */
    static final int DEFAULT_DAYS = 30;

    /** The most buckets of a histogram (as the store allows). */
    static final int MAX_BUCKETS = 10_000;

    static final Pattern SPACE_KEY = Pattern.compile(Column.SPACE_KEY_PATTERN);
    /** {@code user} matches the operation user id, name or email: as long as the longest of them. */
    static final int USER_FILTER_MAX = Math.max(
            Column.OPERATION_USER_ID.maxLength(),
            Math.max(Column.OPERATION_USER_NAME.maxLength(), Column.OPERATION_USER_EMAIL.maxLength()));

    private final AuditStore store;
    private final AccessPolicy policy;
    private final OrganizationService orgs;
    private final SelfAudit audit;
    private final RestLimits limits;
    private final Cursors cursors;
    private final ServerClock clock;

    @Activate
    public EventsResource(
            @Reference AuditStore store,
            @Reference AccessPolicy policy,
            @Reference OrganizationService orgs,
            @Reference SelfAudit audit,
            @Reference RestLimits limits,
            @Reference Cursors cursors,
            @Reference ServerClock clock) {
        this.store = store;
        this.policy = policy;
        this.orgs = orgs;
        this.audit = audit;
        this.limits = limits;
        this.cursors = cursors;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> list(
            @PathParam("spaceKey") String spaceKey,
            @QueryParam("q") String q,
            @QueryParam("product") String product,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("category") String category,
            @QueryParam("event") String event,
            @QueryParam("user") String user,
            @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        Asked asked = asked(spaceKey, q, product, from, to, category, event, user, request);
        Cursors.Search bound = new Cursors.Search(
                spaceKey,
                Requests.callerKey(request),
                asked.product,
                asked.search.from(),
                asked.search.to(),
                asked.category,
                asked.event,
                asked.user,
                q == null || q.isBlank() ? null : q);
        int pageSize = limit(limit);
        EventCursor after = cursors.decode(cursor, bound);
        EventPage page = store.search(asked.search, pageSize, after);
        if (after == null) {
            // a page that continues a search carries the cursor it was given, which nobody can make by hand or
            // carry to another search: only the first page is recorded
            recordSearch(spaceKey, asked, "Search audit logs", "Audit logs were searched", request, http);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("events", page.events().stream().map(Json::record).toList());
        answer.put("nextCursor", page.next() == null ? null : cursors.encode(page.next(), bound));
        if (page.searchedBackTo() != null) {
            // the work bound of a filtered search ended this page early: how far back it looked
            answer.put("searchedBackTo", Json.date(page.searchedBackTo()));
        }
        return answer;
    }

    /**
     * {@code GET …/events/histogram}: the exact count of the search's records per hour or day (UTC) over its
     * {@code created:} range, by default the last 30 days.
     */
    @GET
    @Path("histogram")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> histogram(
            @PathParam("spaceKey") String spaceKey,
            @QueryParam("q") String q,
            @QueryParam("interval") String interval,
            @QueryParam("product") String product,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("category") String category,
            @QueryParam("event") String event,
            @QueryParam("user") String user,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        Histogram.Interval unit = interval(interval);
        Asked asked = asked(spaceKey, q, product, from, to, category, event, user, request);
        SearchQuery ranged = ranged(asked.search);
        long buckets = Duration.between(floor(ranged.from(), unit), ceil(ranged.to(), unit))
                        .getSeconds()
                / unit.length().getSeconds();
        if (buckets > MAX_BUCKETS) {
            throw ApiException.badRequest(
                    "interval",
                    "the range holds " + buckets + " " + unit.name().toLowerCase(Locale.ROOT) + "s; a histogram has "
                            + "at most " + MAX_BUCKETS + " buckets: use interval=day or a shorter created: range");
        }
        Histogram h = store.histogram(ranged, unit);
        recordSearch(
                spaceKey,
                asked,
                "Count audit logs",
                "Audit logs were counted by " + unit.name().toLowerCase(Locale.ROOT),
                request,
                http);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("interval", unit.name().toLowerCase(Locale.ROOT));
        answer.put("from", Json.date(h.from()));
        answer.put("to", Json.date(h.to()));
        List<Map<String, Object>> out = new ArrayList<>();
        long total = 0;
        for (Histogram.Bucket b : h.buckets()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", Json.date(b.start()));
            m.put("count", b.count());
            total += b.count() == null ? 0 : b.count();
            out.add(m);
        }
        answer.put("buckets", out);
        answer.put("total", total);
        answer.put("complete", h.complete());
        if (!h.complete()) {
            answer.put("countedFrom", Json.date(h.countedFrom()));
        }
        return answer;
    }

    /** {@code GET …/events/facets}: the ten most frequent actors, events, products and addresses of the search. */
    @GET
    @Path("facets")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> facets(
            @PathParam("spaceKey") String spaceKey,
            @QueryParam("q") String q,
            @QueryParam("product") String product,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("category") String category,
            @QueryParam("event") String event,
            @QueryParam("user") String user,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest http) {
        Asked asked = asked(spaceKey, q, product, from, to, category, event, user, request);
        Facets f = store.facets(ranged(asked.search));
        recordSearch(spaceKey, asked, "Count audit logs", "Audit logs were counted by value", request, http);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("from", Json.date(f.from()));
        answer.put("to", Json.date(f.to()));
        answer.put("complete", f.complete());
        if (!f.complete()) {
            answer.put("countedFrom", Json.date(f.countedFrom()));
        }
        answer.put(
                "actors",
                f.actors().stream()
                        .map(a -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("value", a.userId());
                            m.put("name", a.name());
                            m.put("email", a.email());
                            m.put("count", a.count());
                            return m;
                        })
                        .toList());
        answer.put(
                "events",
                f.events().stream()
                        .map(e -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("value", e.event());
                            m.put("category", e.category());
                            m.put("count", e.count());
                            return m;
                        })
                        .toList());
        answer.put("products", values(f.products()));
        answer.put("addresses", values(f.addresses()));
        return answer;
    }

    private static List<Map<String, Object>> values(List<Facets.Value> values) {
        return values.stream()
                .map(v -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("value", v.value());
                    m.put("count", v.count());
                    return m;
                })
                .toList();
    }

    /** A search as asked: the language's clauses and range with the older filter parameters, all of them to hold. */
    private record Asked(SearchQuery search, String q, String product, String category, String event, String user) {}

    private Asked asked(
            String spaceKey,
            String q,
            String product,
            String from,
            String to,
            String category,
            String event,
            String user,
            ContainerRequestContext request) {
        if (!SPACE_KEY.matcher(spaceKey).matches()) {
            throw ApiException.badRequest(
                    "spaceKey", "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        OrgResource.requireUse(spaceKey, request, policy);
        QueryLanguage.Parsed parsed = QueryLanguage.parse(q);
        Instant fromInstant = instant("from", from, false);
        Instant toInstant = instant("to", to, true);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw ApiException.badRequest("to", "must be after from");
        }
        String p = filter("product", product, Column.PRODUCT.maxLength());
        String c = filter("category", category, Column.CATEGORY.maxLength());
        String e = filter("event", event, Column.EVENT.maxLength());
        String u = filter("user", user, USER_FILTER_MAX);
        List<SearchClause> clauses = new ArrayList<>(parsed.clauses());
        if (p != null) {
            clauses.add(SearchClause.of(SearchField.PRODUCT, false, p));
        }
        if (c != null) {
            clauses.add(SearchClause.of(SearchField.CATEGORY, false, c));
        }
        if (e != null) {
            clauses.add(SearchClause.of(SearchField.EVENT, false, e));
        }
        if (u != null) {
            clauses.add(SearchClause.of(SearchField.ACTOR, false, u));
        }
        Instant rangeFrom = later(fromInstant, parsed.from());
        Instant rangeTo = earlier(toInstant, parsed.to());
        if (rangeFrom != null && rangeTo != null && !rangeFrom.isBefore(rangeTo)) {
            throw ApiException.badRequest("to", "the range of from, to and created: is empty");
        }
        return new Asked(
                new SearchQuery(spaceKey, rangeFrom, rangeTo, clauses),
                q == null || q.isBlank() ? null : q.strip(),
                p,
                c,
                e,
                u);
    }

    /** The search with a range of both ends: the last 30 days (whole UTC days, today's included) by default. */
    private SearchQuery ranged(SearchQuery s) {
        Instant to = s.to();
        if (to == null) {
            to = LocalDate.now(clock.get())
                    .plusDays(1)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
        }
        Instant from = s.from();
        if (from == null) {
            from = floor(to.minus(Duration.ofDays(DEFAULT_DAYS)), Histogram.Interval.DAY);
        }
        return new SearchQuery(s.spaceKey(), from, to, s.clauses());
    }

    static Instant floor(Instant t, Histogram.Interval interval) {
        return t.truncatedTo(interval == Histogram.Interval.HOUR ? ChronoUnit.HOURS : ChronoUnit.DAYS);
    }

    static Instant ceil(Instant t, Histogram.Interval interval) {
        Instant f = floor(t, interval);
        return f.equals(t) ? t : f.plus(interval.length());
    }

    private static Histogram.Interval interval(String text) {
        if (text == null || text.isEmpty() || text.equals("day")) {
            return Histogram.Interval.DAY;
        }
        if (text.equals("hour")) {
            return Histogram.Interval.HOUR;
        }
        throw ApiException.badRequest("interval", "must be hour or day");
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    /**
     * Records a read of the log (a search's first page, a histogram, the facets) in the organization's own log, as an
     * Apps event by whoever read it. An organization that does not record now gets no record.
     */
    private void recordSearch(
            String spaceKey,
            Asked asked,
            String event,
            String action,
            ContainerRequestContext request,
            HttpServletRequest http) {
        SearchQuery s = asked.search;
        StringBuilder filters = new StringBuilder();
        append(filters, "q", asked.q == null ? null : abbreviate(asked.q));
        append(filters, "product", asked.product);
        append(filters, "category", asked.category);
        append(filters, "event", asked.event);
        append(filters, "user", asked.user);
        append(filters, "from", Json.date(s.from()));
        append(filters, "to", Json.date(s.to()));
        audit.record(
                spaceKey,
                Requests.reader(request, http, orgs, spaceKey),
                event,
                action + (filters.length() == 0 ? "" : " (" + filters + ")"));
    }

    /** A query as it goes into a record's action (at most 1,024 characters with the rest): its first 600. */
    static String abbreviate(String q) {
        return q.length() <= 600 ? q : q.substring(0, 600) + "…";
    }

    private static void append(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append(b.length() == 0 ? "" : ", ").append(name).append(": ").append(value);
        }
    }

    private int limit(String text) {
        if (text == null || text.isEmpty()) {
            return limits.defaultPageSize();
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= limits.maxPageSize()) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("limit", "must be a whole number from 1 to " + limits.maxPageSize());
    }

    private static String filter(String name, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > maxLength) {
            throw ApiException.badRequest(name, "is longer than any stored value can be (" + maxLength + ")");
        }
        return value;
    }

    private static Instant instant(String name, String text, boolean endOfDay) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.length() == 10) {
            try {
                LocalDate day = LocalDate.parse(text);
                return (endOfDay ? day.plusDays(1) : day)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant();
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest(name, "must be a date (2026-11-01) or an ISO-8601 date-time with offset");
            }
        }
        try {
            return CanonicalRecords.parseDate(name, text);
        } catch (PayloadRejectedException e) {
            throw ApiException.badRequest(name, "must be a date (2026-11-01) or an ISO-8601 date-time with offset");
        }
    }
}
