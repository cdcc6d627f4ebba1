package org.auditlog.policy.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.OwnRecords;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.store.AuditUnavailableException;
import org.auditlog.api.store.OrganizationStore;
import org.auditlog.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes of organizations: under the organization's lock, load, apply a rule at the clock's instant, save with
 * the next revision, and record each change in the organization's own audit log as Apps events through
 * {@link EventCapture}. A change whose records cannot be written (no capture service, the store down) is undone
 * and refused with {@link AuditUnavailableException}: a change never stands without its record. A save that loses
 * a race with another process (the store refuses a stale revision) is retried from a fresh load, up to
 * {@value #SAVE_RETRIES} times.
 */
final class RecordedChanges {
    private static final Logger LOG = LoggerFactory.getLogger(RecordedChanges.class);
    /** Saves retried after losing to a concurrent writer, before the store's refusal is passed on. */
    static final int SAVE_RETRIES = 3;

    /** A rule applied to the stored snapshot (or {@code null} when there is none) at an instant. */
    @FunctionalInterface
    interface Step {
        Outcome apply(OrganizationSnapshot stored, Instant now);
    }

    /** What a change left in the store. */
    record Saved(OrganizationSnapshot snapshot, boolean changed) {}

    private final OrganizationStore store;
    private final SnapshotCache cache;
    private final OrganizationLocks locks;
    private final Supplier<EventCapture> capture;
    private final Supplier<Instant> now;
    private final AtomicLong unrecorded = new AtomicLong();

    RecordedChanges(
            OrganizationStore store,
            SnapshotCache cache,
            OrganizationLocks locks,
            Supplier<EventCapture> capture,
            Supplier<Instant> now) {
        this.store = store;
        this.cache = cache;
        this.locks = locks;
        this.capture = capture;
        this.now = now;
    }

    /** How many self-audit events could not be recorded (no capture service, or it refused them). */
    long unrecorded() {
        return unrecorded.get();
    }

    /** A change of an organization that must exist; returns the snapshot it left. */
    OrganizationSnapshot changeExisting(String spaceKey, Actor by, Step step) {
        Objects.requireNonNull(by, "by");
        if (!Rules.isSpaceKey(spaceKey)) {
            Rules.existing(spaceKey, null); // throws NOT_FOUND: such a key names no organization
        }
        return change(spaceKey, by, (stored, at) -> step.apply(Rules.existing(spaceKey, stored), at))
                .snapshot();
    }

    /**
     * Loads, applies the step at the clock's instant, saves with the next revision, and records the changes,
     * under the organization's lock. A save refused because another writer saved first is retried from a fresh
     * load; any other failure of the store is passed on and nothing is recorded.
     */
    Saved change(String spaceKey, Actor by, Step step) {
        ReentrantLock lock = locks.of(spaceKey);
        lock.lock();
        try {
            for (int attempt = 0; ; attempt++) {
                Instant at = now.get();
                OrganizationSnapshot stored = store.load(spaceKey).orElse(null);
                Outcome outcome = step.apply(stored, at);
                if (!outcome.changed()) {
                    return new Saved(outcome.snapshot(), false);
                }
                OrganizationSnapshot next = withRevision(
                        outcome.snapshot(),
                        stored == null ? 0 : stored.organization().revision() + 1);
                try {
                    store.save(next);
                    cache.saved(spaceKey, next);
                } catch (StoreException e) {
                    cache.forget(spaceKey);
                    if (attempt < SAVE_RETRIES && savedMeanwhile(spaceKey, stored)) {
                        LOG.debug("Organization {} was saved by another writer; applying the change again", spaceKey);
                        continue;
                    }
                    throw e;
                }
                try {
                    record(spaceKey, at, by, outcome.changes());
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

    /** Whether the store now holds another revision than the one the failed save was based on. */
    private boolean savedMeanwhile(String spaceKey, OrganizationSnapshot basedOn) {
        try {
            OrganizationSnapshot stored = store.load(spaceKey).orElse(null);
            long was = basedOn == null ? -1 : basedOn.organization().revision();
            long is = stored == null ? -1 : stored.organization().revision();
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
    private void record(String spaceKey, Instant at, Actor by, List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<AuditRecord> records = new ArrayList<>(changes.size());
        for (Change c : changes) {
            records.add(OwnRecords.of(
                    spaceKey, at, c.category(), c.event(), c.action(), c.bySystem() ? Actor.system() : by));
        }
        EventCapture target = capture.get();
        if (target == null) {
            unrecorded.addAndGet(records.size());
            LOG.warn(
                    "No event capture service: {} change(s) of organization {} are refused: {}",
                    records.size(),
                    spaceKey,
                    describe(records));
            throw new AuditUnavailableException(
                    "the change was not made: no event capture service is running to "
                            + "record it in the organization's audit log",
                    null);
        }
        try {
            target.record(records);
        } catch (PayloadRejectedException | RuntimeException e) {
            unrecorded.addAndGet(records.size());
            LOG.error(
                    "The event capture service did not record {} change(s) of organization {}, which are undone: {}",
                    records.size(),
                    spaceKey,
                    describe(records),
                    e);
            throw new AuditUnavailableException(
                    "the change was not made: its record could not be written to the " + "organization's audit log ("
                            + e.getMessage() + ")",
                    e);
        }
    }

    /**
     * Puts back what {@code next} replaced, after its record could not be written: the snapshot that was
     * stored before (with a newer revision), or nothing for an organization the change created. Runs under the
     * organization's lock, so no change of this process comes in between. If even that fails (the store is
     * down), the change stays without its record and the log says so.
     */
    private void undo(String spaceKey, OrganizationSnapshot stored, OrganizationSnapshot next) {
        cache.forget(spaceKey);
        try {
            if (stored == null) {
                store.purge(spaceKey);
            } else {
                store.save(withRevision(stored, next.organization().revision() + 1));
            }
        } catch (RuntimeException e) {
            LOG.error(
                    "Could not undo an unrecorded change of organization {}; it stays without its record", spaceKey, e);
        }
    }

    private static String describe(List<AuditRecord> records) {
        return records.stream().map(r -> r.event() + ": " + r.action()).toList().toString();
    }

    private static OrganizationSnapshot withRevision(OrganizationSnapshot s, long revision) {
        Organization o = s.organization();
        return new OrganizationSnapshot(
                new Organization(
                        o.spaceKey(),
                        o.name(),
                        o.licenseCount(),
                        o.plan(),
                        o.planAdmin(),
                        o.planStarted(),
                        o.planEnded(),
                        o.graceEnds(),
                        o.created(),
                        o.deleted(),
                        revision),
                s.members(),
                s.grants());
    }
}
