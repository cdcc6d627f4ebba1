package org.auditlog.api.export;

import java.nio.file.Path;

/**
 * An export file ready to be downloaded.
 *
 * @param fileName its name, e.g. {@code auditlog-202610-Backlog-csv.zip}
 * @param path where it is on disk
 * @param size its size in bytes
 * @since 1.0
 */
public record ArchiveFile(String fileName, Path path, long size) {}
