package org.auditlog.tools.configdocs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.tools.configdocs.Metatype.Attribute;
import org.auditlog.tools.configdocs.Metatype.Configuration;
import org.auditlog.tools.configdocs.Metatype.Option;

/**
 * A {@code config/<pid>.cfg} file (the {@link java.util.Properties} format FileInstall reads): its value lines are
 * kept as they are, its comments are written from the metatype. A setting that is not set is written commented out
 * with its default, so every attribute shows in the file.
 */
final class CfgFile {
    static final int WIDTH = 110;
    /**
     * Keys of other namespaces a configuration may carry beside the component's attributes: ConfigAdmin's and the
     * framework's ({@code service.ranking}) and FileInstall's own ({@code felix.fileinstall.*}).
     */
    static final List<String> OTHER_NAMESPACES = List.of("service.", "felix.fileinstall.");

    /** A value line as the file has it, with its continuation lines. */
    record Value(String key, String value, List<String> lines) {}

    private final Map<String, Value> values;

    private CfgFile(Map<String, Value> values) {
        this.values = values;
    }

    /** The keys set (not commented out), in file order. */
    Map<String, Value> values() {
        return values;
    }

    /** Reads the value lines of a file; comments and blank lines are dropped, as they are written anew. */
    static CfgFile parse(List<String> lines, String source) {
        Map<String, Value> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith("!")) {
                continue;
            }
            List<String> logical = new ArrayList<>(List.of(line));
            while (continues(lines.get(i)) && i + 1 < lines.size()) {
                logical.add(lines.get(++i));
            }
            Value value = value(logical);
            if (values.putIfAbsent(value.key(), value) != null) {
                throw new IllegalArgumentException(source + ": " + value.key() + " is set twice");
            }
        }
        return new CfgFile(values);
    }

    /**
     * The file for {@code configuration}: a header, then every attribute with its comment and either the value line
     * this file has or its default commented out, then the keys of {@link #OTHER_NAMESPACES}. A key that is none of
     * these (a typo, a removed attribute) is refused, naming the file.
     */
    List<String> render(Configuration configuration, String bundle, String source) {
        List<String> unknown = new ArrayList<>();
        List<Value> others = new ArrayList<>();
        for (Value value : values.values()) {
            if (configuration.ocd().attribute(value.key()) != null) {
                continue;
            }
            if (OTHER_NAMESPACES.stream().anyMatch(value.key()::startsWith)) {
                others.add(value);
            } else {
                unknown.add(value.key());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    source + ": " + String.join(", ", unknown) + (unknown.size() == 1 ? " is" : " are")
                            + " not an attribute of " + configuration.pid() + " (bundle " + bundle + "); its "
                            + "attributes: "
                            + String.join(
                                    ", ",
                                    configuration.ocd().attributes().stream()
                                            .map(Attribute::id)
                                            .toList()));
        }
        List<String> out = new ArrayList<>();
        out.addAll(Settings.wrap(
                configuration.ocd().name() + ", PID " + configuration.pid() + " (bundle " + bundle + "). "
                        + configuration.ocd().description(),
                "# ",
                WIDTH));
        out.addAll(Settings.wrap(
                "Changes apply while the server runs. A setting commented out takes its default, "
                        + "shown. $[env:NAME;default=value] reads the environment variable NAME (else value), so a container "
                        + "is configured without editing this file. These comments are generated from the bundle's "
                        + "metatype, as docs/configuration.md is; the values are kept.",
                "# ",
                WIDTH));
        for (Attribute attribute : configuration.ocd().attributes()) {
            out.add("");
            out.addAll(comment(attribute));
            Value value = values.get(attribute.id());
            if (value != null) {
                out.addAll(value.lines());
            } else {
                String defaultValue = attribute.defaultValue() == null ? "" : attribute.defaultValue();
                out.add(("#" + attribute.id() + " = " + defaultValue).strip());
            }
        }
        if (!others.isEmpty()) {
            out.add("");
            out.add("# Read by ConfigAdmin or FileInstall, not by the component:");
            others.forEach(value -> out.addAll(value.lines()));
        }
        return out;
    }

    private static List<String> comment(Attribute attribute) {
        List<String> facts = new ArrayList<>();
        facts.add(Settings.type(attribute));
        String range = Settings.range(attribute);
        if (!range.isEmpty()) {
            facts.add(range);
        }
        List<String> defaults = Settings.defaults(attribute);
        if (defaults.isEmpty()) {
            facts.add("no default");
        } else if (defaults.size() == 1 && defaults.get(0).isEmpty()) {
            facts.add("default empty");
        } else {
            facts.add("default " + String.join(", ", defaults));
        }
        List<String> lines = new ArrayList<>();
        lines.add("# " + attribute.name() + ": " + String.join(", ", facts));
        lines.addAll(Settings.wrap(attribute.description(), "# ", WIDTH));
        for (Option option : attribute.options()) {
            String text = option.label().isEmpty() ? option.value() : option.value() + ": " + option.label();
            lines.addAll(Settings.wrap(text, "#   ", WIDTH));
        }
        return lines;
    }

    /** A line ends in a backslash that is not itself escaped: the value goes on on the next line. */
    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** Splits a logical line as {@link java.util.Properties} does: the key ends at an unescaped =, : or blank. */
    private static Value value(List<String> lines) {
        String line = lines.get(0).stripLeading();
        StringBuilder key = new StringBuilder();
        int i = 0;
        for (; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                key.append(line.charAt(++i));
            } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            } else {
                key.append(c);
            }
        }
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        if (i < line.length() && (line.charAt(i) == '=' || line.charAt(i) == ':')) {
            i++;
        }
        StringBuilder value = new StringBuilder(line.substring(i).strip());
        for (String continuation : lines.subList(1, lines.size())) {
            value.append('\n').append(continuation.strip());
        }
        return new Value(key.toString(), value.toString(), List.copyOf(lines));
    }
}
