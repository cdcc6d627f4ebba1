package org.auditlog.tools.configdocs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.auditlog.tools.configdocs.Metatype.Attribute;
import org.auditlog.tools.configdocs.Metatype.Option;

/**
 * {@code docs/configuration.md}: the hand-written text around one generated part, between {@link #BEGIN} and
 * {@link #END}, which holds a section per configuration.
 */
final class ConfigurationPage {
    static final String BEGIN =
            "<!-- BEGIN generated from the metatype: edit the @AttributeDefinition texts, not this -->";
    static final String END = "<!-- END generated from the metatype -->";

    /** A configuration as the page shows it: its bundle and the values its file in {@code config/} sets. */
    record Section(
            String folder,
            String bundle,
            Metatype.Configuration configuration,
            String cfgFile,
            Map<String, CfgFile.Value> shipped) {}

    private ConfigurationPage() {}

    /** The page with its generated part replaced by {@code generated}. */
    static String splice(String page, String generated, String source) {
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(
                    source + " has no generated part: put the lines " + BEGIN + " and " + END + " where it goes");
        }
        return page.substring(0, begin + BEGIN.length()) + "\n" + generated + page.substring(end);
    }

    /** The generated part: a section per configuration, then the files of {@code config/} no bundle describes. */
    static String render(List<Section> sections, List<String> otherFiles) {
        List<String> out = new ArrayList<>();
        for (Section section : sections) {
            Metatype.Configuration configuration = section.configuration();
            out.add("");
            out.add("### `" + configuration.pid() + "`" + (configuration.factory() ? " (factory)" : "") + ": "
                    + cell(configuration.ocd().name()));
            out.add("");
            out.add(cell(configuration.ocd().description()) + " Bundle `" + section.bundle() + "` (`bundles/"
                    + section.folder() + "`), file `config/" + section.cfgFile() + "`.");
            out.add("");
            out.add("| key | name | type | default | allowed values | `config/` sets | description |");
            out.add("|---|---|---|---|---|---|---|");
            for (Attribute attribute : configuration.ocd().attributes()) {
                CfgFile.Value shipped = section.shipped().get(attribute.id());
                out.add("| `" + attribute.id() + "` | " + cell(attribute.name()) + " | " + Settings.type(attribute)
                        + " | " + defaults(attribute) + " | " + allowed(attribute) + " | "
                        + (shipped == null ? "" : code(shipped.value())) + " | " + cell(attribute.description())
                        + " |");
            }
        }
        out.add("");
        if (otherFiles.isEmpty()) {
            out.add("Every file in `config/` is one of the configurations above.");
        } else {
            out.add("Other components' configurations in `config/`, kept as they are (no Auditlog bundle describes"
                    + " their PIDs): "
                    + String.join(
                            ", ", otherFiles.stream().map(f -> "`" + f + "`").toList()) + ".");
        }
        out.add("");
        return String.join("\n", out) + "\n";
    }

    private static String defaults(Attribute attribute) {
        List<String> values = Settings.defaults(attribute);
        if (values.isEmpty()) {
            return "*(none)*";
        }
        if (values.size() == 1 && values.get(0).isEmpty()) {
            return "*(empty)*";
        }
        return String.join(", ", values.stream().map(ConfigurationPage::code).toList());
    }

    private static String allowed(Attribute attribute) {
        List<String> parts = new ArrayList<>();
        String range = Settings.range(attribute);
        if (!range.isEmpty()) {
            parts.add(range);
        }
        for (Option option : attribute.options()) {
            parts.add(code(option.value()) + (option.label().isEmpty() ? "" : ": " + cell(option.label())));
        }
        return String.join("; ", parts);
    }

    /**
     * Text in a table cell: no line breaks, nothing Markdown or HTML would take as markup, and the pages it names
     * ({@code docs/rest.md}) as links, the page being in {@code docs/} too.
     */
    static String cell(String text) {
        return text.strip()
                .replaceAll("\\s+", " ")
                .replace("\\", "\\\\")
                .replace("|", "\\|")
                .replace("*", "\\*")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replaceAll("\\bdocs/([a-z][a-z0-9-]*\\.md)\\b", "[docs/$1]($1)");
    }

    /** A code span in a table cell; a pipe is escaped, as GitHub's tables split cells before code spans. */
    private static String code(String text) {
        String flat = text.replaceAll("\\s+", " ").replace("|", "\\|");
        String fence = flat.contains("`") ? "`` " : "`";
        return fence + flat + (fence.length() > 1 ? " ``" : "`");
    }
}
