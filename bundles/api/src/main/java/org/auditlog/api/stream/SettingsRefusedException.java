package org.auditlog.api.stream;

/**
 * A stream's settings that cannot be accepted: {@link #field()} names the member as a path into the request body
 * ({@code destination.url}), {@link #rule()} the rule it broke in a few words. Nothing is stored.
 *
 * @since 1.0
 */
public class SettingsRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String rule;

    public SettingsRefusedException(String field, String rule) {
        super(field + ": " + rule);
        this.field = field;
        this.rule = rule;
    }

    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }
}
