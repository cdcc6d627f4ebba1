package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.auditlog.api.access.Decision;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.store.EventCursor;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.Facets;
import org.auditlog.api.store.Histogram;
import org.auditlog.api.store.SearchClause;
import org.auditlog.api.store.SearchField;
import org.auditlog.api.store.SearchQuery;
import org.auditlog.api.store.StoreBusyException;
import org.auditlog.api.store.StoreException;
import org.auditlog.testing.MemoryAuditStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /api/v1/orgs/{spaceKey}/events}: the README's "Reading events" and its errors. */
class EventsResourceTest {
    static final String DATE_RULE = "must be a date (2026-11-01) or an ISO-8601 date-time with offset";

    final MemoryAuditStore store = new MemoryAuditStore();
    final FakePolicy policy = new FakePolicy();
    final FakeOrgs orgs = new FakeOrgs();
    final FakeCapture capture = new FakeCapture();
    /** The key material a server's signing key gives (see ApiServlet). */
    final Cursors cursors = Components.cursors("a server's key");

    final EventsResource events = new EventsResource(
            store,
            policy,
            orgs,
            new SelfAudit(policy, capture, () -> Fixtures.CLOCK),
            Components.limits(),
            cursors,
            () -> Fixtures.CLOCK);

    /** The query with only the named parameters; the others absent. */
    Answer query(
            Caller caller,
            String spaceKey,
            String product,
            String from,
            String to,
            String category,
            String event,
            String user,
            String limit,
            String cursor) {
        FakeRequest request = FakeRequest.get("v1/orgs/" + spaceKey + "/events")
                .caller(caller)
                .header("User-Agent", "Browser/1.0");
        return Answer.of(() -> events.list(
                spaceKey,
                null,
                product,
                from,
                to,
                category,
                event,
                user,
                limit,
                cursor,
                request,
                FakeHttp.request("[::1]", false)));
    }

    Answer byOperator(
            String product,
            String from,
            String to,
            String category,
            String event,
            String user,
            String limit,
            String cursor) {
        return query(Fixtures.operator(), "ACME", product, from, to, category, event, user, limit, cursor);
    }

    Answer from(String from) {
        return byOperator(null, from, null, null, null, null, null, null);
    }

    Answer to(String to) {
        return byOperator(null, null, to, null, null, null, null, null);
    }

    Answer limit(String limit) {
        return byOperator(null, null, null, null, null, null, limit, null);
    }

    Answer cursor(String cursor) {
        return byOperator(null, null, null, null, null, null, null, cursor);
    }

    static AuditRecord record(long id, Instant date) {
        return new AuditRecord(
                id,
                "ACME",
                "Backlog",
                date,
                "Issue",
                "Add an issue",
                "Issue BL-1 \"<b>\" was added",
                "u1",
                "Ann",
                "ann@acme.example",
                "203.0.113.5",
                "",
                AuditRecord.V1);
    }

    @Test
    void withoutParametersTheFirstPageOfTheDefaultSizeIsAskedForAndAnsweredWithEventsAndANullCursor() {
        Answer a = byOperator(null, null, null, null, null, null, null, null);
        assertEquals(200, a.status());
        assertEquals(new EventQuery("ACME", null, null, null, null, null, null, 100, null), store.lastQuery);
        JsonNode b = a.json();
        assertEquals(List.of("events", "nextCursor"), names(b));
        assertEquals(0, b.get("events").size());
        assertTrue(b.get("nextCursor").isNull(), "the last page says so with null");
    }

    @Test
    void eachEventIsItsCsvColumnsInFileOrderWithTheIdAsAString() {
        long id = 912420565585756160L; // beyond a JavaScript number's exact range
        store.page = new EventPage(List.of(record(id, Instant.parse("2026-11-01T09:30:00Z"))), null);
        JsonNode e = byOperator(null, null, null, null, null, null, null, null)
                .json()
                .get("events")
                .get(0);
        assertEquals(
                List.of(
                        "id",
                        "space_key",
                        "product",
                        "date",
                        "category",
                        "event",
                        "action",
                        "operation_user_id",
                        "operation_user_name",
                        "operation_user_email",
                        "ip_address",
                        "user_agent",
                        "version"),
                names(e));
        assertTrue(e.get("id").isTextual());
        assertEquals("912420565585756160", e.get("id").asText());
        assertEquals("2026-11-01T09:30:00.000Z", e.get("date").asText());
        assertEquals("Issue BL-1 \"<b>\" was added", e.get("action").asText());
        assertEquals("", e.get("user_agent").asText());
        assertEquals("V1", e.get("version").asText());
    }

    @Test
    void aFullPageGivesACursorThatTheNextRequestTurnsBackIntoThePosition() {
        EventCursor position = new EventCursor(Instant.parse("2026-11-01T09:30:00.123Z"), 912420565585756160L);
        store.page = new EventPage(List.of(record(1, Instant.parse("2026-11-02T00:00:00Z"))), position);
        String next = byOperator(null, null, null, null, null, null, null, null)
                .json()
                .get("nextCursor")
                .asText();
        assertFalse(next.contains("=") || next.contains("+") || next.contains("/"), "fits a query string as it is");

        assertEquals(200, cursor(next).status());
        assertEquals(position, store.lastQuery.after());
    }

    @Test
    void aPageEndedByTheSearchBoundSaysHowFarBackItLooked() {
        store.page = new EventPage(
                List.of(),
                new EventCursor(Instant.parse("2026-11-21T06:13:20Z"), 7),
                Instant.parse("2026-11-21T06:13:20Z"));
        JsonNode b =
                byOperator(null, null, null, "Issue", null, null, null, null).json();
        assertEquals(List.of("events", "nextCursor", "searchedBackTo"), names(b));
        assertEquals("2026-11-21T06:13:20.000Z", b.get("searchedBackTo").asText());
        assertFalse(b.get("nextCursor").isNull());
    }

    @Test
    void filtersArePassedAsGivenAndEmptyOnesAreNoFilter() {
        assertEquals(
                200,
                byOperator("Backlog", null, null, "Issue", "Add an issue", "ann@acme.example", "50", null)
                        .status());
        assertEquals(
                new EventQuery("ACME", "Backlog", null, null, "Issue", "Add an issue", "ann@acme.example", 50, null),
                store.lastQuery);
        assertEquals(200, byOperator("", "", "", "", "", "", "", "").status());
        assertEquals(new EventQuery("ACME", null, null, null, null, null, null, 100, null), store.lastQuery);
    }

    @Test
    void aDateFromIsTheStartOfThatDayInUtcAndADateToTheEndOfItsDay() {
        assertEquals(
                200,
                byOperator(null, "2026-11-01", "2026-11-30", null, null, null, null, null)
                        .status());
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), store.lastQuery.from());
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), store.lastQuery.to(), "to is exclusive: the next midnight");
    }

    @Test
    void aDateTimeWithOffsetIsTakenAsTheInstantItNames() {
        assertEquals(
                200,
                byOperator(null, "2026-11-01T18:30:00+09:00", "2026-11-01T10:00:00.5Z", null, null, null, null, null)
                        .status());
        assertEquals(Instant.parse("2026-11-01T09:30:00Z"), store.lastQuery.from());
        assertEquals(Instant.parse("2026-11-01T10:00:00.500Z"), store.lastQuery.to());
    }

    @Test
    void oneDayFromAndToTheSameDateIsAValidPeriod() {
        assertEquals(
                200,
                byOperator(null, "2026-11-01", "2026-11-01", null, null, null, null, null)
                        .status());
        assertEquals(Instant.parse("2026-11-02T00:00:00Z"), store.lastQuery.to());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-13-01",
                "2026/11/01",
                "01-11-2026",
                "2026-11-01T09:30:00",
                "2026-11-01 09:30:00Z",
                "yesterday",
                "1764000000",
                "2026-02-30"
            })
    void aFromThatIsNeitherADateNorADateTimeWithOffsetIsRefusedNamingIt(String text) {
        from(text).assertError(400, "invalid_field", "from", DATE_RULE);
        assertNull(store.lastQuery, "nothing was asked of the store");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-31", "2026-11-01T25:00:00Z", "tomorrow"})
    void aMalformedToIsRefusedNamingIt(String text) {
        to(text).assertError(400, "invalid_field", "to", DATE_RULE);
    }

    @Test
    void toMustBeAfterFrom() {
        byOperator(null, "2026-11-02T00:00:00Z", "2026-11-02T00:00:00Z", null, null, null, null, null)
                .assertError(400, "invalid_field", "to", "must be after from");
        byOperator(null, "2026-11-03", "2026-11-01", null, null, null, null, null)
                .assertError(400, "invalid_field", "to", "must be after from");
        assertNull(store.lastQuery);
    }

    @Test
    void limitTakesOneToTheMaximumPageSize() {
        assertEquals(200, limit("1").status());
        assertEquals(1, store.lastQuery.limit());
        assertEquals(200, limit("1000").status());
        assertEquals(1000, store.lastQuery.limit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1001", "2147483648", "ten", "1.5", " 5", "5 ", "1e3", "0x10"})
    void aLimitOutsideOneToAThousandOrNotAWholeNumberIsRefused(String text) {
        limit(text).assertError(400, "invalid_field", "limit", "must be a whole number from 1 to 1000");
        assertNull(store.lastQuery);
    }

    @Test
    void theLimitBoundsFollowTheConfiguration() {
        EventsResource small = new EventsResource(
                store,
                policy,
                orgs,
                new SelfAudit(policy, capture, () -> Fixtures.CLOCK),
                Components.limits("maxPageSize", 20, "defaultPageSize", 10),
                cursors,
                () -> Fixtures.CLOCK);
        FakeRequest request = FakeRequest.get("v1/orgs/ACME/events").caller(Fixtures.operator());
        assertEquals(
                200,
                Answer.of(() -> small.list(
                                "ACME",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                request,
                                FakeHttp.request("203.0.113.5", false)))
                        .status());
        assertEquals(10, store.lastQuery.limit(), "defaultPageSize");
        Answer.of(() -> small.list(
                        "ACME",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "21",
                        null,
                        request,
                        FakeHttp.request("203.0.113.5", false)))
                .assertError(400, "invalid_field", "limit", "must be a whole number from 1 to 20");
    }

    /** The cursor an operator's unfiltered search of ACME is given for a position. */
    String operatorCursor(EventCursor position) {
        return cursors.encode(
                position, new Cursors.Search("ACME", "operator", null, null, null, null, null, null, null));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "abc",
                "!!!!",
                "MTIz",
                "Onh4",
                "eHg6eXk",
                "MTIzOg",
                "OTk5OTk5OTk5OTk5OTk5OTk5OTk6MQ",
                // the unsigned cursors of earlier versions: "<millis>:<id>", here one far in the future
                "OTk5OTk5OTk5OTk5OjE"
            })
    void aCursorThisServerDidNotGiveOutIsRefused(String text) {
        cursor(text)
                .assertError(
                        400,
                        "invalid_field",
                        "cursor",
                        "is not a cursor this server gave out for this search; use nextCursor as given, with the same filters");
        assertNull(store.lastQuery);
        assertEquals(List.of(), capture.recorded);
    }

    @Test
    void aCursorIsBoundToItsPositionOrganizationCallerAndFilters() {
        EventCursor position = new EventCursor(Instant.ofEpochMilli(1761989400123L), 42);
        String given = operatorCursor(position);
        assertEquals(200, cursor(given).status());
        assertEquals(position, store.lastQuery.after());
        String raw = new String(Base64.getUrlDecoder().decode(given), StandardCharsets.US_ASCII);
        assertTrue(raw.startsWith("c1.1761989400123.42."), raw);

        // moved to the future by hand, its tag kept: refused, nothing read, nothing recorded
        String moved = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        raw.replace("c1.1761989400123.", "c1.9761989400123.").getBytes(StandardCharsets.US_ASCII));
        store.lastQuery = null;
        cursor(moved)
                .assertError(
                        400,
                        "invalid_field",
                        "cursor",
                        "is not a cursor this server gave out for this search; use nextCursor as given, with the same filters");
        assertNull(store.lastQuery);
        // carried to another search (a filter added)
        byOperator(null, null, null, "Member", null, null, null, given)
                .assertError(
                        400,
                        "invalid_field",
                        "cursor",
                        "is not a cursor this server gave out for this search; use nextCursor as given, with the same filters");
        // carried to another caller: a member of the same organization
        Answer member =
                query(Fixtures.member(Fixtures.ANN_TOKEN), "ACME", null, null, null, null, null, null, null, given);
        assertEquals(400, member.status());
        // another server key gives other tags
        Cursors other = Components.cursors("another key");
        assertNotEquals(
                given,
                other.encode(
                        position, new Cursors.Search("ACME", "operator", null, null, null, null, null, null, null)));
        assertEquals(List.of(), capture.recorded, "a continuation page is not recorded again");
    }

    @Test
    void aFilterLongerThanItsColumnIsRefusedBeforeTheStoreIsAsked() {
        byOperator("P".repeat(33), null, null, null, null, null, null, null)
                .assertError(400, "invalid_field", "product", "is longer than any stored value can be (32)");
        byOperator(null, null, null, "C".repeat(65), null, null, null, null)
                .assertError(400, "invalid_field", "category", "is longer than any stored value can be (64)");
        byOperator(null, null, null, null, "E".repeat(129), null, null, null)
                .assertError(400, "invalid_field", "event", "is longer than any stored value can be (128)");
        byOperator(null, null, null, null, null, "u".repeat(256), null, null)
                .assertError(400, "invalid_field", "user", "is longer than any stored value can be (255)");
        assertNull(store.lastQuery);
        assertEquals(
                200,
                byOperator("P".repeat(32), null, null, "C".repeat(64), "E".repeat(128), "u".repeat(255), null, null)
                        .status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-ACME", "_x", "AC ME", "AC/ME", "ACME.", "ä"})
    void aSpaceKeyOutsideTheRuleIsRefused(String spaceKey) {
        query(Fixtures.operator(), spaceKey, null, null, null, null, null, null, null, null)
                .assertError(
                        400,
                        "invalid_field",
                        "spaceKey",
                        "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
    }

    @Test
    void aSpaceKeyOfSixtyFiveCharactersIsRefusedAndOfSixtyFourAccepted() {
        query(Fixtures.operator(), "A".repeat(65), null, null, null, null, null, null, null, null)
                .assertError(
                        400,
                        "invalid_field",
                        "spaceKey",
                        "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        assertEquals(
                200,
                query(Fixtures.operator(), "A-b_9".repeat(12) + "ABCD", null, null, null, null, null, null, null, null)
                        .status());
    }

    @Test
    void aMemberWithoutThePrivilegeIsRefusedWithThePolicysRuleAndNothingIsRead() {
        policy.use = Decision.refused("not_audit_log_admin", "Bob does not hold the Audit Log Admin privilege");
        query(Fixtures.member(Fixtures.BOB_TOKEN), "ACME", null, null, null, null, null, null, null, null)
                .assertError(403, "not_audit_log_admin", null, "Bob does not hold the Audit Log Admin privilege");
        assertEquals(List.of("mayUse ACME u2"), policy.asked);
        assertNull(store.lastQuery);
        assertEquals(List.of(), capture.recorded);
    }

    @Test
    void aMemberWhoseOrganizationIsGoneGetsTheSame404AsAnyOrganizationItCannotSee() {
        policy.use = Decision.refused("no_such_organization", "there is no organization ACME");
        query(Fixtures.member(Fixtures.ANN_TOKEN), "ACME", null, null, null, null, null, null, null, null)
                .assertError(404, "not_found", null, "no such organization");
    }

    @Test
    void theFirstPageOfASearchIsRecordedInTheOrganizationsLogWithItsFilters() {
        Answer a = query(
                Fixtures.member(Fixtures.ANN_TOKEN),
                "ACME",
                "Backlog",
                "2026-11-01",
                null,
                null,
                null,
                "bob",
                null,
                null);
        assertEquals(200, a.status());
        assertEquals(1, capture.recorded.size());
        AuditRecord r = capture.recorded.get(0);
        assertEquals("ACME", r.spaceKey());
        assertEquals("Apps", r.product());
        assertEquals("Audit log", r.category());
        assertEquals("Search audit logs", r.event());
        assertEquals(
                "Audit logs were searched (product: Backlog, user: bob, from: 2026-11-01T00:00:00.000Z)", r.action());
        assertEquals("u1", r.operationUserId());
        assertEquals("Ann", r.operationUserName());
        assertEquals("::1", r.ipAddress(), "the connection's address, brackets removed");
        assertEquals("Browser/1.0", r.userAgent());
        assertEquals(Fixtures.NOW, r.date());
    }

    @Test
    void aSearchWithoutFiltersIsRecordedAsSuchAndTheOperatorsAsNulabSupport() {
        byOperator(null, null, null, null, null, null, null, null);
        AuditRecord r = capture.recorded.get(0);
        assertEquals("Audit logs were searched", r.action());
        assertEquals("Nulab Support", r.operationUserName(), "the operator reads for support, never as the system");
        assertNull(r.operationUserId(), "no user id (capture writes it as empty)");
    }

    @Test
    void followingPagesContinueTheSearchAndAreNotRecordedAgain() {
        String next = operatorCursor(new EventCursor(Instant.parse("2026-11-01T00:00:00Z"), 5));
        assertEquals(200, cursor(next).status());
        assertEquals(List.of(), capture.recorded);
    }

    @Test
    void aSearchWhoseRecordCannotBeWrittenIsRefusedWith503AndNoEvents() {
        store.page = new EventPage(List.of(record(1, Fixtures.NOW)), null);
        capture.recordFailure = new StoreException("the write queue is full", null);
        Answer a = byOperator(null, null, null, null, null, null, null, null);
        String detail = a.assertError(503, "audit_unavailable", null);
        assertTrue(detail.startsWith("'Search audit logs' was not done"), detail);
        assertTrue(detail.endsWith("; retry later"), detail);
        assertEquals("5", a.header("Retry-After"));
        assertFalse(a.text().contains("BL-1"), "no event left the server");
    }

    @Test
    void aSaturatedStoreAnswers503BusyOrQueryTimeoutWithTheirRetryAfter() {
        store.failure =
                new StoreBusyException(StoreBusyException.Reason.BUSY, "no read connection within 2000 ms", null);
        Answer busy = byOperator(null, null, null, null, null, null, null, null);
        busy.assertError(503, "busy", null, "no read connection within 2000 ms; retry later");
        assertEquals("2", busy.header("Retry-After"));

        store.failure =
                new StoreBusyException(StoreBusyException.Reason.QUERY_TIMEOUT, "the search ran past 10 s", null);
        Answer timeout = byOperator(null, null, null, "Issue", null, null, null, null);
        timeout.assertError(
                503,
                "query_timeout",
                null,
                "the search ran past 10 s; narrow the search (a product, a period, a category) or retry later");
        assertEquals("10", timeout.header("Retry-After"));
    }

    static List<String> names(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    Answer searched(String q, String product) {
        FakeRequest request = FakeRequest.get("v1/orgs/ACME/events").caller(Fixtures.member(Fixtures.ANN_TOKEN));
        return Answer.of(() -> events.list(
                "ACME",
                q,
                product,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                request,
                FakeHttp.request("203.0.113.5", false)));
    }

    Answer histogram(String q, String interval) {
        FakeRequest request =
                FakeRequest.get("v1/orgs/ACME/events/histogram").caller(Fixtures.member(Fixtures.ANN_TOKEN));
        return Answer.of(() -> events.histogram(
                "ACME",
                q,
                interval,
                null,
                null,
                null,
                null,
                null,
                null,
                request,
                FakeHttp.request("203.0.113.5", false)));
    }

    Answer facets(String q) {
        FakeRequest request = FakeRequest.get("v1/orgs/ACME/events/facets").caller(Fixtures.member(Fixtures.ANN_TOKEN));
        return Answer.of(() -> events.facets(
                "ACME", q, null, null, null, null, null, null, request, FakeHttp.request("203.0.113.5", false)));
    }

    @Test
    void theQueryAndTheFiltersAreOneSearchThatAllMustMatchAndItIsRecordedWithTheQuery() {
        Answer a = searched("product:Apps -deleted created:>=2026-11-01", "Backlog");
        assertEquals(200, a.status());
        assertEquals(
                new SearchQuery(
                        "ACME",
                        Instant.parse("2026-11-01T00:00:00Z"),
                        null,
                        List.of(
                                SearchClause.of(SearchField.PRODUCT, false, "Apps"),
                                SearchClause.of(SearchField.TEXT, true, "deleted"),
                                SearchClause.of(SearchField.PRODUCT, false, "Backlog"))),
                store.lastSearch);
        assertEquals(1, capture.recorded.size());
        assertEquals(
                "Audit logs were searched (q: product:Apps -deleted created:>=2026-11-01, product: Backlog, "
                        + "from: 2026-11-01T00:00:00.000Z)",
                capture.recorded.get(0).action());
    }

    @Test
    void anUnreadableQueryIsRefusedWithItsPositionBeforeTheStoreIsAsked() {
        Answer a = searched("product:Apps ip:999.0.0.1", null);
        assertEquals(400, a.status());
        JsonNode b = a.json();
        assertEquals(List.of("error", "field", "detail", "position"), names(b));
        assertEquals("invalid_query", b.get("error").asText());
        assertEquals("q", b.get("field").asText());
        assertEquals(
                "at 16: ip: must be an IPv4 or IPv6 address (192.0.2.1, 2001:db8::1) or a CIDR range (192.0.2.0/24)",
                b.get("detail").asText());
        assertEquals(16, b.get("position").asInt());
        assertNull(store.lastSearch);
        assertEquals(List.of(), capture.recorded);
    }

    @Test
    void aCursorIsBoundToItsQuery() {
        store.page = new EventPage(
                List.of(record(9, Instant.parse("2026-11-20T09:00:00Z"))),
                new EventCursor(Instant.parse("2026-11-20T09:00:00Z"), 9));
        String cursor = searched("deleted", null).json().get("nextCursor").asText();
        FakeRequest request = FakeRequest.get("v1/orgs/ACME/events").caller(Fixtures.member(Fixtures.ANN_TOKEN));
        Answer other = Answer.of(() -> events.list(
                "ACME",
                "invited",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                cursor,
                request,
                FakeHttp.request("203.0.113.5", false)));
        other.assertError(
                400,
                "invalid_field",
                "cursor",
                "is not a cursor this server gave out for this search; use nextCursor as given, with the same filters");
    }

    @Test
    void theHistogramCoversTheLastThirtyDaysByDefaultAndIsRecorded() {
        Answer a = histogram("product:Backlog", null);
        assertEquals(200, a.status());
        Instant endOfToday = LocalDate.ofInstant(Fixtures.NOW, ZoneOffset.UTC)
                .plusDays(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        assertEquals(endOfToday, store.lastSearch.to());
        assertEquals(endOfToday.minus(Duration.ofDays(30)), store.lastSearch.from());
        JsonNode b = a.json();
        assertEquals(List.of("interval", "from", "to", "buckets", "total", "complete"), names(b));
        assertEquals("day", b.get("interval").asText());
        assertEquals(30, b.get("buckets").size());
        assertEquals(0, b.get("total").asInt());
        assertEquals(1, capture.recorded.size());
        assertEquals("Count audit logs", capture.recorded.get(0).event());
    }

    @Test
    void anUncountedBucketIsNullAndTheAnswerSaysFromWhereItCounted() {
        Instant from = Instant.parse("2026-11-01T00:00:00Z");
        store.histogram = new Histogram(
                Histogram.Interval.HOUR,
                from,
                from.plus(Duration.ofHours(2)),
                List.of(new Histogram.Bucket(from, null), new Histogram.Bucket(from.plus(Duration.ofHours(1)), 7L)),
                from.plus(Duration.ofHours(1)));
        JsonNode b = histogram("deleted created:2026-11-01", "hour").json();
        assertEquals(false, b.get("complete").asBoolean());
        assertEquals("2026-11-01T01:00:00.000Z", b.get("countedFrom").asText());
        assertTrue(b.get("buckets").get(0).get("count").isNull());
        assertEquals(7, b.get("buckets").get(1).get("count").asInt());
        assertEquals(7, b.get("total").asInt());
    }

    @Test
    void anIntervalOtherThanHourOrDayOrOfTooManyBucketsIsRefused() {
        histogram(null, "week").assertError(400, "invalid_field", "interval", "must be hour or day");
        histogram("created:2024-01-01..2026-01-01", "hour")
                .assertError(
                        400,
                        "invalid_field",
                        "interval",
                        "the range holds 17568 hours; a histogram has at most 10000 buckets: use interval=day or a "
                                + "shorter created: range");
        assertNull(store.lastSearch);
    }

    @Test
    void theFacetsAreTheStoresTopValuesWithTheirCounts() {
        Instant from = Instant.parse("2026-11-01T00:00:00Z");
        store.facets = new Facets(
                from,
                from.plus(Duration.ofDays(1)),
                null,
                List.of(new Facets.Actor("u1", "Ann", "ann@acme.example", 5)),
                List.of(new Facets.Event("Member", "Add member", 4)),
                List.of(new Facets.Value("Backlog", 5)),
                List.of(new Facets.Value("203.0.113.5", 3)));
        JsonNode b = facets("created:2026-11-01").json();
        assertEquals(List.of("from", "to", "complete", "actors", "events", "products", "addresses"), names(b));
        assertEquals("u1", b.get("actors").get(0).get("value").asText());
        assertEquals("Ann", b.get("actors").get(0).get("name").asText());
        assertEquals("Member", b.get("events").get(0).get("category").asText());
        assertEquals(3, b.get("addresses").get(0).get("count").asInt());
        assertEquals(Instant.parse("2026-11-02T00:00:00Z"), store.lastSearch.to());
    }
}
