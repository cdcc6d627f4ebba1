package org.auditlog.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data folder holds the database, the operator token and the export files: at start it and everything in
 * it are made its owner's only (folders {@code rwx------}, files {@code rw-------}), where the file system
 * has POSIX permissions. What the server creates later inherits nothing from this, so {@code bin/auditlog}
 * also starts the JVM with a umask of 077, and the bundles create their folders owner-only.
 */
final class OwnerOnly {
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {}

    /** Makes {@code dir} and everything in it owner-only; symbolic links are not followed. */
    static void restrictTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                try {
                    Files.setPosixFilePermissions(p, Files.isDirectory(p) ? FOLDER : FILE);
                } catch (NoSuchFileException e) {
                    // gone meanwhile
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
