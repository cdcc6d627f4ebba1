package org.auditlog.api.access;

import java.util.Locale;

/**
 * A member's role in the organization. Only admins and members may hold the Audit Log Admin privilege.
 *
 * @since 1.0
 */
public enum Role {
    ADMIN,
    MEMBER,
    GUEST;

    /** The name used in the API: {@code admin}, {@code member}, {@code guest}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of a wire name, or {@code null} when there is none. */
    public static Role fromWireName(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name)) {
                return r;
            }
        }
        return null;
    }
}
