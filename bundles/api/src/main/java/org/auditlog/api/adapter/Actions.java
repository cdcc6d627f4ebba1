package org.auditlog.api.adapter;

/**
 * Helpers for adapters writing the {@code action} text of a record, which names items (issue keys, page
 * names, diagram titles) that products let users make as long as they like.
 *
 * @since 1.0
 */
public final class Actions {
    /** Ends a shortened text. */
    public static final String ELLIPSIS = "\u2026";

    private Actions() {}

    /**
     * The text cut to at most {@code max} characters (at least 2), ending with an ellipsis when cut; a
     * surrogate pair (an emoji, say) is never split.
     */
    public static String shorten(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - ELLIPSIS.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }
}
