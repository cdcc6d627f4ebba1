package org.auditlog.product.apps.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.api.adapter.Actions;
import org.auditlog.api.adapter.Actors;
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
 * The Apps adapter: organization events (members, roles, teams, billing, plan, single sign-on and domain
 * settings, the Audit Log Admin privilege).
 *
 * <p>Each event is one JSON object of one of two shapes:
 * <ul>
 * <li><b>A canonical V1 record</b> (an object without a {@code type} field), read with
 * {@link CanonicalRecords#read(Object, String)}: its field names are the V1 columns.</li>
 * <li><b>The Apps envelope</b> (an object with a string {@code type} field):
 * <pre>
 * {"type": "member.invited", "occurredAt": "2026-11-01T18:30:00+09:00", "spaceKey": "ACME",
 *  "source": "web", "actor": {"id": "u1", "name": "Ann", "email": "ann@acme.example",
 *                             "ipAddress": "203.0.113.5", "userAgent": "Mozilla/5.0 ..."},
 *  "member": {"id": "u2", "name": "Bob", "email": "bob@acme.example"}}
 * </pre>
 * {@code occurredAt} (ISO-8601 with an offset) is required; {@code spaceKey} is optional (the ingest
 * token's organization otherwise). {@code source} is {@code web} (default: the operation user is
 * {@code actor}, whose {@code name} is required), {@code scim} (a change made through SCIM 2.0 user
 * provisioning: operation user {@code user provisioning}, no id or email; {@code actor} optional),
 * {@code support} ({@value Actors#NULAB_SUPPORT}) or {@code system} ({@value Actors#SYSTEM_USER}).
 * {@code actor.ipAddress} and {@code actor.userAgent} are read for {@code web} only. Fields the adapter
 * does not know are ignored.</li>
 * </ul>
 *
 * <p>Types: {@code member.invited}, {@code member.joined}, {@code member.removed} ({@code member}),
 * {@code member.role_changed} ({@code member}, {@code role{from,to}}), {@code team.created},
 * {@code team.updated}, {@code team.deleted} ({@code team{id,name,previousName?}}),
 * {@code billing.payment_updated}, {@code plan.started}, {@code plan.ended}
 * ({@code plan{name?, state: trial|paid, reason?}}), {@code sso.updated} ({@code sso{enabled?}}),
 * {@code domain.updated} ({@code domain{name}}), {@code privilege.granted}, {@code privilege.revoked}
 * ({@code member}, {@code privilege}: {@code Audit Log Admin} when given). A member is named by
 * {@code member.email}, else {@code member.name}, else {@code member.id}. An unknown type still gives a
 * record: category {@code Other}, event {@code Apps event <type>}.
 *
 * <p>Payment details, SSO certificates and any free text are never read into a record.
 */
@Component
@ProductAdapterService(product = AppsAdapter.PRODUCT)
public class AppsAdapter implements ProductAdapter {
    static final String PRODUCT = "Apps";

    /** Operation user name of changes made through SCIM 2.0 user provisioning. */
    static final String USER_PROVISIONING = "user provisioning";
    /** The only privilege Apps grants through the audit log. */
    static final String AUDIT_LOG_ADMIN = "Audit Log Admin";

    static final String MEMBER = "Member";
    static final String TEAM = "Team";
    static final String BILLING = "Billing";
    static final String PLAN = "Plan";
    static final String SECURITY = "Security";
    static final String PRIVILEGE = "Privilege";
    static final String OTHER = "Other";

    static final String INVITE_MEMBER = "Invite a member";
    static final String JOIN = "Join the organization";
    static final String REMOVE_MEMBER = "Remove a member";
    static final String CHANGE_ROLE = "Change a member's role";
    static final String ADD_TEAM = "Add a team";
    static final String UPDATE_TEAM = "Update a team";
    static final String DELETE_TEAM = "Delete a team";
    static final String UPDATE_PAYMENT = "Update payment information";
    static final String START_PLAN = "Start a plan";
    static final String END_PLAN = "End a plan";
    static final String UPDATE_SSO = "Update single sign-on settings";
    static final String UPDATE_DOMAIN = "Update domain settings";
    static final String GRANT_PRIVILEGE = "Grant the Audit Log Admin privilege";
    static final String REVOKE_PRIVILEGE = "Revoke the Audit Log Admin privilege";

    /** Longest item name (team, domain, plan...) copied into an action before it is cut with an ellipsis. */
    private static final int NAME_MAX = 200;
    /** Longest unknown type copied into an event name ({@code Apps event } + type stays within 128). */
    private static final int TYPE_MAX = 100;

    private static final ProductCatalog CATALOG = catalogOf();

    private static ProductCatalog catalogOf() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(MEMBER, List.of(INVITE_MEMBER, JOIN, REMOVE_MEMBER, CHANGE_ROLE));
        m.put(TEAM, List.of(ADD_TEAM, UPDATE_TEAM, DELETE_TEAM));
        m.put(BILLING, List.of(UPDATE_PAYMENT));
        m.put(PLAN, List.of(START_PLAN, END_PLAN));
        m.put(SECURITY, List.of(UPDATE_SSO, UPDATE_DOMAIN));
        m.put(PRIVILEGE, List.of(GRANT_PRIVILEGE, REVOKE_PRIVILEGE));
        return new ProductCatalog(m);
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
        Object json = payload.json();
        if (json instanceof Map<?, ?> map && map.containsKey("type")) {
            return List.of(envelope(PayloadFields.of(map)));
        }
        return List.of(CanonicalRecords.read(json, PRODUCT));
    }

    /** What an envelope type gives: category, event and action. */
    private record Mapped(String category, String event, String action) {}

    /** The operation user of an envelope. */
    private record Operator(String id, String name, String email, String ipAddress, String userAgent) {}

    private static AuditRecord envelope(PayloadFields e) throws PayloadRejectedException {
        String type = e.string("type");
        Instant date = e.date("occurredAt");
        String spaceKey = e.optString("spaceKey");
        Operator who = operator(e);
        Mapped m = map(type, e);
        return new AuditRecord(
                0,
                spaceKey,
                PRODUCT,
                date,
                m.category(),
                m.event(),
                m.action(),
                who.id(),
                who.name(),
                who.email(),
                who.ipAddress(),
                who.userAgent(),
                null);
    }

    private static Operator operator(PayloadFields e) throws PayloadRejectedException {
        String source = e.optString("source");
        PayloadFields actor = e.optObject("actor");
        if (source == null || source.equals("web")) {
            if (actor == null) {
                throw new PayloadRejectedException("actor", "is required when source is web");
            }
            return new Operator(
                    actor.optId("id"),
                    actor.string("name"),
                    actor.optString("email"),
                    actor.optString("ipAddress"),
                    actor.optString("userAgent"));
        }
        return switch (source) {
            case "scim" -> new Operator(null, USER_PROVISIONING, null, null, null);
            case "support" -> new Operator(null, Actors.NULAB_SUPPORT, null, null, null);
            case "system" -> new Operator(null, Actors.SYSTEM_USER, null, null, null);
            default -> throw new PayloadRejectedException("source", "must be one of web, scim, support, system");
        };
    }

    private static Mapped map(String type, PayloadFields e) throws PayloadRejectedException {
        switch (type) {
            case "member.invited":
                return new Mapped(MEMBER, INVITE_MEMBER, member(e) + " was invited");
            case "member.joined":
                return new Mapped(MEMBER, JOIN, member(e) + " joined the organization");
            case "member.removed":
                return new Mapped(MEMBER, REMOVE_MEMBER, member(e) + " was removed");
            case "member.role_changed": {
                String member = member(e);
                PayloadFields role = e.object("role");
                String from = clip(role.string("from"), 64);
                String to = clip(role.string("to"), 64);
                return new Mapped(MEMBER, CHANGE_ROLE, "Role of " + member + " was changed from " + from + " to " + to);
            }
            case "team.created":
                return new Mapped(TEAM, ADD_TEAM, "Team " + quoted(team(e)) + " was created");
            case "team.updated": {
                String name = team(e);
                String previous = e.object("team").optString("previousName");
                String action = previous == null || previous.equals(name)
                        ? "Team " + quoted(name) + " was updated"
                        : "Team " + quoted(previous) + " was renamed to " + quoted(name);
                return new Mapped(TEAM, UPDATE_TEAM, action);
            }
            case "team.deleted":
                return new Mapped(TEAM, DELETE_TEAM, "Team " + quoted(team(e)) + " was deleted");
            case "billing.payment_updated":
                return new Mapped(BILLING, UPDATE_PAYMENT, "Payment information was updated");
            case "plan.started":
                return new Mapped(PLAN, START_PLAN, plan(e, "started"));
            case "plan.ended":
                return new Mapped(PLAN, END_PLAN, plan(e, "ended"));
            case "sso.updated":
                return new Mapped(SECURITY, UPDATE_SSO, sso(e));
            case "domain.updated": {
                String name = clip(e.object("domain").string("name"), NAME_MAX);
                return new Mapped(SECURITY, UPDATE_DOMAIN, "Domain settings of " + name + " were updated");
            }
            case "privilege.granted":
                privilege(e);
                return new Mapped(
                        PRIVILEGE, GRANT_PRIVILEGE, AUDIT_LOG_ADMIN + " privilege was granted to " + member(e));
            case "privilege.revoked":
                privilege(e);
                return new Mapped(
                        PRIVILEGE, REVOKE_PRIVILEGE, AUDIT_LOG_ADMIN + " privilege was revoked from " + member(e));
            default: {
                String shown = clip(type, TYPE_MAX);
                return new Mapped(OTHER, "Apps event " + shown, "Apps event \"" + shown + "\" occurred");
            }
        }
    }

    /** The member an event is about: its email, else its name, else its id. */
    private static String member(PayloadFields e) throws PayloadRejectedException {
        PayloadFields member = e.object("member");
        String email = member.optString("email");
        String name = member.optString("name");
        String id = member.optId("id");
        for (String label : new String[] {email, name, id}) {
            if (label != null) {
                return clip(label, 254);
            }
        }
        throw new PayloadRejectedException("member.email", "is required (or member.name or member.id)");
    }

    private static String team(PayloadFields e) throws PayloadRejectedException {
        PayloadFields team = e.object("team");
        team.optId("id");
        return team.string("name");
    }

    private static String plan(PayloadFields e, String verb) throws PayloadRejectedException {
        PayloadFields plan = e.object("plan");
        String state = plan.string("state");
        String kind = switch (state) {
            case "trial" -> "Trial";
            case "paid" -> "Paid";
            default -> throw new PayloadRejectedException("plan.state", "must be trial or paid");
        };
        String name = plan.optString("name");
        String reason = plan.optString("reason");
        StringBuilder action = new StringBuilder(kind).append(" plan ");
        if (name != null) {
            action.append(quoted(name)).append(' ');
        }
        action.append(verb);
        if (reason != null) {
            action.append(" (").append(reason(reason)).append(')');
        }
        return action.toString();
    }

    /** Known end/start reasons in words; any other reason code as sent, cut short. */
    private static String reason(String code) {
        return switch (code) {
            case "trial_expired" -> "trial expired";
            case "canceled", "cancelled" -> "subscription canceled";
            case "terminated" -> "terminated after an overdue payment";
            case "organization_deleted" -> "organization deleted";
            case "restarted" -> "restarted";
            default -> clip(code, 64);
        };
    }

    private static String sso(PayloadFields e) throws PayloadRejectedException {
        PayloadFields sso = e.optObject("sso");
        Object enabled = sso == null ? null : sso.raw("enabled");
        if (enabled == null) {
            return "Single sign-on settings were updated";
        }
        if (!(enabled instanceof Boolean on)) {
            throw new PayloadRejectedException("sso.enabled", "must be true or false");
        }
        return on ? "Single sign-on was enabled" : "Single sign-on was disabled";
    }

    private static void privilege(PayloadFields e) throws PayloadRejectedException {
        String privilege = e.optString("privilege");
        if (privilege != null && !privilege.equals(AUDIT_LOG_ADMIN)) {
            throw new PayloadRejectedException("privilege", "must be " + AUDIT_LOG_ADMIN);
        }
    }

    private static String quoted(String name) {
        return "\"" + clip(name, NAME_MAX) + "\"";
    }

    /** The text cut to at most {@code max} characters, ending with an ellipsis when cut. */
    static String clip(String text, int max) {
        return Actions.shorten(text, max);
    }
}
