package org.auditlog.policy.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.Role;
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
 * The {@link OrganizationService} and {@link AccessPolicy}: answers from the {@link OrganizationStore} with the
 * {@link Rules} applied at the time of the {@link Clock} service. Its parts: {@link RecordedChanges} (a change
 * saved and recorded in the organization's own audit log through {@link EventCapture}, or undone and refused with
 * {@link AuditUnavailableException}), {@link OrganizationLocks} (changes to one organization serialised within
 * this process), {@link SnapshotCache} (the snapshots decisions rest on) and {@link TimeChanges} (its own thread,
 * which saves what time changed).
 *
 * <p>Reads and decisions apply time first: an overdue plan whose grace has run out is terminated, saved and
 * recorded (as the System user) by the first read that notices. A read never waits for a writer of the same
 * organization; it answers from the state time has made and leaves the saving to the writer.
 *
 * <p>Services used: {@link OrganizationStore}, {@link OrganizationPurge} and {@link BackgroundWork} (its thread;
 * mandatory), {@link Clock} (mandatory, the highest ranked one), {@link EventCapture} (optional: without it,
 * changes are refused), {@link OrganizationChanges} (optional). No configuration: the periods are those of the
 * specification.
 */
@Component(service = {OrganizationService.class, AccessPolicy.class})
public class PolicyService implements OrganizationService, AccessPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyService.class);

    private final OrganizationStore store;
    /** Frees the key of a deleted organization whose 30 days are over, when the key is asked for again. */
    private final OrganizationPurge purge;
    /**
     * The time; see {@code docs/event-path.md} for how every component takes the {@link Clock} service
     * (package-private for tests).
     */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;

    private final AtomicReference<EventCapture> capture = new AtomicReference<>();
    private final OrganizationLocks locks = new OrganizationLocks();
    private final SnapshotCache snapshots;
    private final RecordedChanges changes;
    private final TimeChanges timeChanges;
    private final AtomicReference<AutoCloseable> listening = new AtomicReference<>();

    @Activate
    public PolicyService(
            @Reference OrganizationStore store, @Reference OrganizationPurge purge, @Reference BackgroundWork work) {
        this.store = store;
        this.purge = purge;
        this.snapshots = new SnapshotCache(store);
        this.changes = new RecordedChanges(store, snapshots, locks, capture::get, this::now);
        this.timeChanges = new TimeChanges(
                work.scheduler("policy-time"),
                spaceKey -> changes.change(spaceKey, Actor.system(), PolicyService::timeOnly));
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCapture(EventCapture c) {
        capture.set(c);
    }

    void unbindCapture(EventCapture c) {
        capture.compareAndSet(c, null);
    }

    /**
     * Changes other servers make: a decision rests on a snapshot at most {@link SnapshotCache#MAX_AGE_NANOS} old,
     * and on one that no announced change has made stale. Optional: without it (or without notices) the 2 s bound
     * holds.
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
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
        snapshots.changed(spaceKey);
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
        return changes.change(
                        spaceKey,
                        by,
                        (stored, now) ->
                                Rules.create(stored, sameIgnoringCase(spaceKey), spaceKey, name, licenseCount, now))
                .snapshot()
                .organization();
    }

    /** Purges the deleted organizations under the key, in any case, whose 30 days are over. */
    private void freeKey(String spaceKey) {
        for (String key : keysIgnoringCase(spaceKey)) {
            Organization held =
                    store.load(key).map(OrganizationSnapshot::organization).orElse(null);
            Instant now = now();
            if (held == null || !Retention.forgetDue(held, now)) {
                continue;
            }
            Optional<OrganizationPurge.Purged> purged = purge.purge(key, now);
            if (purged.isEmpty()) {
                throw Rules.beingPurged(
                        spaceKey,
                        held,
                        "that is being done now by another request or server; try "
                                + "again in a moment"
                                + purge.busyUntil(key)
                                        .map(until -> " (that purge holds the key until " + until + " at the latest)")
                                        .orElse(""));
            }
            if (purged.get().kept() != null) {
                throw Rules.beingPurged(spaceKey, held, purged.get().kept());
            }
        }
    }

    /** The stored space keys equal to {@code spaceKey} ignoring case, itself included if it is stored. */
    private List<String> keysIgnoringCase(String spaceKey) {
        return store.spaceKeys().stream()
                .filter(k -> k.equalsIgnoreCase(spaceKey))
                .toList();
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
        return changes.changeExisting(spaceKey, by, (s, now) -> Rules.update(s, name, licenseCount, now))
                .organization();
    }

    @Override
    public void delete(String spaceKey, Actor by) {
        changes.changeExisting(spaceKey, by, Rules::delete);
    }

    @Override
    public Member addMember(String spaceKey, Member member, Actor by) {
        OrganizationSnapshot s = changes.changeExisting(spaceKey, by, (o, now) -> Rules.addMember(o, member, now));
        return memberOf(s, member.userId());
    }

    @Override
    public Member updateMember(String spaceKey, String userId, String name, String email, Role role, Actor by) {
        OrganizationSnapshot s =
                changes.changeExisting(spaceKey, by, (o, now) -> Rules.updateMember(o, userId, name, email, role, now));
        return memberOf(s, userId);
    }

    @Override
    public void removeMember(String spaceKey, String userId, Actor by) {
        changes.changeExisting(spaceKey, by, (o, now) -> Rules.removeMember(o, userId, now));
    }

    @Override
    public Organization changePlan(String spaceKey, PlanState to, String planAdmin, Actor by) {
        return changes.changeExisting(spaceKey, by, (o, now) -> Rules.changePlan(o, to, planAdmin, now))
                .organization();
    }

    @Override
    public List<Member> auditAdmins(String spaceKey) {
        return Rules.holders(get(spaceKey), now());
    }

    @Override
    public void grant(String spaceKey, String userId, Actor by) {
        changes.changeExisting(spaceKey, by, (o, now) -> Rules.grant(o, userId, by, now));
    }

    @Override
    public void revoke(String spaceKey, String userId, Actor by) {
        changes.changeExisting(spaceKey, by, (o, now) -> Rules.revoke(o, userId, by, now));
    }

    @Override
    public List<String> applyTime() {
        List<String> changed = new ArrayList<>();
        for (String spaceKey : store.spaceKeys()) {
            try {
                if (changes.change(spaceKey, Actor.system(), PolicyService::timeOnly)
                        .changed()) {
                    changed.add(spaceKey);
                }
            } catch (RuntimeException e) {
                // one organization's failure must not keep time from the others; the next run tries it again
                LOG.error("Applying time to organization {} failed", spaceKey, e);
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
    public Decision mayStream(String spaceKey) {
        return Decisions.mayStream(spaceKey, forDecision(spaceKey), now());
    }

    @Override
    public boolean isMember(String spaceKey, String userId) {
        OrganizationSnapshot s = forDecision(spaceKey);
        return s != null
                && userId != null
                && s.members().stream().anyMatch(m -> m.userId().equals(userId));
    }

    /** How many self-audit events could not be recorded (no capture service, or it refused them). */
    long unrecordedEvents() {
        return changes.unrecorded();
    }

    // ---- reads ----

    /**
     * The snapshot a decision is taken on, as time has made it now, or {@code null} when there is no such
     * organization (or it was deleted); the stored snapshot comes from the {@link SnapshotCache}.
     *
     * <p>A decision changes nothing: when time has changed the organization (a grace period ran out, say), the
     * answer comes from the state time made, and saving and recording that change is left to {@link TimeChanges}.
     */
    private OrganizationSnapshot forDecision(String spaceKey) {
        if (!Rules.isSpaceKey(spaceKey)) {
            return null;
        }
        Outcome timed = timedNow(snapshots.load(spaceKey));
        if (timed != null && timed.changed()) {
            timeChanges.later(spaceKey);
        }
        return timed == null ? null : existing(timed.snapshot());
    }

    /** Waits until the time changes asked for so far are saved (tests, and the end of the component). */
    void awaitTimeChanges() throws InterruptedException {
        timeChanges.await();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        timeChanges.close();
    }

    /** How many organizations the decision cache holds now (at most {@link SnapshotCache#MAX_ENTRIES}). */
    int decisionCacheSize() {
        return snapshots.size();
    }

    private OrganizationSnapshot current(String spaceKey) {
        if (!Rules.isSpaceKey(spaceKey)) {
            return null;
        }
        Outcome timed = timedNow(store.load(spaceKey));
        if (timed == null || !timed.changed()) {
            return timed == null ? null : timed.snapshot();
        }
        // A read never waits for a writer: decisions are asked from inside other services (the capture service
        // may ask while this service waits for it to record), so a busy organization is answered from the state
        // time made, and whoever holds the lock (or the next read) saves it.
        ReentrantLock lock = locks.of(spaceKey);
        if (!lock.tryLock()) {
            return timed.snapshot();
        }
        try {
            return existing(changes.change(spaceKey, Actor.system(), PolicyService::timeOnly)
                    .snapshot());
        } catch (StoreException e) {
            LOG.warn(
                    "Could not save what time changed in organization {}; answering from the state it is in now",
                    spaceKey,
                    e);
            return timed.snapshot();
        } finally {
            lock.unlock();
        }
    }

    /** A stored organization with time applied now, or {@code null} when there is none (or it was deleted). */
    private Outcome timedNow(Optional<OrganizationSnapshot> stored) {
        return stored.map(PolicyService::existing)
                .map(s -> Rules.atTime(s, now()))
                .orElse(null);
    }

    /** The snapshot, or {@code null} when it is no organization or a deleted one. */
    private static OrganizationSnapshot existing(OrganizationSnapshot s) {
        return s == null || s.organization().deleted() != null ? null : s;
    }

    private static Outcome timeOnly(OrganizationSnapshot stored, Instant now) {
        return stored == null || stored.organization().deleted() != null
                ? Outcome.unchanged(stored)
                : Rules.atTime(stored, now);
    }

    private Instant now() {
        return clock.instant();
    }

    private static Member memberOf(OrganizationSnapshot s, String userId) {
        return s.members().stream()
                .filter(m -> m.userId().equals(userId))
                .findFirst()
                .orElseThrow();
    }
}
