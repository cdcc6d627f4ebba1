package org.auditlog.product.cacoo.internal;

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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.adapter.ProductCatalog;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class CacooAdapterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IngestContext CONTEXT = new IngestContext("ACME", "203.0.113.7", "Mozilla/5.0");

    private final CacooAdapter adapter = new CacooAdapter();

    @Test
    void diagramCreatedWithAnRfc2822Date() throws Exception {
        AuditRecord r = translateFixture("diagram-created.json");
        assertRecord(r, "2026-11-02T09:30:00Z", "Diagram", "Add a diagram",
                "Diagram \"Network plan\" (D1a2b3) was created in folder \"Infra\"");
        assertActor(r, "Prm9ZD9DQD5snNW", "Ann Takeda", "ann@acme.example");
    }

    @Test
    void diagramCreatedOutsideAFolder() throws Exception {
        Map<String, Object> event = fixture("diagram-created.json");
        diagram(event).remove("folderName");
        diagram(event).remove("folderId");
        assertEquals("Diagram \"Network plan\" (D1a2b3) was created", translate(event).action());
    }

    @Test
    void diagramAccessedWithAnIsoDate() throws Exception {
        AuditRecord r = translateFixture("diagram-accessed.json");
        assertRecord(r, "2026-11-03T01:15:42.123Z", "Diagram", "Access a diagram",
                "Diagram \"Network plan\" (D1a2b3) was accessed");
        assertActor(r, "Xq7LmN2pRt4vWz8", "Bob Ito", "bob@acme.example");
    }

    @Test
    void publicLinkSettingChangedFromTheSecurityObject() throws Exception {
        AuditRecord r = translateFixture("diagram-sharing-changed.json");
        assertRecord(r, "2026-11-03T01:00:00Z", "Diagram", "Change the public link setting",
                "Public link setting of \"Network plan\" (D1a2b3) was changed from private to url");
        assertActor(r, "Prm9ZD9DQD5snNW", "Ann Takeda", "ann@acme.example");
    }

    @Test
    void publicLinkSettingChangedFromTheDiagramSecurity() throws Exception {
        AuditRecord r = translateFixture("diagram-sharing-changed-by-diagram-security.json");
        assertRecord(r, "2026-11-04T03:00:00Z", "Diagram", "Change the public link setting",
                "Public link setting of \"Network plan\" (D1a2b3) was changed from url to public");
    }

    @Test
    void publicLinkSettingChangedWithoutThePreviousValue() throws Exception {
        Map<String, Object> event = fixture("diagram-sharing-changed-by-diagram-security.json");
        event.remove("previousSecurity");
        assertEquals("Public link setting of \"Network plan\" (D1a2b3) was changed to public",
                translate(event).action());
    }

    @Test
    void collaboratorAdded() throws Exception {
        AuditRecord r = translateFixture("collaborator-added.json");
        assertRecord(r, "2026-11-03T02:20:05Z", "Collaborator", "Add a collaborator",
                "Collaborator \"Chika Sato\" (chika@partner.example) was added to diagram \"Network plan\" (D1a2b3)");
        assertActor(r, "Prm9ZD9DQD5snNW", "Ann Takeda", "ann@acme.example");
    }

    @Test
    void collaboratorRemovedByAnActorWithANumericId() throws Exception {
        AuditRecord r = translateFixture("collaborator-removed.json");
        assertRecord(r, "2026-11-05T08:00:00Z", "Collaborator", "Remove a collaborator",
                "Collaborator \"Chika Sato\" was removed from diagram \"Network plan\" (D1a2b3)");
        assertActor(r, "48213", "Ann Takeda", "ann@acme.example");
    }

    @Test
    void commentAdded() throws Exception {
        AuditRecord r = translateFixture("comment-added.json");
        assertRecord(r, "2026-11-03T04:45:00Z", "Comment", "Add a comment",
                "Comment 99817 was added to diagram \"Network plan\" (D1a2b3)");
        assertActor(r, "Xq7LmN2pRt4vWz8", "Bob Ito", "bob@acme.example");
    }

    @Test
    void commentUpdated() throws Exception {
        AuditRecord r = translateFixture("comment-updated.json");
        assertRecord(r, "2026-11-03T05:00:00Z", "Comment", "Update a comment",
                "Comment 99817 was updated on diagram \"Network plan\" (D1a2b3)");
        assertActor(r, "Xq7LmN2pRt4vWz8", "Bob Ito", "bob@acme.example");
    }

    @Test
    void commentDeletedWithAGmtDate() throws Exception {
        AuditRecord r = translateFixture("comment-deleted.json");
        assertRecord(r, "2026-11-03T15:10:30Z", "Comment", "Delete a comment",
                "Comment 99817 was deleted from diagram \"Network plan\" (D1a2b3)");
    }

    @Test
    void commentIdGivenAsAString() throws Exception {
        Map<String, Object> event = fixture("comment-added.json");
        object(event, "comment").put("id", "c-77");
        assertEquals("Comment c-77 was added to diagram \"Network plan\" (D1a2b3)", translate(event).action());
    }

    @Test
    void unknownTypeStillBecomesARecord() throws Exception {
        AuditRecord r = translateFixture("unknown-type.json");
        assertRecord(r, "2026-11-06T00:00:00Z", "Other", "Cacoo event diagram.exported",
                "Cacoo event diagram.exported on diagram \"Network plan\" (D1a2b3)");
        assertActor(r, "Xq7LmN2pRt4vWz8", "Bob Ito", "bob@acme.example");
    }

    @Test
    void noCommentTextOrDiagramDescriptionInAnyField() throws Exception {
        for (String name : fixtureNames()) {
            AuditRecord r = translateFixture(name);
            for (String value : fields(r)) {
                assertFalse(value.contains("SECRET"), name + " leaked text: " + value);
                assertFalse(value.contains("VLAN"), name + " leaked comment text: " + value);
            }
        }
    }

    @Test
    void organizationKeyIpAndUserAgentAreLeftToTheServer() throws Exception {
        AuditRecord r = translateFixture("diagram-created.json");
        assertNull(r.spaceKey());
        assertNull(r.ipAddress());
        assertNull(r.userAgent());
        assertNull(r.version());
        assertEquals(0, r.id());
    }

    @Test
    void optionalActorFieldsMayBeAbsent() throws Exception {
        Map<String, Object> event = fixture("diagram-accessed.json");
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("name", "Nulab Support");
        event.put("actor", actor);
        assertActor(translate(event), null, "Nulab Support", null);
    }

    @Test
    void longTitlesAreCutWithAnEllipsis() throws Exception {
        Map<String, Object> event = fixture("diagram-created.json");
        diagram(event).put("title", "x".repeat(5000));
        diagram(event).put("folderName", "y".repeat(5000));
        String action = translate(event).action();
        assertTrue(action.length() < 1024, action);
        assertTrue(action.startsWith("Diagram \"" + "x".repeat(199) + "\u2026\" (D1a2b3)"), action);

        Map<String, Object> unknown = fixture("unknown-type.json");
        unknown.put("type", "z".repeat(1000));
        assertTrue(translate(unknown).event().length() <= 128);
    }

    @Test
    void truncationDoesNotSplitASurrogatePair() {
        String cut = CacooAdapter.truncate("ab\uD83D\uDE00cd", 4);
        assertEquals("ab\u2026", cut);
    }

    @Test
    void rejectsAnEventThatIsNotAnObject() {
        assertRejected(null, List.of(Map.of("type", "diagram.created")));
        assertRejected(null, "diagram.created");
    }

    @Test
    void rejectsAMissingOrWrongTypedType() throws Exception {
        Map<String, Object> missing = fixture("diagram-created.json");
        missing.remove("type");
        assertRejected("type", missing);
        Map<String, Object> number = fixture("diagram-created.json");
        number.put("type", 3);
        assertRejected("type", number);
        Map<String, Object> blank = fixture("diagram-created.json");
        blank.put("type", " ");
        assertRejected("type", blank);
    }

    @Test
    void rejectsAMissingOrMalformedDiagram() throws Exception {
        Map<String, Object> missing = fixture("diagram-created.json");
        missing.remove("diagram");
        assertRejected("diagram", missing);
        Map<String, Object> notAnObject = fixture("diagram-created.json");
        notAnObject.put("diagram", "D1a2b3");
        assertRejected("diagram", notAnObject);
        Map<String, Object> noId = fixture("diagram-created.json");
        diagram(noId).remove("diagramId");
        assertRejected("diagram.diagramId", noId);
        Map<String, Object> numericId = fixture("diagram-created.json");
        diagram(numericId).put("diagramId", 12);
        assertRejected("diagram.diagramId", numericId);
        Map<String, Object> noTitle = fixture("diagram-created.json");
        diagram(noTitle).remove("title");
        assertRejected("diagram.title", noTitle);
        Map<String, Object> badFolder = fixture("diagram-created.json");
        diagram(badFolder).put("folderName", List.of("Infra"));
        assertRejected("diagram.folderName", badFolder);
        Map<String, Object> unknownWithoutDiagram = fixture("unknown-type.json");
        unknownWithoutDiagram.remove("diagram");
        assertRejected("diagram", unknownWithoutDiagram);
    }

    @Test
    void rejectsAMissingOrMalformedActor() throws Exception {
        Map<String, Object> missing = fixture("diagram-created.json");
        missing.remove("actor");
        assertRejected("actor", missing);
        Map<String, Object> noName = fixture("diagram-created.json");
        object(noName, "actor").remove("name");
        assertRejected("actor.name", noName);
        Map<String, Object> numericName = fixture("diagram-created.json");
        object(numericName, "actor").put("name", 7);
        assertRejected("actor.name", numericName);
        Map<String, Object> fractionalId = fixture("diagram-created.json");
        object(fractionalId, "actor").put("id", 1.5);
        assertRejected("actor.id", fractionalId);
        Map<String, Object> badEmail = fixture("diagram-created.json");
        object(badEmail, "actor").put("email", false);
        assertRejected("actor.email", badEmail);
    }

    @Test
    void rejectsAMissingOrUnreadableOccurredAt() throws Exception {
        for (Object bad : new Object[] {null, 1_700_000_000, "2026-11-02T09:30:00", "2026-11-02 09:30:00 +0900",
                "Tue, 02 Nov 2026 18:30:00 +0900", "02 Nov 2026", ""}) {
            Map<String, Object> event = fixture("diagram-created.json");
            event.put("occurredAt", bad);
            PayloadRejectedException e = assertRejected("occurredAt", event);
            if (bad instanceof String text && !text.isEmpty()) {
                assertTrue(e.rule().contains("RFC 2822") && e.rule().contains("ISO-8601"), e.rule());
            }
        }
    }

    @Test
    void rejectsCollaboratorEventsWithoutACollaborator() throws Exception {
        Map<String, Object> missing = fixture("collaborator-added.json");
        missing.remove("collaborator");
        assertRejected("collaborator", missing);
        Map<String, Object> noName = fixture("collaborator-removed.json");
        object(noName, "collaborator").remove("name");
        assertRejected("collaborator.name", noName);
        Map<String, Object> badEmail = fixture("collaborator-added.json");
        object(badEmail, "collaborator").put("email", Map.of());
        assertRejected("collaborator.email", badEmail);
    }

    @Test
    void rejectsASharingChangeWithoutTheNewSetting() throws Exception {
        Map<String, Object> noTo = fixture("diagram-sharing-changed.json");
        object(noTo, "security").remove("to");
        assertRejected("security.to", noTo);
        Map<String, Object> notAnObject = fixture("diagram-sharing-changed.json");
        notAnObject.put("security", "url");
        assertRejected("security", notAnObject);
        Map<String, Object> nothing = fixture("diagram-sharing-changed-by-diagram-security.json");
        diagram(nothing).remove("security");
        assertRejected("security", nothing);
        Map<String, Object> badPrevious = fixture("diagram-sharing-changed-by-diagram-security.json");
        badPrevious.put("previousSecurity", 1);
        assertRejected("previousSecurity", badPrevious);
    }

    @Test
    void rejectsCommentEventsWithoutACommentId() throws Exception {
        Map<String, Object> missing = fixture("comment-added.json");
        missing.remove("comment");
        assertRejected("comment", missing);
        Map<String, Object> noId = fixture("comment-updated.json");
        object(noId, "comment").remove("id");
        assertRejected("comment.id", noId);
        Map<String, Object> badId = fixture("comment-deleted.json");
        object(badId, "comment").put("id", List.of(1));
        assertRejected("comment.id", badId);
    }

    @Test
    void catalogListsEveryEventProduced() throws Exception {
        ProductCatalog catalog = adapter.catalog();
        assertEquals(List.of("Diagram", "Collaborator", "Comment"), new ArrayList<>(catalog.eventsByCategory().keySet()));
        int produced = 0;
        for (String name : fixtureNames()) {
            AuditRecord r = translateFixture(name);
            if (!"Other".equals(r.category())) {
                assertTrue(catalog.eventsByCategory().get(r.category()).contains(r.event()), r.event());
                produced++;
            }
        }
        assertEquals(9, produced);
        assertEquals(8, catalog.eventsByCategory().values().stream().mapToInt(List::size).sum());
        assertEquals("Cacoo", adapter.product());
    }

    // helpers

    private static List<String> fixtureNames() {
        return List.of("diagram-accessed.json", "diagram-created.json", "diagram-sharing-changed.json",
                "diagram-sharing-changed-by-diagram-security.json", "collaborator-added.json",
                "collaborator-removed.json", "comment-added.json", "comment-updated.json", "comment-deleted.json",
                "unknown-type.json");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture(String name) throws IOException {
        try (InputStream in = CacooAdapterTest.class.getResourceAsStream("/cacoo/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return (Map<String, Object>) JSON.readValue(in, Object.class);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> event, String key) {
        return (Map<String, Object>) event.get(key);
    }

    private static Map<String, Object> diagram(Map<String, Object> event) {
        return object(event, "diagram");
    }

    private AuditRecord translateFixture(String name) throws Exception {
        return translate(fixture(name));
    }

    private AuditRecord translate(Object json) throws PayloadRejectedException {
        List<AuditRecord> out = adapter.translate(new NativePayload("application/json", json, NativePayload.SINGLE),
                CONTEXT);
        assertEquals(1, out.size());
        return out.get(0);
    }

    private static void assertRecord(AuditRecord r, String date, String category, String event, String action) {
        assertEquals("Cacoo", r.product());
        assertEquals(Instant.parse(date), r.date());
        assertEquals(category, r.category());
        assertEquals(event, r.event());
        assertEquals(action, r.action());
    }

    private static void assertActor(AuditRecord r, String id, String name, String email) {
        assertEquals(id, r.operationUserId());
        assertEquals(name, r.operationUserName());
        assertEquals(email, r.operationUserEmail());
    }

    private static List<String> fields(AuditRecord r) {
        return Stream.of(r.spaceKey(), r.product(), r.category(), r.event(), r.action(), r.operationUserId(),
                r.operationUserName(), r.operationUserEmail(), r.ipAddress(), r.userAgent())
                .filter(v -> v != null).toList();
    }

    private PayloadRejectedException assertRejected(String field, Object json) {
        PayloadRejectedException e = assertThrows(PayloadRejectedException.class,
                () -> adapter.translate(new NativePayload("application/json", json, NativePayload.SINGLE), CONTEXT));
        assertEquals(field, e.field(), e.getMessage());
        return e;
    }
}
