package org.auditlog.api.access;

import java.time.Instant;

/**
 * An organization and its plan.
 *
 * @param spaceKey the organization's space key
 * @param name display name
 * @param licenseCount users the plan pays for
 * @param plan the plan state
 * @param planAdmin user id of the plan admin who applied for (or last restarted) the plan, or {@code null}
 * @param planStarted when the current (or last) plan started, or {@code null}
 * @param planEnded when the plan ended, or {@code null} while it has not
 * @param graceEnds when an overdue plan is terminated unless paid, or {@code null}
 * @param created when the organization was created
 * @param deleted when the organization was deleted, or {@code null}
 * @param revision incremented by every change; a store refuses a save from a stale revision
 * @since 1.0
 */
public record Organization(
        String spaceKey,
        String name,
        int licenseCount,
        PlanState plan,
        String planAdmin,
        Instant planStarted,
        Instant planEnded,
        Instant graceEnds,
        Instant created,
        Instant deleted,
        long revision) {}
