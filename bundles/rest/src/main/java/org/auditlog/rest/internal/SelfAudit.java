package org.auditlog.rest.internal;

import java.time.Clock;
import java.util.List;

import org.auditlog.api.AccessPolicy;
import org.auditlog.api.Actor;
import org.auditlog.api.AuditRecord;
import org.auditlog.api.EventCapture;
import org.auditlog.api.PayloadRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what people do with an organization's audit log (searches, downloads) in that same log, as Apps
 * events in the category {@code Audit log}. An organization that does not record now gets no record; a
 * failure to record is logged, never turned into an error of the request that was served.
 */
final class SelfAudit {
    private static final Logger LOG = LoggerFactory.getLogger(SelfAudit.class);
    static final String CATEGORY = "Audit log";

    private final AccessPolicy policy;
    private final EventCapture capture;
    private final Clock clock;

    SelfAudit(AccessPolicy policy, EventCapture capture, Clock clock) {
        this.policy = policy;
        this.capture = capture;
        this.clock = clock;
    }

    void record(String spaceKey, Actor actor, String event, String action) {
        if (!policy.mayRecord(spaceKey).allowed()) {
            return;
        }
        String fitted = action.length() > 1000 ? action.substring(0, 999) + "\u2026" : action;
        try {
            capture.record(List.of(new AuditRecord(0, spaceKey, "Apps", clock.instant(), CATEGORY, event, fitted,
                    actor.userId(), actor.name(), actor.email(), actor.ipAddress(), actor.userAgent(), null)));
        } catch (PayloadRejectedException | RuntimeException e) {
            LOG.error("Could not record '{}' in the log of {}", event, spaceKey, e);
        }
    }
}
