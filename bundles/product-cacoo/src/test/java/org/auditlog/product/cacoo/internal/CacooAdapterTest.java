package org.auditlog.product.cacoo.internal;

import static org.auditlog.testing.V1Fields.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.adapter.ProductCatalog;
import org.auditlog.testing.AdapterCase;
import org.auditlog.testing.AdapterRefusal;
import org.auditlog.testing.AdapterTable;
import org.auditlog.testing.V1Fields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CacooAdapterTest {
    private static final IngestContext CONTEXT = new IngestContext("ACME", "203.0.113.7", "Mozilla/5.0");

    private final CacooAdapter adapter = new CacooAdapter();
    private static final AdapterTable TABLE = new AdapterTable(new CacooAdapter(), "/cacoo/", ".json", CONTEXT);

    private static final String ANN = "Prm9ZD9DQD5snNW";
    private static final String BOB = "Xq7LmN2pRt4vWz8";

    /** Each native example, as it is or changed, and the V1 fields of the record it becomes. */
    static Stream<AdapterCase> examples() {
        V1Fields created = v1(
                "2026-11-02T09:30:00Z",
                "Diagram",
                "Add a diagram",
                "Diagram \"Network plan\" (D1a2b3) was created in folder \"Infra\"",
                ANN,
                "Ann Takeda",
                "ann@acme.example");
        V1Fields byDiagramSecurity = v1(
                "2026-11-04T03:00:00Z",
                "Diagram",
                "Change the public link setting",
                "Public link setting of \"Network plan\" (D1a2b3) was changed from url to public",
                ANN,
                "Ann Takeda",
                "ann@acme.example");
        V1Fields commentAdded = v1(
                "2026-11-03T04:45:00Z",
                "Comment",
                "Add a comment",
                "Comment 99817 was added to diagram \"Network plan\" (D1a2b3)",
                BOB,
                "Bob Ito",
                "bob@acme.example");
        return Stream.of(
                // an RFC 2822 date
                AdapterCase.of("diagram-created", created),
                AdapterCase.changed(
                        "diagram-created outside a folder",
                        "diagram-created",
                        e -> {
                            diagram(e).remove("folderName");
                            diagram(e).remove("folderId");
                        },
                        created.withAction("Diagram \"Network plan\" (D1a2b3) was created")),
                // an ISO-8601 date
                AdapterCase.of(
                        "diagram-accessed",
                        v1(
                                "2026-11-03T01:15:42.123Z",
                                "Diagram",
                                "Access a diagram",
                                "Diagram \"Network plan\" (D1a2b3) was accessed",
                                BOB,
                                "Bob Ito",
                                "bob@acme.example")),
                // the public link setting from the security object
                AdapterCase.of(
                        "diagram-sharing-changed",
                        v1(
                                "2026-11-03T01:00:00Z",
                                "Diagram",
                                "Change the public link setting",
                                "Public link setting of \"Network plan\" (D1a2b3) was changed from private to url",
                                ANN,
                                "Ann Takeda",
                                "ann@acme.example")),
                // the public link setting from the diagram's security
                AdapterCase.of("diagram-sharing-changed-by-diagram-security", byDiagramSecurity),
                AdapterCase.changed(
                        "diagram-sharing-changed without the previous value",
                        "diagram-sharing-changed-by-diagram-security",
                        e -> e.remove("previousSecurity"),
                        byDiagramSecurity.withAction(
                                "Public link setting of \"Network plan\" (D1a2b3) was changed to public")),
                AdapterCase.of(
                        "collaborator-added",
                        v1(
                                "2026-11-03T02:20:05Z",
                                "Collaborator",
                                "Add a collaborator",
                                "Collaborator \"Chika Sato\" (chika@partner.example) was added to diagram \"Network plan\" "
                                        + "(D1a2b3)",
                                ANN,
                                "Ann Takeda",
                                "ann@acme.example")),
                // an actor with a numeric id
                AdapterCase.of(
                        "collaborator-removed",
                        v1(
                                "2026-11-05T08:00:00Z",
                                "Collaborator",
                                "Remove a collaborator",
                                "Collaborator \"Chika Sato\" was removed from diagram \"Network plan\" (D1a2b3)",
                                "48213",
                                "Ann Takeda",
                                "ann@acme.example")),
                AdapterCase.of("comment-added", commentAdded),
                AdapterCase.changed(
                        "comment-added with a text id",
                        "comment-added",
                        e -> object(e, "comment").put("id", "c-77"),
                        commentAdded.withAction("Comment c-77 was added to diagram \"Network plan\" (D1a2b3)")),
                AdapterCase.of(
                        "comment-updated",
                        v1(
                                "2026-11-03T05:00:00Z",
                                "Comment",
                                "Update a comment",
                                "Comment 99817 was updated on diagram \"Network plan\" (D1a2b3)",
                                BOB,
                                "Bob Ito",
                                "bob@acme.example")),
                // a GMT date
                AdapterCase.of(
                        "comment-deleted",
                        v1(
                                "2026-11-03T15:10:30Z",
                                "Comment",
                                "Delete a comment",
                                "Comment 99817 was deleted from diagram \"Network plan\" (D1a2b3)",
                                BOB,
                                "Bob Ito",
                                "bob@acme.example")),
                // an unknown type still becomes a record
                AdapterCase.of(
                        "unknown-type",
                        v1(
                                "2026-11-06T00:00:00Z",
                                "Other",
                                "Cacoo event diagram.exported",
                                "Cacoo event diagram.exported on diagram \"Network plan\" (D1a2b3)",
                                BOB,
                                "Bob Ito",
                                "bob@acme.example")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void eachExampleBecomesItsV1Record(AdapterCase example) throws Exception {
        TABLE.assertRow(example);
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
        AuditRecord r = translateFixture("diagram-created");
        assertNull(r.spaceKey());
        assertNull(r.ipAddress());
        assertNull(r.userAgent());
        assertNull(r.version());
        assertEquals(0, r.id());
    }

    @Test
    void optionalActorFieldsMayBeAbsent() throws Exception {
        Map<String, Object> event = fixture("diagram-accessed");
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("name", "Nulab Support");
        event.put("actor", actor);
        assertActor(translate(event), null, "Nulab Support", null);
    }

    @Test
    void longTitlesAreCutWithAnEllipsis() throws Exception {
        Map<String, Object> event = fixture("diagram-created");
        diagram(event).put("title", "x".repeat(5000));
        diagram(event).put("folderName", "y".repeat(5000));
        String action = translate(event).action();
        assertTrue(action.length() < 1024, action);
        assertTrue(action.startsWith("Diagram \"" + "x".repeat(199) + "\u2026\" (D1a2b3)"), action);

        Map<String, Object> unknown = fixture("unknown-type");
        unknown.put("type", "z".repeat(1000));
        assertTrue(translate(unknown).event().length() <= 128);
    }

    @Test
    void truncationDoesNotSplitASurrogatePair() {
        String cut = CacooAdapter.truncate("ab\uD83D\uDE00cd", 4);
        assertEquals("ab\u2026", cut);
    }

    /** Each event the adapter must refuse, and the field the refusal names. */
    static Stream<AdapterRefusal> refusals() {
        return Stream.of(
                // rejectsAnEventThatIsNotAnObject
                AdapterRefusal.of(
                        "List.of(Map.of(\"type\", \"diagram.created\"))",
                        () -> List.of(Map.of("type", "diagram.created")),
                        null),
                AdapterRefusal.of("\"diagram.created\"", () -> "diagram.created", null),
                // rejectsAMissingOrWrongTypedType
                AdapterRefusal.changed("missing", "diagram-created", e -> e.remove("type"), "type"),
                AdapterRefusal.changed("number", "diagram-created", e -> e.put("type", 3), "type"),
                AdapterRefusal.changed("blank", "diagram-created", e -> e.put("type", " "), "type"),
                // rejectsAMissingOrMalformedDiagram
                AdapterRefusal.changed("missing", "diagram-created", e -> e.remove("diagram"), "diagram"),
                AdapterRefusal.changed("notAnObject", "diagram-created", e -> e.put("diagram", "D1a2b3"), "diagram"),
                AdapterRefusal.changed(
                        "noId", "diagram-created", e -> diagram(e).remove("diagramId"), "diagram.diagramId"),
                AdapterRefusal.changed(
                        "numericId", "diagram-created", e -> diagram(e).put("diagramId", 12), "diagram.diagramId"),
                AdapterRefusal.changed(
                        "noTitle", "diagram-created", e -> diagram(e).remove("title"), "diagram.title"),
                AdapterRefusal.changed(
                        "badFolder",
                        "diagram-created",
                        e -> diagram(e).put("folderName", List.of("Infra")),
                        "diagram.folderName"),
                AdapterRefusal.changed("unknownWithoutDiagram", "unknown-type", e -> e.remove("diagram"), "diagram"),
                // rejectsAMissingOrMalformedActor
                AdapterRefusal.changed("missing", "diagram-created", e -> e.remove("actor"), "actor"),
                AdapterRefusal.changed(
                        "noName", "diagram-created", e -> object(e, "actor").remove("name"), "actor.name"),
                AdapterRefusal.changed(
                        "numericName",
                        "diagram-created",
                        e -> object(e, "actor").put("name", 7),
                        "actor.name"),
                AdapterRefusal.changed(
                        "fractionalId",
                        "diagram-created",
                        e -> object(e, "actor").put("id", 1.5),
                        "actor.id"),
                AdapterRefusal.changed(
                        "badEmail", "diagram-created", e -> object(e, "actor").put("email", false), "actor.email"),
                // rejectsCollaboratorEventsWithoutACollaborator
                AdapterRefusal.changed("missing", "collaborator-added", e -> e.remove("collaborator"), "collaborator"),
                AdapterRefusal.changed(
                        "noName",
                        "collaborator-removed",
                        e -> object(e, "collaborator").remove("name"),
                        "collaborator.name"),
                AdapterRefusal.changed(
                        "badEmail",
                        "collaborator-added",
                        e -> object(e, "collaborator").put("email", Map.of()),
                        "collaborator.email"),
                // rejectsASharingChangeWithoutTheNewSetting
                AdapterRefusal.changed(
                        "noTo",
                        "diagram-sharing-changed",
                        e -> object(e, "security").remove("to"),
                        "security.to"),
                AdapterRefusal.changed(
                        "notAnObject", "diagram-sharing-changed", e -> e.put("security", "url"), "security"),
                AdapterRefusal.changed(
                        "nothing",
                        "diagram-sharing-changed-by-diagram-security",
                        e -> diagram(e).remove("security"),
                        "security"),
                AdapterRefusal.changed(
                        "badPrevious",
                        "diagram-sharing-changed-by-diagram-security",
                        e -> e.put("previousSecurity", 1),
                        "previousSecurity"),
                // rejectsCommentEventsWithoutACommentId
                AdapterRefusal.changed("missing", "comment-added", e -> e.remove("comment"), "comment"),
                AdapterRefusal.changed(
                        "noId", "comment-updated", e -> object(e, "comment").remove("id"), "comment.id"),
                AdapterRefusal.changed(
                        "badId", "comment-deleted", e -> object(e, "comment").put("id", List.of(1)), "comment.id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void eachRefusalNamesTheField(AdapterRefusal refusal) {
        TABLE.assertRefused(refusal);
    }

    @Test
    void rejectsAMissingOrUnreadableOccurredAt() throws Exception {
        for (Object bad : new Object[] {
            null,
            1_700_000_000,
            "2026-11-02T09:30:00",
            "2026-11-02 09:30:00 +0900",
            "Tue, 02 Nov 2026 18:30:00 +0900",
            "02 Nov 2026",
            ""
        }) {
            Map<String, Object> event = fixture("diagram-created");
            event.put("occurredAt", bad);
            PayloadRejectedException e = assertRejected("occurredAt", event);
            if (bad instanceof String text && !text.isEmpty()) {
                assertTrue(e.rule().contains("RFC 2822") && e.rule().contains("ISO-8601"), e.rule());
            }
        }
    }

    @Test
    void catalogListsEveryEventProduced() throws Exception {
        ProductCatalog catalog = adapter.catalog();
        assertEquals(
                List.of("Diagram", "Collaborator", "Comment"),
                new ArrayList<>(catalog.eventsByCategory().keySet()));
        int produced = 0;
        for (String name : fixtureNames()) {
            AuditRecord r = translateFixture(name);
            if (!"Other".equals(r.category())) {
                assertTrue(catalog.eventsByCategory().get(r.category()).contains(r.event()), r.event());
                produced++;
            }
        }
        assertEquals(9, produced);
        assertEquals(
                8,
                catalog.eventsByCategory().values().stream()
                        .mapToInt(List::size)
                        .sum());
        assertEquals("Cacoo", adapter.product());
    }

    // helpers

    private static List<String> fixtureNames() {
        return List.of(
                "diagram-accessed",
                "diagram-created",
                "diagram-sharing-changed",
                "diagram-sharing-changed-by-diagram-security",
                "collaborator-added",
                "collaborator-removed",
                "comment-added",
                "comment-updated",
                "comment-deleted",
                "unknown-type");
    }

    private static Map<String, Object> fixture(String name) {
        return TABLE.example(name);
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
        return TABLE.single(json);
    }

    private static void assertActor(AuditRecord r, String id, String name, String email) {
        assertEquals(id, r.operationUserId());
        assertEquals(name, r.operationUserName());
        assertEquals(email, r.operationUserEmail());
    }

    private static List<String> fields(AuditRecord r) {
        return Stream.of(
                        r.spaceKey(),
                        r.product(),
                        r.category(),
                        r.event(),
                        r.action(),
                        r.operationUserId(),
                        r.operationUserName(),
                        r.operationUserEmail(),
                        r.ipAddress(),
                        r.userAgent())
                .filter(v -> v != null)
                .toList();
    }

    private PayloadRejectedException assertRejected(String field, Object json) {
        return TABLE.assertRejected(field, json);
    }
}
