package org.auditlog.product.backlog.internal;

import static org.auditlog.testing.V1Fields.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.testing.AdapterCase;
import org.auditlog.testing.AdapterRefusal;
import org.auditlog.testing.AdapterTable;
import org.auditlog.testing.V1Fields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each fixture under {@code backlog/} is a webhook body shaped as Backlog sends it; types that share a content
 * shape (wiki 5-7, file 8-10, pull request 18-21, milestone 22/24, members 15/16, groups 25/26) reuse one
 * fixture with another {@code type}.
 */
class BacklogAdapterTest {
    /** The admin of the fixtures: a Nulab account, so the id is the Nulab id. */
    private static final String ADMIN_ID = "Prm9ZD9DQD5snNW";

    private static final String ADMIN_EMAIL = "eguchi@nulab.example";

    /** A member without a Nulab account. */
    private static final String TARO_ID = "Xk2Lw9QaZ3mNpR7";

    private static final String TARO_EMAIL = "taro@example.com";

    private final BacklogAdapter adapter = new BacklogAdapter();
    private static final AdapterTable TABLE = new AdapterTable(
            new BacklogAdapter(), "/backlog/", ".json", new IngestContext("ACME", "203.0.113.7", "Backlog-Webhook"));

    /** Each webhook example, as it is, with another type of the same shape, or changed, and its V1 records. */
    static Stream<AdapterCase> examples() {
        V1Fields admin = v1(
                "2013-12-27T07:48:12Z",
                "Issue",
                "Add an issue",
                "SUB-121 was created in SUB",
                ADMIN_ID,
                "admin",
                ADMIN_EMAIL);
        V1Fields bulk = new V1Fields(
                Instant.parse("2014-01-07T05:30:00Z"),
                "Issue",
                "Update issues in bulk",
                null,
                ADMIN_ID,
                "admin",
                ADMIN_EMAIL,
                null);
        V1Fields wiki = v1("2014-08-05T03:35:08Z", "Wiki", null, null, TARO_ID, "Taro Suzuki", TARO_EMAIL);
        V1Fields file = v1("2014-08-04T02:01:52Z", "File", null, null, TARO_ID, "Taro Suzuki", TARO_EMAIL);
        V1Fields svn = v1(
                "2014-09-01T10:00:00Z",
                "Subversion",
                "Commit to Subversion",
                "Revision r1543 was committed to SUB",
                TARO_ID,
                "Taro Suzuki",
                TARO_EMAIL);
        V1Fields git = v1(
                "2015-02-10T08:20:00Z",
                "Git",
                "Push to a Git repository",
                "3 revisions were pushed to app (refs/heads/master) in SUB",
                TARO_ID,
                "Taro Suzuki",
                TARO_EMAIL);
        // This admin has no Nulab account: the id falls back to the Backlog user id; members are named by name only.
        V1Fields users = v1("2014-07-31T02:14:05Z", "Project", null, null, "admin", "admin", ADMIN_EMAIL);
        V1Fields groups = v1("2023-05-10T04:00:00Z", "Project", null, null, ADMIN_ID, "admin", ADMIN_EMAIL);
        // userId null, no Nulab account, no mail address: the numeric id and no email.
        V1Fields pullRequest = v1("2015-05-18T07:31:56Z", "Pull Request", null, null, "22222222", "Jiro Tanaka", null);
        V1Fields milestone = v1("2024-03-20T06:00:00Z", "Milestone", null, null, ADMIN_ID, "admin", ADMIN_EMAIL);
        return Stream.of(
                AdapterCase.of("issue_created", admin),
                AdapterCase.of(
                        "issue_updated",
                        v1(
                                "2013-12-27T07:50:44Z",
                                "Issue",
                                "Update an issue",
                                "SUB-121 was updated in SUB",
                                ADMIN_ID,
                                "admin",
                                ADMIN_EMAIL)),
                // a user without a Nulab account is identified by their user id
                AdapterCase.of(
                        "issue_commented",
                        v1(
                                "2024-03-01T00:15:00.123Z",
                                "Issue",
                                "Comment on an issue",
                                "SUB-121 was commented on in SUB",
                                "hanako",
                                "Hanako Yamada",
                                "hanako@example.com")),
                AdapterCase.of(
                        "issue_deleted",
                        v1(
                                "2014-01-06T02:00:00Z",
                                "Issue",
                                "Delete an issue",
                                "SUB-122 was deleted from SUB",
                                ADMIN_ID,
                                "admin",
                                ADMIN_EMAIL)),
                // one record per linked issue
                AdapterCase.of(
                        "issues_bulk_updated",
                        List.of(
                                bulk.withAction("SUB-121 was updated in SUB"),
                                bulk.withAction("SUB-123 was updated in SUB"),
                                bulk.withAction("SUB-127 was updated in SUB"))),
                AdapterCase.of(
                        "comment_notification_added",
                        v1(
                                "2014-01-08T00:00:00Z",
                                "Issue",
                                "Add a comment notification",
                                "A comment notification was added to SUB-19 in SUB",
                                ADMIN_ID,
                                "admin",
                                ADMIN_EMAIL)),
                typed(
                        "wiki_updated",
                        5,
                        wiki.as("Add a wiki page", "Wiki page \"Release checklist\" was created in SUB")),
                typed(
                        "wiki_updated",
                        6,
                        wiki.as("Update a wiki page", "Wiki page \"Release checklist\" was updated in SUB")),
                typed(
                        "wiki_updated",
                        7,
                        wiki.as("Delete a wiki page", "Wiki page \"Release checklist\" was deleted from SUB")),
                typed("file_added", 8, file.as("Add a file", "File \"/design/mockups/login-v2.png\" was added to SUB")),
                typed(
                        "file_added",
                        9,
                        file.as("Update a file", "File \"/design/mockups/login-v2.png\" was updated in SUB")),
                typed(
                        "file_added",
                        10,
                        file.as("Delete a file", "File \"/design/mockups/login-v2.png\" was deleted from SUB")),
                // the revision, not the message
                AdapterCase.of("svn_committed", svn),
                AdapterCase.changed(
                        "svn_committed with the revision as text",
                        "svn_committed",
                        e -> content(e).put("rev", "1544"),
                        svn.withAction("Revision r1544 was committed to SUB")),
                // the count, repository and ref, not the commit messages
                AdapterCase.of("git_pushed", git),
                AdapterCase.changed(
                        "git_pushed of one revision",
                        "git_pushed",
                        e -> content(e).put("revision_count", 1),
                        git.withAction("1 revision was pushed to app (refs/heads/master) in SUB")),
                AdapterCase.changed(
                        "git_pushed without a count",
                        "git_pushed",
                        e -> content(e).remove("revision_count"),
                        git),
                AdapterCase.of(
                        "git_repository_created",
                        v1(
                                "2015-02-01T00:00:00Z",
                                "Git",
                                "Add a Git repository",
                                "Git repository \"mobile-app\" was created in SUB",
                                ADMIN_ID,
                                "admin",
                                ADMIN_EMAIL)),
                typed(
                        "project_user_added",
                        15,
                        users.as("Add a user to the project", "Hanako Yamada, Taro Suzuki joined SUB")),
                typed(
                        "project_user_added",
                        16,
                        users.as("Remove a user from the project", "Hanako Yamada, Taro Suzuki were removed from SUB")),
                AdapterCase.changed(
                        "project_user_added as type 16, one user",
                        "project_user_added",
                        e -> {
                            e.put("type", 16);
                            ((List<?>) content(e).get("users")).remove(1);
                        },
                        users.as("Remove a user from the project", "Hanako Yamada was removed from SUB")),
                typed(
                        "project_group_added",
                        25,
                        groups.as("Add a group to the project", "Group \"Design\" was added to SUB")),
                typed(
                        "project_group_added",
                        26,
                        groups.as("Remove a group from the project", "Group \"Design\" was removed from SUB")),
                AdapterCase.changed(
                        "project_group_added, two groups",
                        "project_group_added",
                        e -> content(e)
                                .put(
                                        "parties",
                                        List.of(Map.of("id", 11, "name", "Design"), Map.of("id", 12, "name", "QA"))),
                        groups.as("Add a group to the project", "Groups \"Design\", \"QA\" were added to SUB")),
                typed(
                        "pull_request_added",
                        18,
                        pullRequest.as("Add a pull request", "Pull request #112 was created in app in SUB")),
                typed(
                        "pull_request_added",
                        19,
                        pullRequest.as("Update a pull request", "Pull request #112 was updated in app in SUB")),
                typed(
                        "pull_request_added",
                        21,
                        pullRequest.as("Merge a pull request", "Pull request #112 was merged in app in SUB")),
                AdapterCase.of(
                        "pull_request_commented",
                        v1(
                                "2015-05-19T01:02:03Z",
                                "Pull Request",
                                "Comment on a pull request",
                                "Pull request #112 was commented on in app in SUB",
                                "hanako",
                                "Hanako Yamada",
                                null)),
                typed(
                        "milestone_created",
                        22,
                        milestone.as("Add a milestone", "Milestone \"Release 2.5\" was created in SUB")),
                typed(
                        "milestone_created",
                        24,
                        milestone.as("Delete a milestone", "Milestone \"Release 2.5\" was deleted from SUB")),
                AdapterCase.of(
                        "milestone_updated",
                        v1(
                                "2024-04-25T06:00:00Z",
                                "Milestone",
                                "Update a milestone",
                                "Milestone \"Release 2.5\" was updated in SUB",
                                ADMIN_ID,
                                "admin",
                                ADMIN_EMAIL)),
                // a type this adapter does not map still gives a record
                AdapterCase.of(
                        "document_created",
                        v1(
                                "2024-06-01T00:00:00Z",
                                "Other",
                                "Activity type 36",
                                "Activity type 36 in SUB",
                                ADMIN_ID,
                                "admin",
                                ADMIN_EMAIL)));
    }

    /** The example with another type of the same content shape. */
    private static AdapterCase typed(String example, int type, V1Fields record) {
        return AdapterCase.changed(example + " as type " + type, example, e -> e.put("type", type), record);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void eachExampleBecomesItsV1Records(AdapterCase example) throws Exception {
        TABLE.assertRow(example);
        for (AuditRecord r : translateChecked(TABLE.input(example))) {
            assertEquals(0, r.id());
            assertNull(r.ipAddress(), "the server takes it from the forwarded headers");
            assertNull(r.userAgent(), "the server takes it from the forwarded headers");
            assertNull(r.version());
        }
    }

    @ParameterizedTest
    @CsvSource({"0", "27", "34", "47", "49", "1000"})
    void unknownTypesNeedNoContent(int type) throws Exception {
        Map<String, Object> json = withType(fixture("issue_updated"), type);
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
        assertEquals(
                List.of("Issue", "Wiki", "File", "Subversion", "Git", "Project", "Pull Request", "Milestone"),
                List.copyOf(catalog.keySet()));
        List<String> produced = new ArrayList<>();
        for (int type = 1; type <= 26; type++) {
            for (AuditRecord r : translateChecked(withType(fixture(fixtureFor(type)), type))) {
                assertNotEquals("Other", r.category(), "type " + type);
                assertTrue(
                        catalog.getOrDefault(r.category(), List.of()).contains(r.event()),
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

    /** Each event the adapter must refuse, and the field the refusal names. */
    static Stream<AdapterRefusal> refusals() {
        return Stream.of(
                // refusesAnEventThatIsNotOneActivity
                AdapterRefusal.of("List.of(fixture(\"issue_updated\"))", () -> List.of(fixture("issue_updated")), null),
                AdapterRefusal.of("\"SUB-121 was updated\"", () -> "SUB-121 was updated", null),
                // refusesMissingOrWrongTypedEnvelopeFields
                AdapterRefusal.of(
                        "without(fixture(\"issue_updated\"), \"type\")",
                        () -> without(fixture("issue_updated"), "type"),
                        "type"),
                AdapterRefusal.of(
                        "with(fixture(\"issue_updated\"), \"type\", \"2\")",
                        () -> with(fixture("issue_updated"), "type", "2"),
                        "type"),
                AdapterRefusal.of(
                        "with(fixture(\"issue_updated\"), \"type\", 2.5)",
                        () -> with(fixture("issue_updated"), "type", 2.5),
                        "type"),
                AdapterRefusal.of(
                        "without(fixture(\"issue_updated\"), \"project\")",
                        () -> without(fixture("issue_updated"), "project"),
                        "project"),
                AdapterRefusal.of(
                        "with(fixture(\"issue_updated\"), \"project\", \"SUB\")",
                        () -> with(fixture("issue_updated"), "project", "SUB"),
                        "project"),
                AdapterRefusal.changed(
                        "noKey", "issue_updated", e -> object(e, "project").remove("projectKey"), "project.projectKey"),
                AdapterRefusal.changed(
                        "numericKey",
                        "issue_updated",
                        e -> object(e, "project").put("projectKey", 92),
                        "project.projectKey"),
                AdapterRefusal.of(
                        "without(fixture(\"issue_updated\"), \"created\")",
                        () -> without(fixture("issue_updated"), "created"),
                        "created"),
                AdapterRefusal.of(
                        "with(fixture(\"issue_updated\"), \"created\", \"2013/12/27 07:50\")",
                        () -> with(fixture("issue_updated"), "created", "2013/12/27 07:50"),
                        "created"),
                AdapterRefusal.of(
                        "with(fixture(\"issue_updated\"), \"created\", \"2013-12-27T07:50:44\")",
                        () -> with(fixture("issue_updated"), "created", "2013-12-27T07:50:44"),
                        "created"),
                AdapterRefusal.of(
                        "with(fixture(\"issue_updated\"), \"created\", 1388130644)",
                        () -> with(fixture("issue_updated"), "created", 1388130644),
                        "created"),
                AdapterRefusal.of(
                        "without(fixture(\"issue_updated\"), \"createdUser\")",
                        () -> without(fixture("issue_updated"), "createdUser"),
                        "createdUser"),
                // refusesAnUnreadableActingUser
                AdapterRefusal.changed(
                        "noName", "issue_updated", e -> object(e, "createdUser").remove("name"), "createdUser.name"),
                AdapterRefusal.changed(
                        "blankName",
                        "issue_updated",
                        e -> object(e, "createdUser").put("name", " "),
                        "createdUser.name"),
                AdapterRefusal.changed(
                        "numericMail",
                        "issue_updated",
                        e -> object(e, "createdUser").put("mailAddress", 42),
                        "createdUser.mailAddress"),
                AdapterRefusal.changed(
                        "textAccount",
                        "issue_updated",
                        e -> object(e, "createdUser").put("nulabAccount", "Prm9ZD9DQD5snNW"),
                        "createdUser.nulabAccount"),
                AdapterRefusal.changed(
                        "numericNulabId",
                        "issue_updated",
                        e -> object(object(e, "createdUser"), "nulabAccount").put("nulabId", 7),
                        "createdUser.nulabAccount.nulabId"),
                AdapterRefusal.changed(
                        "textId",
                        "pull_request_added",
                        e -> object(e, "createdUser").put("id", "22222222"),
                        "createdUser.id"),
                // refusesIssueActivitiesThatDoNotNameTheIssue
                AdapterRefusal.of(
                        "without(fixture(\"issue_updated\"), \"content\")",
                        () -> without(fixture("issue_updated"), "content"),
                        "content"),
                AdapterRefusal.of(
                        "with(fixture(\"issue_updated\"), \"content\", List.of())",
                        () -> with(fixture("issue_updated"), "content", List.of()),
                        "content"),
                AdapterRefusal.changed(
                        "noKeyId", "issue_updated", e -> content(e).remove("key_id"), "content.key_id"),
                AdapterRefusal.changed(
                        "textKeyId", "issue_deleted", e -> content(e).put("key_id", "122"), "content.key_id"),
                AdapterRefusal.changed(
                        "notification",
                        "comment_notification_added",
                        e -> content(e).remove("key_id"),
                        "content.key_id"),
                // refusesABulkUpdateWithoutLinkedIssues
                AdapterRefusal.changed(
                        "empty", "issues_bulk_updated", e -> content(e).put("link", List.of()), "content.link"),
                AdapterRefusal.changed(
                        "missing", "issues_bulk_updated", e -> content(e).remove("link"), "content.link"),
                AdapterRefusal.changed(
                        "notAList",
                        "issues_bulk_updated",
                        e -> content(e).put("link", Map.of("key_id", 121)),
                        "content.link"),
                AdapterRefusal.changed(
                        "badLink",
                        "issues_bulk_updated",
                        e -> object((List<?>) content(e).get("link"), 1).remove("key_id"),
                        "content.link[1].key_id"),
                AdapterRefusal.changed(
                        "notAnObject",
                        "issues_bulk_updated",
                        e -> content(e).put("link", List.of(121)),
                        "content.link[0]"),
                // refusesItemsWithoutTheirName
                AdapterRefusal.changed(
                        "without content.name", "wiki_updated", e -> content(e).remove("name"), "content.name"),
                AdapterRefusal.changed(
                        "without content.name", "file_added", e -> content(e).remove("name"), "content.name"),
                AdapterRefusal.changed(
                        "without content.name",
                        "milestone_created",
                        e -> content(e).remove("name"),
                        "content.name"),
                AdapterRefusal.changed(
                        "without content.name",
                        "milestone_updated",
                        e -> content(e).remove("name"),
                        "content.name"),
                AdapterRefusal.changed(
                        "without content.rev", "svn_committed", e -> content(e).remove("rev"), "content.rev"),
                AdapterRefusal.changed(
                        "without content.repository",
                        "git_pushed",
                        e -> content(e).remove("repository"),
                        "content.repository"),
                AdapterRefusal.changed(
                        "without content.ref", "git_pushed", e -> content(e).remove("ref"), "content.ref"),
                AdapterRefusal.changed(
                        "without content.repository",
                        "git_repository_created",
                        e -> content(e).remove("repository"),
                        "content.repository"),
                AdapterRefusal.changed(
                        "without content.number",
                        "pull_request_added",
                        e -> content(e).remove("number"),
                        "content.number"),
                AdapterRefusal.changed(
                        "without content.repository",
                        "pull_request_added",
                        e -> content(e).remove("repository"),
                        "content.repository"),
                AdapterRefusal.changed(
                        "without content.users",
                        "project_user_added",
                        e -> content(e).remove("users"),
                        "content.users"),
                AdapterRefusal.changed(
                        "without content.parties",
                        "project_group_added",
                        e -> content(e).remove("parties"),
                        "content.parties"),
                AdapterRefusal.changed(
                        "noRepositoryName",
                        "git_pushed",
                        e -> object(content(e), "repository").remove("name"),
                        "content.repository.name"),
                AdapterRefusal.changed(
                        "noCount",
                        "git_pushed",
                        e -> {
                            content(e).remove("revision_count");
                            content(e).remove("revisions");
                        },
                        "content.revision_count"),
                AdapterRefusal.changed(
                        "noUsers", "project_user_added", e -> content(e).put("users", List.of()), "content.users"),
                AdapterRefusal.changed(
                        "nameless",
                        "project_user_added",
                        e -> object((List<?>) content(e).get("users"), 0).remove("name"),
                        "content.users[0].name"),
                AdapterRefusal.changed(
                        "fractionalNumber",
                        "pull_request_added",
                        e -> content(e).put("number", 112.5),
                        "content.number"),
                AdapterRefusal.changed(
                        "wikiNameAsNumber", "wiki_updated", e -> content(e).put("name", 5), "content.name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void eachRefusalNamesTheField(AdapterRefusal refusal) {
        TABLE.assertRefused(refusal);
    }

    // --- limits ----------------------------------------------------------------------------------------

    @Test
    void longNamesAreCutWithAnEllipsisSoTheActionFits() throws Exception {
        Map<String, Object> json = fixture("wiki_updated");
        content(json).put("name", "x".repeat(5000));
        String action = single(json).action();
        assertTrue(action.length() < 300, action);
        assertTrue(action.startsWith("Wiki page \"xxx") && action.endsWith("\u2026\" was updated in SUB"), action);

        Map<String, Object> crowd = fixture("project_user_added");
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
            case 1 -> "issue_created";
            case 2 -> "issue_updated";
            case 3 -> "issue_commented";
            case 4 -> "issue_deleted";
            case 5, 6, 7 -> "wiki_updated";
            case 8, 9, 10 -> "file_added";
            case 11 -> "svn_committed";
            case 12 -> "git_pushed";
            case 13 -> "git_repository_created";
            case 14 -> "issues_bulk_updated";
            case 15, 16 -> "project_user_added";
            case 17 -> "comment_notification_added";
            case 18, 19, 21 -> "pull_request_added";
            case 20 -> "pull_request_commented";
            case 22, 24 -> "milestone_created";
            case 23 -> "milestone_updated";
            case 25, 26 -> "project_group_added";
            default -> throw new IllegalArgumentException("no fixture for type " + type);
        };
    }

    private static Map<String, Object> fixture(String name) {
        return TABLE.example(name);
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
        return TABLE.translate(json);
    }

    /** Translates, and checks that no body text of the payload reached any record field. */
    private List<AuditRecord> translateChecked(Map<String, Object> json) throws PayloadRejectedException {
        List<AuditRecord> out = translate(json);
        List<String> bodies = new ArrayList<>();
        collectBodies(json, bodies);
        for (AuditRecord r : out) {
            for (String field : new String[] {
                r.spaceKey(),
                r.category(),
                r.event(),
                r.action(),
                r.operationUserId(),
                r.operationUserName(),
                r.operationUserEmail(),
                r.ipAddress(),
                r.userAgent(),
                r.version()
            }) {
                for (String body : bodies) {
                    assertFalse(
                            field != null && field.contains(body),
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
                boolean body = key.equals("description")
                        || key.equals("comment")
                        || key.equals("content")
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

    private void assertRejected(String field, Object json) {
        TABLE.assertRejected(field, json);
    }
}
