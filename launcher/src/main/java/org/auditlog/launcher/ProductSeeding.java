package org.auditlog.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.auditlog.launcher.Main.StartupException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * The distribution's plug-ins, product adapters and stream destinations, in deploy/ (file name: the artifact id),
 * where FileInstall installs them and operators replace or remove them.
 *
 * <p>On the first start of a data folder they are copied in. At every later start, a copy still exactly as it
 * was copied is replaced by the distribution's adapter when that differs, so a new release of the server brings
 * its adapters along (an adapter built against an API the new server no longer exports would not resolve); a
 * copy the operator replaced, or removed, is left as the operator left it; a plug-in the data folder never had
 * (new in this release) is copied in. The marker file in the data folder lists each copy with the SHA-256 of what
 * was copied, as {@code sha256sum} writes it, and each name whose file is the operator's or was removed with
 * {@link #NONE}.
 *
 * <p>A marker written before it listed hashes says only that the adapters were copied: then a copy whose
 * symbolic name is the distribution adapter's and whose version is not newer is taken as the copy made then, and
 * a missing one as removed by the operator (that marker cannot tell a removal from a plug-in never copied).
 */
final class ProductSeeding {
    static final String MARKER = "products-seeded";
    private static final String HEADER = "# product adapters copied into deploy/, with the SHA-256 of each copy";
    /** The marker's hash of a name with no copy of ours in deploy/: the operator's own file, or one removed. */
    static final String NONE = "0".repeat(64);

    private ProductSeeding() {}

    /** Copies or upgrades the adapters; returns what it did, one line per adapter it wrote. */
    static List<String> run(List<Features.BundleRef> products, Path repository, Path data, Path deploy)
            throws IOException, StartupException {
        Path marker = data.resolve(MARKER);
        boolean first = !Files.exists(marker);
        Map<String, String> copied = first ? Map.of() : readMarker(marker);
        boolean oldMarker = !first && !Files.readString(marker).startsWith(HEADER);
        Map<String, String> next = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        for (Features.BundleRef ref : products) {
            Path source = ref.file(repository);
            if (!Files.isRegularFile(source)) {
                throw new StartupException("the distribution lacks " + ref.location() + " (expected " + source + ")");
            }
            String name = deployName(ref.location());
            Path target = deploy.resolve(name);
            String shipped = sha256(source);
            if (first) {
                if (!Files.exists(target)) {
                    copy(source, target);
                    done.add("copied " + name);
                    next.put(name, shipped);
                } else {
                    next.put(name, NONE); // the operator's, there before the first start
                }
            } else if (!Files.exists(target)) {
                if (copied.containsKey(name) || oldMarker) {
                    // removed by the operator: stays away
                    next.put(name, copied.getOrDefault(name, NONE));
                } else {
                    // a plug-in this data folder never had: new in this distribution
                    copy(source, target);
                    done.add("copied " + name);
                    next.put(name, shipped);
                }
            } else {
                String present = sha256(target);
                boolean ours = oldMarker ? sameAdapterNotNewer(target, source) : present.equals(copied.get(name));
                if (ours && !present.equals(shipped)) {
                    copy(source, target);
                    done.add("upgraded " + name + " to the distribution's " + version(source));
                    next.put(name, shipped);
                } else {
                    next.put(name, ours ? present : copied.getOrDefault(name, NONE));
                }
            }
        }
        writeMarker(marker, next);
        return done;
    }

    /** {@code mvn:org.auditlog/org.auditlog.product.apps/1.0.0} to {@code org.auditlog.product.apps.jar}. */
    static String deployName(String location) {
        return location.substring(4).split("/")[1] + ".jar";
    }

    private static void copy(Path source, Path target) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Map<String, String> readMarker(Path marker) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(marker)) {
            String[] parts = line.split("  ", 2);
            if (!line.startsWith("#") && parts.length == 2 && parts[0].matches("[0-9a-f]{64}")) {
                m.put(parts[1], parts[0]);
            }
        }
        return m;
    }

    private static void writeMarker(Path marker, Map<String, String> copies) throws IOException {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        copies.forEach((name, hash) -> s.append(hash).append("  ").append(name).append('\n'));
        Path tmp = marker.resolveSibling("." + marker.getFileName() + ".tmp");
        Files.writeString(tmp, s);
        Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Whether {@code present} is the same bundle as {@code shipped} (symbolic name) at a version not newer. */
    private static boolean sameAdapterNotNewer(Path present, Path shipped) {
        try {
            Manifest a = manifest(present);
            Manifest b = manifest(shipped);
            String nameA = symbolicName(a);
            return nameA != null && nameA.equals(symbolicName(b)) && version(a).compareTo(version(b)) <= 0;
        } catch (IOException | IllegalArgumentException e) {
            return false; // not a bundle we can read: the operator's
        }
    }

    private static Manifest manifest(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            Manifest m = f.getManifest();
            if (m == null) {
                throw new IOException(jar + " has no manifest");
            }
            return m;
        }
    }

    private static String symbolicName(Manifest m) {
        String v = m.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        return v == null ? null : v.split(";")[0].trim();
    }

    private static Version version(Manifest m) {
        return Version.parseVersion(m.getMainAttributes().getValue(Constants.BUNDLE_VERSION));
    }

    private static String version(Path jar) {
        try {
            return version(manifest(jar)).toString();
        } catch (IOException | IllegalArgumentException e) {
            return "version";
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
