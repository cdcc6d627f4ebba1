package org.auditlog.product.typetalk.internal;

import static org.auditlog.testing.V1Fields.v1;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.junit.jupiter.params.provider.MethodSource;

class TypetalkAdapterTest {
    /** Every fixture hides this in message text, like comments, invitation messages and descriptions. */
    private static final String SECRET = "SECRET-MESSAGE-TEXT";

    private static final List<String> FIXTURES = List.of(
            "webhook",
            "streaming-postMessage",
            "streaming-deleteMessage",
            "streaming-likeMessage",
            "streaming-likeMessage-space",
            "streaming-unlikeMessage",
            "streaming-createTopic",
            "streaming-updateTopic",
            "streaming-deleteTopic",
            "streaming-joinTopics",
            "streaming-leaveTopics",
            "streaming-createTalk",
            "streaming-updateTalk",
            "streaming-deleteTalk",
            "streaming-addTalkPost",
            "streaming-removeTalkPost",
            "streaming-requestTeamInvite",
            "streaming-acceptTeamInvite",
            "streaming-declineTeamInvite",
            "streaming-requestTopicInvite",
            "streaming-acceptTopicInvite",
            "streaming-declineTopicInvite",
            "streaming-cancelTopicInvite",
            "streaming-favoriteTopic");

    private final TypetalkAdapter adapter = new TypetalkAdapter();
    private static final AdapterTable TABLE = new AdapterTable(
            new TypetalkAdapter(), "/typetalk/", ".json", new IngestContext(null, "203.0.113.5", "Forwarded/1.0"));

    private static final String KENJI = "4101";
    private static final String MARIA = "4102";
    private static final String OLU = "4103";

    /** Each native example, as it is or changed, and the V1 fields of the records it becomes. */
    static Stream<AdapterCase> examples() {
        V1Fields webhook = v1(
                "2025-03-05T09:12:30Z",
                "Message",
                "Post a message",
                "Message 880001 was posted in topic \"Release Train\"",
                KENJI,
                "Kenji Tanaka",
                null);
        V1Fields topicUpdated = v1(
                "2025-03-06T03:15:00Z",
                "Topic",
                "Update a topic",
                "Topic \"Q3 Planning (final)\" was updated",
                KENJI,
                "Kenji Tanaka",
                null);
        V1Fields talkCreated = v1(
                "2025-03-05T11:00:00Z",
                "Talk",
                "Create a talk",
                "Talk \"Rollback plan\" was created in topic \"Release Train\"",
                KENJI,
                "Kenji Tanaka",
                null);
        V1Fields teamInvite = v1(
                "2025-03-08T01:00:00Z",
                "Invitation",
                "Invite a user to a team",
                "Olu Adeyemi was invited to team \"Platform Team\"",
                KENJI,
                "Kenji Tanaka",
                null);
        V1Fields joined = v1("2025-03-07T09:00:00Z", "Topic", "Join a topic", null, KENJI, "Kenji Tanaka", null);
        V1Fields added =
                v1("2025-03-05T13:00:00Z", "Talk", "Add a message to a talk", null, KENJI, "Kenji Tanaka", null);
        return Stream.of(
                // the outgoing webhook body is a posted message
                AdapterCase.of("webhook", webhook),
                // the actor's login name without a full name
                AdapterCase.changed(
                        "webhook without the full name",
                        "webhook",
                        e -> object(object(e, "post"), "account").remove("fullName"),
                        new V1Fields(
                                webhook.date(),
                                webhook.category(),
                                webhook.event(),
                                webhook.action(),
                                KENJI,
                                "kenji",
                                null,
                                null)),
                // names the message it replies to
                AdapterCase.of(
                        "streaming-postMessage",
                        v1(
                                "2025-03-05T09:20:00Z",
                                "Message",
                                "Post a message",
                                "Message 880002 was posted in topic \"Release Train\" as a reply to message 880001",
                                MARIA,
                                "Maria Rossi",
                                null)),
                // dated by the envelope, attributed to its author
                AdapterCase.of(
                        "streaming-deleteMessage",
                        v1(
                                "2025-03-05T01:00:00Z",
                                "Message",
                                "Delete a message",
                                "Message 880003 was deleted from topic \"Release Train\"",
                                KENJI,
                                "Kenji Tanaka",
                                null)),
                // names the message and the topic id
                AdapterCase.of(
                        "streaming-likeMessage",
                        v1(
                                "2025-03-05T09:30:00Z",
                                "Message",
                                "Like a message",
                                "Message 880001 was liked in topic 5120",
                                MARIA,
                                "Maria Rossi",
                                null)),
                // a like's own time, topic and space win over the envelope's
                AdapterCase.changed(
                        "streaming-likeMessage-space with another occurredAt",
                        "streaming-likeMessage-space",
                        e -> e.put("occurredAt", "2030-01-01T00:00:00Z"),
                        v1(
                                        "2025-03-05T09:31:15Z",
                                        "Message",
                                        "Like a message",
                                        "Message 880001 was liked in topic \"Release Train\"",
                                        OLU,
                                        "Olu Adeyemi",
                                        null)
                                .inSpace("acme-space")),
                AdapterCase.of(
                        "streaming-unlikeMessage",
                        v1(
                                "2025-03-05T09:45:00Z",
                                "Message",
                                "Unlike a message",
                                "Message 880001 was unliked in topic 5120",
                                MARIA,
                                "Maria Rossi",
                                null)),
                // attributed to the envelope account
                AdapterCase.of(
                        "streaming-createTopic",
                        v1(
                                "2025-03-06T02:00:00Z",
                                "Topic",
                                "Create a topic",
                                "Topic \"Q3 Planning\" was created",
                                KENJI,
                                "Kenji Tanaka",
                                null)),
                // dated by its updatedAt
                AdapterCase.of("streaming-updateTopic", topicUpdated),
                AdapterCase.changed(
                        "streaming-updateTopic wrapped in topic",
                        "streaming-updateTopic",
                        e -> e.put("data", Map.of("topic", e.get("data"))),
                        topicUpdated),
                AdapterCase.of(
                        "streaming-deleteTopic",
                        v1(
                                "2025-03-07T08:00:00Z",
                                "Topic",
                                "Delete a topic",
                                "Topic \"Q3 Planning (final)\" was deleted",
                                KENJI,
                                "Kenji Tanaka",
                                null)),
                // one record per topic
                AdapterCase.of(
                        "streaming-joinTopics",
                        List.of(
                                joined.withAction("Topic \"Design Review\" was joined"),
                                joined.withAction("Topic \"Support Rotation\" was joined"))),
                AdapterCase.of(
                        "streaming-leaveTopics",
                        v1(
                                "2025-03-07T10:00:00Z",
                                "Topic",
                                "Leave a topic",
                                "Topic \"Support Rotation\" was left",
                                KENJI,
                                "Kenji Tanaka",
                                null)),
                AdapterCase.of("streaming-createTalk", talkCreated),
                // without its topic object, the topic id
                AdapterCase.changed(
                        "streaming-createTalk without the topic",
                        "streaming-createTalk",
                        e -> object(e, "data").remove("topic"),
                        talkCreated.withAction("Talk \"Rollback plan\" was created in topic 5120")),
                AdapterCase.of(
                        "streaming-updateTalk",
                        v1(
                                "2025-03-05T11:30:00Z",
                                "Talk",
                                "Update a talk",
                                "Talk \"Rollback plan v2\" was updated in topic \"Release Train\"",
                                KENJI,
                                "Kenji Tanaka",
                                null)),
                AdapterCase.of(
                        "streaming-deleteTalk",
                        v1(
                                "2025-03-05T12:00:00Z",
                                "Talk",
                                "Delete a talk",
                                "Talk \"Rollback plan v2\" was deleted in topic \"Release Train\"",
                                KENJI,
                                "Kenji Tanaka",
                                null)),
                // one record per message
                AdapterCase.of(
                        "streaming-addTalkPost",
                        List.of(
                                added.withAction(
                                        "Message 880001 was added to talk \"Go/No-go\" in topic \"Release Train\""),
                                added.withAction(
                                        "Message 880002 was added to talk \"Go/No-go\" in topic \"Release Train\""))),
                AdapterCase.of(
                        "streaming-removeTalkPost",
                        v1(
                                "2025-03-05T13:10:00Z",
                                "Talk",
                                "Remove a message from a talk",
                                "Message 880002 was removed from talk \"Go/No-go\" in topic \"Release Train\"",
                                KENJI,
                                "Kenji Tanaka",
                                null)),
                // attributed to its sender
                AdapterCase.of("streaming-requestTeamInvite", teamInvite),
                // by mail address: the address is named
                AdapterCase.changed(
                        "streaming-requestTeamInvite by mail address",
                        "streaming-requestTeamInvite",
                        e -> {
                            object(e, "data").remove("account");
                            object(e, "data").put("mailAddress", "new.hire@acme.example");
                        },
                        teamInvite.withAction("new.hire@acme.example was invited to team \"Platform Team\"")),
                // attributed to the invited user
                AdapterCase.of(
                        "streaming-acceptTeamInvite",
                        v1(
                                "2025-03-08T02:00:00Z",
                                "Invitation",
                                "Accept a team invitation",
                                "Invitation to team \"Platform Team\" was accepted",
                                OLU,
                                "Olu Adeyemi",
                                null)),
                AdapterCase.of(
                        "streaming-declineTeamInvite",
                        v1(
                                "2025-03-08T02:30:00Z",
                                "Invitation",
                                "Decline a team invitation",
                                "Invitation to team \"Platform Team\" was declined",
                                OLU,
                                "Olu Adeyemi",
                                null)),
                AdapterCase.of(
                        "streaming-requestTopicInvite",
                        v1(
                                "2025-03-09T01:00:00Z",
                                "Invitation",
                                "Invite a user to a topic",
                                "Olu Adeyemi was invited to topic \"Incident Room\"",
                                MARIA,
                                "Maria Rossi",
                                null)),
                AdapterCase.of(
                        "streaming-acceptTopicInvite",
                        v1(
                                "2025-03-09T01:20:00Z",
                                "Invitation",
                                "Accept a topic invitation",
                                "Invitation to topic \"Incident Room\" was accepted",
                                OLU,
                                "Olu Adeyemi",
                                null)),
                AdapterCase.of(
                        "streaming-declineTopicInvite",
                        v1(
                                "2025-03-09T01:40:00Z",
                                "Invitation",
                                "Decline a topic invitation",
                                "Invitation to topic \"Incident Room\" was declined",
                                OLU,
                                "Olu Adeyemi",
                                null)),
                // attributed to its sender
                AdapterCase.of(
                        "streaming-cancelTopicInvite",
                        v1(
                                "2025-03-09T02:00:00Z",
                                "Invitation",
                                "Cancel a topic invitation",
                                "Invitation of Olu Adeyemi to topic \"Incident Room\" was cancelled",
                                MARIA,
                                "Maria Rossi",
                                null)),
                // an unknown type is kept as Other
                AdapterCase.of(
                        "streaming-favoriteTopic",
                        v1(
                                "2025-03-10T00:00:00Z",
                                "Other",
                                "Typetalk event favoriteTopic",
                                "Typetalk event favoriteTopic in topic \"Release Train\"",
                                KENJI,
                                "Kenji Tanaka",
                                null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void eachExampleBecomesItsV1Records(AdapterCase example) throws Exception {
        TABLE.assertRow(example);
        for (AuditRecord r : translate(TABLE.input(example))) {
            assertEquals(0, r.id(), "id");
            assertNull(r.ipAddress(), "the server fills the IP address from the forwarded header");
            assertNull(r.userAgent(), "the server fills the user agent from the forwarded header");
            assertNull(r.version(), "the server assigns the version");
        }
    }

    // --- Message ---------------------------------------------------------------------------------------------

    /** Each event the adapter must refuse, and the field the refusal names. */
    static Stream<AdapterRefusal> refusals() {
        return Stream.of(
                // aDeletedMessageWithoutOccurredAtIsRefusedRatherThanDatedByThePost
                AdapterRefusal.changed("event", "streaming-deleteMessage", e -> e.remove("occurredAt"), "occurredAt"),
                // aLikeWithNoTimeAtAllIsRefusedNamingTheLikesDate
                AdapterRefusal.changed(
                        "event", "streaming-likeMessage", e -> e.remove("occurredAt"), "data.like.createdAt"),
                // aTopicEventWithoutAnEnvelopeAccountIsRefused
                AdapterRefusal.changed("event", "streaming-createTopic", e -> e.remove("account"), "account"),
                // joiningNoTopicOrAnUnnamedTopicIsRefused
                AdapterRefusal.changed(
                        "empty",
                        "streaming-joinTopics",
                        e -> object(e, "data").put("topics", List.of()),
                        "data.topics"),
                AdapterRefusal.changed(
                        "unnamed",
                        "streaming-joinTopics",
                        e -> {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> second = (Map<String, Object>)
                                    ((List<?>) object(e, "data").get("topics")).get(1);
                            object(second, "topic").remove("name");
                        },
                        "data.topics[1].topic.name"),
                // anInvitationWithoutItsTeamNameIsRefused
                AdapterRefusal.changed(
                        "sent",
                        "streaming-requestTeamInvite",
                        e -> object(object(e, "data"), "team").remove("name"),
                        "data.team.name"),
                AdapterRefusal.changed(
                        "accepted",
                        "streaming-acceptTeamInvite",
                        e -> object(object(e, "data"), "invite").remove("team"),
                        "data.invite.team"),
                // anUnknownTypeNeedsTheEnvelopeAccountAndTime
                AdapterRefusal.changed("noAccount", "streaming-favoriteTopic", e -> e.remove("account"), "account"),
                AdapterRefusal.changed("noTime", "streaming-favoriteTopic", e -> e.remove("occurredAt"), "occurredAt"),
                // aWebhookBodyWithoutItsRequiredFieldsIsRefused
                AdapterRefusal.changed(
                        "noTopicName", "webhook", e -> object(e, "topic").remove("name"), "topic.name"),
                AdapterRefusal.changed(
                        "noPostId", "webhook", e -> object(e, "post").remove("id"), "post.id"),
                AdapterRefusal.changed(
                        "noAccountId",
                        "webhook",
                        e -> object(object(e, "post"), "account").remove("id"),
                        "post.account.id"),
                AdapterRefusal.changed(
                        "noAccount", "webhook", e -> object(e, "post").remove("account"), "post.account"),
                AdapterRefusal.changed(
                        "noName",
                        "webhook",
                        e -> {
                            object(object(e, "post"), "account").remove("fullName");
                            object(object(e, "post"), "account").remove("name");
                        },
                        "post.account.name"),
                AdapterRefusal.changed(
                        "noDate",
                        "webhook",
                        e -> {
                            object(e, "post").remove("createdAt");
                            e.put("occurredAt", "2025-03-05T09:12:30Z"); // not an envelope field of the webhook body
                        },
                        "post.createdAt"),
                AdapterRefusal.changed("noPost", "webhook", e -> e.remove("post"), "post"),
                // aWebhookBodyWithWrongTypesIsRefused
                AdapterRefusal.changed(
                        "booleanId", "webhook", e -> object(e, "post").put("id", true), "post.id"),
                AdapterRefusal.changed(
                        "fractionId",
                        "webhook",
                        e -> object(object(e, "post"), "account").put("id", 1.5),
                        "post.account.id"),
                AdapterRefusal.changed(
                        "badDate",
                        "webhook",
                        e -> object(e, "post").put("createdAt", "10/12/2014 09:00"),
                        "post.createdAt"),
                AdapterRefusal.changed(
                        "numericDate",
                        "webhook",
                        e -> object(e, "post").put("createdAt", 1418202029000L),
                        "post.createdAt"),
                AdapterRefusal.changed("topicString", "webhook", e -> e.put("topic", "IT Peeps"), "topic"),
                AdapterRefusal.changed(
                        "nameNumber", "webhook", e -> object(e, "topic").put("name", 208), "topic.name"),
                // aStreamingMessageNeedsAStringTypeAndAnObjectData
                AdapterRefusal.changed("numericType", "streaming-postMessage", e -> e.put("type", 1), "type"),
                AdapterRefusal.changed("noType", "streaming-postMessage", e -> e.remove("type"), "type"),
                AdapterRefusal.changed("noData", "streaming-postMessage", e -> e.remove("data"), "data"),
                AdapterRefusal.changed("listData", "streaming-postMessage", e -> e.put("data", List.of()), "data"),
                // whatIsNeitherFormIsRefused
                AdapterRefusal.of(
                        "List.of(Map.of(\"type\", \"postMessage\"))",
                        () -> List.of(Map.of("type", "postMessage")),
                        null),
                AdapterRefusal.of("\"postMessage\"", () -> "postMessage", null),
                AdapterRefusal.of("new LinkedHashMap<>()", () -> new LinkedHashMap<>(), "type"),
                AdapterRefusal.of("Map.of(\"message\", SECRET)", () -> Map.of("message", SECRET), "type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void eachRefusalNamesTheField(AdapterRefusal refusal) {
        TABLE.assertRefused(refusal);
    }

    // --- Topic -----------------------------------------------------------------------------------------------

    // --- Talk ------------------------------------------------------------------------------------------------

    // --- Invitation ------------------------------------------------------------------------------------------

    // --- Other -----------------------------------------------------------------------------------------------

    @Test
    void anUnknownTypeWithAnyDataShapeIsKept() throws Exception {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "updateNotificationAccess");
        event.put("data", Map.of("access", Map.of("unopened", 8), "topic", List.of("not", "an", "object")));
        event.put("occurredAt", "2025-03-10T00:00:00Z");
        event.put("account", Map.of("id", "4101", "name", "kenji"));
        AuditRecord r = only(event);
        assertRecord(
                r,
                "Other",
                "Typetalk event updateNotificationAccess",
                "Typetalk event updateNotificationAccess",
                "2025-03-10T00:00:00Z",
                "4101",
                "kenji");
    }

    // --- Whole fixtures --------------------------------------------------------------------------------------

    @Test
    void noTextOfAnyFixtureReachesARecordAndEveryEventIsInTheCatalog() throws Exception {
        Set<String> produced = new LinkedHashSet<>();
        for (String name : FIXTURES) {
            for (AuditRecord r : translate(fixture(name))) {
                if (!"Other".equals(r.category())) {
                    produced.add(r.event());
                    assertTrue(
                            adapter.catalog()
                                    .eventsByCategory()
                                    .getOrDefault(r.category(), List.of())
                                    .contains(r.event()),
                            name + ": " + r.category() + " / " + r.event() + " not in the catalog");
                }
            }
        }
        List<String> catalogued = new ArrayList<>();
        adapter.catalog().eventsByCategory().values().forEach(catalogued::addAll);
        assertEquals(new LinkedHashSet<>(catalogued), produced, "every catalogued event has a fixture");
        assertEquals(
                List.of("Message", "Topic", "Talk", "Invitation"),
                List.copyOf(adapter.catalog().eventsByCategory().keySet()));
        assertEquals("Typetalk", adapter.product());
    }

    @Test
    void aLongTopicNameIsShortenedWithAnEllipsis() throws Exception {
        Map<String, Object> body = fixture("webhook");
        object(body, "topic").put("name", "x".repeat(1500));
        String action = only(body).action();
        assertTrue(action.length() < 300, action);
        assertTrue(action.endsWith("\u2026\""), action);
    }

    // --- Rejections ------------------------------------------------------------------------------------------

    @Test
    void aStreamingMessageWithBadFieldsIsRefused() throws Exception {
        Map<String, Object> noPostAccount = fixture("streaming-postMessage");
        object(object(noPostAccount, "data"), "post").remove("account");
        assertRejected("data.post.account", noPostAccount);

        Map<String, Object> noTopicName = fixture("streaming-postMessage");
        object(object(noTopicName, "data"), "topic").remove("name");
        assertRejected("data.topic.name", noTopicName);

        Map<String, Object> noPostDate = fixture("streaming-postMessage");
        object(object(noPostDate, "data"), "post").remove("createdAt");
        assertRejected("data.post.createdAt", noPostDate);
        noPostDate.put("occurredAt", "2025-03-05T09:21:00Z");
        assertEquals(Instant.parse("2025-03-05T09:21:00Z"), only(noPostDate).date());

        Map<String, Object> badOccurredAt = fixture("streaming-deleteMessage");
        badOccurredAt.put("occurredAt", "2025-03-05T10:00:00"); // no offset
        assertRejected("occurredAt", badOccurredAt);

        Map<String, Object> badAccount = fixture("streaming-createTopic");
        badAccount.put("account", "kenji");
        assertRejected("account", badAccount);

        Map<String, Object> accountWithoutId = fixture("streaming-createTopic");
        object(accountWithoutId, "account").remove("id");
        assertRejected("account.id", accountWithoutId);

        Map<String, Object> badPostId = fixture("streaming-likeMessage");
        object(object(badPostId, "data"), "like").put("postId", List.of(1));
        assertRejected("data.like.postId", badPostId);

        Map<String, Object> badPostIds = fixture("streaming-addTalkPost");
        object(badPostIds, "data").put("postIds", List.of(true));
        assertRejected("data.postIds[0]", badPostIds);

        Map<String, Object> noTalkName = fixture("streaming-updateTalk");
        object(object(noTalkName, "data"), "talk").remove("name");
        assertRejected("data.talk.name", noTalkName);

        Map<String, Object> badSpace = fixture("streaming-likeMessage-space");
        object(object(badSpace, "data"), "space").put("key", 7);
        assertRejected("data.space.key", badSpace);
    }

    // --- Helpers ---------------------------------------------------------------------------------------------

    private static Map<String, Object> fixture(String name) {
        return TABLE.example(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String field) {
        return (Map<String, Object>) parent.get(field);
    }

    private List<AuditRecord> translate(Object json) throws PayloadRejectedException {
        List<AuditRecord> out = TABLE.translate(json);
        for (AuditRecord r : out) {
            assertNoText(r);
        }
        return out;
    }

    private AuditRecord only(Object json) throws PayloadRejectedException {
        List<AuditRecord> out = translate(json);
        assertEquals(1, out.size(), out.toString());
        return out.get(0);
    }

    private static void assertNoText(AuditRecord r) {
        for (String value : new String[] {
            r.spaceKey(),
            r.product(),
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
            assertFalse(value != null && value.contains("SECRET"), "message text leaked into " + r);
        }
    }

    private static void assertRecord(
            AuditRecord r, String category, String event, String action, String date, String userId, String userName) {
        assertRecord(r, null, category, event, action, date, userId, userName);
    }

    private static void assertRecord(
            AuditRecord r,
            String spaceKey,
            String category,
            String event,
            String action,
            String date,
            String userId,
            String userName) {
        assertAll(
                () -> assertEquals(0, r.id(), "id"),
                () -> assertEquals(spaceKey, r.spaceKey(), "space key"),
                () -> assertEquals("Typetalk", r.product(), "product"),
                () -> assertEquals(Instant.parse(date), r.date(), "date"),
                () -> assertEquals(category, r.category(), "category"),
                () -> assertEquals(event, r.event(), "event"),
                () -> assertEquals(action, r.action(), "action"),
                () -> assertEquals(userId, r.operationUserId(), "operation user id"),
                () -> assertEquals(userName, r.operationUserName(), "operation user name"),
                () -> assertNull(r.operationUserEmail(), "Typetalk payloads carry no email"),
                () -> assertNull(r.ipAddress(), "the server fills the IP address from the forwarded header"),
                () -> assertNull(r.userAgent(), "the server fills the user agent from the forwarded header"),
                () -> assertNull(r.version(), "the server assigns the version"));
    }

    private void assertRejected(String field, Object json) {
        TABLE.assertRejected(field, json);
    }
}
