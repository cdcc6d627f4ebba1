package org.auditlog.rest.internal;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.OwnRecords;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.store.AuditUnavailableException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what people do with an organization's audit log (searches, downloads, exports, its streams) in that same
 * log, as Apps events in the category {@code Audit log}. An organization that does not record now gets no record.
 *
 * <p>Fail closed: callers record before anything leaves the server (the page of events, the file) or is set
 * in motion (an export job), and a record that cannot be written refuses the request with
 * {@link AuditUnavailableException} (503 {@code audit_unavailable}). The one exception is a change that another
 * service checks and makes (a stream's new settings, its replay), which the REST bundle can neither check first
 * nor undo: it is recorded once made ({@link #recordDone}), and a record that cannot be written is answered 503
 * saying that the change was made and that the same request, which repeats it without harm, writes the record.
 * Values too long for their column (a user agent of 5,000 characters, say) are shortened and marked by
 * {@link OwnRecords}, never a reason to lose the record.
 */
@Component(service = SelfAudit.class)
public final class SelfAudit {
    private static final Logger LOG = LoggerFactory.getLogger(SelfAudit.class);
    static final String CATEGORY = "Audit log";

    private final AccessPolicy policy;
    private final EventCapture capture;
    private final Supplier<Clock> clock;

    @Activate
    public SelfAudit(@Reference AccessPolicy policy, @Reference EventCapture capture, @Reference ServerClock clock) {
        this.policy = policy;
        this.capture = capture;
        this.clock = clock;
    }

    /**
     * Records an action by {@code actor} in the organization's log.
     *
     * @throws AuditUnavailableException when the record could not be written: the caller must not go on
     */
    void record(String spaceKey, Actor actor, String event, String action) {
        write(spaceKey, actor, event, action, false);
    }

    /**
     * Records an action by {@code actor} that is done already and cannot be undone (a change another service
     * made, which only it could refuse): the record follows the action. Used only for an action that the same
     * request repeats without harm, so that the client's retry makes the record.
     *
     * @throws AuditUnavailableException when the record could not be written, saying that the action was done
     *     and that sending the same request again records it; the server log names the action and the incident
     */
    void recordDone(String spaceKey, Actor actor, String event, String action) {
        write(spaceKey, actor, event, action, true);
    }

    private void write(String spaceKey, Actor actor, String event, String action, boolean done) {
        if (!policy.mayRecord(spaceKey).allowed()) {
            return;
        }
        try {
            capture.record(List.of(OwnRecords.of(spaceKey, clock.get().instant(), CATEGORY, event, action, actor)));
        } catch (PayloadRejectedException | RuntimeException e) {
            // the cause's message may name hosts, files and tables: the log has it, under the answer's incident id
            String incident = ErrorMappers.incident();
            if (done) {
                LOG.error(
                        "Could not record '{}' in the log of {} after it was done: {} (incident {})",
                        event,
                        spaceKey,
                        action,
                        incident,
                        e);
                throw new AuditUnavailableException(
                        "'" + event + "' was done, but its record could not be written to the organization's "
                                + "audit log (incident " + incident + "); the same request sent again writes it",
                        e);
            }
            LOG.error(
                    "Could not record '{}' in the log of {}; the request is refused (incident {})",
                    event,
                    spaceKey,
                    incident,
                    e);
            throw new AuditUnavailableException(
                    "'" + event + "' was not done: its record could not be written to "
                            + "the organization's audit log (incident " + incident + ")",
                    e);
        }
    }

    /** The current month in UTC (as {@code 2026-11}), by the clock records are dated with. */
    String currentMonth() {
        return YearMonth.from(clock.get().instant().atOffset(ZoneOffset.UTC)).toString();
    }
}
