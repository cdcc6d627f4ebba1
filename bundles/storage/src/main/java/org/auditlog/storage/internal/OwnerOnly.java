package org.auditlog.storage.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The database's files are its owner's alone: folders {@code rwx------}, files {@code rw-------}, where the
 * file system has POSIX permissions (elsewhere nothing is changed). Like a umask of 077 for what this bundle
 * creates, whatever umask the process was started with.
 */
final class OwnerOnly {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OwnerOnly.class);
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {}

    /** Creates the folder (and missing parents) owner-only; an existing folder is made owner-only. */
    static void createDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir) && isPosix(dir.toAbsolutePath().getRoot())) {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(FOLDER);
            Files.createDirectories(dir, attr);
        } else {
            Files.createDirectories(dir);
        }
        restrict(dir);
    }

    /**
     * Makes the folder and everything in it owner-only. Never fails: a file that goes away meanwhile (the
     * database's temporary files come and go) is passed over, and any other failure is logged.
     */
    static void restrictTree(Path dir) {
        if (!Files.isDirectory(dir) || !isPosix(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                try {
                    restrict(p);
                } catch (NoSuchFileException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not make everything in {} readable by its owner only: {}", dir, e.toString());
        }
    }

    private static void restrict(Path p) throws IOException {
        if (!isPosix(p) || Files.isSymbolicLink(p)) {
            return;
        }
        Files.setPosixFilePermissions(p, Files.isDirectory(p) ? FOLDER : FILE);
    }

    private static boolean isPosix(Path p) {
        return p != null && Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
    }
}
