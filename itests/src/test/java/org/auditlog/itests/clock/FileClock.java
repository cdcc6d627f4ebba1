package org.auditlog.itests.clock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock moved by the number of milliseconds written in a file, re-read whenever the file changes.
 * Packed into a bundle dropped in a test server's deploy/ folder, so a test moves the time of a server running in
 * its own process (to the 1st of the month, or 24 hours on) by writing the file.
 */
public final class FileClock extends Clock {
    private final Path file;
    private volatile FileTime seen;
    private volatile long offsetMillis;

    public FileClock(Path file) {
        this.file = file;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), java.time.Duration.ofMillis(offset()));
    }

    @Override
    public Instant instant() {
        return Instant.now().plusMillis(offset());
    }

    private long offset() {
        try {
            FileTime modified = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            if (modified == null) {
                return 0;
            }
            if (!modified.equals(seen)) {
                offsetMillis = Long.parseLong(Files.readString(file).strip());
                seen = modified;
            }
            return offsetMillis;
        } catch (IOException | NumberFormatException e) {
            return offsetMillis;
        }
    }
}
