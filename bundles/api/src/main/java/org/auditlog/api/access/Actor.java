package org.auditlog.api.access;

import org.auditlog.api.adapter.Actors;

/**
 * Who performs a change, as it is recorded in the organization's own audit log.
 *
 * @param userId the acting member's id, or {@code null} for the support team and the system
 * @param name the operation user name: a member's name, {@link Actors#NULAB_SUPPORT} or {@link Actors#SYSTEM_USER}
 * @param email the acting member's email, or {@code null}
 * @param ipAddress the acting member's IP address, or {@code null}
 * @param userAgent the acting member's user agent, or {@code null}
 * @since 1.0
 */
public record Actor(String userId, String name, String email, String ipAddress, String userAgent) {

    /** The system, acting on its own or as a consequence of another event (scheduled jobs, billing). */
    public static Actor system() {
        return new Actor(null, Actors.SYSTEM_USER, null, null, null);
    }

    /** The support team. */
    public static Actor support() {
        return new Actor(null, Actors.NULAB_SUPPORT, null, null, null);
    }

    /** A member of the organization. */
    public static Actor member(Member m, String ipAddress, String userAgent) {
        return new Actor(m.userId(), m.name(), m.email(), ipAddress, userAgent);
    }

    /** Whether a member acts (rather than the support team or the system). */
    public boolean isMember() {
        return userId != null;
    }
}
