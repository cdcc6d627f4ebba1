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
 * Records what people do with an organization's audit log (searches, downloads, exports) in that same log, as
 * Apps events in the category {@code Audit log}. An organization that does not record now gets no record.
 *
 * <p>Fail closed: callers record before anything leaves the server (the page of events, the file) or is set
 * in motion (an export job), and a record that cannot be written refuses the request with
 * {@link AuditUnavailableException} (503 {@code audit_unavailable}). Values too long for their column (a
 * user agent of 5,000 characters, say) are shortened and marked by {@link OwnRecords}, never a reason to
 * lose the record.
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
        if (!policy.mayRecord(spaceKey).allowed()) {
            return;
        }
        try {
            capture.record(List.of(OwnRecords.of(spaceKey, clock.get().instant(), CATEGORY, event, action, actor)));
        } catch (PayloadRejectedException | RuntimeException e) {
            // the cause's message may name hosts, files and tables: the log has it, under the answer's incident id
            String incident = ErrorMappers.incident();
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
