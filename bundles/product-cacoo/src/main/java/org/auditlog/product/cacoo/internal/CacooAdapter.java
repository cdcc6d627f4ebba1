package org.auditlog.product.cacoo.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.api.adapter.Actions;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.CanonicalRecords;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadFields;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.adapter.ProductAdapter;
import org.auditlog.api.adapter.ProductAdapterService;
import org.auditlog.api.adapter.ProductCatalog;
import org.osgi.service.component.annotations.Component;

/**
 * The Cacoo adapter. Cacoo publishes no event format, so this adapter defines one: a JSON object
 * (content type {@code application/json}) built on Cacoo's diagram object.
 *
 * <pre>
 * {"type":       "diagram.created",                       required string, see below
 *  "occurredAt": "Mon, 10 Aug 2009 17:00:00 +0900",       required: RFC 2822 (Cacoo's own form)
 *                                                          or ISO-8601 with an offset
 *  "actor":   {"id": "...", "name": "...",                 required object; name required,
 *              "email": "...", "nickname": "..."},          id (string or integer) and email optional
 *  "diagram": {"diagramId": "...", "title": "...",         required object, Cacoo's diagram as the API
 *              "folderName": "...", "security": "url", ...} returns it; diagramId and title required
 *  "collaborator": {"id": ..., "name": "...", "email": "..."}  collaborator.added / .removed
 *  "security": {"from": "private", "to": "url"}               diagram.sharing_changed, or instead
 *  "previousSecurity": "private"                               diagram.security (new) + this (old)
 *  "comment": {"id": ...}}                                     comment.added / .updated / .deleted
 * </pre>
 *
 * <table>
 * <caption>Types</caption>
 * <tr><th>type</th><th>category</th><th>event</th></tr>
 * <tr><td>diagram.accessed</td><td>Diagram</td><td>Access a diagram</td></tr>
 * <tr><td>diagram.created</td><td>Diagram</td><td>Add a diagram</td></tr>
 * <tr><td>diagram.sharing_changed</td><td>Diagram</td><td>Change the public link setting</td></tr>
 * <tr><td>collaborator.added</td><td>Collaborator</td><td>Add a collaborator</td></tr>
 * <tr><td>collaborator.removed</td><td>Collaborator</td><td>Remove a collaborator</td></tr>
 * <tr><td>comment.added</td><td>Comment</td><td>Add a comment</td></tr>
 * <tr><td>comment.updated</td><td>Comment</td><td>Update a comment</td></tr>
 * <tr><td>comment.deleted</td><td>Comment</td><td>Delete a comment</td></tr>
 * <tr><td>any other</td><td>Other</td><td>Cacoo event &lt;type&gt;</td></tr>
 * </table>
 *
 * <p>Every action names the diagram by title and id. Fields not listed here are ignored, so the
 * envelope can carry the whole diagram object; in particular comment text, diagram descriptions and
 * diagram contents are never read. {@code diagram.organizationKey} is not used as the space key: the
 * organization comes from the ingest token. IP address and user agent come from the headers the
 * product forwards.
 */
@Component
@ProductAdapterService(product = CacooAdapter.PRODUCT)
public class CacooAdapter implements ProductAdapter {
    static final String PRODUCT = "Cacoo";

    static final String DIAGRAM = "Diagram";
    static final String COLLABORATOR = "Collaborator";
    static final String COMMENT = "Comment";
    static final String OTHER = "Other";

    private static final String OCCURRED_AT = "occurredAt";
    private static final String DATE_RULE = "must be an ISO-8601 date-time with an offset (2026-11-01T09:30:00Z) "
            + "or an RFC 2822 date-time (Mon, 10 Aug 2009 17:00:00 +0900)";

    /** Longest item name (title, folder, collaborator) kept in an action; longer ones end with an ellipsis. */
    private static final int NAME_MAX = 200;

    private static final int ID_MAX = 64;
    private static final int TYPE_MAX = 100;
    private static final int SETTING_MAX = 32;
    private static final int EMAIL_MAX = 254;

    private static final ProductCatalog CATALOG;

    static {
        Map<String, List<String>> events = new LinkedHashMap<>();
        events.put(DIAGRAM, List.of("Access a diagram", "Add a diagram", "Change the public link setting"));
        events.put(COLLABORATOR, List.of("Add a collaborator", "Remove a collaborator"));
        events.put(COMMENT, List.of("Add a comment", "Update a comment", "Delete a comment"));
        CATALOG = new ProductCatalog(events);
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
        PayloadFields event = PayloadFields.of(payload.json());
        String type = event.string("type");
        Instant date = occurredAt(event);
        PayloadFields actor = event.object("actor");
        String actorId = actor.optId("id");
        String actorName = actor.string("name");
        String actorEmail = actor.optString("email");
        PayloadFields diagram = event.object("diagram");
        String diagramRef = diagramRef(diagram);

        String category;
        String name;
        String action;
        switch (type) {
            case "diagram.accessed" -> {
                category = DIAGRAM;
                name = "Access a diagram";
                action = "Diagram " + diagramRef + " was accessed";
            }
            case "diagram.created" -> {
                category = DIAGRAM;
                name = "Add a diagram";
                String folder = diagram.optString("folderName");
                action = "Diagram " + diagramRef + " was created"
                        + (folder == null ? "" : " in folder " + quoted(folder));
            }
            case "diagram.sharing_changed" -> {
                category = DIAGRAM;
                name = "Change the public link setting";
                action = sharingChange(event, diagram, diagramRef);
            }
            case "collaborator.added" -> {
                category = COLLABORATOR;
                name = "Add a collaborator";
                action = "Collaborator " + collaborator(event) + " was added to diagram " + diagramRef;
            }
            case "collaborator.removed" -> {
                category = COLLABORATOR;
                name = "Remove a collaborator";
                action = "Collaborator " + collaborator(event) + " was removed from diagram " + diagramRef;
            }
            case "comment.added" -> {
                category = COMMENT;
                name = "Add a comment";
                action = "Comment " + commentId(event) + " was added to diagram " + diagramRef;
            }
            case "comment.updated" -> {
                category = COMMENT;
                name = "Update a comment";
                action = "Comment " + commentId(event) + " was updated on diagram " + diagramRef;
            }
            case "comment.deleted" -> {
                category = COMMENT;
                name = "Delete a comment";
                action = "Comment " + commentId(event) + " was deleted from diagram " + diagramRef;
            }
            default -> {
                category = OTHER;
                name = "Cacoo event " + truncate(type, TYPE_MAX);
                action = name + " on diagram " + diagramRef;
            }
        }
        // Space key, IP address and user agent stay null: the server takes them from the ingest token
        // and from the headers the product forwards.
        return List.of(new AuditRecord(
                0, null, PRODUCT, date, category, name, action, actorId, actorName, actorEmail, null, null, null));
    }

    /** {@code "Network plan" (D1a2b3)}. */
    private static String diagramRef(PayloadFields diagram) throws PayloadRejectedException {
        String id = diagram.string("diagramId");
        String title = diagram.string("title");
        return quoted(title) + " (" + truncate(id, ID_MAX) + ")";
    }

    /**
     * The setting change, from {@code security{from, to}} when present, else from
     * {@code diagram.security} (the new value) and {@code previousSecurity} (the old one, optional).
     */
    private static String sharingChange(PayloadFields event, PayloadFields diagram, String diagramRef)
            throws PayloadRejectedException {
        String from;
        String to;
        if (event.has("security")) {
            PayloadFields security = event.object("security");
            from = security.optString("from");
            to = security.string("to");
        } else {
            from = event.optString("previousSecurity");
            to = diagram.optString("security");
            if (to == null) {
                throw new PayloadRejectedException(
                        "security",
                        "is required for diagram.sharing_changed: {from, to}, or diagram.security as the new value");
            }
        }
        return "Public link setting of " + diagramRef + " was changed"
                + (from == null ? "" : " from " + truncate(from, SETTING_MAX)) + " to " + truncate(to, SETTING_MAX);
    }

    /** {@code "Bob Smith" (bob@acme.example)}, the email only when present. */
    private static String collaborator(PayloadFields event) throws PayloadRejectedException {
        PayloadFields collaborator = event.object("collaborator");
        collaborator.optId("id");
        String name = collaborator.string("name");
        String email = collaborator.optString("email");
        return quoted(name) + (email == null ? "" : " (" + truncate(email, EMAIL_MAX) + ")");
    }

    /** Only the comment's id: its text is never read. */
    private static String commentId(PayloadFields event) throws PayloadRejectedException {
        PayloadFields comment = event.object("comment");
        String id = comment.id("id");
        return truncate(id, ID_MAX);
    }

    private static Instant occurredAt(PayloadFields event) throws PayloadRejectedException {
        String text = event.string(OCCURRED_AT);
        try {
            return CanonicalRecords.parseDate(OCCURRED_AT, text);
        } catch (PayloadRejectedException notIso) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException notRfc2822) {
                throw new PayloadRejectedException(OCCURRED_AT, DATE_RULE);
            }
        }
    }

    private static String quoted(String name) {
        return "\"" + truncate(name, NAME_MAX) + "\"";
    }

    /** The text cut to at most {@code max} characters, ending with an ellipsis when cut. */
    static String truncate(String text, int max) {
        return Actions.shorten(text, max);
    }
}
