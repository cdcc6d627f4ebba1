package org.auditlog.logging.internal;

/**
 * The escapes that keep a piece of a log record on its line, as {@code org.auditlog.api.adapter.LogText} has
 * always written them: {@code \n}, {@code \r}, {@code \t}, a doubled backslash, and {@code \}{@code uXXXX} for
 * every other C0 control, DEL, the C1 controls (U+0080 to U+009F, among them NEL U+0085), the line and paragraph
 * separators U+2028 and U+2029, and a surrogate that is not part of a pair. The backslash is doubled so that an
 * escape in the log always stands for the character it names.
 */
final class Escapes {
    /** Ends a cut text, followed by the text's length and {@code )}: {@code aaaa…(shortened from 5000)}. */
    static final String SHORTENED_MARK = "\u2026(shortened from ";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Escapes() {}

    /**
     * Escapes {@code b} from {@code start} on, in place, after cutting it to {@code maxLength} characters (never
     * inside a surrogate pair) when it is longer; {@code maxLength} 0 or less leaves the length alone.
     */
    static void escape(StringBuilder b, int start, int maxLength) {
        int length = b.length() - start;
        int end = b.length();
        if (maxLength > 0 && length > maxLength) {
            end = start + maxLength;
            if (Character.isHighSurrogate(b.charAt(end - 1)) && Character.isLowSurrogate(b.charAt(end))) {
                end--;
            }
        }
        int first = start;
        while (first < end && !needsEscape(b, first, end)) {
            first++;
        }
        if (first == end && end == b.length()) {
            return;
        }
        StringBuilder tail = new StringBuilder(end - first + 32);
        for (int i = first; i < end; i++) {
            char c = b.charAt(i);
            if (needsEscape(b, i, end)) {
                append(tail, c);
            } else {
                tail.append(c);
            }
        }
        if (end < b.length()) {
            tail.append(SHORTENED_MARK).append(length).append(')');
        }
        b.setLength(first);
        b.append(tail);
    }

    /** {@code s} escaped, whole. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s);
        escape(b, 0, 0);
        return b.toString();
    }

    private static boolean needsEscape(CharSequence s, int i, int end) {
        char c = s.charAt(i);
        if (c < 0x20 || c == '\\' || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return !(i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1)));
        }
        if (Character.isLowSurrogate(c)) {
            return !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
        }
        return false;
    }

    private static void append(StringBuilder b, char c) {
        switch (c) {
            case '\\' -> b.append("\\\\");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            default ->
                b.append('\\')
                        .append('u')
                        .append(HEX[c >> 12 & 0xf])
                        .append(HEX[c >> 8 & 0xf])
                        .append(HEX[c >> 4 & 0xf])
                        .append(HEX[c & 0xf]);
        }
    }
}
