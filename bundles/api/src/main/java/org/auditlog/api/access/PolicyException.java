package org.auditlog.api.access;

/**
 * A request the access rules refuse. {@link #kind()} says how to answer it; {@link #rule()} is a stable code
 * for the rule; {@link #field()} names the offending input when there is one.
 *
 * @since 1.0
 */
public class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How a refusal is answered. */
    public enum Kind {
        /** The input breaks a rule of form (400). */
        INVALID,
        /** The caller may not do this (403). */
        FORBIDDEN,
        /** No such organization or member, as far as the caller may know (404). */
        NOT_FOUND,
        /** The request conflicts with the current state (409). */
        CONFLICT,
        /** What was asked for existed but is gone for good, e.g. an expired download link (410). */
        GONE
    }

    private final Kind kind;
    private final String rule;
    private final String field;

    public PolicyException(Kind kind, String rule, String field, String detail) {
        super(detail);
        this.kind = kind;
        this.rule = rule;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    public String rule() {
        return rule;
    }

    public String field() {
        return field;
    }
}
