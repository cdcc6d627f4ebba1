package org.auditlog.rest.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
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
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.adapter.CanonicalRecords;
import org.auditlog.api.adapter.Column;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
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

    @Activate
    public EventsResource(
            @Reference AuditStore store,
            @Reference AccessPolicy policy,
            @Reference OrganizationService orgs,
            @Reference SelfAudit audit,
            @Reference RestLimits limits,
            @Reference Cursors cursors) {
        this.store = store;
        this.policy = policy;
        this.orgs = orgs;
        this.audit = audit;
        this.limits = limits;
        this.cursors = cursors;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> list(
            @PathParam("spaceKey") String spaceKey,
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
        if (!SPACE_KEY.matcher(spaceKey).matches()) {
            throw ApiException.badRequest(
                    "spaceKey", "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        OrgResource.requireUse(spaceKey, request, policy);
        Instant fromInstant = instant("from", from, false);
        Instant toInstant = instant("to", to, true);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw ApiException.badRequest("to", "must be after from");
        }
        Cursors.Search search = new Cursors.Search(
                spaceKey,
                Requests.callerKey(request),
                filter("product", product, Column.PRODUCT.maxLength()),
                fromInstant,
                toInstant,
                filter("category", category, Column.CATEGORY.maxLength()),
                filter("event", event, Column.EVENT.maxLength()),
                filter("user", user, USER_FILTER_MAX));
        EventQuery query = new EventQuery(
                spaceKey,
                search.product(),
                fromInstant,
                toInstant,
                search.category(),
                search.event(),
                search.user(),
                limit(limit),
                cursors.decode(cursor, search));
        EventPage page = store.query(query);
        if (query.after() == null) {
            // a page that continues a search carries the cursor it was given, which nobody can make by hand or
            // carry to another search: only the first page is recorded
            recordSearch(spaceKey, query, Requests.reader(request, http, orgs, spaceKey));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("events", page.events().stream().map(Json::record).toList());
        answer.put("nextCursor", page.next() == null ? null : cursors.encode(page.next(), search));
        if (page.searchedBackTo() != null) {
            // the work bound of a filtered search ended this page early: how far back it looked
            answer.put("searchedBackTo", Json.date(page.searchedBackTo()));
        }
        return answer;
    }

    /**
     * Records a search (a first page; following pages continue it) in the organization's own log, as an
     * Apps event by whoever searched. An organization that does not record now gets no record.
     */
    private void recordSearch(String spaceKey, EventQuery q, Actor actor) {
        StringBuilder filters = new StringBuilder();
        append(filters, "product", q.product());
        append(filters, "category", q.category());
        append(filters, "event", q.event());
        append(filters, "user", q.user());
        append(filters, "from", Json.date(q.from()));
        append(filters, "to", Json.date(q.to()));
        audit.record(
                spaceKey,
                actor,
                "Search audit logs",
                "Audit logs were searched" + (filters.length() == 0 ? "" : " (" + filters + ")"));
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
