package org.auditlog.policy.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.OwnRecords;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.Role;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.LogText;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.store.AuditUnavailableException;
import org.auditlog.api.store.OrganizationChanges;
import org.auditlog.api.store.OrganizationStore;
import org.auditlog.api.store.StoreException;
import org.auditlog.api.work.BackgroundWork;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link OrganizationService} and {@link AccessPolicy}: loads an organization from the
 * {@link OrganizationStore}, applies the {@link Rules} at the time of the {@link Clock} service, saves the
 * result, and records each change in the organization's own audit log as Apps events through
 * {@link EventCapture}. A change whose records cannot be written (no capture service, the store down) is
 * undone and refused with {@link AuditUnavailableException}: a change never stands without its record.
 *
 * <p>Changes to one organization are serialised within this process; a save that loses a race with another
 * process (the store refuses a stale revision) is retried from a fresh load, up to {@value #SAVE_RETRIES}
 * times. Reads and decisions apply time first: an overdue plan whose grace has run out is terminated, saved
 * and recorded (as the System user) by the first read that notices. A read never waits for a writer of the
 * same organization; it answers from the state time has made and leaves the saving to the writer.
 *
 * <p>Services used: {@link OrganizationStore}, {@link OrganizationPurge} and {@link BackgroundWork} (its thread;
 * mandatory), {@link Clock} (mandatory,
 * the highest ranked one), {@link EventCapture} (optional: without it, changes are refused). No configuration: the
 * periods are those of the specification.
 */
@Component(service = {OrganizationService.class, AccessPolicy.class})
public class PolicyService implements OrganizationService, AccessPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyService.class);
    /** Saves retried after losing to a concurrent writer, before the store's refusal is passed on. */
    static final int SAVE_RETRIES = 3;
    /**
     * Locks shared by space keys with the same hash: a fixed number bounds memory however many organizations
     * there are, and two organizations sharing a lock only wait for each other briefly.
     */
    private static final int LOCK_STRIPES = 64;

    /** A rule applied to the stored snapshot (or {@code null} when there is none) at an instant. */
    @FunctionalInterface
    private interface Step {
        Outcome apply(OrganizationSnapshot stored, Instant now);
    }

    /** What a change left in the store. */
    private record Saved(OrganizationSnapshot snapshot, boolean changed) {
    }

    private final OrganizationStore store;
    /** Frees the key of a deleted organization whose 30 days are over, when the key is asked for again. */
    private final OrganizationPurge purge;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
    /**
     * The time; see {@code docs/event-path.md} for how every component takes the {@link Clock} service
     * (package-private for tests).
     */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;
    private final AtomicReference<EventCapture> capture = new AtomicReference<>();
    private final AtomicLong unrecorded = new AtomicLong();

    /** Space keys whose time change is waiting for {@link #timeChanges}. */
    private final Set<String> timePending = ConcurrentHashMap.newKeySet();
    /** The thread that saves and records what time changed in an organization a decision was asked about. */
    private final ExecutorService timeChanges;
    /** How long a decision may rest on a snapshot loaded earlier. */
    static final long DECISION_CACHE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * Most organizations whose snapshot is kept. Space keys come from requests (an ingest payload may name any
     * key, existing or not), so the cache is bounded by size as well as by age: made-up keys evict each other.
     */
    static final int DECISION_CACHE_ENTRIES = 4096;
    private final ExpiringLru<String, Cached> decisionCache =
            new ExpiringLru<>(DECISION_CACHE_ENTRIES, DECISION_CACHE_NANOS);
    /**
     * Changes announced by the store ({@link OrganizationChanges}: another server changed an organization); a
     * snapshot loaded while one arrived is not kept, since it may predate the change.
     */
    private final AtomicLong announced = new AtomicLong();
    private final AtomicReference<AutoCloseable> listening = new AtomicReference<>();

    @Activate
    public PolicyService(@Reference OrganizationStore store, @Reference OrganizationPurge purge,
            @Reference BackgroundWork work) {
        this.store = store;
        this.purge = purge;
        this.timeChanges = work.scheduler("policy-time");
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCapture(EventCapture c) {
        capture.set(c);
    }

    void unbindCapture(EventCapture c) {
        capture.compareAndSet(c, null);
    }

    /**
     * Changes other servers make: a decision rests on a snapshot at most {@link #DECISION_CACHE_NANOS} old, and
     * on one that no announced change has made stale. Optional: without it (or without notices) the 2 s bound holds.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindChanges(OrganizationChanges changes) {
        AutoCloseable previous = listening.getAndSet(changes.listen(this::changed));
        closeQuietly(previous);
    }

    void unbindChanges(OrganizationChanges changes) {
        closeQuietly(listening.getAndSet(null));
    }

    /** An organization changed (through any server); {@code null}: any may have. */
    void changed(String spaceKey) {
        announced.incrementAndGet();
        if (spaceKey == null) {
            decisionCache.clear();
        } else {
            decisionCache.remove(spaceKey);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Could not stop listening for organization changes", e);
            }
        }
    }

    // ---- OrganizationService ----

    /**
     * {@inheritDoc}
     *
     * <p>A key (in any case) whose deleted organization's 30 days are over is freed first: that organization's data
     * is purged and it is removed ({@link OrganizationPurge}), in this call, before the new one is made. If that
     * cannot be done now (another purge of the key runs, the export service is not running), the key is refused
     * with {@code space_key_being_purged} and stays the deleted organization's.
     */
    @Override
    public Organization create(String spaceKey, String name, int licenseCount, Actor by) {
        Objects.requireNonNull(by, "by");
        Rules.checkNew(spaceKey, name, licenseCount);
        freeKey(spaceKey);
        return change(spaceKey, by, (stored, now) -> Rules.create(stored, sameIgnoringCase(spaceKey), spaceKey, name,
                licenseCount, now)).snapshot().organization();
    }

    /** Purges the deleted organizations under the key, in any case, whose 30 days are over. */
    private void freeKey(String spaceKey) {
        for (String key : keysIgnoringCase(spaceKey)) {
            Organization held = store.load(key).map(OrganizationSnapshot::organization).orElse(null);
            Instant now = now();
            if (held == null || !Retention.forgetDue(held, now)) {
                continue;
            }
            Optional<OrganizationPurge.Purged> purged = purge.purge(key, now);
            if (purged.isEmpty()) {
                throw Rules.beingPurged(spaceKey, held, "that is being done now by another request or server; try "
                        + "again in a moment" + purge.busyUntil(key).map(until -> " (that purge holds the key until "
                                + until + " at the latest)").orElse(""));
            }
            if (purged.get().kept() != null) {
                throw Rules.beingPurged(spaceKey, held, purged.get().kept());
            }
        }
    }

    /** The stored space keys equal to {@code spaceKey} ignoring case, itself included if it is stored. */
    private List<String> keysIgnoringCase(String spaceKey) {
        return store.spaceKeys().stream().filter(k -> k.equalsIgnoreCase(spaceKey)).toList();
    }

    /** The organizations stored under keys that differ from {@code spaceKey} only in case. */
    private List<OrganizationSnapshot> sameIgnoringCase(String spaceKey) {
        List<OrganizationSnapshot> out = new ArrayList<>();
        for (String key : keysIgnoringCase(spaceKey)) {
            if (!key.equals(spaceKey)) {
                store.load(key).ifPresent(out::add);
            }
        }
        return out;
    }

    @Override
    public OrganizationSnapshot get(String spaceKey) {
        return Rules.existing(spaceKey, current(spaceKey));
    }

    @Override
    public Organization update(String spaceKey, String name, Integer licenseCount, Actor by) {
        return changeExisting(spaceKey, by, (s, now) -> Rules.update(s, name, licenseCount, now)).organization();
    }

    @Override
    public void delete(String spaceKey, Actor by) {
        changeExisting(spaceKey, by, Rules::delete);
    }

    @Override
    public Member addMember(String spaceKey, Member member, Actor by) {
        OrganizationSnapshot s = changeExisting(spaceKey, by, (o, now) -> Rules.addMember(o, member, now));
        return memberOf(s, member.userId());
    }

    @Override
    public Member updateMember(String spaceKey, String userId, String name, String email, Role role, Actor by) {
        OrganizationSnapshot s = changeExisting(spaceKey, by,
                (o, now) -> Rules.updateMember(o, userId, name, email, role, now));
        return memberOf(s, userId);
    }

    @Override
    public void removeMember(String spaceKey, String userId, Actor by) {
        changeExisting(spaceKey, by, (o, now) -> Rules.removeMember(o, userId, now));
    }

    @Override
    public Organization changePlan(String spaceKey, PlanState to, String planAdmin, Actor by) {
        return changeExisting(spaceKey, by, (o, now) -> Rules.changePlan(o, to, planAdmin, now)).organization();
    }

    @Override
    public List<Member> auditAdmins(String spaceKey) {
        return Rules.holders(get(spaceKey), now());
    }

    @Override
    public void grant(String spaceKey, String userId, Actor by) {
        changeExisting(spaceKey, by, (o, now) -> Rules.grant(o, userId, by, now));
    }

    @Override
    public void revoke(String spaceKey, String userId, Actor by) {
        changeExisting(spaceKey, by, (o, now) -> Rules.revoke(o, userId, by, now));
    }

    @Override
    public List<String> applyTime() {
        List<String> changed = new ArrayList<>();
        for (String spaceKey : store.spaceKeys()) {
            try {
                if (change(spaceKey, Actor.system(), PolicyService::timeOnly).changed()) {
                    changed.add(spaceKey);
                }
            } catch (RuntimeException e) {
                // one organization's failure must not keep time from the others; the next run tries it again
                LOG.error("Applying time to organization {} failed", LogText.of(spaceKey), e);
            }
        }
        return changed;
    }

    // ---- AccessPolicy ----

    @Override
    public Decision mayRecord(String spaceKey) {
        OrganizationSnapshot s = forDecision(spaceKey);
        return Decisions.mayRecord(spaceKey, s, now());
    }

    @Override
    public Decision mayUse(String spaceKey, String userId) {
        OrganizationSnapshot s = forDecision(spaceKey);
        return Decisions.mayUse(spaceKey, s, userId, now());
    }

    @Override
    public Decision mayExport(String spaceKey, String userId) {
        OrganizationSnapshot s = forDecision(spaceKey);
        return Decisions.mayExport(spaceKey, s, userId, now());
    }

    @Override
    public boolean isMember(String spaceKey, String userId) {
        OrganizationSnapshot s = forDecision(spaceKey);
        return s != null && userId != null && s.members().stream().anyMatch(m -> m.userId().equals(userId));
    }

    /** How many self-audit events could not be recorded (no capture service, or it refused them). */
    long unrecordedEvents() {
        return unrecorded.get();
    }

    // ---- loading, saving, recording ----

    /**
     * The snapshot a decision is taken on, as time has made it now, or {@code null} when there is no such
     * organization (or it was deleted). Decisions sit on hot paths (every ingest request asks whether its
     * organization records), so the stored snapshot is kept for {@link #DECISION_CACHE_NANOS}; every change
     * made here replaces it at once, so only changes saved by another server are seen up to that much later.
     *
     * <p>A decision changes nothing: when time has changed the organization (a grace period ran out, say), the
     * answer comes from the state time made, and saving and recording that change is left to this service's
     * own thread ({@link #applyTimeLater}). So a decision asked from inside another service (the capture
     * service asks on every ingest) never writes, never records into that service, never waits for a lock.
     */
    private OrganizationSnapshot forDecision(String spaceKey) {
        if (!Rules.isSpaceKey(spaceKey)) {
            return null;
        }
        Cached c = decisionCache.get(spaceKey);
        if (c == null) {
            long before = announced.get();
            c = new Cached(store.load(spaceKey), System.nanoTime());
            if (announced.get() == before) {
                decisionCache.put(spaceKey, c);
            }
        }
        OrganizationSnapshot stored = c.snapshot().orElse(null);
        if (stored == null || stored.organization().deleted() != null) {
            return null;
        }
        Outcome timed = Rules.atTime(stored, now());
        if (!timed.changed()) {
            return stored;
        }
        applyTimeLater(spaceKey);
        OrganizationSnapshot now = timed.snapshot();
        return now == null || now.organization().deleted() != null ? null : now;
    }

    /** Saves and records what time changed in an organization, on this service's own thread, once per change. */
    private void applyTimeLater(String spaceKey) {
        if (!timePending.add(spaceKey)) {
            return;
        }
        try {
            timeChanges.execute(() -> {
                try {
                    change(spaceKey, Actor.system(), PolicyService::timeOnly);
                } catch (RuntimeException e) {
                    LOG.warn("Could not save what time changed in organization {}; the next decision or the daily "
                            + "run tries again", LogText.of(spaceKey), e);
                } finally {
                    timePending.remove(spaceKey);
                }
            });
        } catch (RejectedExecutionException e) {
            timePending.remove(spaceKey); // stopping: the daily run at the next start saves it
        }
    }

    /** Waits until the time changes asked for so far are saved (tests, and the end of the component). */
    void awaitTimeChanges() throws InterruptedException {
        try {
            timeChanges.submit(() -> { }).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("time changes did not finish: " + e, e);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        timeChanges.shutdown();
        timeChanges.awaitTermination(30, TimeUnit.SECONDS);
    }

    /** A stored snapshot (or its absence) and when it was loaded. */
    private record Cached(Optional<OrganizationSnapshot> snapshot, long loadedNanos) {
    }

    /** How many organizations the decision cache holds now (at most {@link #DECISION_CACHE_ENTRIES}). */
    int decisionCacheSize() {
        return decisionCache.size();
    }

    private OrganizationSnapshot current(String spaceKey) {
        if (!Rules.isSpaceKey(spaceKey)) {
            return null;
        }
        OrganizationSnapshot stored = store.load(spaceKey).orElse(null);
        if (stored == null || stored.organization().deleted() != null) {
            return null;
        }
        Outcome timed = Rules.atTime(stored, now());
        if (!timed.changed()) {
            return stored;
        }
        // A read never waits for a writer: decisions are asked from inside other services (the capture service
        // may ask while this service waits for it to record), so a busy organization is answered from the state
        // time made, and whoever holds the lock (or the next read) saves it.
        ReentrantLock lock = lockOf(spaceKey);
        if (!lock.tryLock()) {
            return timed.snapshot();
        }
        try {
            OrganizationSnapshot saved = change(spaceKey, Actor.system(), PolicyService::timeOnly).snapshot();
            return saved == null || saved.organization().deleted() != null ? null : saved;
        } catch (StoreException e) {
            LOG.warn("Could not save what time changed in organization {}; answering from the state it is in now",
                    LogText.of(spaceKey), e);
            return timed.snapshot();
        } finally {
            lock.unlock();
        }
    }

    private static Outcome timeOnly(OrganizationSnapshot stored, Instant now) {
        return stored == null || stored.organization().deleted() != null ? Outcome.unchanged(stored)
                : Rules.atTime(stored, now);
    }

    /** A change of an organization that must exist; returns the snapshot it left. */
    private OrganizationSnapshot changeExisting(String spaceKey, Actor by, Step step) {
        Objects.requireNonNull(by, "by");
        if (!Rules.isSpaceKey(spaceKey)) {
            Rules.existing(spaceKey, null); // throws NOT_FOUND: such a key names no organization
        }
        return change(spaceKey, by, (stored, now) -> step.apply(Rules.existing(spaceKey, stored), now)).snapshot();
    }

    /**
     * Loads, applies the step at the clock's instant, saves with the next revision, and records the changes,
     * under the organization's lock. A save refused because another writer saved first is retried from a fresh
     * load; any other failure of the store is passed on and nothing is recorded.
     */
    private Saved change(String spaceKey, Actor by, Step step) {
        ReentrantLock lock = lockOf(spaceKey);
        lock.lock();
        try {
            for (int attempt = 0;; attempt++) {
                Instant now = now();
                OrganizationSnapshot stored = store.load(spaceKey).orElse(null);
                Outcome outcome = step.apply(stored, now);
                if (!outcome.changed()) {
                    return new Saved(outcome.snapshot(), false);
                }
                OrganizationSnapshot next = withRevision(outcome.snapshot(),
                        stored == null ? 0 : stored.organization().revision() + 1);
                try {
                    store.save(next);
                    decisionCache.put(spaceKey, new Cached(Optional.of(next), System.nanoTime()));
                } catch (StoreException e) {
                    decisionCache.remove(spaceKey);
                    if (attempt < SAVE_RETRIES && savedMeanwhile(spaceKey, stored)) {
                        LOG.debug("Organization {} was saved by another writer; applying the change again", LogText.of(spaceKey));
                        continue;
                    }
                    throw e;
                }
                try {
                    record(spaceKey, now, by, outcome.changes());
                } catch (AuditUnavailableException e) {
                    undo(spaceKey, stored, next);
                    throw e;
                }
                return new Saved(next, true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The lock of a key, shared by the keys that differ from it only in case (creating one checks the others). */
    private ReentrantLock lockOf(String spaceKey) {
        return locks[Math.floorMod(spaceKey.toUpperCase(Locale.ROOT).hashCode(), LOCK_STRIPES)];
    }

    /** Whether the store now holds another revision than the one the failed save was based on. */
    private boolean savedMeanwhile(String spaceKey, OrganizationSnapshot basedOn) {
        try {
            OrganizationSnapshot now = store.load(spaceKey).orElse(null);
            long was = basedOn == null ? -1 : basedOn.organization().revision();
            long is = now == null ? -1 : now.organization().revision();
            return was != is;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Records the changes as Apps events: by the actor who asked, or by the System user for automatic
     * consequences. Fail closed: when the records cannot be written (no capture service, the store down or
     * full), this throws and the caller undoes the change, so a change never stands without its record.
     *
     * @throws AuditUnavailableException when the records were not written
     */
    private void record(String spaceKey, Instant now, Actor by, List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<AuditRecord> records = new ArrayList<>(changes.size());
        for (Change c : changes) {
            records.add(OwnRecords.of(spaceKey, now, c.category(), c.event(), c.action(),
                    c.bySystem() ? Actor.system() : by));
        }
        EventCapture target = capture.get();
        if (target == null) {
            unrecorded.addAndGet(records.size());
            LOG.warn("No event capture service: {} change(s) of organization {} are refused: {}", records.size(),
                    LogText.of(spaceKey), LogText.of(describe(records)));
            throw new AuditUnavailableException("the change was not made: no event capture service is running to "
                    + "record it in the organization's audit log", null);
        }
        try {
            target.record(records);
        } catch (PayloadRejectedException | RuntimeException e) {
            unrecorded.addAndGet(records.size());
            LOG.error("The event capture service did not record {} change(s) of organization {}, which are undone: {}",
                    records.size(), LogText.of(spaceKey), LogText.of(describe(records)), e);
            throw new AuditUnavailableException("the change was not made: its record could not be written to the "
                    + "organization's audit log (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Puts back what {@code next} replaced, after its record could not be written: the snapshot that was
     * stored before (with a newer revision), or nothing for an organization the change created. Runs under the
     * organization's lock, so no change of this process comes in between. If even that fails (the store is
     * down), the change stays without its record and the log says so.
     */
    private void undo(String spaceKey, OrganizationSnapshot stored, OrganizationSnapshot next) {
        decisionCache.remove(spaceKey);
        try {
            if (stored == null) {
                store.purge(spaceKey);
            } else {
                store.save(withRevision(stored, next.organization().revision() + 1));
            }
        } catch (RuntimeException e) {
            LOG.error("Could not undo an unrecorded change of organization {}; it stays without its record",
                    LogText.of(spaceKey),
                    e);
        }
    }

    private static String describe(List<AuditRecord> records) {
        return records.stream().map(r -> r.event() + ": " + r.action()).toList().toString();
    }

    private Instant now() {
        return clock.instant();
    }

    private static OrganizationSnapshot withRevision(OrganizationSnapshot s, long revision) {
        Organization o = s.organization();
        return new OrganizationSnapshot(new Organization(o.spaceKey(), o.name(), o.licenseCount(), o.plan(),
                o.planAdmin(), o.planStarted(), o.planEnded(), o.graceEnds(), o.created(), o.deleted(), revision),
                s.members(), s.grants());
    }

    private static Member memberOf(OrganizationSnapshot s, String userId) {
        return s.members().stream().filter(m -> m.userId().equals(userId)).findFirst().orElseThrow();
    }
}
