package org.auditlog.api.adapter;

/**
 * A payload or record that cannot be accepted. Nothing of the request that carried it is stored.
 *
 * <p>{@link #field()} names the offending field as a path into the request body (for example
 * {@code [3].date}); {@link #rule()} names the rule it broke in a few words.
 *
 * @since 1.0
 */
public class PayloadRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String rule;

    public PayloadRejectedException(String field, String rule) {
        super(field == null ? rule : field + ": " + rule);
        this.field = field;
        this.rule = rule;
    }

    /** The offending field, or {@code null} when the whole payload is at fault. */
    public String field() {
        return field;
    }

    /** The rule that was broken. */
    public String rule() {
        return rule;
    }

    /** The same rejection with the field placed under a prefix, e.g. {@code [2]} + {@code date}. */
    public PayloadRejectedException under(String prefix) {
        String path = field == null ? prefix : field.startsWith("[") ? prefix + field : prefix + "." + field;
        return new PayloadRejectedException(path, rule);
    }
}
