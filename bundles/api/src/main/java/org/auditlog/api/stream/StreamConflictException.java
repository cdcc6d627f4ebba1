package org.auditlog.api.stream;

/**
 * A stream's name already used by another stream of the same organization (or among the server-wide ones).
 *
 * @since 1.0
 */
public class StreamConflictException extends SettingsRefusedException {
    private static final long serialVersionUID = 1L;

    public StreamConflictException(String name) {
        super("name", "already the name of another stream: " + name);
    }
}
