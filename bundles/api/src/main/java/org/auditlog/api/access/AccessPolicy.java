package org.auditlog.api.access;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Who may do what with an organization's audit log, now (docs/rules.md sections 3 and 4). Every refusal names the
 * state and the rule. Read by the capture service (recording), the REST API and the export bundle.
 *
 * @since 1.0
 */
@ProviderType
public interface AccessPolicy {

    /** Whether events of the organization are recorded now (its plan is trial, paid or overdue). */
    Decision mayRecord(String spaceKey);

    /** Whether the member may use the audit log (search it, manage the privilege): holds the privilege. */
    Decision mayUse(String spaceKey, String userId);

    /** Whether the member may export or download files now: holds the privilege and the plan allows it. */
    Decision mayExport(String spaceKey, String userId);

    /**
     * Whether the organization's plan lets its log leave the server now (export, download and streams alike): the
     * plan is trial or paid, and a paid plan's users are within its license. A stream of a refused organization
     * waits, paused with the refusal's reason, and goes on from its place when this allows it again.
     *
     * @since 1.1
     */
    default Decision mayStream(String spaceKey) {
        throw new UnsupportedOperationException("this access policy does not answer for streams");
    }

    /**
     * Whether the user is a member of the organization now: the organization exists, is not deleted, and has
     * the user among its members. Asked for every request made with a member token, so an implementation
     * answers from what it has cached for its decisions.
     */
    default boolean isMember(String spaceKey, String userId) {
        throw new UnsupportedOperationException("this access policy does not answer membership");
    }
}
