package org.auditlog.api.adapter;

/**
 * Operation user names with a fixed meaning. A record whose actor is one of these has a blank
 * operation user id, email, IP address and user agent, whatever the product sent.
 *
 * @since 1.0
 */
public final class Actors {
    /** The support team acted. */
    public static final String NULAB_SUPPORT = "Nulab Support";
    /** The system acted on its own or as a consequence of another event. */
    public static final String SYSTEM_USER = "System user";

    private Actors() {}

    /** Whether the name is one of the fixed support or system actors. */
    public static boolean isSupportOrSystem(String operationUserName) {
        return NULAB_SUPPORT.equals(operationUserName) || SYSTEM_USER.equals(operationUserName);
    }
}
