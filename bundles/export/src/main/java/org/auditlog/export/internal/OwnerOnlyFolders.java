package org.auditlog.export.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Folders for export files, created readable by their owner only ({@code rwx------}) where the file system
 * has POSIX permissions, whatever the process's umask; the files in them are created owner-only already
 * (temporary files, moved into place).
 */
final class OwnerOnlyFolders {
    private OwnerOnlyFolders() {}

    static void create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path root = dir.toAbsolutePath().getRoot();
        if (root != null && Files.getFileAttributeView(root, PosixFileAttributeView.class) != null) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }
}
