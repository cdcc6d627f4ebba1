package org.auditlog.tools.configdocs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.auditlog.tools.configdocs.Metatype.Attribute;

/** How an attribute's type, range and default read, the same in the page and in the {@code .cfg} comments. */
final class Settings {
    private Settings() {}

    /** {@code integer}, {@code password}; {@code string[] (at most 3)} or {@code list of string} when multi-valued. */
    static String type(Attribute attribute) {
        String type = attribute.type().toLowerCase(Locale.ROOT);
        int cardinality = attribute.cardinality();
        if (cardinality == 0) {
            return type;
        }
        int most = Math.abs(cardinality);
        String bound = most == Integer.MAX_VALUE ? "" : " (at most " + most + ")";
        return (cardinality > 0 ? type + "[]" : "list of " + type) + bound;
    }

    /** {@code 1-65535}, {@code -1 to 1023}, {@code 1 or more}, {@code at most 100}; empty without bounds. */
    static String range(Attribute attribute) {
        String min = attribute.min();
        String max = attribute.max();
        if (min != null && max != null) {
            return min.startsWith("-") || max.startsWith("-") ? min + " to " + max : min + "-" + max;
        }
        if (min != null) {
            return min + " or more";
        }
        if (max != null) {
            return "at most " + max;
        }
        return "";
    }

    /** The default's values: one for a single-valued attribute, else split at the commas the XML did not escape. */
    static List<String> defaults(Attribute attribute) {
        String raw = attribute.defaultValue();
        if (raw == null) {
            return List.of();
        }
        if (attribute.cardinality() == 0) {
            return List.of(raw);
        }
        List<String> values = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                value.append(raw.charAt(++i));
            } else if (c == ',') {
                values.add(value.toString().trim());
                value.setLength(0);
            } else {
                value.append(c);
            }
        }
        values.add(value.toString().trim());
        return values;
    }

    /**
     * The words {@code width} columns wide, each line starting with {@code prefix}; a word longer than a line
     * stands alone on it.
     */
    static List<String> wrap(String text, String prefix, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(prefix);
        for (String word : text.trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (line.length() > prefix.length() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(prefix);
            }
            if (line.length() > prefix.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > prefix.length()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
