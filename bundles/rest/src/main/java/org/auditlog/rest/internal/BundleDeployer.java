package org.auditlog.rest.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Deploys bundles through the deploy folder (framework property {@value #DEPLOY_PROPERTY}) and decides what may
 * be deployed: the rules of the operator's bundle uploads, apart from HTTP.
 *
 * <p>A jar is checked, written there under a stable file name, and FileInstall installs or updates it, so the
 * bundle survives restarts exactly like one an operator dropped there by hand. Before anything is written the
 * jar must be an OSGi bundle whose manifest inflates to at most {@value #MAX_MANIFEST_BYTES} bytes, must not
 * take the name of the framework or of a platform bundle (nor attach to one as a fragment), and must resolve
 * against what runs now (it is installed beside the running bundles for a moment, resolved, and
 * uninstalled); otherwise {@link DeployRefusedException} says why, and the running version stays.
 */
final class BundleDeployer {
    static final String DEPLOY_PROPERTY = "auditlog.deploy";
    static final long INSTALL_WAIT_MILLIS = 30_000;
    /** Most bytes of a manifest, counted as they are inflated (a zip may declare any size it likes). */
    static final int MAX_MANIFEST_BYTES = 1024 * 1024;

    static final String MANIFEST = "META-INF/MANIFEST.MF";
    /** Location prefix of the short-lived copy an upload is resolved as; such a bundle is not the platform's. */
    private static final String PROBE_LOCATION = "auditlog-check:";

    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}");

    /** What a deployment came to. */
    enum Outcome {
        /** A new bundle runs from the deploy folder. */
        INSTALLED,
        /** The bundle of that name runs the new jar. */
        UPDATED,
        /** This exact jar runs already; nothing was written. */
        UNCHANGED,
        /** Written to the deploy folder, but not running within {@link #INSTALL_WAIT_MILLIS}. */
        PENDING
    }

    /**
     * @param bundle the bundle that runs the jar, or {@code null} when {@link Outcome#PENDING}
     * @param deployFile the jar's file in the deploy folder
     */
    record Deployment(Outcome outcome, Bundle bundle, String symbolicName, Version version, Path deployFile) {}

    /** What the manifest of an upload says. */
    record Upload(String symbolicName, Version version, String fragmentHost) {}

    private final BundleContext context;
    private final Path deploy;

    BundleDeployer(BundleContext context) {
        this.context = context;
        String dir = context.getProperty(DEPLOY_PROPERTY);
        this.deploy = dir == null || dir.isBlank()
                ? null
                : Path.of(dir).toAbsolutePath().normalize();
    }

    /** Checks a jar and deploys it, waiting (bounded) until the bundle runs it. */
    Deployment deploy(byte[] jar) throws IOException, InterruptedException {
        Upload upload = inspect(jar);
        String symbolicName = upload.symbolicName();
        Version version = upload.version();
        if (deploy == null) {
            throw new DeployRefusedException(
                    409,
                    "no_deploy_folder",
                    null,
                    "this server has no deploy folder (framework property " + DEPLOY_PROPERTY + ")");
        }
        if (isPlatformName(symbolicName)) {
            throw new DeployRefusedException(
                    409,
                    "platform_bundle",
                    Constants.BUNDLE_SYMBOLICNAME,
                    symbolicName
                            + " is the name of a bundle of the server platform (the framework, or a bundle installed from "
                            + "the feature file, not from deploy/); it is upgraded with a new distribution");
        }
        String host = upload.fragmentHost();
        if (host != null && isPlatformName(host)) {
            throw new DeployRefusedException(
                    409,
                    "platform_bundle",
                    Constants.FRAGMENT_HOST,
                    "a fragment may not " + "attach to " + host
                            + ", a bundle of the server platform; only bundles from deploy/ may be hosts");
        }
        Bundle existing = bySymbolicName(symbolicName);
        Path target = existing != null ? deployFile(existing) : deploy.resolve(symbolicName + ".jar");
        if (existing != null
                && Files.exists(target)
                && Files.size(target) == jar.length
                && Arrays.equals(Files.readAllBytes(target), jar)) {
            return new Deployment(Outcome.UNCHANGED, existing, symbolicName, version, target);
        }
        checkResolves(jar, symbolicName, host != null);

        long before = existing == null ? -1 : existing.getLastModified();
        Path tmp = deploy.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.createDirectories(deploy);
        Files.write(tmp, jar);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        long deadline = System.nanoTime() + INSTALL_WAIT_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            Bundle b = byLocation(target);
            if (b != null && b.getVersion().equals(version) && b.getLastModified() > before && isRunning(b)) {
                return new Deployment(
                        existing == null ? Outcome.INSTALLED : Outcome.UPDATED, b, symbolicName, version, target);
            }
            Thread.sleep(100);
        }
        return new Deployment(Outcome.PENDING, null, symbolicName, version, target);
    }

    /**
     * Deletes a bundle's jar from the deploy folder and waits (bounded) until it is uninstalled.
     *
     * @return whether it was uninstalled within {@link #INSTALL_WAIT_MILLIS}
     */
    boolean undeploy(Bundle b) throws IOException, InterruptedException {
        Path file = deployFile(b);
        if (file == null) {
            throw new DeployRefusedException(
                    409,
                    "platform_bundle",
                    null,
                    b.getSymbolicName()
                            + " is part of the server platform (installed from the feature file, not from deploy/); "
                            + "it cannot be removed while the server runs");
        }
        Files.deleteIfExists(file);
        long deadline = System.nanoTime() + INSTALL_WAIT_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (b.getState() == Bundle.UNINSTALLED) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** The manifest's name, version and fragment host, each checked. */
    static Upload inspect(byte[] jar) {
        Manifest manifest = manifest(jar);
        return new Upload(symbolicName(manifest), version(manifest), fragmentHost(manifest));
    }

    /** Installs the jar beside everything else for a moment and resolves it; refuses it if it does not. */
    private void checkResolves(byte[] jar, String symbolicName, boolean fragment) {
        if (fragment) {
            return; // resolving a fragment would attach it to a running host; FileInstall handles fragments
        }
        Bundle probe;
        try {
            probe = context.installBundle(
                    PROBE_LOCATION + symbolicName + ":" + UUID.randomUUID(), new ByteArrayInputStream(jar));
        } catch (BundleException e) {
            if (e.getType() == BundleException.DUPLICATE_BUNDLE_ERROR) {
                return; // this framework allows no second copy of a name and version; FileInstall will tell
            }
            throw new DeployRefusedException(
                    422, "invalid_bundle", null, "the jar cannot be installed: " + e.getMessage());
        }
        FrameworkWiring wiring =
                context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        try {
            if (!wiring.resolveBundles(List.of(probe))) {
                String reason;
                try {
                    probe.start();
                    reason = "the framework could not resolve it";
                } catch (BundleException e) {
                    reason = e.getMessage();
                }
                throw new DeployRefusedException(
                        422,
                        "unresolvable_bundle",
                        null,
                        symbolicName + " does not resolve against the bundles running now, so it was not deployed: "
                                + reason);
            }
        } finally {
            try {
                probe.uninstall();
                wiring.refreshBundles(List.of(probe));
            } catch (BundleException | IllegalStateException e) {
                // already gone
            }
        }
    }

    /**
     * The jar's manifest, read from the zip stream as a jar reader finds it (the first entry, or the second after
     * {@code META-INF/}), and never more than {@value #MAX_MANIFEST_BYTES} inflated bytes of it: a manifest that
     * inflates past that is refused however small it is compressed, and nothing else of the jar is inflated.
     */
    static Manifest manifest(byte[] jar) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            ZipEntry e = in.getNextEntry();
            if (e != null && e.getName().equalsIgnoreCase("META-INF/") && e.isDirectory()) {
                e = in.getNextEntry();
            }
            if (e == null || !e.getName().equalsIgnoreCase(MANIFEST)) {
                throw new DeployRefusedException(
                        400, "invalid_bundle", "jar", "the upload is not a jar with a manifest");
            }
            byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new DeployRefusedException(
                        400,
                        "invalid_bundle",
                        MANIFEST,
                        "the manifest inflates to more than " + MAX_MANIFEST_BYTES
                                + " bytes; a bundle's manifest is a few kilobytes");
            }
            return new Manifest(new ByteArrayInputStream(bytes));
        } catch (IOException | IllegalArgumentException e) {
            throw new DeployRefusedException(
                    400, "invalid_bundle", "jar", "the upload is not a jar: " + e.getMessage());
        }
    }

    /** The symbolic name of the host a fragment names, or {@code null} for a bundle that is not a fragment. */
    private static String fragmentHost(Manifest m) {
        String header = m.getMainAttributes().getValue(Constants.FRAGMENT_HOST);
        if (header == null) {
            return null;
        }
        String name = header.split(";")[0].strip();
        if (!SYMBOLIC_NAME.matcher(name).matches()) {
            throw new DeployRefusedException(
                    400,
                    "invalid_bundle",
                    Constants.FRAGMENT_HOST,
                    "must name the host's symbolic name: letters, digits, '_', '.' and '-'");
        }
        return name;
    }

    /**
     * Whether a symbolic name is the platform's: the framework's (by its alias {@code system.bundle} or its own
     * name), or that of any bundle not installed from deploy/ (the feature file's bundles, this API among them).
     */
    boolean isPlatformName(String name) {
        if (Constants.SYSTEM_BUNDLE_SYMBOLICNAME.equals(name)) {
            return true;
        }
        for (Bundle b : context.getBundles()) {
            if (name.equals(b.getSymbolicName())
                    && (b.getBundleId() == 0 || deployFile(b) == null)
                    && !String.valueOf(b.getLocation()).startsWith(PROBE_LOCATION)) {
                return true;
            }
        }
        return false;
    }

    private static String symbolicName(Manifest m) {
        String header = m.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (header == null || header.isBlank()) {
            throw new DeployRefusedException(
                    400,
                    "invalid_bundle",
                    Constants.BUNDLE_SYMBOLICNAME,
                    "the manifest has no Bundle-SymbolicName: this jar is not an OSGi bundle");
        }
        if (!"2"
                .equals(String.valueOf(m.getMainAttributes().getValue(Constants.BUNDLE_MANIFESTVERSION))
                        .strip())) {
            throw new DeployRefusedException(
                    400, "invalid_bundle", Constants.BUNDLE_MANIFESTVERSION, "must be 2 (an OSGi R4+ bundle)");
        }
        String name = header.split(";")[0].strip();
        if (!SYMBOLIC_NAME.matcher(name).matches()) {
            throw new DeployRefusedException(
                    400,
                    "invalid_bundle",
                    Constants.BUNDLE_SYMBOLICNAME,
                    "may hold only letters, digits, '_', '.' and '-'");
        }
        return name;
    }

    private static Version version(Manifest m) {
        String header = m.getMainAttributes().getValue(Constants.BUNDLE_VERSION);
        try {
            return header == null ? Version.emptyVersion : Version.parseVersion(header.strip());
        } catch (IllegalArgumentException e) {
            throw new DeployRefusedException(
                    400, "invalid_bundle", Constants.BUNDLE_VERSION, "is not an OSGi version: " + header);
        }
    }

    Bundle bySymbolicName(String name) {
        Bundle found = null;
        for (Bundle b : context.getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                if (deployFile(b) != null) {
                    return b;
                }
                found = b;
            }
        }
        return found;
    }

    private Bundle byLocation(Path file) {
        for (Bundle b : context.getBundles()) {
            if (file.equals(deployFile(b))) {
                return b;
            }
        }
        return null;
    }

    /** The file in the deploy folder a bundle was installed from, or {@code null}. */
    Path deployFile(Bundle b) {
        String location = b.getLocation();
        if (deploy == null || location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            Path p = Path.of(URI.create(location.split("\\?")[0]))
                    .toAbsolutePath()
                    .normalize();
            return p.startsWith(deploy) ? p : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isRunning(Bundle b) {
        boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
        return fragment ? b.getState() == Bundle.RESOLVED : b.getState() == Bundle.ACTIVE;
    }
}
