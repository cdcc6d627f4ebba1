package org.auditlog.export.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.auditlog.api.store.StoreBusyException;
import org.auditlog.api.store.StoreException;

/**
 * What a failed export job tells its requester, on the settings page and in the mail: a fixed sentence for the kind
 * of failure and an incident id, never the cause's own message, which may quote SQL, a database host, a file path
 * or another organization's data. The caller logs the cause, with its stack, under the same id (as the REST
 * answers' incidents, docs/errors.md).
 */
final class FailureReasons {
    private static final SecureRandom INCIDENTS = new SecureRandom();

    private FailureReasons() {}

    /** A new incident id: 12 hex digits. */
    static String incident() {
        byte[] id = new byte[6];
        INCIDENTS.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** The reason shown and mailed for a job that failed with {@code cause}. */
    static String of(Throwable cause, String incident) {
        String what;
        if (cause instanceof IOException || cause instanceof UncheckedIOException) {
            what = "The file could not be written on the server";
        } else if (cause instanceof StoreBusyException) {
            what = "The audit log was too busy to be read";
        } else if (cause instanceof StoreException) {
            what = "The audit log could not be read";
        } else {
            what = "The export failed on the server";
        }
        return what + " (incident " + incident + "). Ask for the export again later; if it fails again, give the "
                + "incident to the server's operator, whose log has the cause under it.";
    }
}
