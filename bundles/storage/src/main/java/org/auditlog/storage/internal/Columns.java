package org.auditlog.storage.internal;

/** Values cut to the size of the column they are stored in. */
final class Columns {
    private Columns() {}

    /**
     * {@code text} cut to at most {@code max} characters (a column's size), ending in "..." when cut, and never
     * between the two halves of a surrogate pair; {@code null} stays {@code null}.
     */
    static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 3;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }
}
