package org.auditlog.policy.internal;

import org.auditlog.api.access.Decision;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.access.PolicyException.Kind;

/**
 * The stable rule codes of the policy's refusals (in {@link PolicyException#rule()} and
 * {@link Decision#rule()}), and short ways to build the exceptions.
 */
final class Refusals {
    // input that breaks a rule of form (INVALID); the field names the input
    static final String REQUIRED = "required";
    static final String TOO_LONG = "too_long";
    static final String INVALID_FORMAT = "invalid_format";
    static final String OUT_OF_RANGE = "out_of_range";
    static final String RESERVED_NAME = "reserved_name";
    static final String MUST_BE_ADMIN = "must_be_admin";

    // organizations and members
    static final String NO_SUCH_ORGANIZATION = "no_such_organization";
    static final String ORGANIZATION_EXISTS = "organization_exists";
    static final String SPACE_KEY_RESERVED = "space_key_reserved";
    static final String SPACE_KEY_BEING_PURGED = "space_key_being_purged";
    static final String SPACE_KEY_CASE_CONFLICT = "space_key_case_conflict";
    static final String NO_SUCH_MEMBER = "no_such_member";
    static final String MEMBER_EXISTS = "member_exists";

    // plans
    static final String PLAN_TRANSITION = "plan_transition";
    static final String PLAN_NOT_ACTIVATED = "plan_not_activated";
    static final String PLAN_ENDED = "plan_ended";
    static final String PLAN_OVERDUE = "plan_overdue";
    static final String LICENSE_EXCEEDED = "license_exceeded";

    // the Audit Log Admin privilege
    static final String NOT_AUDIT_LOG_ADMIN = "not_audit_log_admin";
    static final String GUEST_CANNOT_HOLD = "guest_cannot_hold";
    static final String LAST_ADMIN_HOLDER = "last_admin_holder";

    private Refusals() {}

    static PolicyException invalid(String field, String rule, String detail) {
        return new PolicyException(Kind.INVALID, rule, field, detail);
    }

    static PolicyException forbidden(String rule, String detail) {
        return new PolicyException(Kind.FORBIDDEN, rule, null, detail);
    }

    static PolicyException notFound(String rule, String detail) {
        return new PolicyException(Kind.NOT_FOUND, rule, null, detail);
    }

    static PolicyException conflict(String rule, String detail) {
        return new PolicyException(Kind.CONFLICT, rule, null, detail);
    }

    /** A conflict with the state of what an input names (the space key of an organization to create, say). */
    static PolicyException conflict(String field, String rule, String detail) {
        return new PolicyException(Kind.CONFLICT, rule, field, detail);
    }
}
