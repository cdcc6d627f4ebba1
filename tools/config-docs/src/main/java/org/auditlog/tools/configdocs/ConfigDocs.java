package org.auditlog.tools.configdocs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Writes {@code docs/configuration.md}'s generated part and the comments of {@code config/*.cfg} from the metatype
 * of every bundle under {@code bundles/} (their {@code target/classes/OSGI-INF/metatype/*.xml}, so the bundles are
 * built first), or checks that they are what it would write.
 *
 * <p>{@code ConfigDocs check <project folder>} fails, naming the files that differ and the command that rewrites
 * them; {@code ConfigDocs write <project folder>} rewrites them. The build runs the check ({@code mvn verify} of
 * {@code tools/config-docs}).
 */
public final class ConfigDocs {
    /** The command that rebuilds the bundles and rewrites the files. */
    static final String REGENERATE = "mvn -q -pl tools/config-docs -am verify -DskipTests -Dconfig-docs=write";

    static final String PAGE = "docs/configuration.md";
    /** PIDs of this project: a file in {@code config/} named so is a typo unless a bundle describes its PID. */
    static final String OWN_NAMESPACE = "org.auditlog.";
    /** The parent of every bundle: its build makes each of its children a bundle with bnd. */
    static final String BUNDLES_PARENT = "auditlog-bundles";

    private ConfigDocs() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ConfigDocs check|write <project folder>");
        }
        for (String written : run(args[0], Path.of(args[1]))) {
            System.out.println("config-docs: wrote " + written);
        }
    }

    /**
     * Checks ({@code check}) or rewrites ({@code write}) the files of the project in {@code root}; answers the files
     * written. The check fails with an {@link IllegalStateException} naming the files that differ.
     */
    static List<String> run(String mode, Path root) throws IOException {
        if (!List.of("check", "write").contains(mode)) {
            throw new IllegalArgumentException("usage: ConfigDocs check|write <project folder>");
        }
        Path project = root.toAbsolutePath().normalize();
        Map<String, String> files = generate(project);
        if (mode.equals("write")) {
            return write(project, files);
        }
        List<String> differing = differing(project, files);
        if (!differing.isEmpty()) {
            throw new IllegalStateException(
                    String.join(", ", differing) + (differing.size() == 1 ? " differs" : " differ")
                            + " from what the bundles' metatype gives; after a change of an "
                            + "@AttributeDefinition or of the hand-written text, regenerate with: " + REGENERATE);
        }
        return List.of();
    }

    /**
     * Whether the module of {@code pom} is a bundle: a child of {@value #BUNDLES_PARENT}. A module under
     * {@code bundles/} with another parent is a plain jar (as {@code bundles/stream-http}, which the HTTP stream
     * destinations copy into themselves), with no metatype of its own.
     */
    static boolean isBundle(Path pom) throws IOException {
        Element project;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            project = f.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(pom + " cannot be read: " + e.getMessage(), e);
        }
        Element parent = child(project, "parent");
        Element artifactId = parent == null ? null : child(parent, "artifactId");
        return artifactId != null && artifactId.getTextContent().strip().equals(BUNDLES_PARENT);
    }

    private static Element child(Element element, String name) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The files to write, by path from the project folder, with their whole content. */
    static Map<String, String> generate(Path root) throws IOException {
        Path bundles = root.resolve("bundles");
        List<Path> folders = new ArrayList<>();
        try (var listing = Files.list(bundles)) {
            for (Path folder : listing.sorted().toList()) {
                Path pom = folder.resolve("pom.xml");
                if (Files.isRegularFile(pom) && isBundle(pom)) {
                    folders.add(folder);
                }
            }
        }
        List<ConfigurationPage.Section> sections = new ArrayList<>();
        Map<String, Metatype.Configuration> byPid = new LinkedHashMap<>();
        Map<String, String> bundleOf = new HashMap<>();
        Map<String, String> folderOf = new HashMap<>();
        for (Path folder : folders) {
            Path classes = folder.resolve("target/classes");
            Path manifest = classes.resolve("META-INF/MANIFEST.MF");
            if (!Files.isRegularFile(manifest)) {
                throw new IllegalStateException(root.relativize(folder) + " is not built (no "
                        + root.relativize(manifest) + "); build the bundles first: " + REGENERATE);
            }
            String bundle;
            try (var in = Files.newInputStream(manifest)) {
                bundle = new Manifest(in).getMainAttributes().getValue("Bundle-SymbolicName");
            }
            for (Metatype.Configuration configuration : Metatype.readFolder(classes.resolve("OSGI-INF/metatype"))) {
                if (byPid.putIfAbsent(configuration.pid(), configuration) != null) {
                    throw new IllegalStateException(configuration.pid() + " is described twice, in bundle "
                            + bundleOf.get(configuration.pid()) + " and in bundle " + bundle);
                }
                bundleOf.put(configuration.pid(), bundle);
                folderOf.put(configuration.pid(), folder.getFileName().toString());
            }
        }
        if (byPid.isEmpty()) {
            throw new IllegalStateException("no bundle under " + bundles + " has a metatype");
        }

        Path config = root.resolve("config");
        List<String> present;
        try (var listing = Files.list(config)) {
            present = listing.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".cfg"))
                    .sorted()
                    .toList();
        }
        Map<String, String> files = new LinkedHashMap<>();
        List<String> otherFiles = new ArrayList<>();
        for (Map.Entry<String, Metatype.Configuration> entry : byPid.entrySet()) {
            String pid = entry.getKey();
            Metatype.Configuration configuration = entry.getValue();
            List<String> names = present.stream()
                    .filter(name -> pid.equals(pidOf(name, byPid)))
                    .toList();
            if (names.isEmpty() && !configuration.factory()) {
                names = List.of(pid + ".cfg");
            }
            for (String name : names) {
                Path file = config.resolve(name);
                List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
                CfgFile cfg = CfgFile.parse(lines, "config/" + name);
                files.put(
                        "config/" + name,
                        String.join("\n", cfg.render(configuration, bundleOf.get(pid), "config/" + name)) + "\n");
                sections.add(new ConfigurationPage.Section(
                        folderOf.get(pid), bundleOf.get(pid), configuration, name, cfg.values()));
            }
        }
        for (String name : present) {
            if (pidOf(name, byPid) != null) {
                continue;
            }
            if (name.startsWith(OWN_NAMESPACE)) {
                throw new IllegalStateException("config/" + name + ": no bundle describes its PID; the PIDs "
                        + "described: " + String.join(", ", byPid.keySet()));
            }
            otherFiles.add(name);
        }
        Path page = root.resolve(PAGE);
        String text = Files.readString(page, StandardCharsets.UTF_8);
        files.put(PAGE, ConfigurationPage.splice(text, ConfigurationPage.render(sections, otherFiles), PAGE));
        return files;
    }

    /**
     * The PID a file configures, when a bundle describes it: {@code <pid>.cfg}, or {@code <factory pid>-<name>.cfg}
     * for a factory PID, as FileInstall reads the names.
     */
    private static String pidOf(String fileName, Map<String, Metatype.Configuration> byPid) {
        String base = fileName.substring(0, fileName.length() - ".cfg".length());
        Metatype.Configuration exact = byPid.get(base);
        if (exact != null && !exact.factory()) {
            return base;
        }
        int dash = base.indexOf('-');
        if (dash > 0) {
            Metatype.Configuration factory = byPid.get(base.substring(0, dash));
            if (factory != null && factory.factory()) {
                return factory.pid();
            }
        }
        return null;
    }

    /** The files whose content on disk is not the generated one, missing ones included. */
    static List<String> differing(Path root, Map<String, String> files) throws IOException {
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = root.resolve(file.getKey());
            if (!Files.isRegularFile(path)
                    || !Files.readString(path, StandardCharsets.UTF_8).equals(file.getValue())) {
                differing.add(file.getKey());
            }
        }
        return differing;
    }

    /** Writes the files that differ and says which. */
    static List<String> write(Path root, Map<String, String> files) throws IOException {
        List<String> changed = differing(root, files);
        for (String name : changed) {
            Files.writeString(root.resolve(name), files.get(name), StandardCharsets.UTF_8);
        }
        return changed;
    }
}
