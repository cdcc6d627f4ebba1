package org.auditlog.stream.syslog.internal;

import org.auditlog.api.stream.Delivery;

/** An attempt that failed, and the {@link Delivery} that says how. */
final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    /** The longest message kept: the stream's state shows it. */
    private static final int MAX_MESSAGE = 300;

    private final transient Delivery delivery;

    private Failure(Delivery delivery) {
        super(delivery.toString(), null, false, false);
        this.delivery = delivery;
    }

    static Failure retry(String category, String message) {
        return new Failure(Delivery.retry(null, category, shorten(message)));
    }

    static Failure refused(String category, String message) {
        return new Failure(Delivery.refused(category, shorten(message)));
    }

    Delivery delivery() {
        return delivery;
    }

    private static String shorten(String message) {
        String m = message.replaceAll("\\s+", " ").strip();
        return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
