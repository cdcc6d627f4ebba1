package org.auditlog.api.adapter;

import java.time.Instant;

/**
 * One audit-log record: a row of the V1 file.
 *
 * <p>Product adapters build records with {@code id} 0 and {@code version} {@code null}; the capture
 * service assigns the unique, time-ordered id and the file version before the record is stored.
 * Optional actor fields are empty strings, never {@code null}, once a record has been captured.
 *
 * @param id unique, time-ordered id (0 until assigned by the capture service)
 * @param spaceKey organization space key
 * @param product product name, e.g. {@code Backlog}
 * @param date when the event happened (stored and written in UTC)
 * @param category event category, e.g. {@code Issue}
 * @param event event name, e.g. {@code Add an issue}
 * @param action event description, e.g. {@code PROJECT-100 was updated in PROJECT}
 * @param operationUserId id of the acting user, blank for support and system actors
 * @param operationUserName name of the acting user; {@link Actors#NULAB_SUPPORT} or {@link Actors#SYSTEM_USER}
 * @param operationUserEmail email of the acting user, blank for support and system actors
 * @param ipAddress IP address of the acting user, blank for support and system actors
 * @param userAgent user agent of the acting user, blank for support and system actors
 * @param version file version, {@link #V1}
 * @since 1.0
 */
public record AuditRecord(
        long id,
        String spaceKey,
        String product,
        Instant date,
        String category,
        String event,
        String action,
        String operationUserId,
        String operationUserName,
        String operationUserEmail,
        String ipAddress,
        String userAgent,
        String version) {

    /** The current file version. */
    public static final String V1 = "V1";

    /** This record with the given id. */
    public AuditRecord withId(long newId) {
        return new AuditRecord(
                newId,
                spaceKey,
                product,
                date,
                category,
                event,
                action,
                operationUserId,
                operationUserName,
                operationUserEmail,
                ipAddress,
                userAgent,
                version);
    }
}
