package org.auditlog.api.access;

import java.time.Instant;

/**
 * One holding of the Audit Log Admin privilege: who got it, from whom, when, and how it ended.
 *
 * @param userId the holder
 * @param grantedBy user id of the holder who granted it, or {@code null} for the plan admin who applied
 * @param granted when it was granted
 * @param revokedBy user id of who revoked it, or {@code null} (also when the system removed it)
 * @param revoked when it ended, or {@code null} while it is held
 * @param reason why it ended: {@code revoked}, {@code plan_ended}, {@code member_removed},
 *        {@code role_changed}, or {@code null} while it is held
 * @since 1.0
 */
public record PrivilegeGrant(
        String userId, String grantedBy, Instant granted, String revokedBy, Instant revoked, String reason) {

    /** Whether the privilege is held now. */
    public boolean held() {
        return revoked == null;
    }
}
