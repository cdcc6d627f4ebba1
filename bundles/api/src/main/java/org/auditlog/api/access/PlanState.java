package org.auditlog.api.access;

import java.util.Locale;

/**
 * The state of an organization's plan, and what each state allows (docs/rules.md section 4).
 *
 * <table>
 * <caption>What each state allows</caption>
 * <tr><th>state</th><th>recording</th><th>export and download</th></tr>
 * <tr><td>not activated</td><td>no</td><td>no</td></tr>
 * <tr><td>trial, paid</td><td>yes</td><td>yes (paid: not while users exceed the license count)</td></tr>
 * <tr><td>overdue (payment failed; 14 days of grace)</td><td>yes</td><td>no</td></tr>
 * <tr><td>terminated, trial expired, canceled (the plan has ended)</td><td>no</td><td>no</td></tr>
 * </table>
 *
 * @since 1.0
 */
public enum PlanState {
    NOT_ACTIVATED,
    TRIAL,
    PAID,
    OVERDUE,
    TERMINATED,
    TRIAL_EXPIRED,
    CANCELED;

    /** The name used in the API: lower case with underscores, e.g. {@code trial_expired}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state of a wire name, or {@code null} when there is none. */
    public static PlanState fromWireName(String name) {
        for (PlanState s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Whether events of the organization are recorded in this state. */
    public boolean records() {
        return this == TRIAL || this == PAID || this == OVERDUE;
    }

    /** Whether the plan has ended: privileges are removed and the 30-day deletion clock runs. */
    public boolean ended() {
        return this == TERMINATED || this == TRIAL_EXPIRED || this == CANCELED;
    }

    /** Whether the plan runs (trial, paid or overdue). */
    public boolean active() {
        return records();
    }
}
