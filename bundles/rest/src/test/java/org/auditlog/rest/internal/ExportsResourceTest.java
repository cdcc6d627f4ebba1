package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.auditlog.api.access.Decision;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.export.ExportLimitException;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Current-month exports: {@code POST /api/v1/orgs/{spaceKey}/exports}, {@code GET …/exports} and {@code …/{id}}. */
class ExportsResourceTest {
    final FakeExports exports = new FakeExports();
    final FakePolicy policy = new FakePolicy();
    final FakeCapture capture = new FakeCapture();
    final FakeOrgs orgs = new FakeOrgs();
    final ExportsResource resource =
            new ExportsResource(exports, policy, capture, orgs, new SelfAudit(policy, capture, () -> Fixtures.CLOCK));

    Answer create(Caller caller, String spaceKey, String body) {
        FakeRequest r = FakeRequest.post("v1/orgs/" + spaceKey + "/exports")
                .caller(caller)
                .header("User-Agent", "UA");
        return Answer.of(() -> resource.create(spaceKey, body, r, FakeHttp.request("198.51.100.7", false)));
    }

    Answer ann(String body) {
        return create(Fixtures.member(Fixtures.ANN_TOKEN), "ACME", body);
    }

    Answer get(Caller caller, String id) {
        FakeRequest r = FakeRequest.get("v1/orgs/ACME/exports/" + id).caller(caller);
        return Answer.of(() -> resource.get("ACME", id, r));
    }

    @Test
    void anExportIsAccepted202WithTheJobAndItsLocation() {
        Answer a = ann("{\"product\":\"Backlog\"}");
        assertEquals(202, a.status());
        assertEquals("/api/v1/orgs/ACME/exports/4503599627370495", a.header("Location"));
        JsonNode job = a.json();
        assertEquals(
                List.of(
                        "id",
                        "product",
                        "state",
                        "from",
                        "to",
                        "rows",
                        "fileName",
                        "failure",
                        "requestedBy",
                        "requested",
                        "started",
                        "finished",
                        "attempts",
                        "href"),
                EventsResourceTest.names(job));
        assertTrue(job.get("id").isTextual(), "job ids are JSON strings, as every id");
        assertEquals("4503599627370495", job.get("id").asText());
        assertEquals("queued", job.get("state").asText());
        assertEquals("2026-11-01", job.get("from").asText());
        assertEquals("2026-11-20", job.get("to").asText());
        assertEquals(0, job.get("rows").asLong());
        assertTrue(job.get("fileName").isNull());
        assertTrue(job.get("failure").isNull());
        assertTrue(job.get("started").isNull());
        assertTrue(job.get("finished").isNull());
        assertEquals("u1", job.get("requestedBy").asText());
        assertEquals("2026-11-20T10:00:00.000Z", job.get("requested").asText());
        assertEquals(
                "/api/v1/orgs/ACME/exports/4503599627370495", job.get("href").asText());
        assertEquals(List.of("checkExportLimits ACME Backlog u1", "exportCurrentMonth ACME Backlog u1"), exports.calls);
    }

    @Test
    void aRequestBeyondTheExportBoundsIs429WithRetryAfterAndLeavesNoRecord() {
        exports.limit = new ExportLimitException(
                "exports_per_member_per_day",
                null,
                "you asked for 10 exports of this "
                        + "organization today, the most a member may (exportsPerMemberPerDay); ask again after midnight UTC",
                Duration.ofHours(14).plusMillis(1));
        Answer a = ann("{\"product\":\"Backlog\"}");
        a.assertError(
                429,
                "exports_per_member_per_day",
                null,
                "you asked for 10 exports of this organization today, "
                        + "the most a member may (exportsPerMemberPerDay); ask again after midnight UTC");
        assertEquals("50401", a.header("Retry-After"), "whole seconds, rounded up");
        assertEquals(List.of(), capture.recorded);
        assertEquals(List.of("checkExportLimits ACME Backlog u1"), exports.calls);
    }

    @Test
    void aRequestRefusedByTheBoundsAfterTheCheckIs429Too() {
        exports.refusal = new ExportLimitException(
                "export_in_progress",
                "product",
                "an export of Backlog of this "
                        + "organization is running (asked for by u2); one runs at a time per product: ask again when it is done",
                Duration.ofSeconds(30));
        Answer a = ann("{\"product\":\"Backlog\"}");
        a.assertError(
                429,
                "export_in_progress",
                "product",
                "an export of Backlog of this organization is running "
                        + "(asked for by u2); one runs at a time per product: ask again when it is done");
        assertEquals("30", a.header("Retry-After"));
    }

    @Test
    void theRequestIsRecordedByTheMemberBeforeTheJobExists() {
        ann("{\"product\":\"Backlog\"}");
        AuditRecord r = capture.recorded.get(0);
        assertEquals("Export audit logs", r.event());
        assertEquals("An export of Backlog audit logs of 2026-11 up to now was requested", r.action());
        assertEquals("u1", r.operationUserId());
        assertEquals("198.51.100.7", r.ipAddress());
        assertEquals("UA", r.userAgent());
    }

    @Test
    void aRequestWhoseRecordCannotBeWrittenLeavesNoJob() {
        capture.recordFailure = new StoreException("the store is down", null);
        Answer a = ann("{\"product\":\"Backlog\"}");
        assertTrue(a.assertError(503, "audit_unavailable", null).startsWith("'Export audit logs' was not done"));
        assertEquals(List.of("checkExportLimits ACME Backlog u1"), exports.calls, "no job asked for");
    }

    @Test
    void theOperatorCannotAskForAnExportTheLinkGoesToAMember() {
        create(Fixtures.operator(), "ACME", "{\"product\":\"Backlog\"}")
                .assertError(
                        403,
                        "member_required",
                        null,
                        "an export is asked for by an Audit Log Admin with a member token: the link is mailed to them");
        assertEquals(List.of(), exports.calls);
    }

    @Test
    void anOrganizationThatDoesNotExistIs404ForTheOperatorToo() {
        create(Fixtures.operator(), "NOPE", "{\"product\":\"Backlog\"}")
                .assertError(404, "no_such_organization", null, "there is no organization NOPE");
    }

    @Test
    void aMemberWhosePlanForbidsExportsIsRefusedWithTheRule() {
        policy.export = Decision.refused("license_exceeded", "ACME has 12 admins and members for 10 licenses");
        ann("{\"product\":\"Backlog\"}")
                .assertError(403, "license_exceeded", null, "ACME has 12 admins and members for 10 licenses");
        assertEquals(List.of(), capture.recorded);
        assertEquals(List.of(), exports.calls);
    }

    @Test
    void theProductIsRequiredAndMustBeInstalledNow() {
        ann("{}").assertError(400, "invalid_field", "product", "is required, e.g. {\"product\":\"Backlog\"}");
        ann("{\"product\":null}")
                .assertError(400, "invalid_field", "product", "is required, e.g. {\"product\":\"Backlog\"}");
        ann("{\"product\":\"Typetalk\"}").assertError(400, "invalid_field", "product", "must be one of Apps, Backlog");
        ann("{\"product\":\"Cacoo\"}").assertError(400, "invalid_field", "product", "must be one of Apps, Backlog");
        ann("{\"product\":\"\"}").assertError(400, "invalid_field", "product", "must be a non-empty string");
        ann("{\"product\":7}").assertError(400, "invalid_field", "product", "must be a non-empty string");
        assertEquals(List.of(), exports.calls);
    }

    @Test
    void anUnknownFieldIsRefusedNamingIt() {
        ann("{\"product\":\"Backlog\",\"month\":\"202611\"}")
                .assertError(400, "invalid_field", "month", "unknown field; expected product");
    }

    @Test
    void aBodyThatIsNoJsonObjectIsRefused() {
        assertTrue(
                ann("{\"product\":").assertError(400, "malformed_json", null).startsWith("the body is not valid JSON"));
        ann("[\"Backlog\"]").assertError(400, "invalid_field", null, "the body must be a JSON object");
        ann("").assertError(400, "invalid_field", null, "the body must be a JSON object");
        assertTrue(ann("{\"product\":\"Backlog\",\"product\":\"Apps\"}")
                .assertError(400, "malformed_json", null)
                .contains("Duplicate field 'product'"));
    }

    @Test
    void theJobsAreListedNewestFirstUpToFifty() {
        exports.jobs.add(FakeExports.doneJob(7, "ACME"));
        exports.jobs.add(FakeExports.doneJob(8, "OTHER"));
        FakeRequest r = FakeRequest.get("v1/orgs/ACME/exports").caller(Fixtures.member(Fixtures.ANN_TOKEN));
        Answer a = Answer.of(() -> resource.list("ACME", r));
        assertEquals(200, a.status());
        assertEquals(List.of("jobs ACME 50"), exports.calls);
        JsonNode list = a.json().get("exports");
        assertEquals(1, list.size());
        JsonNode done = list.get(0);
        assertEquals("done", done.get("state").asText());
        assertEquals(1234, done.get("rows").asLong());
        assertEquals(
                "auditlog-20261101-20261120-Backlog-csv.zip",
                done.get("fileName").asText());
        assertEquals("2026-11-20T10:00:01.000Z", done.get("started").asText());
        assertEquals("2026-11-20T10:00:03.500Z", done.get("finished").asText());
        assertEquals(1, done.get("attempts").asInt());
    }

    @Test
    void lookingAtJobsNeedsThePrivilegeNotThePlansExports() {
        exports.jobs.add(FakeExports.doneJob(7, "ACME"));
        policy.export = Decision.refused("plan_overdue", "overdue");
        assertEquals(200, get(Fixtures.member(Fixtures.ANN_TOKEN), "7").status());
        policy.use = Decision.refused("not_audit_log_admin", "Bob does not hold the privilege");
        get(Fixtures.member(Fixtures.BOB_TOKEN), "7")
                .assertError(403, "not_audit_log_admin", null, "Bob does not hold the privilege");
    }

    @Test
    void oneJobByItsId() {
        exports.jobs.add(FakeExports.doneJob(7, "ACME"));
        Answer a = get(Fixtures.operator(), "7");
        assertEquals(200, a.status());
        assertEquals(7, a.json().get("id").asLong());
        assertEquals("/api/v1/orgs/ACME/exports/7", a.json().get("href").asText());
    }

    @Test
    void aJobOfNoneOrAnotherOrganizationIs404() {
        exports.jobs.add(FakeExports.doneJob(8, "OTHER"));
        get(Fixtures.operator(), "8").assertError(404, "not_found", null, "no export job 8 in this organization");
        get(Fixtures.operator(), "999999999999999999")
                .assertError(404, "not_found", null, "no export job 999999999999999999 in this organization");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-7", "07", "abc", "7.0", "1e3", "1000000000000000000", " 7"})
    void anIdThatIsNoPositiveWholeNumberIsRefused(String id) {
        get(Fixtures.operator(), id)
                .assertError(400, "invalid_field", "id", "must be a job id, a positive whole number");
        assertEquals(List.of(), exports.calls);
    }

    @Test
    void aFailedJobSaysWhy() {
        ExportJob failed = FakeExports.doneJob(9, "ACME")
                .with(
                        ExportJob.State.FAILED,
                        10,
                        null,
                        "the plan no longer allows exports",
                        Fixtures.NOW,
                        Fixtures.NOW,
                        2);
        exports.jobs.add(failed);
        JsonNode job = get(Fixtures.operator(), "9").json();
        assertEquals("failed", job.get("state").asText());
        assertEquals("the plan no longer allows exports", job.get("failure").asText());
        assertTrue(job.get("fileName").isNull());
    }
}
