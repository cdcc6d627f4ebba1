package org.auditlog.streams.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.auditlog.api.access.Decision;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.evidence.TreeHead;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.store.LeaseStore.Lease;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.api.store.StoredStream;
import org.auditlog.api.store.StreamPosition;
import org.auditlog.api.store.StreamStore;
import org.auditlog.api.stream.BatchFile;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.DeliveryContext;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamDestination;
import org.auditlog.api.stream.StreamEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers streams: at each look, every stream that is {@code active} or {@code failing} and whose destination type
 * is installed is delivered by the one server holding its lease ({@code stream:<id>}, taken over by another server
 * within the lease's time when its holder dies). For each log it covers (organization and product) it reads from
 * its place on, in sequence order, hands a batch to the destination, and moves its place on only when the
 * destination accepted it, in the transaction that checks the lease's epoch ({@link StreamStore#advance}): a
 * server that lost the lease mid-batch cannot move the place, so at most that batch is delivered twice.
 *
 * <p>A failed attempt keeps the place and waits ({@link Backoff}); a refusal for good makes the stream
 * {@code failing} and it is tried again at the longest backoff; a stream failing for longer than the pause threshold
 * is paused (by {@code failing}) and {@link #onPausedForFailing} is told. Events retention removed before they were
 * delivered are recorded as a gap ({@link StreamStore#gap}) and the stream goes on after them.
 */
final class StreamDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(StreamDelivery.class);
    /** How many rows one batch may scan for events its filters keep before it is sent with what it has. */
    static final int SCAN_PAGES = 20;
    /**
     * Batches of one log in a row before the next stream's turn: a stream with more waiting then goes to the back of
     * the delivery threads' queue ({@link #requeue}), behind the streams that were waiting, rather than to the next
     * look.
     */
    static final int BATCHES_PER_TURN = 20;

    record Settings(
            int batchEvents,
            Duration attemptTimeout,
            Duration leaseTime,
            Backoff backoff,
            Duration pauseAfterFailing) {}

    private final StreamStore streams;
    private final AuditStore events;
    private final EvidenceStore evidence;
    private final LeaseStore leases;
    private final Function<String, StreamDestination> destinations;
    private final Function<StoredStream, Map<String, String>> secrets;
    private final NetworkGuard guard;
    /** Whether an organization's plan lets its log leave the server now (AccessPolicy.mayStream). */
    private final Function<String, Decision> plans;
    /** A batch as a file with its signed digest, for the destinations that store files. */
    private final Function<StreamBatch, BatchFile> files;

    private final Supplier<Clock> clock;
    private final String holder;
    private final Settings settings;
    private final CommitTimes commitTimes = new CommitTimes();
    /** Per stream, organization and product: failures in a row, and when the next attempt is due. */
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    /** The streams a thread is delivering now. */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    /** The leases this server holds, by stream. */
    private final Map<String, Lease> held = new ConcurrentHashMap<>();
    /** When this server last renewed each lease it holds, by its clock. */
    private final Map<String, Instant> renewedAt = new ConcurrentHashMap<>();

    volatile java.util.function.Consumer<StoredStream> onPausedForFailing = s -> {};

    /**
     * Runs a stream's next turn on the delivery threads when the last one ended with batches still waiting (the
     * streams' pool); without it, the stream goes on at the next look.
     */
    volatile java.util.function.Consumer<Runnable> requeue = null;

    /** A log's failed batch: its attempts so far, when the next is due, and its last sequence (kept on retry). */
    private record Retry(int failures, Instant due, long upTo) {}

    StreamDelivery(
            StreamStore streams,
            AuditStore events,
            EvidenceStore evidence,
            LeaseStore leases,
            Function<String, StreamDestination> destinations,
            Function<StoredStream, Map<String, String>> secrets,
            NetworkGuard guard,
            Function<String, Decision> plans,
            Function<StreamBatch, BatchFile> files,
            Supplier<Clock> clock,
            String holder,
            Settings settings) {
        this.streams = streams;
        this.events = events;
        this.evidence = evidence;
        this.leases = leases;
        this.destinations = destinations;
        this.secrets = secrets;
        this.guard = guard;
        this.plans = plans;
        this.files = files;
        this.clock = clock;
        this.holder = holder;
        this.settings = settings;
    }

    static String leaseName(String streamId) {
        return "stream:" + streamId;
    }

    /**
     * One look: notes every log's size, then returns the deliveries to run now, one per stream whose lease this
     * server holds (taken or renewed here) and which no thread is delivering. The caller runs each (on a pool) and
     * they release nothing: the lease is renewed at every look and left to expire when this server stops.
     */
    List<Runnable> look() {
        Instant now = clock.get().instant();
        List<TreeHead> heads = evidence.trees();
        for (TreeHead h : heads) {
            commitTimes.observed(h.spaceKey(), h.product(), h.size(), now);
        }
        List<Runnable> work = new ArrayList<>();
        Map<String, Decision> decided = new HashMap<>();
        Function<String, Decision> plan = org -> decided.computeIfAbsent(org, plans);
        for (StoredStream s : streams.all()) {
            if (s.spaceKey() != null && !followPlan(s, plan.apply(s.spaceKey()), now)) {
                release(s.id());
                continue;
            }
            if (!s.state().equals("active") && !s.state().equals("failing")) {
                release(s.id());
                forgetRetries(s.id()); // resumed, it is tried at once
                continue;
            }
            if (destinations.apply(s.type()) == null) {
                release(s.id());
                continue;
            }
            // renewed at the looks, also while a thread delivers, once a third of its time has passed by this
            // server's clock (one write a stream every 10 s, not one at every look): a long attempt does not let it
            // expire. Timed from this server's own renewals, so a database clock apart from it changes nothing.
            Lease current = held.get(s.id());
            Instant renewed = renewedAt.get(s.id());
            boolean fresh = current != null
                    && renewed != null
                    && !now.isBefore(renewed) // the clock went back: renewed now
                    && now.isBefore(renewed.plus(settings.leaseTime().dividedBy(3)));
            Optional<Lease> lease =
                    fresh ? Optional.of(current) : leases.acquire(leaseName(s.id()), holder, settings.leaseTime());
            if (lease.isEmpty()) {
                held.remove(s.id());
                renewedAt.remove(s.id());
                continue;
            }
            if (!fresh) {
                renewedAt.put(s.id(), now);
            }
            held.put(s.id(), lease.get());
            List<TreeHead> logs = new ArrayList<>();
            for (TreeHead h : covered(s, heads)) {
                // a server-wide stream passes over, for now, the organizations whose plan keeps their log in
                if (s.spaceKey() != null || plan.apply(h.spaceKey()).allowed()) {
                    logs.add(h);
                }
            }
            if (busy.add(s.id())) {
                work.add(new Turn(s, lease.get(), logs));
            }
        }
        return work;
    }

    /**
     * One turn of a stream: its logs' waiting batches, {@link #BATCHES_PER_TURN} at most each. When batches are
     * still waiting after it, the next turn is queued at once ({@link #requeue}) with the stream as stored then, as
     * long as the stream is still to be delivered and this server still holds its lease; the stream stays busy (no
     * look starts another turn of it) until a turn ends with nothing waiting.
     */
    private final class Turn implements Runnable {
        private final StoredStream stream;
        private final Lease lease;
        private final List<TreeHead> logs;

        Turn(StoredStream stream, Lease lease, List<TreeHead> logs) {
            this.stream = stream;
            this.lease = lease;
            this.logs = logs;
        }

        @Override
        public void run() {
            boolean again = false;
            try {
                if (deliver(stream, lease, logs)) {
                    again = queueNext();
                }
            } catch (RuntimeException e) {
                LOG.warn("Stream {} ({}): delivery failed: {}", stream.id(), stream.name(), e.toString());
            } finally {
                if (!again) {
                    busy.remove(stream.id());
                }
            }
        }

        private boolean queueNext() {
            java.util.function.Consumer<Runnable> pool = requeue;
            Lease now = held.get(stream.id());
            StoredStream s = streams.find(stream.id()).orElse(null);
            if (pool == null
                    || now == null
                    || now.epoch() != lease.epoch()
                    || s == null
                    || !(s.state().equals("active") || s.state().equals("failing"))) {
                return false;
            }
            try {
                pool.accept(new Turn(s, now, logs));
                return true;
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                return false;
            }
        }
    }

    /**
     * An organization's stream follows its plan: paused (by {@code plan: <rule>}) while the plan keeps the log in,
     * active again, from its place, when it lets it out. An admin's pause stands.
     *
     * @return whether the stream may deliver now as far as the plan goes
     */
    private boolean followPlan(StoredStream s, Decision plan, Instant now) {
        boolean byPlan = "paused".equals(s.state())
                && s.pausedBy() != null
                && s.pausedBy().startsWith("plan: ");
        if (plan.allowed()) {
            if (byPlan && streams.update(s.withState("active", null, now), s.revision())) {
                LOG.info(
                        "Stream {} ({}): the plan of {} lets the log out again; delivering from its place",
                        s.id(),
                        s.name(),
                        s.spaceKey());
            }
            return !byPlan; // delivered from the next look on
        }
        String by = "plan: " + plan.rule();
        if (!by.equals(s.pausedBy()) && !"paused".equals(s.state())) {
            if (streams.update(s.withState("paused", by, now), s.revision())) {
                LOG.info("Stream {} ({}) paused: {}", s.id(), s.name(), plan.detail());
            }
        }
        return false;
    }

    /** Lets the lease of a stream go (paused, deleted), so that no server waits for it to expire when resumed. */
    void release(String streamId) {
        renewedAt.remove(streamId);
        Lease l = held.remove(streamId);
        if (l != null) {
            leases.release(l);
        }
    }

    /** Forgets the backoff of a stream's failed batches: its next attempt is at the next look. */
    void forgetRetries(String streamId) {
        retries.keySet().removeIf(k -> k.startsWith(streamId + '\u0000'));
    }

    /** Releases every lease this server holds (its stop). */
    void releaseAll() {
        for (String id : List.copyOf(held.keySet())) {
            release(id);
        }
    }

    /** The logs a stream covers, among those that exist. */
    static List<TreeHead> covered(StoredStream s, List<TreeHead> heads) {
        List<TreeHead> out = new ArrayList<>();
        for (TreeHead h : heads) {
            if ((s.spaceKey() == null || s.spaceKey().equals(h.spaceKey()))
                    && (s.products().isEmpty() || s.products().contains(h.product()))) {
                out.add(h);
            }
        }
        return out;
    }

    /**
     * Delivers what a stream has waiting, a bounded number of batches per log.
     *
     * @return whether a log still has batches waiting that this turn did not send for want of turns (none failed)
     */
    boolean deliver(StoredStream s, Lease lease, List<TreeHead> logs) {
        StreamDestination destination = destinations.apply(s.type());
        if (destination == null) {
            return false;
        }
        boolean more = false;
        DestinationSettings ds = new DestinationSettings(s.type(), s.settings(), secrets.apply(s));
        Map<String, StreamPosition> places = new HashMap<>();
        for (StreamPosition p : streams.positions(s.id())) {
            places.put(p.spaceKey() + '\u0000' + p.product(), p);
        }
        boolean anyFailing = false;
        boolean anySuccess = false;
        Instant failingSince = null;
        for (TreeHead log : logs) {
            StreamPosition place = places.get(log.spaceKey() + '\u0000' + log.product());
            long next = place == null ? 0 : place.next();
            String key = s.id() + '\u0000' + log.spaceKey() + '\u0000' + log.product();
            int turn = 0;
            for (; turn < BATCHES_PER_TURN && next < log.size(); turn++) {
                Retry retry = retries.get(key);
                Instant now = clock.get().instant();
                // waiting, unless the clock went back so far that the wait would outlast the longest backoff
                if (retry != null
                        && now.isBefore(retry.due())
                        && !retry.due().isAfter(now.plus(settings.backoff().max()))) {
                    break;
                }
                // a retry sends the same sequences again, so the batch keeps its id
                Batch b = read(
                        s,
                        log,
                        next,
                        retry == null ? Long.MAX_VALUE : retry.upTo(),
                        retry == null ? 1 : retry.failures() + 1);
                if (b.gapTo >= 0) {
                    streams.gap(s.id(), log.spaceKey(), log.product(), next, b.gapTo, now);
                    LOG.warn(
                            "Stream {} ({}): events {} to {} of {}/{} were removed by retention before delivery",
                            s.id(),
                            s.name(),
                            next,
                            b.gapTo,
                            log.spaceKey(),
                            log.product());
                }
                if (b.batch == null) { // nothing left but the gap
                    if (!streams.advance(
                            s.id(),
                            log.spaceKey(),
                            log.product(),
                            next,
                            b.gapTo + 1,
                            now,
                            -1,
                            leaseName(s.id()),
                            holder,
                            lease.epoch())) {
                        return false; // the lease went to another server
                    }
                    next = b.gapTo + 1;
                    continue;
                }
                Delivery d = attempt(destination, b.batch, ds);
                Instant done = clock.get().instant();
                if (d.isAccepted()) {
                    long lag = b.batch.events().isEmpty()
                            ? -1
                            : commitTimes.lagMillis(log.spaceKey(), log.product(), b.batch.lastSequence(), done);
                    if (!streams.advance(
                            s.id(),
                            log.spaceKey(),
                            log.product(),
                            next,
                            b.batch.lastSequence() + 1,
                            done,
                            lag,
                            leaseName(s.id()),
                            holder,
                            lease.epoch())) {
                        LOG.info(
                                "Stream {} ({}): lost its lease while delivering; the next holder sends batch {} again",
                                s.id(),
                                s.name(),
                                b.batch.id());
                        held.remove(s.id());
                        renewedAt.remove(s.id());
                        return false;
                    }
                    retries.remove(key);
                    anySuccess = true;
                    next = b.batch.lastSequence() + 1;
                } else {
                    int failures = retry == null ? 1 : retry.failures() + 1;
                    Duration wait = d.outcome() == Delivery.Outcome.REFUSED
                            ? settings.backoff().max()
                            : settings.backoff().after(failures, d.retryAfter());
                    retries.put(key, new Retry(failures, done.plus(wait), b.batch.lastSequence()));
                    streams.failed(s.id(), log.spaceKey(), log.product(), next, done, d.category(), d.message());
                    LOG.warn(
                            "Stream {} ({}): batch {} not delivered ({}), attempt {}; next in {} s",
                            s.id(),
                            s.name(),
                            b.batch.id(),
                            d,
                            failures,
                            wait.toSeconds());
                    if (d.outcome() == Delivery.Outcome.REFUSED) {
                        anyFailing = true;
                    }
                    StreamPosition after = streams.positions(s.id()).stream()
                            .filter(p -> p.spaceKey().equals(log.spaceKey())
                                    && p.product().equals(log.product()))
                            .findFirst()
                            .orElse(null);
                    if (after != null && after.failingSince() != null) {
                        failingSince =
                                failingSince == null || after.failingSince().isBefore(failingSince)
                                        ? after.failingSince()
                                        : failingSince;
                    }
                    break;
                }
            }
            if (turn == BATCHES_PER_TURN && next < log.size()) {
                more = true;
            }
        }
        settle(s, anyFailing, anySuccess, failingSince);
        return more && !anyFailing && failingSince == null;
    }

    /** Moves the stream's state after a turn: failing on a refusal, active on success, paused when failing long. */
    private void settle(StoredStream s, boolean anyFailing, boolean anySuccess, Instant failingSince) {
        if (!anyFailing && failingSince == null && !(anySuccess && s.state().equals("failing"))) {
            return; // nothing to move: no read of the stream at every turn
        }
        Instant now = clock.get().instant();
        StoredStream current = streams.find(s.id()).orElse(null);
        if (current == null
                || !(current.state().equals("active") || current.state().equals("failing"))) {
            return; // deleted or paused meanwhile: an admin's word stands
        }
        String state = current.state();
        String pausedBy = current.pausedBy();
        if (failingSince != null
                && !failingSince.plus(settings.pauseAfterFailing()).isAfter(now)) {
            state = "paused";
            pausedBy = "failing";
        } else if (anyFailing) {
            state = "failing";
        } else if (anySuccess && state.equals("failing")) {
            state = "active";
        }
        if (!state.equals(current.state())) {
            if (streams.update(current.withState(state, pausedBy, now), current.revision())) {
                LOG.info("Stream {} ({}) is now {}", s.id(), s.name(), state);
                if (state.equals("paused")) {
                    release(s.id());
                    onPausedForFailing.accept(current);
                }
            }
        }
    }

    private Delivery attempt(StreamDestination destination, StreamBatch batch, DestinationSettings ds) {
        try {
            return destination.deliver(batch, ds, context(false));
        } catch (RuntimeException e) {
            return Delivery.retry(null, "internal", "the destination failed: " + e);
        }
    }

    /** The context of an attempt; a test delivery's has no file (its event is not in the log). */
    DeliveryContext context(boolean test) {
        Duration timeout = settings.attemptTimeout();
        return new DeliveryContext() {
            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public NetworkGuard guard() {
                return guard;
            }

            @Override
            public Clock clock() {
                return clock.get();
            }

            @Override
            public Optional<BatchFile> file(StreamBatch batch) {
                return test ? Optional.empty() : Optional.of(files.apply(batch));
            }
        };
    }

    /** A batch to send (or none when only a gap is left), and the end of a gap found before it (or -1). */
    private record Batch(StreamBatch batch, long gapTo) {}

    /**
     * Reads the next batch of a log from {@code next}: up to {@link Settings#batchEvents} events the stream's filters
     * keep, scanning at most {@link #SCAN_PAGES} pages for them. Sequences missing at the start (retention removed
     * them) are a gap.
     */
    private Batch read(StoredStream s, TreeHead log, long next, long upTo, int attempt) {
        int page = settings.batchEvents();
        List<StreamEvent> kept = new ArrayList<>();
        long first = -1;
        long last = -1;
        long from = next;
        long end = Math.min(log.size() - 1, upTo);
        for (int p = 0; p < SCAN_PAGES && kept.size() < page && from <= end; p++) {
            int rows = 0;
            try (RecordCursor c = events.sequenced(log.spaceKey(), log.product(), from, page - kept.size())) {
                while (c.hasNext()) {
                    AuditRecord r = c.next();
                    long seq = c.sequence();
                    if (seq > end) {
                        break;
                    }
                    rows++;
                    if (first < 0) {
                        first = seq;
                    }
                    last = seq;
                    if (s.categories().isEmpty() || s.categories().contains(r.category())) {
                        kept.add(new StreamEvent(seq, r));
                    }
                }
            }
            if (rows == 0) {
                break;
            }
            from = last + 1;
        }
        if (first < 0) { // nothing stored from next on below the log's size: removed by retention
            return new Batch(null, end);
        }
        long gapTo = first > next ? first - 1 : -1;
        String id = s.id() + "-" + log.spaceKey() + "-" + log.product() + "-" + first + "-" + last;
        return new Batch(new StreamBatch(id, s.id(), log.spaceKey(), log.product(), first, last, kept, attempt), gapTo);
    }
}
