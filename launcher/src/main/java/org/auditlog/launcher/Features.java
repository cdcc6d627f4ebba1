package org.auditlog.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads a Karaf feature repository (features.xml) and lists the bundles of a feature, with the features
 * it names, in install order. Only what the launcher needs: {@code <feature>} references inside the same
 * file and {@code <bundle start-level="n">mvn:...</bundle>}; bundles are found in a Maven-layout folder.
 * <p>
 * A {@code <feature prerequisite="true">} reference to a feature this file does not define names a feature
 * of the host container (in Apache Karaf: {@code scr}, {@code spifly}); it is skipped, because the
 * launcher's own runtime feature provides those services. Any other reference to an undefined feature is
 * an error.
 */
public final class Features {

    /** One bundle of a feature. */
    public record BundleRef(String location, int startLevel) {
        /** The bundle's file under a Maven-layout folder. */
        public Path file(Path repository) {
            return repository.resolve(mavenPath(location));
        }
    }

    private final Map<String, Element> features = new HashMap<>();

    private Features(Document doc) {
        NodeList list = doc.getDocumentElement().getElementsByTagNameNS("*", "feature");
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            if (e.getParentNode() == doc.getDocumentElement()) {
                features.put(e.getAttribute("name"), e);
            }
        }
    }

    public static Features read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return new Features(f.newDocumentBuilder().parse(in));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read feature file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The bundles of a feature and of every feature it names, each once, ordered by start level and then
     * by their order in the file.
     */
    public List<BundleRef> bundles(String feature) {
        Set<String> seen = new LinkedHashSet<>();
        List<BundleRef> out = new ArrayList<>();
        collect(feature, seen, out, new LinkedHashSet<>());
        List<BundleRef> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparingInt(BundleRef::startLevel)); // stable: file order within a level
        return sorted;
    }

    private void collect(String name, Set<String> seenBundles, List<BundleRef> out, Set<String> path) {
        Element feature = features.get(name);
        if (feature == null) {
            throw new IllegalArgumentException("the feature file has no feature named '" + name + "'");
        }
        if (!path.add(name)) {
            throw new IllegalArgumentException("features name each other in a cycle: " + path);
        }
        for (Node n = feature.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element child)) {
                continue;
            }
            String text = child.getTextContent().strip();
            if (child.getLocalName().equals("feature")) {
                if (features.containsKey(text)
                        || !Boolean.parseBoolean(
                                child.getAttribute("prerequisite").strip())) {
                    collect(text, seenBundles, out, path);
                }
                // else: a prerequisite the host container provides, see the class comment
            } else if (child.getLocalName().equals("bundle") && seenBundles.add(text)) {
                String level = child.getAttribute("start-level");
                out.add(new BundleRef(text, level.isEmpty() ? 80 : Integer.parseInt(level)));
            }
        }
        path.remove(name);
    }

    /**
     * {@code mvn:group/artifact/version[/type[/classifier]]} to its path in a Maven repository.
     */
    static String mavenPath(String location) {
        if (!location.startsWith("mvn:")) {
            throw new IllegalArgumentException("only mvn: locations are supported: " + location);
        }
        String[] p = location.substring(4).split("/");
        if (p.length < 3) {
            throw new IllegalArgumentException("a mvn: location needs group/artifact/version: " + location);
        }
        String type = p.length > 3 && !p[3].isEmpty() ? p[3] : "jar";
        String classifier = p.length > 4 && !p[4].isEmpty() ? "-" + p[4] : "";
        return p[0].replace('.', '/') + "/" + p[1] + "/" + p[2] + "/" + p[1] + "-" + p[2] + classifier + "." + type;
    }
}
