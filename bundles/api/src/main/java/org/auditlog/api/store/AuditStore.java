package org.auditlog.api.store;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.auditlog.api.adapter.AuditRecord;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable storage of audit records. One implementation is active at a time, chosen by configuration.
 *
 * <p>Called by the capture service (appends) and by readers (queries); safe for concurrent use.
 *
 * @since 1.0
 */
@ProviderType
public interface AuditStore {

    /**
     * Appends records in one transaction. Returns only once the transaction is durably committed:
     * a record acknowledged to a caller survives a crash of the process right after.
     *
     * @throws StoreException when the records could not be stored; then none of them is stored
     */
    void append(List<AuditRecord> records);

    /** One page of records, newest first (by date, then id). */
    EventPage query(EventQuery query);

    /**
     * One page of a search's records, newest first (by date, then id), as {@link #query}: at most {@code limit}
     * records after {@code after} (or from the newest), with the same bound on the work of a page.
     *
     * @param limit 1 to 1,000
     * @param after the {@link EventPage#next()} of the page before, or {@code null}
     * @since 1.5
     */
    EventPage search(SearchQuery query, int limit, EventCursor after);

    /**
     * The exact count of a search's records per hour or day (UTC) of {@code [from, to)} of its range (from and to
     * are required, and rounded outwards to whole intervals for the buckets, while only records of the range
     * itself are counted). A search of products, categories and events only is answered from counts kept at every
     * append; any other is counted record by record, newest first, within a bound on the records read: then the
     * oldest buckets may be left uncounted ({@link Histogram#countedFrom()}).
     *
     * @throws IllegalArgumentException for a range without from or to, or of more than 10,000 buckets
     * @since 1.5
     */
    Histogram histogram(SearchQuery query, Histogram.Interval interval);

    /**
     * The most frequent actors, events, products and IP addresses of a search's records over its range (from and
     * to are required), with the same kept counts or bound as {@link #histogram}.
     *
     * @since 1.5
     */
    Facets facets(SearchQuery query);

    /**
     * How many records each product of one organization has in each month (UTC) from {@code first} to
     * {@code last}: keyed by product, then month; a month without records is absent. Empty while the counts of a
     * store made before they were kept are being built (the months' counts are not known yet).
     *
     * @since 1.5
     */
    Optional<java.util.Map<String, java.util.Map<YearMonth, Long>>> countsByMonth(
            String spaceKey, YearMonth first, YearMonth last);

    /**
     * Every record of one organization and product dated in {@code [from, to)}, oldest first (by date, then
     * id), streamed: memory use does not grow with the number of records. For export files.
     */
    RecordCursor stream(String spaceKey, String product, Instant from, Instant to);

    /**
     * At most {@code limit} records of one organization and product in sequence order from sequence {@code from}
     * on ({@link RecordCursor#sequence()} gives each one's), for streams. Read on an index of organization,
     * product and sequence: the cost of a page, whatever the size of the log. A sequence whose record retention
     * deleted is left out (the first one given may be above {@code from}: a gap), and so are the records stored
     * before the log was kept (they have none). The records of a sequence become visible in sequence order: a
     * record is committed after every lower sequence of its log.
     *
     * @param limit at least 1
     * @since 1.4
     */
    RecordCursor sequenced(String spaceKey, String product, long from, int limit);

    /**
     * The first sequence of one organization and product whose record is dated at or after {@code from}, or the
     * log's size when there is none (a stream's replay from an instant; the log's size is 0 for a log never
     * written). A record dated before {@code from} may have a higher sequence (a late record). Its cost grows
     * with the records dated after {@code from}.
     *
     * @since 1.4
     */
    long firstSequenceDatedFrom(String spaceKey, String product, Instant from);

    /**
     * How many records {@link #stream} would give for the same arguments. This default counts through the
     * stream; a store overrides it with a query. The server's own bundles no longer call it (a past month's file
     * asks {@link #lastLateRecord} instead, one lookup where this reads the month); it stays for the 1.x
     * consumers of this package and goes at the next major version.
     */
    default long count(String spaceKey, String product, Instant from, Instant to) {
        long n = 0;
        try (RecordCursor records = stream(spaceKey, product, from, to)) {
            while (records.hasNext()) {
                records.next();
                n++;
            }
        }
        return n;
    }

    /**
     * When a record of one organization and product dated in {@code month} (UTC) was last stored after that
     * month had ended (a late record: a product that sends late, an inbox drained once its adapter is back),
     * or empty if none was. The store notes it as it appends, so this is one lookup however many records the
     * month holds: a past month's export file built before that moment is built again.
     *
     * <p>A record stored in the last minutes of its own month may be noted too (the store cannot know how long
     * its commit takes against a file built just after midnight); that costs one rebuild, never a record.
     *
     * @since 1.1
     */
    Optional<Instant> lastLateRecord(String spaceKey, String product, YearMonth month);

    /**
     * The highest id stored, or 0 when the store is empty. The capture service starts its id sequence
     * above it, so ids stay unique even if the clock stepped back across a restart.
     */
    long maxId();

    /** Deletes, for every organization, the records dated before {@code cutoff}; returns how many (retention). */
    long deleteDatedBefore(Instant cutoff);

    /** Deletes every record of one organization; returns how many (retention). */
    long deleteOrganization(String spaceKey);

    /** Whether the store can serve requests now; a short probe. */
    boolean isHealthy();
}
