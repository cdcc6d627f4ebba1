package org.auditlog.product.typetalk.internal;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class TypetalkAdapterTest {
    /** Every fixture hides this in message text, like comments, invitation messages and descriptions. */
    private static final String SECRET = "SECRET-MESSAGE-TEXT";

    private static final List<String> FIXTURES = List.of("webhook", "streaming-postMessage",
            "streaming-deleteMessage", "streaming-likeMessage", "streaming-likeMessage-space",
            "streaming-unlikeMessage", "streaming-createTopic", "streaming-updateTopic", "streaming-deleteTopic",
            "streaming-joinTopics", "streaming-leaveTopics", "streaming-createTalk", "streaming-updateTalk",
            "streaming-deleteTalk", "streaming-addTalkPost", "streaming-removeTalkPost",
            "streaming-requestTeamInvite", "streaming-acceptTeamInvite", "streaming-declineTeamInvite",
            "streaming-requestTopicInvite", "streaming-acceptTopicInvite", "streaming-declineTopicInvite",
            "streaming-cancelTopicInvite", "streaming-favoriteTopic");

    private final TypetalkAdapter adapter = new TypetalkAdapter();

    // --- Message ---------------------------------------------------------------------------------------------

    @Test
    void theOutgoingWebhookBodyIsAPostedMessage() throws Exception {
        AuditRecord r = only(fixture("webhook"));
        assertRecord(r, "Message", "Post a message", "Message 880001 was posted in topic \"Release Train\"",
                "2025-03-05T09:12:30Z", "4101", "Kenji Tanaka");
    }

    @Test
    void theActorNameFallsBackToTheLoginNameWithoutAFullName() throws Exception {
        Map<String, Object> body = fixture("webhook");
        object(object(body, "post"), "account").remove("fullName");
        assertEquals("kenji", only(body).operationUserName());
    }

    @Test
    void aStreamedPostMessageNamesTheMessageItRepliesTo() throws Exception {
        AuditRecord r = only(fixture("streaming-postMessage"));
        assertRecord(r, "Message", "Post a message",
                "Message 880002 was posted in topic \"Release Train\" as a reply to message 880001",
                "2025-03-05T09:20:00Z", "4102", "Maria Rossi");
    }

    @Test
    void aDeletedMessageIsDatedByTheEnvelopeAndAttributedToItsAuthor() throws Exception {
        AuditRecord r = only(fixture("streaming-deleteMessage"));
        assertRecord(r, "Message", "Delete a message", "Message 880003 was deleted from topic \"Release Train\"",
                "2025-03-05T01:00:00Z", "4101", "Kenji Tanaka");
    }

    @Test
    void aDeletedMessageWithoutOccurredAtIsRefusedRatherThanDatedByThePost() throws Exception {
        Map<String, Object> event = fixture("streaming-deleteMessage");
        event.remove("occurredAt");
        assertRejected("occurredAt", event);
    }

    @Test
    void aStreamedLikeNamesTheMessageAndTheTopicId() throws Exception {
        AuditRecord r = only(fixture("streaming-likeMessage"));
        assertRecord(r, "Message", "Like a message", "Message 880001 was liked in topic 5120",
                "2025-03-05T09:30:00Z", "4102", "Maria Rossi");
    }

    @Test
    void aLikeWithItsOwnTimeTopicAndSpaceUsesThem() throws Exception {
        Map<String, Object> event = fixture("streaming-likeMessage-space");
        event.put("occurredAt", "2030-01-01T00:00:00Z"); // the payload's own time wins
        AuditRecord r = only(event);
        assertRecord(r, "acme-space", "Message", "Like a message",
                "Message 880001 was liked in topic \"Release Train\"", "2025-03-05T09:31:15Z", "4103", "Olu Adeyemi");
    }

    @Test
    void aLikeWithNoTimeAtAllIsRefusedNamingTheLikesDate() throws Exception {
        Map<String, Object> event = fixture("streaming-likeMessage");
        event.remove("occurredAt");
        assertRejected("data.like.createdAt", event);
    }

    @Test
    void anUnlike() throws Exception {
        AuditRecord r = only(fixture("streaming-unlikeMessage"));
        assertRecord(r, "Message", "Unlike a message", "Message 880001 was unliked in topic 5120",
                "2025-03-05T09:45:00Z", "4102", "Maria Rossi");
    }

    // --- Topic -----------------------------------------------------------------------------------------------

    @Test
    void aCreatedTopicIsAttributedToTheEnvelopeAccount() throws Exception {
        AuditRecord r = only(fixture("streaming-createTopic"));
        assertRecord(r, "Topic", "Create a topic", "Topic \"Q3 Planning\" was created", "2025-03-06T02:00:00Z",
                "4101", "Kenji Tanaka");
    }

    @Test
    void aTopicEventWithoutAnEnvelopeAccountIsRefused() throws Exception {
        Map<String, Object> event = fixture("streaming-createTopic");
        event.remove("account");
        assertRejected("account", event);
    }

    @Test
    void anUpdatedTopicIsDatedByItsUpdatedAt() throws Exception {
        AuditRecord r = only(fixture("streaming-updateTopic"));
        assertRecord(r, "Topic", "Update a topic", "Topic \"Q3 Planning (final)\" was updated",
                "2025-03-06T03:15:00Z", "4101", "Kenji Tanaka");
    }

    @Test
    void anUpdatedTopicMayAlsoComeWrappedInTopic() throws Exception {
        Map<String, Object> event = fixture("streaming-updateTopic");
        event.put("data", Map.of("topic", event.get("data")));
        assertEquals("Topic \"Q3 Planning (final)\" was updated", only(event).action());
    }

    @Test
    void aDeletedTopic() throws Exception {
        AuditRecord r = only(fixture("streaming-deleteTopic"));
        assertRecord(r, "Topic", "Delete a topic", "Topic \"Q3 Planning (final)\" was deleted",
                "2025-03-07T08:00:00Z", "4101", "Kenji Tanaka");
    }

    @Test
    void joiningTopicsGivesOneRecordPerTopic() throws Exception {
        List<AuditRecord> out = translate(fixture("streaming-joinTopics"));
        assertEquals(2, out.size());
        assertRecord(out.get(0), "Topic", "Join a topic", "Topic \"Design Review\" was joined", "2025-03-07T09:00:00Z",
                "4101", "Kenji Tanaka");
        assertRecord(out.get(1), "Topic", "Join a topic", "Topic \"Support Rotation\" was joined",
                "2025-03-07T09:00:00Z", "4101", "Kenji Tanaka");
    }

    @Test
    void leavingTopics() throws Exception {
        AuditRecord r = only(fixture("streaming-leaveTopics"));
        assertRecord(r, "Topic", "Leave a topic", "Topic \"Support Rotation\" was left", "2025-03-07T10:00:00Z",
                "4101", "Kenji Tanaka");
    }

    @Test
    void joiningNoTopicOrAnUnnamedTopicIsRefused() throws Exception {
        Map<String, Object> empty = fixture("streaming-joinTopics");
        object(empty, "data").put("topics", List.of());
        assertRejected("data.topics", empty);

        Map<String, Object> unnamed = fixture("streaming-joinTopics");
        @SuppressWarnings("unchecked")
        Map<String, Object> second = (Map<String, Object>) ((List<?>) object(unnamed, "data").get("topics")).get(1);
        object(second, "topic").remove("name");
        assertRejected("data.topics[1].topic.name", unnamed);
    }

    // --- Talk ------------------------------------------------------------------------------------------------

    @Test
    void aCreatedTalk() throws Exception {
        AuditRecord r = only(fixture("streaming-createTalk"));
        assertRecord(r, "Talk", "Create a talk", "Talk \"Rollback plan\" was created in topic \"Release Train\"",
                "2025-03-05T11:00:00Z", "4101", "Kenji Tanaka");
    }

    @Test
    void anUpdatedTalk() throws Exception {
        AuditRecord r = only(fixture("streaming-updateTalk"));
        assertRecord(r, "Talk", "Update a talk", "Talk \"Rollback plan v2\" was updated in topic \"Release Train\"",
                "2025-03-05T11:30:00Z", "4101", "Kenji Tanaka");
    }

    @Test
    void aDeletedTalk() throws Exception {
        AuditRecord r = only(fixture("streaming-deleteTalk"));
        assertRecord(r, "Talk", "Delete a talk", "Talk \"Rollback plan v2\" was deleted in topic \"Release Train\"",
                "2025-03-05T12:00:00Z", "4101", "Kenji Tanaka");
    }

    @Test
    void messagesAddedToATalkGiveOneRecordPerMessage() throws Exception {
        List<AuditRecord> out = translate(fixture("streaming-addTalkPost"));
        assertEquals(2, out.size());
        assertRecord(out.get(0), "Talk", "Add a message to a talk",
                "Message 880001 was added to talk \"Go/No-go\" in topic \"Release Train\"", "2025-03-05T13:00:00Z",
                "4101", "Kenji Tanaka");
        assertRecord(out.get(1), "Talk", "Add a message to a talk",
                "Message 880002 was added to talk \"Go/No-go\" in topic \"Release Train\"", "2025-03-05T13:00:00Z",
                "4101", "Kenji Tanaka");
    }

    @Test
    void aMessageRemovedFromATalk() throws Exception {
        AuditRecord r = only(fixture("streaming-removeTalkPost"));
        assertRecord(r, "Talk", "Remove a message from a talk",
                "Message 880002 was removed from talk \"Go/No-go\" in topic \"Release Train\"", "2025-03-05T13:10:00Z",
                "4101", "Kenji Tanaka");
    }

    @Test
    void aTalkWithoutItsTopicObjectNamesTheTopicId() throws Exception {
        Map<String, Object> event = fixture("streaming-createTalk");
        object(event, "data").remove("topic");
        assertEquals("Talk \"Rollback plan\" was created in topic 5120", only(event).action());
    }

    // --- Invitation ------------------------------------------------------------------------------------------

    @Test
    void aTeamInvitationSentIsAttributedToItsSender() throws Exception {
        AuditRecord r = only(fixture("streaming-requestTeamInvite"));
        assertRecord(r, "Invitation", "Invite a user to a team", "Olu Adeyemi was invited to team \"Platform Team\"",
                "2025-03-08T01:00:00Z", "4101", "Kenji Tanaka");
    }

    @Test
    void aTeamInvitationAcceptedIsAttributedToTheInvitedUser() throws Exception {
        AuditRecord r = only(fixture("streaming-acceptTeamInvite"));
        assertRecord(r, "Invitation", "Accept a team invitation", "Invitation to team \"Platform Team\" was accepted",
                "2025-03-08T02:00:00Z", "4103", "Olu Adeyemi");
    }

    @Test
    void aTeamInvitationDeclined() throws Exception {
        AuditRecord r = only(fixture("streaming-declineTeamInvite"));
        assertRecord(r, "Invitation", "Decline a team invitation", "Invitation to team \"Platform Team\" was declined",
                "2025-03-08T02:30:00Z", "4103", "Olu Adeyemi");
    }

    @Test
    void aTopicInvitationSent() throws Exception {
        AuditRecord r = only(fixture("streaming-requestTopicInvite"));
        assertRecord(r, "Invitation", "Invite a user to a topic", "Olu Adeyemi was invited to topic \"Incident Room\"",
                "2025-03-09T01:00:00Z", "4102", "Maria Rossi");
    }

    @Test
    void aTopicInvitationAccepted() throws Exception {
        AuditRecord r = only(fixture("streaming-acceptTopicInvite"));
        assertRecord(r, "Invitation", "Accept a topic invitation", "Invitation to topic \"Incident Room\" was accepted",
                "2025-03-09T01:20:00Z", "4103", "Olu Adeyemi");
    }

    @Test
    void aTopicInvitationDeclined() throws Exception {
        AuditRecord r = only(fixture("streaming-declineTopicInvite"));
        assertRecord(r, "Invitation", "Decline a topic invitation", "Invitation to topic \"Incident Room\" was declined",
                "2025-03-09T01:40:00Z", "4103", "Olu Adeyemi");
    }

    @Test
    void aTopicInvitationCancelledIsAttributedToItsSender() throws Exception {
        AuditRecord r = only(fixture("streaming-cancelTopicInvite"));
        assertRecord(r, "Invitation", "Cancel a topic invitation",
                "Invitation of Olu Adeyemi to topic \"Incident Room\" was cancelled", "2025-03-09T02:00:00Z", "4102",
                "Maria Rossi");
    }

    @Test
    void anInvitationByMailAddressNamesTheAddress() throws Exception {
        Map<String, Object> event = fixture("streaming-requestTeamInvite");
        object(event, "data").remove("account");
        object(event, "data").put("mailAddress", "new.hire@acme.example");
        assertEquals("new.hire@acme.example was invited to team \"Platform Team\"", only(event).action());
    }

    @Test
    void anInvitationWithoutItsTeamNameIsRefused() throws Exception {
        Map<String, Object> sent = fixture("streaming-requestTeamInvite");
        object(object(sent, "data"), "team").remove("name");
        assertRejected("data.team.name", sent);
        Map<String, Object> accepted = fixture("streaming-acceptTeamInvite");
        object(object(accepted, "data"), "invite").remove("team");
        assertRejected("data.invite.team", accepted);
    }

    // --- Other -----------------------------------------------------------------------------------------------

    @Test
    void anUnknownTypeIsKeptAsOther() throws Exception {
        AuditRecord r = only(fixture("streaming-favoriteTopic"));
        assertRecord(r, "Other", "Typetalk event favoriteTopic", "Typetalk event favoriteTopic in topic \"Release Train\"",
                "2025-03-10T00:00:00Z", "4101", "Kenji Tanaka");
    }

    @Test
    void anUnknownTypeNeedsTheEnvelopeAccountAndTime() throws Exception {
        Map<String, Object> noAccount = fixture("streaming-favoriteTopic");
        noAccount.remove("account");
        assertRejected("account", noAccount);
        Map<String, Object> noTime = fixture("streaming-favoriteTopic");
        noTime.remove("occurredAt");
        assertRejected("occurredAt", noTime);
    }

    @Test
    void anUnknownTypeWithAnyDataShapeIsKept() throws Exception {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "updateNotificationAccess");
        event.put("data", Map.of("access", Map.of("unopened", 8), "topic", List.of("not", "an", "object")));
        event.put("occurredAt", "2025-03-10T00:00:00Z");
        event.put("account", Map.of("id", "4101", "name", "kenji"));
        AuditRecord r = only(event);
        assertRecord(r, "Other", "Typetalk event updateNotificationAccess", "Typetalk event updateNotificationAccess",
                "2025-03-10T00:00:00Z", "4101", "kenji");
    }

    // --- Whole fixtures --------------------------------------------------------------------------------------

    @Test
    void noTextOfAnyFixtureReachesARecordAndEveryEventIsInTheCatalog() throws Exception {
        Set<String> produced = new LinkedHashSet<>();
        for (String name : FIXTURES) {
            for (AuditRecord r : translate(fixture(name))) {
                if (!"Other".equals(r.category())) {
                    produced.add(r.event());
                    assertTrue(adapter.catalog().eventsByCategory().getOrDefault(r.category(), List.of())
                            .contains(r.event()), name + ": " + r.category() + " / " + r.event() + " not in the catalog");
                }
            }
        }
        List<String> catalogued = new ArrayList<>();
        adapter.catalog().eventsByCategory().values().forEach(catalogued::addAll);
        assertEquals(new LinkedHashSet<>(catalogued), produced, "every catalogued event has a fixture");
        assertEquals(List.of("Message", "Topic", "Talk", "Invitation"),
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
    void aWebhookBodyWithoutItsRequiredFieldsIsRefused() throws Exception {
        Map<String, Object> noTopicName = fixture("webhook");
        object(noTopicName, "topic").remove("name");
        assertRejected("topic.name", noTopicName);

        Map<String, Object> noPostId = fixture("webhook");
        object(noPostId, "post").remove("id");
        assertRejected("post.id", noPostId);

        Map<String, Object> noAccountId = fixture("webhook");
        object(object(noAccountId, "post"), "account").remove("id");
        assertRejected("post.account.id", noAccountId);

        Map<String, Object> noAccount = fixture("webhook");
        object(noAccount, "post").remove("account");
        assertRejected("post.account", noAccount);

        Map<String, Object> noName = fixture("webhook");
        object(object(noName, "post"), "account").remove("fullName");
        object(object(noName, "post"), "account").remove("name");
        assertRejected("post.account.name", noName);

        Map<String, Object> noDate = fixture("webhook");
        object(noDate, "post").remove("createdAt");
        noDate.put("occurredAt", "2025-03-05T09:12:30Z"); // not an envelope field of the webhook body
        assertRejected("post.createdAt", noDate);

        Map<String, Object> noPost = fixture("webhook");
        noPost.remove("post");
        assertRejected("post", noPost);
    }

    @Test
    void aWebhookBodyWithWrongTypesIsRefused() throws Exception {
        Map<String, Object> booleanId = fixture("webhook");
        object(booleanId, "post").put("id", true);
        assertRejected("post.id", booleanId);

        Map<String, Object> fractionId = fixture("webhook");
        object(object(fractionId, "post"), "account").put("id", 1.5);
        assertRejected("post.account.id", fractionId);

        Map<String, Object> badDate = fixture("webhook");
        object(badDate, "post").put("createdAt", "10/12/2014 09:00");
        assertRejected("post.createdAt", badDate);

        Map<String, Object> numericDate = fixture("webhook");
        object(numericDate, "post").put("createdAt", 1418202029000L);
        assertRejected("post.createdAt", numericDate);

        Map<String, Object> topicString = fixture("webhook");
        topicString.put("topic", "IT Peeps");
        assertRejected("topic", topicString);

        Map<String, Object> nameNumber = fixture("webhook");
        object(nameNumber, "topic").put("name", 208);
        assertRejected("topic.name", nameNumber);
    }

    @Test
    void aStreamingMessageNeedsAStringTypeAndAnObjectData() throws Exception {
        Map<String, Object> numericType = fixture("streaming-postMessage");
        numericType.put("type", 1);
        assertRejected("type", numericType);

        Map<String, Object> noType = fixture("streaming-postMessage");
        noType.remove("type");
        assertRejected("type", noType);

        Map<String, Object> noData = fixture("streaming-postMessage");
        noData.remove("data");
        assertRejected("data", noData);

        Map<String, Object> listData = fixture("streaming-postMessage");
        listData.put("data", List.of());
        assertRejected("data", listData);
    }

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

    @Test
    void whatIsNeitherFormIsRefused() {
        assertRejected(null, List.of(Map.of("type", "postMessage")));
        assertRejected(null, "postMessage");
        assertRejected("type", new LinkedHashMap<>());
        assertRejected("type", Map.of("message", SECRET));
    }

    // --- Helpers ---------------------------------------------------------------------------------------------

    private static Map<String, Object> fixture(String name) throws IOException {
        try (InputStream in = TypetalkAdapterTest.class.getResourceAsStream("/typetalk/" + name + ".json")) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = new ObjectMapper().readValue(in, Map.class);
            return parsed;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String field) {
        return (Map<String, Object>) parent.get(field);
    }

    private List<AuditRecord> translate(Object json) throws PayloadRejectedException {
        List<AuditRecord> out = adapter.translate(new NativePayload("application/json", json, NativePayload.SINGLE),
                new IngestContext(null, "203.0.113.5", "Forwarded/1.0"));
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
        for (String value : new String[] {r.spaceKey(), r.product(), r.category(), r.event(), r.action(),
                r.operationUserId(), r.operationUserName(), r.operationUserEmail(), r.ipAddress(), r.userAgent(),
                r.version()}) {
            assertFalse(value != null && value.contains("SECRET"), "message text leaked into " + r);
        }
    }

    private static void assertRecord(AuditRecord r, String category, String event, String action, String date,
            String userId, String userName) {
        assertRecord(r, null, category, event, action, date, userId, userName);
    }

    private static void assertRecord(AuditRecord r, String spaceKey, String category, String event, String action,
            String date, String userId, String userName) {
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
        PayloadRejectedException e = assertThrows(PayloadRejectedException.class,
                () -> adapter.translate(new NativePayload("application/json", json, NativePayload.SINGLE),
                        IngestContext.internal()));
        assertEquals(field, e.field(), e.getMessage());
    }
}
