package org.auditlog.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.auditlog.api.mail.MailStatus;
import org.auditlog.api.store.MailStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /api/v1/admin/mail}: the operator's view of the mail outbox: how many mails wait, and the oldest
 * of them with their attempts and last error (a mail server that refuses or is down shows here); how many the
 * mail server refused for good, and the latest of those with its answer.
 */
@Path("v1/admin/mail")
@Produces(MediaType.APPLICATION_JSON)
@Component(service = ApiResource.class)
@Access(Access.Who.OPERATOR)
public final class MailAdminResource implements ApiResource {
    private final MailStore mail;

    @Activate
    public MailAdminResource(@Reference MailStore mail) {
        this.mail = mail;
    }

    @GET
    public Map<String, Object> outbox() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pending", mail.pendingCount());
        m.put("nextAttempt", mail.nextDue().map(Json::date).orElse(null));
        m.put("oldest", mail.pending(50).stream().map(MailAdminResource::view).toList());
        m.put("failed", mail.failedCount());
        m.put(
                "latestFailed",
                mail.failed(50).stream().map(MailAdminResource::view).toList());
        return m;
    }

    private static Map<String, Object> view(MailStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", s.key());
        m.put("to", s.to());
        m.put("subject", s.subject());
        m.put("queued", Json.date(s.queued()));
        m.put("attempts", s.attempts());
        m.put("nextAttempt", s.nextAttempt() == null ? null : Json.date(s.nextAttempt()));
        m.put("lastError", s.lastError());
        return m;
    }
}
