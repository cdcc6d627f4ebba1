package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.export.ArchiveFile;
import org.auditlog.api.export.DownloadFile;
import org.auditlog.api.store.DownloadGrant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mailed download links: {@code GET /api/v1/downloads/{token}}, {@code POST /api/v1/downloads} and {@code …/check}. */
class DownloadsResourceTest {
    static final String FILE = "auditlog-20261101-20261120-Backlog-csv.zip";
    static final Instant EXPIRES = Instant.parse("2026-11-21T09:00:00Z");

    final FakeExports exports = new FakeExports();
    final FakePolicy policy = new FakePolicy();
    final FakeCapture capture = new FakeCapture();
    final FakeOrgs orgs = new FakeOrgs();
    final DownloadsResource downloads =
            new DownloadsResource(exports, policy, orgs, new SelfAudit(policy, capture, () -> Fixtures.CLOCK));
    byte[] zip;

    @BeforeEach
    void aMailedLink(@TempDir Path dir) throws IOException {
        zip = new byte[] {'P', 'K', 5, 6};
        Path file = Files.write(dir.resolve(FILE), zip);
        exports.download = new DownloadFile(
                new DownloadGrant("g1", "ACME", 7, "u1", "export-7", Fixtures.NOW),
                new ArchiveFile(FILE, file, zip.length),
                EXPIRES);
    }

    FakeRequest request(Caller caller) {
        return FakeRequest.get("v1/downloads").caller(caller).header("User-Agent", "UA");
    }

    Answer get(Caller caller, String token) {
        return Answer.of(() -> downloads.download(token, request(caller), FakeHttp.request("203.0.113.5", false)));
    }

    Answer post(Caller caller, String body) {
        return Answer.of(() -> downloads.downloadPosted(body, request(caller), FakeHttp.request("203.0.113.5", false)));
    }

    Answer check(Caller caller, String body) {
        return Answer.of(() -> downloads.check(body, request(caller)));
    }

    static Caller ann() {
        return Fixtures.member(Fixtures.ANN_TOKEN);
    }

    @Test
    void theLinksFileIsAZipThatIsNotCached() {
        Answer a = get(ann(), "dl_abc");
        assertEquals(200, a.status());
        assertEquals("application/zip", a.type());
        assertEquals("attachment; filename=\"" + FILE + "\"", a.header("Content-Disposition"));
        assertEquals("4", a.header("Content-Length"));
        assertEquals("no-store", a.header("Cache-Control"));
        assertArrayEquals(zip, a.bytes());
        assertEquals(List.of("openDownload dl_abc"), exports.calls);
    }

    @Test
    void theDownloadIsRecordedInTheLinksOrganization() {
        get(ann(), "dl_abc");
        AuditRecord r = capture.recorded.get(0);
        assertEquals("ACME", r.spaceKey());
        assertEquals("Download audit logs", r.event());
        assertEquals(FILE + " was downloaded", r.action());
        assertEquals("u1", r.operationUserId());
    }

    @Test
    void theTokenInABodyGivesTheSameFile() {
        Answer a = post(ann(), "{\"token\":\"dl_abc\"}");
        assertEquals(200, a.status());
        assertEquals("no-store", a.header("Cache-Control"));
        assertArrayEquals(zip, a.bytes());
        assertEquals(List.of("openDownload dl_abc"), exports.calls);
        assertEquals(1, capture.recorded.size());
    }

    @Test
    void aCheckSaysWhatTheLinkOpensWithoutRecordingAnything() {
        Answer a = check(ann(), "{\"token\":\"dl_abc\"}");
        assertEquals(200, a.status());
        JsonNode b = a.json();
        assertEquals(List.of("spaceKey", "fileName", "size", "expires"), EventsResourceTest.names(b));
        assertEquals("ACME", b.get("spaceKey").asText());
        assertEquals(FILE, b.get("fileName").asText());
        assertEquals(4, b.get("size").asLong());
        assertEquals("2026-11-21T09:00:00.000Z", b.get("expires").asText());
        assertEquals(List.of(), capture.recorded);
    }

    @Test
    void aBodyWithoutTheTokenIsRefused() {
        for (String body : List.of("{}", "{\"token\":null}")) {
            post(ann(), body)
                    .assertError(400, "invalid_field", "token", "is required: the download token of the mailed link");
            check(ann(), body)
                    .assertError(400, "invalid_field", "token", "is required: the download token of the mailed link");
        }
        post(ann(), "{\"token\":\"dl_abc\",\"spaceKey\":\"ACME\"}")
                .assertError(400, "invalid_field", "spaceKey", "unknown field; expected token");
        post(ann(), "{\"token\":42}").assertError(400, "invalid_field", "token", "must be a non-empty string");
        assertEquals(List.of(), exports.calls);
    }

    @Test
    void aTokenLongerThanTwoHundredCharactersIsNoDownloadToken() {
        get(ann(), "d".repeat(201)).assertError(400, "invalid_field", "token", "is not a download token (too long)");
        check(ann(), "{\"token\":\"" + "d".repeat(201) + "\"}")
                .assertError(400, "invalid_field", "token", "is not a download token (too long)");
        assertEquals(List.of(), exports.calls);
        assertEquals(200, get(ann(), "d".repeat(200)).status());
    }

    @Test
    void anotherOrganizationsLinkIs403NamingTheToken() {
        get(Fixtures.member(Fixtures.OTHER_ORG_TOKEN), "dl_abc")
                .assertError(
                        403,
                        "foreign_download_link",
                        "token",
                        "this download link belongs to another organization; sign in as a member of that organization");
        check(Fixtures.member(Fixtures.OTHER_ORG_TOKEN), "{\"token\":\"dl_abc\"}")
                .assertError(
                        403,
                        "foreign_download_link",
                        "token",
                        "this download link belongs to another organization; sign in as a member of that organization");
        assertEquals(List.of(), capture.recorded);
    }

    @Test
    void aMemberThePlanOrPrivilegeRefusesGetsTheRule() {
        policy.export = Decision.refused("not_audit_log_admin", "Bob does not hold the Audit Log Admin privilege");
        get(Fixtures.member(Fixtures.BOB_TOKEN), "dl_abc")
                .assertError(403, "not_audit_log_admin", null, "Bob does not hold the Audit Log Admin privilege");
        assertEquals(List.of("mayExport ACME u2"), policy.asked);
        policy.export = Decision.refused("plan_overdue", "the plan is overdue");
        check(ann(), "{\"token\":\"dl_abc\"}").assertError(403, "plan_overdue", null, "the plan is overdue");
    }

    @Test
    void theLinksOwnStatesAreAnsweredAsTheReadmeLists() {
        // as the export bundle refuses them (ExportJobs.open)
        exports.refusal = new PolicyException(
                PolicyException.Kind.NOT_FOUND,
                "unknown_download_link",
                "token",
                "this download link is not known; check that it was copied whole");
        get(ann(), "dl_x")
                .assertError(
                        404,
                        "unknown_download_link",
                        "token",
                        "this download link is not known; check that it was copied whole");
        exports.refusal = new PolicyException(
                PolicyException.Kind.CONFLICT,
                "link_not_mailed_yet",
                "token",
                "the mail carrying this download link has not been sent yet");
        get(ann(), "dl_x")
                .assertError(
                        409,
                        "link_not_mailed_yet",
                        "token",
                        "the mail carrying this download link has not been sent yet");
        for (String rule : List.of("download_link_expired", "export_file_deleted", "link_not_delivered")) {
            exports.refusal = new PolicyException(PolicyException.Kind.GONE, rule, "token", "gone: " + rule);
            get(ann(), "dl_x").assertError(410, rule, "token", "gone: " + rule);
            check(ann(), "{\"token\":\"dl_x\"}").assertError(410, rule, "token", "gone: " + rule);
        }
        assertEquals(List.of(), capture.recorded);
    }
}
