package org.auditlog.product.typetalk.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.api.adapter.Actions;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadFields;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.adapter.ProductAdapter;
import org.auditlog.api.adapter.ProductAdapterService;
import org.auditlog.api.adapter.ProductCatalog;
import org.osgi.service.component.annotations.Component;

/**
 * The Typetalk adapter: turns Typetalk's own JSON messages into audit records.
 *
 * <p>It accepts two forms, told apart by their fields:
 * <ol>
 * <li>The <b>outgoing-webhook body</b> {@code {"topic": {...}, "post": {...}}} (no {@code type}): a message
 * was posted. Required: {@code topic.name}, {@code post.id}, {@code post.account.id} (with
 * {@code post.account.fullName} or {@code name}) and {@code post.createdAt}.</li>
 * <li>A <b>streaming message</b> {@code {"type": "postMessage", "data": {...}}}: {@code type} (a string) and
 * {@code data} (an object) are required. The forwarder may add two envelope fields next to them, used only
 * when {@code data} lacks what they give: {@code occurredAt}, an ISO-8601 date-time with an offset (when
 * the event happened), and {@code account}, a Typetalk account {@code {id, name, fullName}} (who acted).</li>
 * </ol>
 *
 * <p>Streaming {@code data}, per type (only the fields named here are read):
 * <ul>
 * <li>{@code postMessage}, {@code deleteMessage}: {@code {topic, post}} as in the webhook body.</li>
 * <li>{@code likeMessage}, {@code unlikeMessage}: {@code {like{id, postId, topicId, account, createdAt}, topic?}}.</li>
 * <li>{@code createTopic}: {@code {topic}}; {@code updateTopic}, {@code deleteTopic}: the topic itself
 * (or {@code {topic}}); {@code joinTopics}: {@code {topics[{topic}]}}; {@code leaveTopics}:
 * {@code {topics[topic]}} (either element shape is read): one record per topic.</li>
 * <li>{@code createTalk}, {@code updateTalk}, {@code deleteTalk}, {@code addTalkPost},
 * {@code removeTalkPost}: {@code {topic, talk{id, topicId, name, createdAt, updatedAt}, postIds?}}; adding
 * or removing messages gives one record per post id.</li>
 * <li>{@code requestTeamInvite}, {@code requestTopicInvite}: the invite itself; the other invitation types:
 * {@code {invite}}. An invite is {@code {id, sender, account, mailAddress?, team | topic, createdAt,
 * updatedAt}}.</li>
 * </ul>
 *
 * <p>Who acted: {@code post.account}, {@code like.account}, the invite's {@code sender} (invite, cancel) or
 * {@code account} (accept, decline); topic and talk events name nobody, so the envelope {@code account} is
 * required for them. The id is the account id, the name its {@code fullName}, else {@code name}; Typetalk
 * payloads carry no email address, IP address or user agent.
 *
 * <p>When: the payload's own time of the event ({@code post.createdAt}, {@code like.createdAt}, the
 * topic's or talk's {@code createdAt} / {@code updatedAt}, the invite's {@code createdAt} when sent and
 * {@code updatedAt} when answered or cancelled), else {@code occurredAt}. Deleting a message, a topic or a
 * talk, unliking, joining and leaving carry no time of their own, so {@code occurredAt} is required for them.
 * A payload that gives no time is refused naming the field looked for.
 *
 * <p>Organization: {@code space.key} of the webhook body or of {@code data}, when Typetalk sends it; otherwise
 * the ingest token's organization.
 *
 * <p>An unknown streaming type still gives a record: category {@code Other}, event
 * {@code Typetalk event <type>}, with the envelope {@code account} and {@code occurredAt}.
 *
 * <p>Never recorded: message text ({@code post.message}), like comments, invitation messages, topic
 * descriptions, link previews or attachments.
 */
@Component
@ProductAdapterService(product = TypetalkAdapter.PRODUCT)
public class TypetalkAdapter implements ProductAdapter {
    static final String PRODUCT = "Typetalk";

    static final String MESSAGE = "Message";
    static final String TOPIC = "Topic";
    static final String TALK = "Talk";
    static final String INVITATION = "Invitation";
    static final String OTHER = "Other";

    static final String POST_MESSAGE = "Post a message";
    static final String DELETE_MESSAGE = "Delete a message";
    static final String LIKE_MESSAGE = "Like a message";
    static final String UNLIKE_MESSAGE = "Unlike a message";
    static final String CREATE_TOPIC = "Create a topic";
    static final String UPDATE_TOPIC = "Update a topic";
    static final String DELETE_TOPIC = "Delete a topic";
    static final String JOIN_TOPIC = "Join a topic";
    static final String LEAVE_TOPIC = "Leave a topic";
    static final String CREATE_TALK = "Create a talk";
    static final String UPDATE_TALK = "Update a talk";
    static final String DELETE_TALK = "Delete a talk";
    static final String ADD_TALK_POST = "Add a message to a talk";
    static final String REMOVE_TALK_POST = "Remove a message from a talk";
    static final String INVITE_TO_TEAM = "Invite a user to a team";
    static final String ACCEPT_TEAM_INVITE = "Accept a team invitation";
    static final String DECLINE_TEAM_INVITE = "Decline a team invitation";
    static final String INVITE_TO_TOPIC = "Invite a user to a topic";
    static final String ACCEPT_TOPIC_INVITE = "Accept a topic invitation";
    static final String DECLINE_TOPIC_INVITE = "Decline a topic invitation";
    static final String CANCEL_TOPIC_INVITE = "Cancel a topic invitation";

    /** Event name of a streaming type this adapter does not know. */
    static final String UNKNOWN_EVENT_PREFIX = "Typetalk event ";

    /** Longest item name copied into an action; longer names end with an ellipsis. */
    static final int MAX_NAME = 200;

    private static final ProductCatalog CATALOG = new ProductCatalog(catalogMap());

    private static Map<String, List<String>> catalogMap() {
        Map<String, List<String>> events = new LinkedHashMap<>();
        events.put(MESSAGE, List.of(POST_MESSAGE, DELETE_MESSAGE, LIKE_MESSAGE, UNLIKE_MESSAGE));
        events.put(TOPIC, List.of(CREATE_TOPIC, UPDATE_TOPIC, DELETE_TOPIC, JOIN_TOPIC, LEAVE_TOPIC));
        events.put(TALK, List.of(CREATE_TALK, UPDATE_TALK, DELETE_TALK, ADD_TALK_POST, REMOVE_TALK_POST));
        events.put(
                INVITATION,
                List.of(
                        INVITE_TO_TEAM,
                        ACCEPT_TEAM_INVITE,
                        DECLINE_TEAM_INVITE,
                        INVITE_TO_TOPIC,
                        ACCEPT_TOPIC_INVITE,
                        DECLINE_TOPIC_INVITE,
                        CANCEL_TOPIC_INVITE));
        return events;
    }

    @Override
    public String product() {
        return PRODUCT;
    }

    @Override
    public ProductCatalog catalog() {
        return CATALOG;
    }

    @Override
    public List<AuditRecord> translate(NativePayload payload, IngestContext context) throws PayloadRejectedException {
        PayloadFields body = PayloadFields.of(payload.json());
        if (body.containsKey("type") || body.containsKey("data")) {
            return streaming(body);
        }
        if (body.containsKey("topic") || body.containsKey("post")) {
            return List.of(message(Event.webhook(body), false));
        }
        throw new PayloadRejectedException(
                "type", "is required: send a streaming message {type, data} or an outgoing-webhook body {topic, post}");
    }

    private List<AuditRecord> streaming(PayloadFields envelope) throws PayloadRejectedException {
        Event e = Event.streaming(envelope);
        return switch (e.type) {
            case "postMessage" -> List.of(message(e, false));
            case "deleteMessage" -> List.of(message(e, true));
            case "likeMessage" -> List.of(like(e, true));
            case "unlikeMessage" -> List.of(like(e, false));
            case "createTopic" -> List.of(createTopic(e));
            case "updateTopic" -> List.of(updateOrDeleteTopic(e, false));
            case "deleteTopic" -> List.of(updateOrDeleteTopic(e, true));
            case "joinTopics" -> joinOrLeaveTopics(e, JOIN_TOPIC, "joined");
            case "leaveTopics" -> joinOrLeaveTopics(e, LEAVE_TOPIC, "left");
            case "createTalk" -> List.of(talk(e, CREATE_TALK, "created", "createdAt"));
            case "updateTalk" -> List.of(talk(e, UPDATE_TALK, "updated", "updatedAt"));
            case "deleteTalk" -> List.of(talk(e, DELETE_TALK, "deleted", null));
            case "addTalkPost" -> talkPosts(e, ADD_TALK_POST, "added to");
            case "removeTalkPost" -> talkPosts(e, REMOVE_TALK_POST, "removed from");
            case "requestTeamInvite" -> List.of(teamInvite(e, INVITE_TO_TEAM, InviteStep.SENT));
            case "acceptTeamInvite" -> List.of(teamInvite(e, ACCEPT_TEAM_INVITE, InviteStep.ACCEPTED));
            case "declineTeamInvite" -> List.of(teamInvite(e, DECLINE_TEAM_INVITE, InviteStep.DECLINED));
            case "requestTopicInvite" -> List.of(topicInvite(e, INVITE_TO_TOPIC, InviteStep.SENT));
            case "acceptTopicInvite" -> List.of(topicInvite(e, ACCEPT_TOPIC_INVITE, InviteStep.ACCEPTED));
            case "declineTopicInvite" -> List.of(topicInvite(e, DECLINE_TOPIC_INVITE, InviteStep.DECLINED));
            case "cancelTopicInvite" -> List.of(topicInvite(e, CANCEL_TOPIC_INVITE, InviteStep.CANCELLED));
            default -> List.of(unknown(e));
        };
    }

    // --- Message ---------------------------------------------------------------------------------------------

    /** A posted (webhook, postMessage) or deleted message: {@code {topic, post}}; the post's text is never read. */
    private static AuditRecord message(Event e, boolean deleted) throws PayloadRejectedException {
        String topicName = e.data.object("topic").string("name");
        PayloadFields post = e.data.object("post");
        String postId = post.id("id");
        Actor actor = e.actor(post, "account");
        if (deleted) {
            return e.record(
                    e.occurredAt(),
                    MESSAGE,
                    DELETE_MESSAGE,
                    "Message " + postId + " was deleted from topic " + quote(topicName),
                    actor);
        }
        Instant date = e.date(post, "createdAt");
        String replyTo = post.optId("replyTo");
        String action = "Message " + postId + " was posted in topic " + quote(topicName)
                + (replyTo == null ? "" : " as a reply to message " + replyTo);
        return e.record(date, MESSAGE, POST_MESSAGE, action, actor);
    }

    /** A like given or taken back: {@code {like{postId, topicId, account, createdAt}, topic?}}; the comment is never read. */
    private static AuditRecord like(Event e, boolean liked) throws PayloadRejectedException {
        PayloadFields like = e.data.object("like");
        String postId = like.id("postId");
        String where = inTopic(e.data.optObject("topic"), like.optId("topicId"));
        Actor actor = e.actor(like, "account");
        Instant date = liked ? e.date(like, "createdAt") : e.occurredAt();
        return e.record(
                date,
                MESSAGE,
                liked ? LIKE_MESSAGE : UNLIKE_MESSAGE,
                "Message " + postId + " was " + (liked ? "liked" : "unliked") + where,
                actor);
    }

    // --- Topic -----------------------------------------------------------------------------------------------

    private static AuditRecord createTopic(Event e) throws PayloadRejectedException {
        PayloadFields topic = e.data.object("topic");
        String name = topic.string("name");
        Actor actor = e.accountOfEnvelope();
        return e.record(
                e.date(topic, "createdAt"), TOPIC, CREATE_TOPIC, "Topic " + quote(name) + " was created", actor);
    }

    /** {@code data} is the topic itself (as Typetalk streams it) or {@code {topic}}. */
    private static AuditRecord updateOrDeleteTopic(Event e, boolean deleted) throws PayloadRejectedException {
        PayloadFields topic = topicOf(e.data);
        String name = topic.string("name");
        Actor actor = e.accountOfEnvelope();
        Instant date = deleted ? e.occurredAt() : e.date(topic, "updatedAt");
        return e.record(
                date,
                TOPIC,
                deleted ? DELETE_TOPIC : UPDATE_TOPIC,
                "Topic " + quote(name) + " was " + (deleted ? "deleted" : "updated"),
                actor);
    }

    /** One record per topic of {@code data.topics}; an element is a topic or {@code {topic, favorite, unread}}. */
    private static List<AuditRecord> joinOrLeaveTopics(Event e, String event, String verb)
            throws PayloadRejectedException {
        List<String> names = new ArrayList<>();
        for (PayloadFields element : e.data.objects("topics")) {
            names.add(topicOf(element).string("name"));
        }
        Actor actor = e.accountOfEnvelope();
        Instant date = e.occurredAt();
        List<AuditRecord> records = new ArrayList<>(names.size());
        for (String name : names) {
            records.add(e.record(date, TOPIC, event, "Topic " + quote(name) + " was " + verb, actor));
        }
        return records;
    }

    private static PayloadFields topicOf(PayloadFields holder) throws PayloadRejectedException {
        PayloadFields topic = holder.optObject("topic");
        return topic == null ? holder : topic;
    }

    // --- Talk ------------------------------------------------------------------------------------------------

    /** A talk created, updated or deleted: {@code {topic, talk}}; {@code dateField} null when only occurredAt tells. */
    private static AuditRecord talk(Event e, String event, String verb, String dateField)
            throws PayloadRejectedException {
        PayloadFields talk = e.data.object("talk");
        String name = talk.string("name");
        String where = inTopic(e.data.optObject("topic"), talk.optId("topicId"));
        Actor actor = e.accountOfEnvelope();
        Instant date = dateField == null ? e.occurredAt() : e.date(talk, dateField);
        return e.record(date, TALK, event, "Talk " + quote(name) + " was " + verb + where, actor);
    }

    /** Messages added to or removed from a talk: one record per id of {@code data.postIds}. */
    private static List<AuditRecord> talkPosts(Event e, String event, String verb) throws PayloadRejectedException {
        PayloadFields talk = e.data.object("talk");
        String name = talk.string("name");
        String where = inTopic(e.data.optObject("topic"), talk.optId("topicId"));
        List<String> postIds = e.data.optIds("postIds");
        Actor actor = e.accountOfEnvelope();
        Instant date = e.date(talk, "updatedAt");
        String inTalk = " talk " + quote(name) + where;
        if (postIds.isEmpty()) {
            return List.of(e.record(date, TALK, event, "Messages were " + verb + inTalk, actor));
        }
        List<AuditRecord> records = new ArrayList<>(postIds.size());
        for (String postId : postIds) {
            records.add(e.record(date, TALK, event, "Message " + postId + " was " + verb + inTalk, actor));
        }
        return records;
    }

    // --- Invitation ------------------------------------------------------------------------------------------

    private static AuditRecord teamInvite(Event e, String event, InviteStep step) throws PayloadRejectedException {
        PayloadFields invite = inviteOf(e.data);
        return invitation(
                e, invite, event, step, "team " + quote(invite.object("team").string("name")));
    }

    private static AuditRecord topicInvite(Event e, String event, InviteStep step) throws PayloadRejectedException {
        PayloadFields invite = inviteOf(e.data);
        return invitation(
                e, invite, event, step, "topic " + quote(invite.object("topic").string("name")));
    }

    /** What happened to an invitation: who acted on it, and which of its times tells when. */
    private enum InviteStep {
        SENT("sender", "createdAt"),
        ACCEPTED("account", "updatedAt"),
        DECLINED("account", "updatedAt"),
        CANCELLED("sender", "updatedAt");

        final String actorField;
        final String dateField;

        InviteStep(String actorField, String dateField) {
            this.actorField = actorField;
            this.dateField = dateField;
        }
    }

    /** {@code target} is {@code team "name"} or {@code topic "name"}; the invitation's message is never read. */
    private static AuditRecord invitation(Event e, PayloadFields invite, String event, InviteStep step, String target)
            throws PayloadRejectedException {
        String action = switch (step) {
            case SENT -> invitee(invite) + " was invited to " + target;
            case ACCEPTED -> "Invitation to " + target + " was accepted";
            case DECLINED -> "Invitation to " + target + " was declined";
            case CANCELLED -> "Invitation of " + invitee(invite) + " to " + target + " was cancelled";
        };
        Actor actor = e.actor(invite, step.actorField);
        return e.record(e.date(invite, step.dateField), INVITATION, event, action, actor);
    }

    /** Streamed invitations are {@code data} itself when sent and {@code data.invite} afterwards. */
    private static PayloadFields inviteOf(PayloadFields data) throws PayloadRejectedException {
        PayloadFields invite = data.optObject("invite");
        return invite == null ? data : invite;
    }

    /** The invited account's name, else the invited mail address. */
    private static String invitee(PayloadFields invite) throws PayloadRejectedException {
        PayloadFields account = invite.optObject("account");
        String name = account == null ? null : Actor.displayName(account);
        if (name == null) {
            name = invite.optString("mailAddress");
        }
        return name == null ? "A user" : shorten(name);
    }

    // --- Other -----------------------------------------------------------------------------------------------

    /** A type this adapter does not know: kept, named after its type, with the envelope's account and time. */
    private static AuditRecord unknown(Event e) throws PayloadRejectedException {
        String event = UNKNOWN_EVENT_PREFIX + shorten(e.type, 100);
        String where = "";
        // Unknown shapes are read leniently: the topic's name is added only when it is plainly there.
        if (e.data.raw("topic") instanceof Map<?, ?> topic
                && topic.get("name") instanceof String name
                && !name.isBlank()) {
            where = " in topic " + quote(name);
        }
        Actor actor = e.accountOfEnvelope();
        return e.record(e.occurredAt(), OTHER, event, event + where, actor);
    }

    // --- Helpers ---------------------------------------------------------------------------------------------

    /** {@code  in topic "name"}, else {@code  in topic <id>}, else nothing. */
    private static String inTopic(PayloadFields topic, String topicId) throws PayloadRejectedException {
        String name = topic == null ? null : topic.optString("name");
        if (name != null) {
            return " in topic " + quote(name);
        }
        String id = topic == null ? null : topic.optId("id");
        if (id == null) {
            id = topicId;
        }
        return id == null ? "" : " in topic " + id;
    }

    static String quote(String name) {
        return "\"" + shorten(name) + "\"";
    }

    static String shorten(String text) {
        return shorten(text, MAX_NAME);
    }

    private static String shorten(String text, int max) {
        return Actions.shorten(text, max);
    }

    /** Who acted, as Typetalk names an account. */
    record Actor(String id, String name) {

        /** Reads an account {@code {id, fullName, name}}. */
        static Actor of(PayloadFields account) throws PayloadRejectedException {
            String id = account.id("id");
            String name = displayName(account);
            if (name == null) {
                throw new PayloadRejectedException(account.at("name"), "is required (fullName or name)");
            }
            return new Actor(id, shorten(name));
        }

        static String displayName(PayloadFields account) throws PayloadRejectedException {
            String fullName = account.optString("fullName");
            return fullName != null ? fullName : account.optString("name");
        }
    }

    /**
     * One event being translated: its data and, for streaming messages, the envelope's fallbacks.
     *
     * @param type the streaming type ({@code postMessage} for the webhook body)
     * @param data the webhook body or the streaming {@code data}
     * @param streamed whether the event came in a streaming envelope (which may carry the fallbacks)
     * @param occurredAtOrNull the envelope's {@code occurredAt}, or null
     * @param account the envelope's {@code account}, or null
     * @param spaceKey {@code space.key} of the data, or null
     */
    private record Event(
            String type,
            PayloadFields data,
            boolean streamed,
            Instant occurredAtOrNull,
            PayloadFields account,
            String spaceKey) {

        static Event webhook(PayloadFields body) throws PayloadRejectedException {
            return new Event("postMessage", body, false, null, null, spaceKey(body));
        }

        static Event streaming(PayloadFields envelope) throws PayloadRejectedException {
            String type = envelope.string("type");
            PayloadFields data = envelope.object("data");
            return new Event(
                    type, data, true, envelope.optDate("occurredAt"), envelope.optObject("account"), spaceKey(data));
        }

        private static String spaceKey(PayloadFields holder) throws PayloadRejectedException {
            PayloadFields space = holder.optObject("space");
            return space == null ? null : space.optString("key");
        }

        /** The account the data names at {@code owner.field}, else the envelope's account. */
        Actor actor(PayloadFields owner, String field) throws PayloadRejectedException {
            PayloadFields own = owner.optObject(field);
            if (own != null) {
                return Actor.of(own);
            }
            if (account != null) {
                return Actor.of(account);
            }
            throw new PayloadRejectedException(
                    owner.at(field), streamed ? "is required (or send account)" : "is required");
        }

        /** The envelope's account, for events whose data names nobody. */
        Actor accountOfEnvelope() throws PayloadRejectedException {
            if (account == null) {
                throw new PayloadRejectedException(
                        "account", "is required: " + shorten(type, 100) + " data does not say who acted");
            }
            return Actor.of(account);
        }

        /** The time the data gives at {@code owner.field}, else the envelope's {@code occurredAt}. */
        Instant date(PayloadFields owner, String field) throws PayloadRejectedException {
            Instant date = owner.optDate(field);
            if (date != null) {
                return date;
            }
            if (occurredAtOrNull != null) {
                return occurredAtOrNull;
            }
            throw new PayloadRejectedException(
                    owner.at(field), streamed ? "is required (or send occurredAt)" : "is required");
        }

        /** The envelope's {@code occurredAt}, for events whose data carries no time of their own. */
        Instant occurredAt() throws PayloadRejectedException {
            if (occurredAtOrNull == null) {
                throw new PayloadRejectedException(
                        "occurredAt", "is required: " + shorten(type, 100) + " data carries no time of the event");
            }
            return occurredAtOrNull;
        }

        AuditRecord record(Instant date, String category, String event, String action, Actor actor) {
            return new AuditRecord(
                    0,
                    spaceKey,
                    PRODUCT,
                    date,
                    category,
                    event,
                    action,
                    actor.id(),
                    actor.name(),
                    null,
                    null,
                    null,
                    null);
        }
    }
}
