package org.auditlog.storage.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON text of the columns that hold a stream's settings (an object of strings) and its filters (an array of
 * strings): the two shapes only, written by {@link #object} and {@link #array} and read back by {@link #readObject}
 * and {@link #readArray}. Readable in SQL and by any JSON reader, where a comma list would break on a comma in a
 * value; small enough not to take a JSON library into the bundle for it.
 */
final class JsonText {
    private final String text;
    private int at;

    private JsonText(String text) {
        this.text = text;
    }

    /** An object of strings, its members by name (the same text for the same map). */
    static String object(Map<String, String> members) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, String> e : new TreeMap<>(members).entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            string(b, e.getKey());
            b.append(':');
            string(b, e.getValue());
        }
        return b.append('}').toString();
    }

    /** An array of strings, in their order. */
    static String array(List<String> items) {
        StringBuilder b = new StringBuilder("[");
        for (String item : items) {
            if (b.length() > 1) {
                b.append(',');
            }
            string(b, item);
        }
        return b.append(']').toString();
    }

    /** The members of an object of strings, in their order. */
    static Map<String, String> readObject(String text) {
        JsonText in = new JsonText(text);
        Map<String, String> out = new LinkedHashMap<>();
        in.expect('{');
        if (!in.next('}')) {
            do {
                String name = in.string();
                in.expect(':');
                out.put(name, in.string());
            } while (in.next(','));
            in.expect('}');
        }
        in.end();
        return out;
    }

    /** The items of an array of strings. */
    static List<String> readArray(String text) {
        JsonText in = new JsonText(text);
        List<String> out = new ArrayList<>();
        in.expect('[');
        if (!in.next(']')) {
            do {
                out.add(in.string());
            } while (in.next(','));
            in.expect(']');
        }
        in.end();
        return out;
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private void space() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    /** Takes {@code c} if it comes next. */
    private boolean next(char c) {
        space();
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!next(c)) {
            throw refused("'" + c + "' expected");
        }
    }

    private void end() {
        space();
        if (at != text.length()) {
            throw refused("nothing expected after the value");
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw refused("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw refused("unterminated escape");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw refused("short \\u escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException x) {
                        throw refused("bad \\u escape");
                    }
                    at += 4;
                }
                default -> throw refused("bad escape \\" + e);
            }
        }
    }

    private IllegalStateException refused(String why) {
        return new IllegalStateException("stored JSON text cannot be read (" + why + " at " + at + ")");
    }
}
