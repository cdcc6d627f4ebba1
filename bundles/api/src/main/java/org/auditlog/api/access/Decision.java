package org.auditlog.api.access;

/**
 * An answer of the access rules, with the reason when it is no.
 *
 * @param allowed whether the action is allowed
 * @param rule a stable code for the rule that refused, e.g. {@code plan_overdue}; {@code null} when allowed
 * @param detail a sentence for people naming the state and the rule
 * @since 1.0
 */
public record Decision(boolean allowed, String rule, String detail) {
    public static final Decision ALLOWED = new Decision(true, null, null);

    public static Decision refused(String rule, String detail) {
        return new Decision(false, rule, detail);
    }
}
