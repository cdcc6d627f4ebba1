package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.export.ArchiveFile;
import org.auditlog.api.export.PastMonth;
import org.auditlog.api.store.StoreException;
import org.auditlog.testing.MemoryAuditStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Past months: {@code GET /api/v1/orgs/{spaceKey}/archives} and {@code …/archives/{YYYYMM}/{product}}. */
class ArchivesResourceTest {
    final FakeExports exports = new FakeExports();
    final MemoryAuditStore store = new MemoryAuditStore();
    final FakePolicy policy = new FakePolicy();
    final FakeCapture capture = new FakeCapture();
    final FakeOrgs orgs = new FakeOrgs();
    final ArchivesResource archives = new ArchivesResource(
            exports, policy, capture, orgs, new SelfAudit(policy, capture, () -> Fixtures.CLOCK), store);
    byte[] zip;

    @BeforeEach
    void aBuiltFile(@TempDir Path dir) throws IOException {
        zip = new byte[] {'P', 'K', 3, 4, 1, 2, 3};
        Path file = Files.write(dir.resolve("auditlog-202610-Backlog-csv.zip"), zip);
        exports.archive = new ArchiveFile("auditlog-202610-Backlog-csv.zip", file, zip.length);
    }

    Answer download(Caller caller, String month, String product) {
        FakeRequest r = FakeRequest.get("v1/orgs/ACME/archives/" + month + "/" + product)
                .caller(caller)
                .header("User-Agent", "Browser/2.0");
        return Answer.of(() -> archives.download("ACME", month, product, r, FakeHttp.request("203.0.113.9", false)));
    }

    Answer ann(String month, String product) {
        return download(Fixtures.member(Fixtures.ANN_TOKEN), month, product);
    }

    @Test
    void aPastMonthIsAZipNamedForTheBrowserWithItsLength() {
        Answer a = ann("202610", "Backlog");
        assertEquals(200, a.status());
        assertEquals("application/zip", a.type());
        assertEquals("attachment; filename=\"auditlog-202610-Backlog-csv.zip\"", a.header("Content-Disposition"));
        assertEquals("7", a.header("Content-Length"));
        assertArrayEquals(zip, a.bytes());
        assertEquals(List.of("pastMonth ACME 2026-10 Backlog"), exports.calls);
    }

    @Test
    void theDownloadIsRecordedInTheOrganizationsLogByTheMember() {
        ann("202610", "Backlog");
        assertEquals(1, capture.recorded.size());
        AuditRecord r = capture.recorded.get(0);
        assertEquals("Download audit logs", r.event());
        assertEquals("auditlog-202610-Backlog-csv.zip was downloaded", r.action());
        assertEquals("Audit log", r.category());
        assertEquals("u1", r.operationUserId());
        assertEquals("203.0.113.9", r.ipAddress());
        assertEquals("Browser/2.0", r.userAgent());
    }

    @Test
    void aDownloadWhoseRecordCannotBeWrittenSendsNoFile() {
        capture.recordFailure = new StoreException("the write queue is full", null);
        Answer a = ann("202610", "Backlog");
        assertTrue(a.assertError(503, "audit_unavailable", null).startsWith("'Download audit logs' was not done"));
        assertEquals("5", a.header("Retry-After"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-10",
                "20261",
                "2026100",
                "1202610",
                "20261001",
                "-202610",
                "+202610",
                "202613",
                "202600",
                "abcdef",
                "10/2026",
                "２０２６１０",
                ""
            })
    void aMonthNotWrittenYyyymmIsRefusedBeforeAnythingElse(String month) {
        ann(month, "Backlog").assertError(400, "invalid_field", "month", "must be a month written YYYYMM, e.g. 202610");
        assertEquals(List.of(), policy.asked, "refused before the rules are asked");
        assertEquals(List.of(), exports.calls);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1Backlog", "Back-log", "Back.log", "..", "Backlog.zip", "_", "Backlog ", "Bäcklog"})
    void aProductNameThatCouldNotBeAFileNameIsRefused(String product) {
        ann("202610", product)
                .assertError(
                        400,
                        "invalid_field",
                        "product",
                        "must be a product name: a letter, then up to 31 letters or digits");
        assertEquals(List.of(), exports.calls, "no file is looked for");
    }

    @Test
    void aProductNameOfThirtyThreeCharactersIsRefusedAndOfThirtyTwoIsLookedUp() {
        ann("202610", "B" + "x".repeat(32))
                .assertError(
                        400,
                        "invalid_field",
                        "product",
                        "must be a product name: a letter, then up to 31 letters or digits");
        ann("202610", "B" + "x".repeat(31))
                .assertError(
                        404,
                        "unknown_product",
                        "product",
                        "the server has never had an adapter for the product B" + "x".repeat(31));
    }

    @Test
    void aProductTheServerNeverHadIs404AndNoFileIsMade() {
        ann("202610", "Typetalk")
                .assertError(
                        404,
                        "unknown_product",
                        "product",
                        "the server has never had an adapter for the product Typetalk");
        ann("202610", "backlog")
                .assertError(
                        404,
                        "unknown_product",
                        "product",
                        "the server has never had an adapter for the product backlog");
        assertEquals(List.of(), exports.calls);
        assertEquals(List.of(), capture.recorded);
    }

    @Test
    void aProductWhoseAdapterIsGoneStillHasItsPastMonths() {
        assertEquals(200, ann("202610", "Cacoo").status());
        assertEquals(List.of("pastMonth ACME 2026-10 Cacoo"), exports.calls);
    }

    @Test
    void aMemberWhosePlanForbidsDownloadsIsRefusedWithTheRule() {
        policy.export = Decision.refused("plan_overdue", "the plan of ACME is overdue: downloads wait for the payment");
        ann("202610", "Backlog")
                .assertError(403, "plan_overdue", null, "the plan of ACME is overdue: downloads wait for the payment");
        assertEquals(List.of("mayExport ACME u1"), policy.asked);
        assertEquals(List.of(), exports.calls);
    }

    @Test
    void theOperatorDownloadsWithoutThePlanRulesAndIsRecordedAsNulabSupport() {
        policy.export = Decision.refused("plan_overdue", "overdue");
        assertEquals(200, download(Fixtures.operator(), "202610", "Backlog").status());
        assertEquals("Nulab Support", capture.recorded.get(0).operationUserName());
    }

    @Test
    void theOperatorAskingForAMissingOrganizationGets404() {
        FakeRequest r = FakeRequest.get("v1/orgs/NOPE/archives/202610/Backlog").caller(Fixtures.operator());
        Answer.of(() -> archives.download("NOPE", "202610", "Backlog", r, FakeHttp.request("203.0.113.9", false)))
                .assertError(404, "no_such_organization", null, "there is no organization NOPE");
    }

    @Test
    void aMonthOutsideTheRetentionWindowIsTheExportServicesRefusal() {
        // the export bundle refuses these two with these rules (ZipExportService.pastMonth)
        exports.refusal = new PolicyException(
                PolicyException.Kind.INVALID,
                "beyond_retention",
                "month",
                "2025-10 is older than the 12 past months that are kept");
        ann("202510", "Backlog")
                .assertError(
                        400, "beyond_retention", "month", "2025-10 is older than the 12 past months that are kept");
        exports.refusal = new PolicyException(
                PolicyException.Kind.INVALID,
                "not_a_past_month",
                "month",
                "2026-11 is not over yet; the current month is exported with POST /exports");
        ann("202611", "Backlog")
                .assertError(
                        400,
                        "not_a_past_month",
                        "month",
                        "2026-11 is not over yet; the current month is exported with POST /exports");
        assertEquals(List.of(), capture.recorded, "a refused download is not recorded");
    }

    @Test
    void theListHasEachPastMonthPerKnownProductWithItsLink() {
        exports.months.add(new PastMonth(YearMonth.of(2026, 10), "Backlog", "auditlog-202610-Backlog-csv.zip", 2048L));
        exports.months.add(new PastMonth(YearMonth.of(2026, 9), "Apps", "auditlog-202609-Apps-csv.zip", null));
        // a record of September (before the organization was created, in October) makes September its log's first
        store.add("ACME", "2026-09-30T23:00:00Z");
        store.add("ACME", "2026-09-12T10:00:00Z");
        FakeRequest r = FakeRequest.get("v1/orgs/ACME/archives").caller(Fixtures.member(Fixtures.ANN_TOKEN));
        Answer a = Answer.of(() -> archives.list("ACME", r));
        assertEquals(200, a.status());
        assertEquals(List.of("pastMonths ACME [Apps, Backlog, Cacoo]"), exports.calls);
        JsonNode list = a.json().get("archives");
        assertEquals(2, list.size());
        JsonNode first = list.get(0);
        assertEquals(
                List.of("month", "product", "fileName", "size", "href", "events"), EventsResourceTest.names(first));
        assertEquals("202610", first.get("month").asText());
        assertEquals("Backlog", first.get("product").asText());
        assertEquals("auditlog-202610-Backlog-csv.zip", first.get("fileName").asText());
        assertEquals(2048, first.get("size").asLong());
        assertEquals(
                "/api/v1/orgs/ACME/archives/202610/Backlog", first.get("href").asText());
        assertTrue(list.get(1).get("size").isNull(), "not built yet");
        assertEquals("202609", list.get(1).get("month").asText());
        assertEquals(0, first.get("events").asLong(), "a month without events");
        assertEquals(2, list.get(1).get("events").asLong());
    }

    @Test
    void theListBeginsWithTheMonthTheOrganizationWasCreatedIn() {
        for (int m = 1; m <= 10; m++) {
            exports.months.add(
                    new PastMonth(YearMonth.of(2026, m), "Apps", "auditlog-2026" + m + "-Apps-csv.zip", null));
        }
        FakeRequest r = FakeRequest.get("v1/orgs/ACME/archives").caller(Fixtures.member(Fixtures.ANN_TOKEN));
        JsonNode list = Answer.of(() -> archives.list("ACME", r)).json().get("archives");
        assertEquals(1, list.size(), "created in October 2026: " + list);
        assertEquals("202610", list.get(0).get("month").asText());
    }

    @Test
    void theListNeedsThePrivilegeNotThePlansDownloads() {
        policy.export = Decision.refused("plan_overdue", "overdue");
        FakeRequest r = FakeRequest.get("v1/orgs/ACME/archives").caller(Fixtures.member(Fixtures.ANN_TOKEN));
        assertEquals(200, Answer.of(() -> archives.list("ACME", r)).status());
        policy.use = Decision.refused("not_audit_log_admin", "Ann does not hold the privilege");
        Answer.of(() -> archives.list("ACME", r))
                .assertError(403, "not_audit_log_admin", null, "Ann does not hold the privilege");
    }
}
