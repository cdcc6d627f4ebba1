package org.auditlog.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Jars made on the fly: small bundles, and copies of real bundles with a changed manifest. */
final class TestBundles {
    private TestBundles() {}

    /** An empty bundle; {@code imports} may be {@code null}. */
    static byte[] bundle(String symbolicName, String version, String imports) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        if (imports != null) {
            a.putValue("Import-Package", imports);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return out.toByteArray();
    }

    /** An empty bundle with more manifest headers (a {@code Fragment-Host}, say). */
    static byte[] bundleWithHeaders(String symbolicName, String version, Map<String, String> headers)
            throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        headers.forEach(a::putValue);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return out.toByteArray();
    }

    /**
     * A jar whose manifest is a zip bomb: valid bundle headers, then one header whose value is
     * {@code inflatedBytes} repeated bytes. Written through the deflater chunk by chunk, so only the compressed
     * jar (about a thousandth of that) is ever in memory.
     */
    static byte[] manifestBomb(long inflatedBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            zip.setLevel(java.util.zip.Deflater.BEST_SPEED);
            zip.putNextEntry(new java.util.zip.ZipEntry("META-INF/MANIFEST.MF"));
            zip.write(
                    ("Manifest-Version: 1.0\r\nBundle-ManifestVersion: 2\r\nBundle-SymbolicName: org.auditlog.itests.bomb"
                                    + "\r\nBundle-Version: 1.0.0\r\nX-Padding: ")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) 'a');
            for (long written = 0; written < inflatedBytes; written += chunk.length) {
                zip.write(chunk);
            }
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** A plain jar with no OSGi headers. */
    static byte[] plainJar() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.putNextEntry(new JarEntry("hello.txt"));
            jar.write("hello".getBytes());
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    /** A copy of a real bundle with some manifest headers replaced (a new version, say). */
    static byte[] withHeaders(Path source, Map<String, String> headers) throws IOException {
        try (InputStream file = Files.newInputStream(source);
                JarInputStream in = new JarInputStream(file)) {
            Manifest m = new Manifest(in.getManifest());
            headers.forEach((k, v) -> m.getMainAttributes().putValue(k, v));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JarOutputStream jar = new JarOutputStream(out, m)) {
                JarEntry e;
                while ((e = in.getNextJarEntry()) != null) {
                    jar.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
            return out.toByteArray();
        }
    }

    /**
     * A bundle registering a clock a test moves by writing milliseconds to {@code <data>/test-clock-offset}
     * (see {@link org.auditlog.itests.clock.FileClock}); dropped in a server's deploy/ folder.
     */
    static byte[] fileClock() throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.auditlog.itests.clock");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", org.auditlog.itests.clock.FileClockActivator.class.getName());
        a.putValue("Import-Package", "org.osgi.framework;version=\"[1.8,2)\"");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            for (Class<?> c : List.of(
                    org.auditlog.itests.clock.FileClock.class, org.auditlog.itests.clock.FileClockActivator.class)) {
                String name = c.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(name));
                try (InputStream in = TestBundles.class.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
