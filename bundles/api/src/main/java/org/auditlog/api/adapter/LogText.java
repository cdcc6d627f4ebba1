package org.auditlog.api.adapter;

/**
 * Makes a value that came from outside (a request, an uploaded bundle, a stored payload, an exception message
 * quoting either) safe to put in a log line: whatever it holds, it stays on the line it was logged on and
 * cannot pass for a line of its own.
 *
 * <p>Line breaks and other control characters are written as escapes: {@code \n}, {@code \r}, {@code \t}, and
 * {@code \}{@code uXXXX} for every other C0 control, DEL, the C1 controls (U+0080 to U+009F, among them NEL
 * U+0085), the line and paragraph separators U+2028 and U+2029, and a surrogate that is not part of a pair.
 * The backslash itself is doubled, so an escape in the log always stands for the character it names. A value
 * longer than {@value #MAX_LENGTH} characters is cut there (never inside a surrogate pair) and ends with
 * {@value #SHORTENED_MARK} followed by its original length and {@code )}.
 *
 * @since 1.0
 * @deprecated The server's logging backend keeps every record on one line: its layout escapes the message, the
 *             thread name and the logger name the same way (config/org.ops4j.pax.logging.cfg, {@code %oneline}),
 *             so a log argument needs no wrapping. Kept for adapters built against 1.0; it still escapes as
 *             described for a value that goes elsewhere than a log.
 */
@Deprecated
public final class LogText {
    /** The most characters of a value that are logged; a longer value is cut. */
    public static final int MAX_LENGTH = 1000;
    /** Starts the mark that ends a cut value, e.g. {@code aaaa…(shortened from 5000)}. */
    public static final String SHORTENED_MARK = "\u2026(shortened from ";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {}

    /**
     * The value as one safe piece of a log line: {@code String.valueOf(value)} with its control characters
     * escaped, cut at {@value #MAX_LENGTH} characters.
     *
     * @param value anything; {@code null} gives {@code null}
     * @return the escaped text
     */
    public static String of(Object value) {
        String s = String.valueOf(value);
        int end = s.length();
        boolean cut = end > MAX_LENGTH;
        if (cut) {
            end = MAX_LENGTH;
            if (Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
                end--;
            }
        }
        StringBuilder b = null;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            String escape = escape(s, i, c);
            if (escape != null) {
                if (b == null) {
                    b = new StringBuilder(end + 16).append(s, 0, i);
                }
                b.append(escape);
            } else if (b != null) {
                b.append(c);
            }
        }
        if (b == null && !cut) {
            return s;
        }
        if (b == null) {
            b = new StringBuilder(end + 32).append(s, 0, end);
        }
        if (cut) {
            b.append(SHORTENED_MARK).append(s.length()).append(')');
        }
        return b.toString();
    }

    /** The escape of {@code c} at {@code i} in {@code s}, or {@code null} when it stands as it is. */
    private static String escape(String s, int i, char c) {
        switch (c) {
            case '\\':
                return "\\\\";
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            return unicode(c);
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)) ? null : unicode(c);
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1)) ? null : unicode(c);
        }
        return null;
    }

    private static String unicode(char c) {
        return new String(
                new char[] {'\\', 'u', HEX[c >> 12 & 0xf], HEX[c >> 8 & 0xf], HEX[c >> 4 & 0xf], HEX[c & 0xf]});
    }
}
