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
 */
public final class Json {
    private Json() {
    }

    /** The compact JSON text of a value. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
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
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
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
     * Reads a JSON text.
     *
     * @throws IllegalArgumentException naming the position of the first thing that is not JSON this reads
     */
    public static Object parse(String text) {
        Reader r = new Reader(text);
        r.space();
        Object value = r.value();
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

        Object value() {
            char ch = peek();
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
                        if (map.put(key, value()) != null) {
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
                        list.add(value());
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
                    int start = at;
                    if (peek() == '-') {
                        at++;
                    }
                    while (at < text.length() && Character.isDigit(text.charAt(at))) {
                        at++;
                    }
                    if (at == start || text.charAt(at - 1) == '-') {
                        throw error("a value expected");
                    }
                    try {
                        return Long.parseLong(text.substring(start, at));
                    } catch (NumberFormatException e) {
                        throw error("a whole number too large");
                    }
                }
            }
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
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
                            try {
                                out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                            } catch (NumberFormatException x) {
                                throw error("a bad \\u escape");
                            }
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
