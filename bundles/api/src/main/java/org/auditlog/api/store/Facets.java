package org.auditlog.api.store;

import java.time.Instant;
import java.util.List;

/**
 * The values most often seen among the records of a search, with their exact counts over {@code [countedFrom or
 * from, to)}: the ten most frequent actors, events, products and IP addresses, most frequent first (ties by value).
 *
 * @param from the start of the search's range
 * @param to the end of the search's range (exclusive)
 * @param countedFrom where the counts begin when the work bound stopped them after {@code from}, or {@code null}
 *        when they cover the whole range
 * @since 1.5
 */
public record Facets(
        Instant from,
        Instant to,
        Instant countedFrom,
        List<Actor> actors,
        List<Event> events,
        List<Value> products,
        List<Value> addresses) {
    public Facets {
        actors = List.copyOf(actors);
        events = List.copyOf(events);
        products = List.copyOf(products);
        addresses = List.copyOf(addresses);
    }

    /** How many values of each kind a facet lists. */
    public static final int TOP = 10;

    /**
     * An operation user: the id, and the name and email its latest records carry.
     *
     * @param userId the operation user id
     * @param name a name the user's records carry
     * @param email an email the user's records carry
     * @param count the records
     */
    public record Actor(String userId, String name, String email, long count) {}

    /** An event name within its category, and its records. */
    public record Event(String category, String event, long count) {}

    /** A product or an IP address, and its records. */
    public record Value(String value, long count) {}

    /** True when the counts cover the whole range. */
    public boolean complete() {
        return countedFrom == null;
    }
}
