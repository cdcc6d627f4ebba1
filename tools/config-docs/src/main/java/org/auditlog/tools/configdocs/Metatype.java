package org.auditlog.tools.configdocs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The configurations one bundle describes: its {@code OSGI-INF/metatype/*.xml} files (OSGi Metatype 1.0 to 1.4,
 * as bnd writes them from {@code @ObjectClassDefinition}), each {@code Designate} joined to its {@code OCD}.
 */
final class Metatype {
    static final String NAMESPACE_PREFIX = "http://www.osgi.org/xmlns/metatype/v1.";

    /** One {@code Option} of an attribute. */
    record Option(String value, String label) {}

    /**
     * One {@code AD}. {@code defaultValue} is the XML's {@code default} as written (null when absent; values of a
     * multi-valued attribute separated by commas), {@code min} and {@code max} are null when absent.
     */
    record Attribute(
            String id,
            String name,
            String description,
            String type,
            int cardinality,
            String defaultValue,
            String min,
            String max,
            List<Option> options) {}

    /** One {@code OCD}: its attributes in the order of the XML (the order of the config interface). */
    record Ocd(String id, String name, String description, List<Attribute> attributes) {
        Attribute attribute(String key) {
            return attributes.stream()
                    .filter(a -> a.id().equals(key))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** A configuration PID (or factory PID) a bundle designates, with its OCD. */
    record Configuration(String pid, boolean factory, Ocd ocd) {}

    private Metatype() {}

    /** The configurations of every metatype file in {@code folder}, in file order; none when it does not exist. */
    static List<Configuration> readFolder(Path folder) throws IOException {
        List<Configuration> all = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return all;
        }
        List<Path> files;
        try (var listing = Files.list(folder)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".xml"))
                    .sorted()
                    .toList();
        }
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                all.addAll(read(in, file.toString()));
            }
        }
        return all;
    }

    /** The configurations one metatype document designates. */
    static List<Configuration> read(InputStream xml, String source) throws IOException {
        Document document;
        try {
            document = parser().parse(xml, source);
        } catch (SAXException e) {
            throw new IOException(source + ": not well-formed XML: " + e.getMessage(), e);
        }
        Element root = document.getDocumentElement();
        String namespace = root.getNamespaceURI();
        if (!"MetaData".equals(root.getLocalName()) || namespace == null || !namespace.startsWith(NAMESPACE_PREFIX)) {
            throw new IOException(source + ": not an OSGi metatype document (root " + root.getTagName() + ")");
        }
        Map<String, Ocd> ocds = new LinkedHashMap<>();
        for (Element element : children(root, "OCD")) {
            Ocd ocd = ocd(element, source);
            ocds.put(ocd.id(), ocd);
        }
        List<Configuration> configurations = new ArrayList<>();
        for (Element designate : children(root, "Designate")) {
            String pid = designate.getAttribute("pid");
            String factoryPid = designate.getAttribute("factoryPid");
            boolean factory = !factoryPid.isEmpty();
            String name = factory ? factoryPid : pid;
            for (Element object : children(designate, "Object")) {
                Ocd ocd = ocds.get(object.getAttribute("ocdref"));
                if (ocd == null) {
                    throw new IOException(source + ": Designate " + name + " names OCD " + object.getAttribute("ocdref")
                            + ", which the document does not define");
                }
                configurations.add(new Configuration(name, factory, ocd));
            }
        }
        return configurations;
    }

    private static Ocd ocd(Element element, String source) throws IOException {
        List<Attribute> attributes = new ArrayList<>();
        for (Element ad : children(element, "AD")) {
            List<Option> options = new ArrayList<>();
            for (Element option : children(ad, "Option")) {
                options.add(new Option(option.getAttribute("value"), text(option, "label", source)));
            }
            String cardinality = ad.getAttribute("cardinality");
            attributes.add(new Attribute(
                    ad.getAttribute("id"),
                    text(ad, "name", source),
                    text(ad, "description", source),
                    ad.getAttribute("type"),
                    cardinality.isEmpty() ? 0 : Integer.parseInt(cardinality.trim()),
                    optional(ad, "default"),
                    optional(ad, "min"),
                    optional(ad, "max"),
                    List.copyOf(options)));
        }
        return new Ocd(
                element.getAttribute("id"),
                text(element, "name", source),
                text(element, "description", source),
                List.copyOf(attributes));
    }

    /** A human-readable attribute: localised ones ({@code %key}) would need the bundle's l10n files, so they fail. */
    private static String text(Element element, String attribute, String source) throws IOException {
        String value = element.getAttribute(attribute);
        if (value.startsWith("%")) {
            throw new IOException(source + ": " + element.getTagName() + " " + element.getAttribute("id") + " has a "
                    + "localised " + attribute + " (" + value + "); write the text itself in the annotation");
        }
        return value;
    }

    private static String optional(Element element, String attribute) {
        return element.hasAttribute(attribute) ? element.getAttribute(attribute) : null;
    }

    /** Metatype's OCD, AD, Designate, Object and Option are unqualified elements; match them by local name. */
    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && localName.equals(element.getLocalName())) {
                found.add(element);
            }
        }
        return found;
    }

    private static DocumentBuilder parser() throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IOException("no XML parser: " + e.getMessage(), e);
        }
    }
}
