package org.auditlog.evidence;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of manifests, written and read without a library: the verifier is a jar with nothing beyond the JDK, and
 * the JDK has no JSON. Values are {@code Map<String, Object>} (insertion order kept), {@code List<Object>},
 * {@code String}, {@code Long}, {@code Boolean} and {@code null}; numbers are whole (a manifest holds no other).
 * Written compactly, keys in insertion order, so the same values always give the same bytes.
 *
 * <p>Reading is bounded whatever the text: values nest at most {@value #MAX_DEPTH} deep (a manifest nests six), a
 * string holds at most {@value #MAX_STRING} characters, a number is a whole number of at most
 * {@value #MAX_DIGITS} digits without leading zeros ({@code -?(0|[1-9][0-9]*)}, as in RFC 8259, without fraction or
 * exponent). Anything else is refused with the position where it starts, never read further.
 */
public final class Json {
    /** How deep values nest at most: objects and arrays inside each other. */
    public static final int MAX_DEPTH = 64;
    /** The longest string read, in characters. */
    public static final int MAX_STRING = 1 << 20;
    /** The most digits of a number: {@link Long#MAX_VALUE} has 19. */
    public static final int MAX_DIGITS = 19;

    private Json() {}

    /** The compact JSON text of a value. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    /** Appends the compact JSON text of a value. */
    static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Long || value instanceof Integer) {
            out.append(value);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                string(out, (String) e.getKey());
                out.append(':');
                write(out, e.getValue());
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException(
                    "not a JSON value: " + value.getClass().getName());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * A value {@link #parse} gave, as the JSON object it must be.
     *
     * @throws IllegalArgumentException when it is not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("an object expected");
        }
        return (Map<String, Object>) value;
    }

    /**
     * Reads a JSON text.
     *
     * @throws IllegalArgumentException naming the position of the first thing that is not JSON this reads
     */
    public static Object parse(String text) {
        Reader r = new Reader(text);
        r.space();
        Object value = r.value(0);
        r.space();
        if (r.at < text.length()) {
            throw r.error("text after the value");
        }
        return value;
    }

    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("not valid JSON at character " + at + ": " + what);
        }

        void space() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        char peek() {
            if (at >= text.length()) {
                throw error("the text ends early");
            }
            return text.charAt(at);
        }

        void expect(char ch) {
            if (peek() != ch) {
                throw error("'" + ch + "' expected");
            }
            at++;
        }

        Object value(int depth) {
            char ch = peek();
            if ((ch == '{' || ch == '[') && depth >= MAX_DEPTH) {
                throw error("values nested deeper than " + MAX_DEPTH);
            }
            switch (ch) {
                case '{' -> {
                    at++;
                    Map<String, Object> map = new LinkedHashMap<>();
                    space();
                    if (peek() == '}') {
                        at++;
                        return map;
                    }
                    while (true) {
                        space();
                        String key = string();
                        space();
                        expect(':');
                        space();
                        if (map.put(key, value(depth + 1)) != null) {
                            throw error("the key \"" + key + "\" twice");
                        }
                        space();
                        if (peek() == ',') {
                            at++;
                        } else {
                            expect('}');
                            return map;
                        }
                    }
                }
                case '[' -> {
                    at++;
                    List<Object> list = new ArrayList<>();
                    space();
                    if (peek() == ']') {
                        at++;
                        return list;
                    }
                    while (true) {
                        space();
                        list.add(value(depth + 1));
                        space();
                        if (peek() == ',') {
                            at++;
                        } else {
                            expect(']');
                            return list;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (text.startsWith("null", at)) {
                        at += 4;
                        return null;
                    }
                    if (text.startsWith("true", at)) {
                        at += 4;
                        return Boolean.TRUE;
                    }
                    if (text.startsWith("false", at)) {
                        at += 5;
                        return Boolean.FALSE;
                    }
                    return number();
                }
            }
        }

        /** A whole number: {@code -?(0|[1-9][0-9]*)}, at most {@value #MAX_DIGITS} digits. */
        Long number() {
            int start = at;
            if (peek() == '-') {
                at++;
            }
            int digits = at;
            while (at < text.length() && isDigit(text.charAt(at))) {
                if (at - digits == MAX_DIGITS) {
                    throw error("a number of more than " + MAX_DIGITS + " digits");
                }
                at++;
            }
            if (at == digits) {
                throw error("a value expected");
            }
            if (text.charAt(digits) == '0' && at - digits > 1) {
                at = digits;
                throw error("a number with a leading zero");
            }
            if (at < text.length() && ".eE".indexOf(text.charAt(at)) >= 0) {
                throw error("a whole number expected (no fraction or exponent)");
            }
            try {
                return Long.parseLong(text, start, at, 10);
            } catch (NumberFormatException e) {
                throw error("a whole number too large");
            }
        }

        private static boolean isDigit(char ch) {
            return ch >= '0' && ch <= '9';
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (out.length() > MAX_STRING) {
                    throw error("a string longer than " + MAX_STRING + " characters");
                }
                char ch = peek();
                at++;
                if (ch == '"') {
                    return out.toString();
                }
                if (ch == '\\') {
                    char e = peek();
                    at++;
                    switch (e) {
                        case '"', '\\', '/' -> out.append(e);
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            if (at + 4 > text.length()) {
                                throw error("a \\u escape ends early");
                            }
                            int code = 0;
                            for (int k = at; k < at + 4; k++) {
                                int digit = Character.digit(text.charAt(k), 16);
                                if (digit < 0 || text.charAt(k) > 'f') {
                                    throw error("a bad \\u escape");
                                }
                                code = code * 16 + digit;
                            }
                            out.append((char) code);
                            at += 4;
                        }
                        default -> throw error("a bad escape");
                    }
                } else if (ch < 0x20) {
                    throw error("a control character in a string");
                } else {
                    out.append(ch);
                }
            }
        }
    }
}
