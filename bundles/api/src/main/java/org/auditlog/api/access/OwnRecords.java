package org.auditlog.api.access;

import java.time.Instant;
import org.auditlog.api.adapter.Actions;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;

/**
 * Builds the records the server writes about its own use (searches, downloads, exports, privilege and
 * organization changes) in an organization's log, as Apps events.
 *
 * <p>Such a record must never be refused for its content: an audited action and its record do not part.
 * Every value is therefore fitted to its column here (see {@link #fit}), whatever the caller sent, for
 * example a user agent longer than the column. A value that had to be cut ends with
 * {@value #SHORTENED_MARK} followed by the original length and {@code )}, so a reader of the file sees that it
 * was shortened and by how much.
 *
 * @since 1.0
 */
public final class OwnRecords {
    /** The product of the server's own records. */
    public static final String PRODUCT = "Apps";
    /** Starts the mark that ends a shortened value, e.g. {@code Mozilla/5.0 (X11; …(shortened from 4100)}. */
    public static final String SHORTENED_MARK = "\u2026(shortened from ";

    private OwnRecords() {}

    /**
     * A record of the server's own, by {@code actor}, every value fitted to its column.
     *
     * @param spaceKey the organization whose log receives it
     * @param date when the action happened
     * @param category e.g. {@code Audit log}
     * @param event e.g. {@code Search audit logs}
     * @param action the sentence describing what was done
     * @param actor who acted (a member, the support team or the system)
     */
    public static AuditRecord of(
            String spaceKey, Instant date, String category, String event, String action, Actor actor) {
        return new AuditRecord(
                0,
                spaceKey,
                PRODUCT,
                date,
                fit(Column.CATEGORY, category),
                fit(Column.EVENT, event),
                fit(Column.ACTION, action),
                fit(Column.OPERATION_USER_ID, actor.userId()),
                fit(Column.OPERATION_USER_NAME, actor.name()),
                fit(Column.OPERATION_USER_EMAIL, actor.email()),
                fit(Column.IP_ADDRESS, actor.ipAddress()),
                fit(Column.USER_AGENT, actor.userAgent()),
                null);
    }

    /**
     * The value cut to the column's length when it is longer, ending with the shortened mark and the
     * original length; {@code null} stays {@code null}. A surrogate pair (an emoji, say) is never split.
     */
    public static String fit(Column column, String value) {
        int max = column.maxLength();
        if (value == null || value.length() <= max) {
            return value;
        }
        String mark = SHORTENED_MARK + value.length() + ")";
        if (mark.length() >= max) {
            return Actions.shorten(value, max);
        }
        int end = max - mark.length();
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + mark;
    }
}
