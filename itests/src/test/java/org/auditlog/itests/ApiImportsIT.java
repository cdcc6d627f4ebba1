package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.auditlog.launcher.Features;
import org.junit.Test;

/**
 * Keeps the split of the API honest: which of our bundles import which {@code org.auditlog.api} packages, read from
 * the manifests of the bundles the distribution ships. A bundle that starts to import a package it did not (or
 * stops) fails here; if that is meant, change the expected sets below and the table in the README.
 */
public class ApiImportsIT {
    static final String ADAPTER = "org.auditlog.api.adapter";
    static final String STREAM = "org.auditlog.api.stream";

    /**
     * The bundles that import each of these packages, as built. The api bundle imports the packages it exports that
     * its other packages use (bnd's substitutable exports).
     */
    static final Map<String, Set<String>> IMPORTED_BY = Map.of(
            "org.auditlog.api.mail",
                    Set.of(
                            "org.auditlog.api",
                            "org.auditlog.export",
                            "org.auditlog.mail",
                            "org.auditlog.rest",
                            "org.auditlog.storage",
                            "org.auditlog.streams"),
            "org.auditlog.api.export", Set.of("org.auditlog.export", "org.auditlog.policy", "org.auditlog.rest"),
            "org.auditlog.api.store",
                    Set.of(
                            "org.auditlog.api",
                            "org.auditlog.capture",
                            "org.auditlog.export",
                            "org.auditlog.mail",
                            "org.auditlog.policy",
                            "org.auditlog.rest",
                            "org.auditlog.storage",
                            "org.auditlog.streams",
                            "org.auditlog.work"));

    static final Set<String> ADAPTERS = Set.of(
            "org.auditlog.product.apps",
            "org.auditlog.product.backlog",
            "org.auditlog.product.cacoo",
            "org.auditlog.product.typetalk");

    static final Set<String> DESTINATIONS = Set.of(
            "org.auditlog.stream.s3",
            "org.auditlog.stream.splunk",
            "org.auditlog.stream.syslog",
            "org.auditlog.stream.webhook");

    @Test
    public void productAdaptersImportTheAdapterPackageAlone() throws Exception {
        Map<String, Set<String>> imports = apiImports("auditlog-products");
        assertEquals(ADAPTERS, imports.keySet());
        for (Map.Entry<String, Set<String>> e : imports.entrySet()) {
            assertEquals(e.getKey() + " imports", Set.of(ADAPTER), e.getValue());
        }
    }

    /**
     * A stream destination is built on the stream package and the record it carries (package-info of api.stream):
     * those that read the records import both; the s3 one writes the file the server makes of the batch and reads
     * no record, so it imports the stream package alone.
     */
    @Test
    public void streamDestinationsImportTheStreamAndAdapterPackagesAlone() throws Exception {
        Map<String, Set<String>> imports = apiImports("auditlog-stream-destinations");
        assertEquals(DESTINATIONS, imports.keySet());
        for (Map.Entry<String, Set<String>> e : imports.entrySet()) {
            Set<String> expected =
                    e.getKey().equals("org.auditlog.stream.s3") ? Set.of(STREAM) : Set.of(ADAPTER, STREAM);
            assertEquals(e.getKey() + " imports", expected, e.getValue());
        }
    }

    @Test
    public void onlyTheBundlesThatUseThemImportMailExportAndStore() throws Exception {
        Map<String, Set<String>> imports = apiImports("auditlog-server");
        imports.putAll(apiImports("auditlog-products"));
        imports.putAll(apiImports("auditlog-stream-destinations"));
        for (Map.Entry<String, Set<String>> expected : IMPORTED_BY.entrySet()) {
            Set<String> importers = new TreeSet<>();
            imports.forEach((bundle, packages) -> {
                if (packages.contains(expected.getKey())) {
                    importers.add(bundle);
                }
            });
            assertEquals("bundles importing " + expected.getKey(), new TreeSet<>(expected.getValue()), importers);
        }
        imports.forEach((bundle, packages) -> assertFalse(
                bundle + " imports the package the API was split from", packages.contains("org.auditlog.api")));
    }

    /** Our bundles of a feature, by symbolic name, each with the {@code org.auditlog.api} packages it imports. */
    static Map<String, Set<String>> apiImports(String feature) throws IOException {
        Path system = ServerOptions.distribution().resolve("system");
        Map<String, Set<String>> out = new TreeMap<>();
        for (Features.BundleRef b : Features.read(ServerOptions.featureFile()).bundles(feature)) {
            if (!b.location().startsWith("mvn:org.auditlog/")) {
                continue;
            }
            try (JarFile jar = new JarFile(b.file(system).toFile())) {
                Attributes main = jar.getManifest().getMainAttributes();
                Set<String> packages = new TreeSet<>();
                for (String p : packageNames(main.getValue("Import-Package"))) {
                    if (p.equals("org.auditlog.api") || p.startsWith("org.auditlog.api.")) {
                        packages.add(p);
                    }
                }
                out.put(main.getValue("Bundle-SymbolicName"), packages);
            }
        }
        return out;
    }

    /** The package names of an Import-Package header: its clauses split at commas outside quotes, up to the first ';'. */
    static List<String> packageNames(String header) {
        List<String> names = new ArrayList<>();
        if (header == null) {
            return names;
        }
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : (header + ",").toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                String s = clause.toString();
                int semicolon = s.indexOf(';');
                names.add((semicolon < 0 ? s : s.substring(0, semicolon)).strip());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        return names;
    }
}
