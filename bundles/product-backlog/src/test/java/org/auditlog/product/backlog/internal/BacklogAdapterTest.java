package org.auditlog.product.backlog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Each fixture under {@code backlog/} is a webhook body shaped as Backlog sends it; types that share a content
 * shape (wiki 5-7, file 8-10, pull request 18-21, milestone 22/24, members 15/16, groups 25/26) reuse one
 * fixture with another {@code type}.
 */
class BacklogAdapterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The admin of the fixtures: a Nulab account, so the id is the Nulab id. */
    private static final String ADMIN_ID = "Prm9ZD9DQD5snNW";
    private static final String ADMIN_EMAIL = "eguchi@nulab.example";

    private final BacklogAdapter adapter = new BacklogAdapter();

    // --- issues ------------------------------------------------------------------------------------------

    @Test
    void issueCreated() throws Exception {
        AuditRecord r = single(fixture("issue_created.json"));
        assertRecord(r, "Issue", "Add an issue", "SUB-121 was created in SUB", "2013-12-27T07:48:12Z",
                ADMIN_ID, "admin", ADMIN_EMAIL);
    }

    @Test
    void issueUpdated() throws Exception {
        AuditRecord r = single(fixture("issue_updated.json"));
        assertRecord(r, "Issue", "Update an issue", "SUB-121 was updated in SUB", "2013-12-27T07:50:44Z",
                ADMIN_ID, "admin", ADMIN_EMAIL);
    }

    @Test
    void issueCommentedByAUserWithoutANulabAccountIsIdentifiedByTheirUserId() throws Exception {
        AuditRecord r = single(fixture("issue_commented.json"));
        assertRecord(r, "Issue", "Comment on an issue", "SUB-121 was commented on in SUB", "2024-03-01T00:15:00.123Z",
                "hanako", "Hanako Yamada", "hanako@example.com");
    }

    @Test
    void issueDeleted() throws Exception {
        AuditRecord r = single(fixture("issue_deleted.json"));
        assertRecord(r, "Issue", "Delete an issue", "SUB-122 was deleted from SUB", "2014-01-06T02:00:00Z",
                ADMIN_ID, "admin", ADMIN_EMAIL);
    }

    @Test
    void bulkUpdateGivesOneRecordPerLinkedIssue() throws Exception {
        List<AuditRecord> out = translateChecked(fixture("issues_bulk_updated.json"));
        assertEquals(List.of("SUB-121 was updated in SUB", "SUB-123 was updated in SUB", "SUB-127 was updated in SUB"),
                out.stream().map(AuditRecord::action).toList());
        for (AuditRecord r : out) {
            assertRecord(r, "Issue", "Update issues in bulk", r.action(), "2014-01-07T05:30:00Z",
                    ADMIN_ID, "admin", ADMIN_EMAIL);
        }
    }

    @Test
    void commentNotificationAdded() throws Exception {
        AuditRecord r = single(fixture("comment_notification_added.json"));
        assertRecord(r, "Issue", "Add a comment notification", "A comment notification was added to SUB-19 in SUB",
                "2014-01-08T00:00:00Z", ADMIN_ID, "admin", ADMIN_EMAIL);
    }

    // --- wiki, files -------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "5 | Add a wiki page    | Wiki page \"Release checklist\" was created in SUB",
            "6 | Update a wiki page | Wiki page \"Release checklist\" was updated in SUB",
            "7 | Delete a wiki page | Wiki page \"Release checklist\" was deleted from SUB"})
    void wikiPages(int type, String event, String action) throws Exception {
        AuditRecord r = single(withType(fixture("wiki_updated.json"), type));
        assertRecord(r, "Wiki", event, action, "2014-08-05T03:35:08Z", "Xk2Lw9QaZ3mNpR7", "Taro Suzuki",
                "taro@example.com");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "8  | Add a file    | File \"/design/mockups/login-v2.png\" was added to SUB",
            "9  | Update a file | File \"/design/mockups/login-v2.png\" was updated in SUB",
            "10 | Delete a file | File \"/design/mockups/login-v2.png\" was deleted from SUB"})
    void files(int type, String event, String action) throws Exception {
        AuditRecord r = single(withType(fixture("file_added.json"), type));
        assertRecord(r, "File", event, action, "2014-08-04T02:01:52Z", "Xk2Lw9QaZ3mNpR7", "Taro Suzuki",
                "taro@example.com");
    }

    // --- Subversion, Git ---------------------------------------------------------------------------------

    @Test
    void svnCommitNamesTheRevisionNotTheMessage() throws Exception {
        AuditRecord r = single(fixture("svn_committed.json"));
        assertRecord(r, "Subversion", "Commit to Subversion", "Revision r1543 was committed to SUB",
                "2014-09-01T10:00:00Z", "Xk2Lw9QaZ3mNpR7", "Taro Suzuki", "taro@example.com");

        Map<String, Object> revisionAsText = fixture("svn_committed.json");
        content(revisionAsText).put("rev", "1544");
        assertEquals("Revision r1544 was committed to SUB", single(revisionAsText).action());
    }

    @Test
    void gitPushNamesTheCountRepositoryAndRefNotTheCommitMessages() throws Exception {
        AuditRecord r = single(fixture("git_pushed.json"));
        assertRecord(r, "Git", "Push to a Git repository", "3 revisions were pushed to app (refs/heads/master) in SUB",
                "2015-02-10T08:20:00Z", "Xk2Lw9QaZ3mNpR7", "Taro Suzuki", "taro@example.com");
    }

    @Test
    void gitPushOfOneRevisionAndPushWithoutACount() throws Exception {
        Map<String, Object> one = fixture("git_pushed.json");
        content(one).put("revision_count", 1);
        assertEquals("1 revision was pushed to app (refs/heads/master) in SUB", single(one).action());

        Map<String, Object> noCount = fixture("git_pushed.json");
        content(noCount).remove("revision_count");
        assertEquals("3 revisions were pushed to app (refs/heads/master) in SUB", single(noCount).action());
    }

    @Test
    void gitRepositoryCreated() throws Exception {
        AuditRecord r = single(fixture("git_repository_created.json"));
        assertRecord(r, "Git", "Add a Git repository", "Git repository \"mobile-app\" was created in SUB",
                "2015-02-01T00:00:00Z", ADMIN_ID, "admin", ADMIN_EMAIL);
    }

    // --- project members ---------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "15 | Add a user to the project      | Hanako Yamada, Taro Suzuki joined SUB",
            "16 | Remove a user from the project | Hanako Yamada, Taro Suzuki were removed from SUB"})
    void projectUsersAreNamedByNameOnly(int type, String event, String action) throws Exception {
        AuditRecord r = single(withType(fixture("project_user_added.json"), type));
        // This admin has no Nulab account: the id falls back to the Backlog user id.
        assertRecord(r, "Project", event, action, "2014-07-31T02:14:05Z", "admin", "admin", ADMIN_EMAIL);
        assertFalse(r.action().contains("@"), "no member email in the action");
    }

    @Test
    void oneProjectUserRemoved() throws Exception {
        Map<String, Object> json = withType(fixture("project_user_added.json"), 16);
        ((List<?>) content(json).get("users")).remove(1);
        assertEquals("Hanako Yamada was removed from SUB", single(json).action());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "25 | Add a group to the project      | Group \"Design\" was added to SUB",
            "26 | Remove a group from the project | Group \"Design\" was removed from SUB"})
    void projectGroups(int type, String event, String action) throws Exception {
        AuditRecord r = single(withType(fixture("project_group_added.json"), type));
        assertRecord(r, "Project", event, action, "2023-05-10T04:00:00Z", ADMIN_ID, "admin", ADMIN_EMAIL);
    }

    @Test
    void severalGroupsAdded() throws Exception {
        Map<String, Object> json = fixture("project_group_added.json");
        content(json).put("parties", List.of(Map.of("id", 11, "name", "Design"), Map.of("id", 12, "name", "QA")));
        assertEquals("Groups \"Design\", \"QA\" were added to SUB", single(json).action());
    }

    // --- pull requests -----------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "18 | Add a pull request    | Pull request #112 was created in app in SUB",
            "19 | Update a pull request | Pull request #112 was updated in app in SUB",
            "21 | Merge a pull request  | Pull request #112 was merged in app in SUB"})
    void pullRequestsByAUserKnownOnlyByNumericId(int type, String event, String action) throws Exception {
        AuditRecord r = single(withType(fixture("pull_request_added.json"), type));
        // userId null, no Nulab account, no mail address: the numeric id and no email.
        assertRecord(r, "Pull Request", event, action, "2015-05-18T07:31:56Z", "22222222", "Jiro Tanaka", null);
    }

    @Test
    void pullRequestCommented() throws Exception {
        AuditRecord r = single(fixture("pull_request_commented.json"));
        assertRecord(r, "Pull Request", "Comment on a pull request", "Pull request #112 was commented on in app in SUB",
                "2015-05-19T01:02:03Z", "hanako", "Hanako Yamada", null);
    }

    // --- milestones --------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "22 | Add a milestone    | Milestone \"Release 2.5\" was created in SUB",
            "24 | Delete a milestone | Milestone \"Release 2.5\" was deleted from SUB"})
    void milestones(int type, String event, String action) throws Exception {
        AuditRecord r = single(withType(fixture("milestone_created.json"), type));
        assertRecord(r, "Milestone", event, action, "2024-03-20T06:00:00Z", ADMIN_ID, "admin", ADMIN_EMAIL);
    }

    @Test
    void milestoneUpdated() throws Exception {
        AuditRecord r = single(fixture("milestone_updated.json"));
        assertRecord(r, "Milestone", "Update a milestone", "Milestone \"Release 2.5\" was updated in SUB",
                "2024-04-25T06:00:00Z", ADMIN_ID, "admin", ADMIN_EMAIL);
    }

    // --- types this adapter does not map ---------------------------------------------------------------

    @Test
    void anUnmappedTypeStillGivesARecord() throws Exception {
        AuditRecord r = single(fixture("document_created.json"));
        assertRecord(r, "Other", "Activity type 36", "Activity type 36 in SUB", "2024-06-01T00:00:00Z",
                ADMIN_ID, "admin", ADMIN_EMAIL);
    }

    @ParameterizedTest
    @CsvSource({"0", "27", "34", "47", "49", "1000"})
    void unknownTypesNeedNoContent(int type) throws Exception {
        Map<String, Object> json = withType(fixture("issue_updated.json"), type);
        json.remove("content");
        AuditRecord r = single(json);
        assertEquals("Other", r.category());
        assertEquals("Activity type " + type, r.event());
        assertEquals("Activity type " + type + " in SUB", r.action());
    }

    // --- every type, and the catalog -----------------------------------------------------------------

    @Test
    void everyTypeFromOneTo26IsMappedAndListedInTheCatalog() throws Exception {
        Map<String, List<String>> catalog = adapter.catalog().eventsByCategory();
        assertEquals(List.of("Issue", "Wiki", "File", "Subversion", "Git", "Project", "Pull Request", "Milestone"),
                List.copyOf(catalog.keySet()));
        List<String> produced = new ArrayList<>();
        for (int type = 1; type <= 26; type++) {
            for (AuditRecord r : translateChecked(withType(fixture(fixtureFor(type)), type))) {
                assertNotEquals("Other", r.category(), "type " + type);
                assertTrue(catalog.getOrDefault(r.category(), List.of()).contains(r.event()),
                        "type " + type + ": " + r.category() + " / " + r.event() + " is in the catalog");
                if (!produced.contains(r.event())) {
                    produced.add(r.event());
                }
            }
        }
        assertEquals(26, produced.size(), "each type has its own event: " + produced);
        assertEquals(26, catalog.values().stream().mapToInt(List::size).sum(), "the catalog lists nothing more");
        assertFalse(catalog.containsKey("Other"));
        assertEquals("Backlog", adapter.product());
    }

    // --- rejections ------------------------------------------------------------------------------------

    @Test
    void refusesAnEventThatIsNotOneActivity() throws Exception {
        assertRejected(null, List.of(fixture("issue_updated.json")));
        assertRejected(null, "SUB-121 was updated");
    }

    @Test
    void refusesMissingOrWrongTypedEnvelopeFields() throws Exception {
        assertRejected("type", without(fixture("issue_updated.json"), "type"));
        assertRejected("type", with(fixture("issue_updated.json"), "type", "2"));
        assertRejected("type", with(fixture("issue_updated.json"), "type", 2.5));
        assertRejected("project", without(fixture("issue_updated.json"), "project"));
        assertRejected("project", with(fixture("issue_updated.json"), "project", "SUB"));
        Map<String, Object> noKey = fixture("issue_updated.json");
        object(noKey, "project").remove("projectKey");
        assertRejected("project.projectKey", noKey);
        Map<String, Object> numericKey = fixture("issue_updated.json");
        object(numericKey, "project").put("projectKey", 92);
        assertRejected("project.projectKey", numericKey);
        assertRejected("created", without(fixture("issue_updated.json"), "created"));
        assertRejected("created", with(fixture("issue_updated.json"), "created", "2013/12/27 07:50"));
        assertRejected("created", with(fixture("issue_updated.json"), "created", "2013-12-27T07:50:44"));
        assertRejected("created", with(fixture("issue_updated.json"), "created", 1388130644));
        assertRejected("createdUser", without(fixture("issue_updated.json"), "createdUser"));
    }

    @Test
    void refusesAnUnreadableActingUser() throws Exception {
        Map<String, Object> noName = fixture("issue_updated.json");
        object(noName, "createdUser").remove("name");
        assertRejected("createdUser.name", noName);
        Map<String, Object> blankName = fixture("issue_updated.json");
        object(blankName, "createdUser").put("name", " ");
        assertRejected("createdUser.name", blankName);
        Map<String, Object> numericMail = fixture("issue_updated.json");
        object(numericMail, "createdUser").put("mailAddress", 42);
        assertRejected("createdUser.mailAddress", numericMail);
        Map<String, Object> textAccount = fixture("issue_updated.json");
        object(textAccount, "createdUser").put("nulabAccount", "Prm9ZD9DQD5snNW");
        assertRejected("createdUser.nulabAccount", textAccount);
        Map<String, Object> numericNulabId = fixture("issue_updated.json");
        object(object(numericNulabId, "createdUser"), "nulabAccount").put("nulabId", 7);
        assertRejected("createdUser.nulabAccount.nulabId", numericNulabId);
        Map<String, Object> textId = fixture("pull_request_added.json");
        object(textId, "createdUser").put("id", "22222222");
        assertRejected("createdUser.id", textId);
    }

    @Test
    void refusesIssueActivitiesThatDoNotNameTheIssue() throws Exception {
        assertRejected("content", without(fixture("issue_updated.json"), "content"));
        assertRejected("content", with(fixture("issue_updated.json"), "content", List.of()));
        Map<String, Object> noKeyId = fixture("issue_updated.json");
        content(noKeyId).remove("key_id");
        assertRejected("content.key_id", noKeyId);
        Map<String, Object> textKeyId = fixture("issue_deleted.json");
        content(textKeyId).put("key_id", "122");
        assertRejected("content.key_id", textKeyId);
        Map<String, Object> notification = fixture("comment_notification_added.json");
        content(notification).remove("key_id");
        assertRejected("content.key_id", notification);
    }

    @Test
    void refusesABulkUpdateWithoutLinkedIssues() throws Exception {
        Map<String, Object> empty = fixture("issues_bulk_updated.json");
        content(empty).put("link", List.of());
        assertRejected("content.link", empty);
        Map<String, Object> missing = fixture("issues_bulk_updated.json");
        content(missing).remove("link");
        assertRejected("content.link", missing);
        Map<String, Object> notAList = fixture("issues_bulk_updated.json");
        content(notAList).put("link", Map.of("key_id", 121));
        assertRejected("content.link", notAList);
        Map<String, Object> badLink = fixture("issues_bulk_updated.json");
        object((List<?>) content(badLink).get("link"), 1).remove("key_id");
        assertRejected("content.link[1].key_id", badLink);
        Map<String, Object> notAnObject = fixture("issues_bulk_updated.json");
        content(notAnObject).put("link", List.of(121));
        assertRejected("content.link[0]", notAnObject);
    }

    @Test
    void refusesItemsWithoutTheirName() throws Exception {
        assertContentRejected("wiki_updated.json", "name", "content.name");
        assertContentRejected("file_added.json", "name", "content.name");
        assertContentRejected("milestone_created.json", "name", "content.name");
        assertContentRejected("milestone_updated.json", "name", "content.name");
        assertContentRejected("svn_committed.json", "rev", "content.rev");
        assertContentRejected("git_pushed.json", "repository", "content.repository");
        assertContentRejected("git_pushed.json", "ref", "content.ref");
        assertContentRejected("git_repository_created.json", "repository", "content.repository");
        assertContentRejected("pull_request_added.json", "number", "content.number");
        assertContentRejected("pull_request_added.json", "repository", "content.repository");
        assertContentRejected("project_user_added.json", "users", "content.users");
        assertContentRejected("project_group_added.json", "parties", "content.parties");

        Map<String, Object> noRepositoryName = fixture("git_pushed.json");
        object(content(noRepositoryName), "repository").remove("name");
        assertRejected("content.repository.name", noRepositoryName);
        Map<String, Object> noCount = fixture("git_pushed.json");
        content(noCount).remove("revision_count");
        content(noCount).remove("revisions");
        assertRejected("content.revision_count", noCount);
        Map<String, Object> noUsers = fixture("project_user_added.json");
        content(noUsers).put("users", List.of());
        assertRejected("content.users", noUsers);
        Map<String, Object> nameless = fixture("project_user_added.json");
        object((List<?>) content(nameless).get("users"), 0).remove("name");
        assertRejected("content.users[0].name", nameless);
        Map<String, Object> fractionalNumber = fixture("pull_request_added.json");
        content(fractionalNumber).put("number", 112.5);
        assertRejected("content.number", fractionalNumber);
        Map<String, Object> wikiNameAsNumber = fixture("wiki_updated.json");
        content(wikiNameAsNumber).put("name", 5);
        assertRejected("content.name", wikiNameAsNumber);
    }

    // --- limits ----------------------------------------------------------------------------------------

    @Test
    void longNamesAreCutWithAnEllipsisSoTheActionFits() throws Exception {
        Map<String, Object> json = fixture("wiki_updated.json");
        content(json).put("name", "x".repeat(5000));
        String action = single(json).action();
        assertTrue(action.length() < 300, action);
        assertTrue(action.startsWith("Wiki page \"xxx") && action.endsWith("\u2026\" was updated in SUB"), action);

        Map<String, Object> crowd = fixture("project_user_added.json");
        List<Object> users = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            users.add(Map.of("id", i, "name", "Member number " + i));
        }
        content(crowd).put("users", users);
        assertTrue(single(crowd).action().length() < 1024);
    }

    @Test
    void shortenKeepsSurrogatePairsWhole() {
        String cut = BacklogAdapter.shorten("a".repeat(8) + "\uD83D\uDE00" + "b".repeat(10), 10);
        assertEquals("a".repeat(8) + "\u2026", cut);
        assertEquals("short", BacklogAdapter.shorten("short", 10));
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static String fixtureFor(int type) {
        return switch (type) {
            case 1 -> "issue_created.json";
            case 2 -> "issue_updated.json";
            case 3 -> "issue_commented.json";
            case 4 -> "issue_deleted.json";
            case 5, 6, 7 -> "wiki_updated.json";
            case 8, 9, 10 -> "file_added.json";
            case 11 -> "svn_committed.json";
            case 12 -> "git_pushed.json";
            case 13 -> "git_repository_created.json";
            case 14 -> "issues_bulk_updated.json";
            case 15, 16 -> "project_user_added.json";
            case 17 -> "comment_notification_added.json";
            case 18, 19, 21 -> "pull_request_added.json";
            case 20 -> "pull_request_commented.json";
            case 22, 24 -> "milestone_created.json";
            case 23 -> "milestone_updated.json";
            case 25, 26 -> "project_group_added.json";
            default -> throw new IllegalArgumentException("no fixture for type " + type);
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture(String name) throws IOException {
        try (InputStream in = BacklogAdapterTest.class.getResourceAsStream("/backlog/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return (Map<String, Object>) JSON.readValue(in, Object.class);
        }
    }

    private static Map<String, Object> withType(Map<String, Object> json, int type) {
        json.put("type", type);
        return json;
    }

    private static Map<String, Object> with(Map<String, Object> json, String field, Object value) {
        json.put(field, value);
        return json;
    }

    private static Map<String, Object> without(Map<String, Object> json, String field) {
        json.remove(field);
        return json;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> json, String field) {
        return (Map<String, Object>) json.get(field);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(List<?> list, int index) {
        return (Map<String, Object>) list.get(index);
    }

    private static Map<String, Object> content(Map<String, Object> json) {
        return object(json, "content");
    }

    private List<AuditRecord> translate(Object json) throws PayloadRejectedException {
        return adapter.translate(new NativePayload("application/json", json, NativePayload.SINGLE),
                new IngestContext("ACME", "203.0.113.7", "Backlog-Webhook"));
    }

    /** Translates, and checks that no body text of the payload reached any record field. */
    private List<AuditRecord> translateChecked(Map<String, Object> json) throws PayloadRejectedException {
        List<AuditRecord> out = translate(json);
        List<String> bodies = new ArrayList<>();
        collectBodies(json, bodies);
        for (AuditRecord r : out) {
            for (String field : new String[] {r.spaceKey(), r.category(), r.event(), r.action(), r.operationUserId(),
                    r.operationUserName(), r.operationUserEmail(), r.ipAddress(), r.userAgent(), r.version()}) {
                for (String body : bodies) {
                    assertFalse(field != null && field.contains(body),
                            "body text \"" + body + "\" was copied into \"" + field + "\"");
                }
            }
        }
        return out;
    }

    /** Descriptions, comments (of issues, pull requests, commits, member changes), wiki contents and diffs. */
    private static void collectBodies(Object node, List<String> bodies) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                boolean body = key.equals("description") || key.equals("comment") || key.equals("content")
                        || key.equals("diff");
                if (body && e.getValue() instanceof String text && !text.isBlank()) {
                    bodies.add(text);
                }
                collectBodies(e.getValue(), bodies);
            }
        } else if (node instanceof List<?> list) {
            list.forEach(element -> collectBodies(element, bodies));
        }
    }

    private AuditRecord single(Map<String, Object> json) throws PayloadRejectedException {
        List<AuditRecord> out = translateChecked(json);
        assertEquals(1, out.size(), "records: " + out);
        return out.get(0);
    }

    private static void assertRecord(AuditRecord r, String category, String event, String action, String date,
            String userId, String userName, String email) {
        assertEquals(0, r.id());
        assertNull(r.spaceKey(), "the ingest token gives the organization");
        assertEquals("Backlog", r.product());
        assertEquals(Instant.parse(date), r.date());
        assertEquals(category, r.category());
        assertEquals(event, r.event());
        assertEquals(action, r.action());
        assertEquals(userId, r.operationUserId());
        assertEquals(userName, r.operationUserName());
        assertEquals(email, r.operationUserEmail());
        assertNull(r.ipAddress(), "the server takes it from the forwarded headers");
        assertNull(r.userAgent(), "the server takes it from the forwarded headers");
        assertNull(r.version());
    }

    private void assertContentRejected(String fixture, String field, String path) throws Exception {
        Map<String, Object> json = fixture(fixture);
        content(json).remove(field);
        assertRejected(path, json);
    }

    private void assertRejected(String field, Object json) {
        PayloadRejectedException e = assertThrows(PayloadRejectedException.class, () -> translate(json));
        assertEquals(field, e.field(), e.getMessage());
    }
}
