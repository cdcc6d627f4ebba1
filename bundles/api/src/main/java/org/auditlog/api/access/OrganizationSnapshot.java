package org.auditlog.api.access;

import java.util.List;

/**
 * Everything the access rules need about one organization, loaded and saved as a whole.
 *
 * @param organization the organization and its plan
 * @param members its members
 * @param grants every holding of the Audit Log Admin privilege, held or ended, oldest first
 * @since 1.0
 */
public record OrganizationSnapshot(Organization organization, List<Member> members, List<PrivilegeGrant> grants) {
    public OrganizationSnapshot {
        members = List.copyOf(members);
        grants = List.copyOf(grants);
    }
}
