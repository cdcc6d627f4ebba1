package org.auditlog.policy.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.InboxStore;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.store.LeaseStore.Lease;
import org.auditlog.api.store.OrganizationStore;
import org.auditlog.api.store.StreamStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes everything an organization leaves behind when retention says it must go (docs/rules.md section 7): its inbox
 * entries, its records with its evidence trees, checkpoints and user directory ({@link AuditStore#deleteOrganization}),
 * its streams and every stream's place in its logs, which start again at sequence 0 ({@link
 * StreamStore#deleteOrganization}), its export files, jobs and download links; and, for an organization deleted 30 days
 * ago or more, the organization itself, which frees its space key. Used by the daily {@link RetentionJob} and by {@link
 * PolicyService#create}, which purges a deleted organization whose key is asked for again before making the new one.
 *
 * <p>The organization's row is removed last, once everything else is gone: it is the record that a purge is owed. A
 * purge cut short (the server stopped, the store failed) leaves the deleted organization in place, so its key stays
 * taken and the next purge starts again from the top; every step can be done twice. A purge holds the lease
 * {@code purge:<space key>} ({@link LeaseStore}) while it runs and checks the organization again under it, so two
 * purges of one key (two servers, or the daily run and a request) never overlap, and a purge never touches a key
 * that another purge freed and a new organization took in the meantime.
 *
 * <p>Services used: {@link OrganizationStore}, {@link AuditStore}, {@link InboxStore}, {@link StreamStore}, {@link
 * LeaseStore} (mandatory); {@link ExportService} (optional: without it, a deleted organization's files cannot be
 * deleted, so it is not removed and its key stays taken).
 */
@Component(service = OrganizationPurge.class)
public class OrganizationPurge {
    private static final Logger LOG = LoggerFactory.getLogger(OrganizationPurge.class);
    /**
     * How long a purge may run before another may take it over; one that ran longer does not remove the
     * organization (the next purge does).
     */
    static final Duration LEASE = Duration.ofHours(1);
    /** The longest name the lease store holds. */
    static final int LEASE_NAME_MAX = 64;

    /**
     * What a purge deleted.
     *
     * @param events records deleted
     * @param inboxEntries inbox entries deleted, waiting or set aside
     * @param files export files deleted
     * @param forgotten whether the organization itself was removed (its key is free)
     * @param kept why a deleted organization that was due to go was kept (its key stays taken), or {@code null}
     */
    record Purged(long events, int inboxEntries, int files, boolean forgotten, String kept) {
        static final Purged NOTHING = new Purged(0, 0, 0, false, null);
    }

    private final OrganizationStore organizations;
    private final AuditStore events;
    private final InboxStore inbox;
    private final StreamStore streams;
    private final LeaseStore leases;
    private final String holder = LeaseStore.holderId("purge");
    private final AtomicLong purges = new AtomicLong();

    /** The export files, when the export bundle runs (package-private for tests). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ExportService exports;

    @Activate
    public OrganizationPurge(
            @Reference OrganizationStore organizations,
            @Reference AuditStore events,
            @Reference InboxStore inbox,
            @Reference StreamStore streams,
            @Reference LeaseStore leases) {
        this.organizations = organizations;
        this.events = events;
        this.inbox = inbox;
        this.streams = streams;
        this.leases = leases;
    }

    /**
     * Purges what retention says must go of the organization at {@code now}: its data when its plan ended or it
     * was deleted 30 days ago or more ({@link Retention#purgeDue}), and the organization itself when it was
     * deleted 30 days ago or more ({@link Retention#forgetDue}); nothing otherwise, or when it is gone already.
     *
     * @return what was deleted, or empty when another purge of the same key runs now ({@link #busyUntil})
     * @throws org.auditlog.api.store.StoreException when the store failed; what was deleted stays deleted, and the
     *         organization stays
     */
    Optional<Purged> purge(String spaceKey, Instant now) {
        String name = leaseName(spaceKey);
        String by = holder + "#" + purges.incrementAndGet();
        Optional<Lease> lease = leases.acquire(name, by, LEASE);
        if (lease.isEmpty()) {
            return Optional.empty();
        }
        try {
            Organization o = organizations
                    .load(spaceKey)
                    .map(OrganizationSnapshot::organization)
                    .orElse(null);
            boolean forget = o != null && Retention.forgetDue(o, now);
            if (o == null || !forget && !Retention.purgeDue(o, now)) {
                return Optional.of(Purged.NOTHING);
            }
            int entries = inbox.deleteOrganization(spaceKey);
            long records = events.deleteOrganization(spaceKey);
            // the logs start again at 0: no stream keeps a place in them, nor a stream of the organization stays
            int deletedStreams = streams.deleteOrganization(spaceKey);
            ExportService files = exports;
            int deletedFiles = files == null ? 0 : files.deleteOrganization(spaceKey);
            if (!forget) {
                return Optional.of(new Purged(records, entries, deletedFiles, false, null));
            }
            String kept = files == null
                    ? "its export files cannot be deleted while the export service is not running"
                    : !leases.holds(lease.get()) ? "its purge ran past its lease" : null;
            if (kept == null) {
                organizations.purge(spaceKey);
                LOG.info(
                        "Deleted organization {} is purged: {} records, {} inbox entries, {} streams, {} export files; "
                                + "its space key is free",
                        spaceKey,
                        records,
                        entries,
                        deletedStreams,
                        deletedFiles);
            }
            return Optional.of(new Purged(records, entries, deletedFiles, kept == null, kept));
        } finally {
            leases.release(lease.get());
        }
    }

    /** Until when the purge of a key that {@link #purge} found running holds its lease (at most). */
    Optional<Instant> busyUntil(String spaceKey) {
        return leases.find(leaseName(spaceKey)).map(Lease::expires);
    }

    /**
     * The lease of a key's purge: {@code purge:} and the key, or, for a key too long for the lease store, its first
     * characters and its hash (two keys sharing both would only wait for each other's purge).
     */
    static String leaseName(String spaceKey) {
        String name = "purge:" + spaceKey;
        if (name.length() <= LEASE_NAME_MAX) {
            return name;
        }
        String hash = String.format("#%08x", spaceKey.hashCode());
        return name.substring(0, LEASE_NAME_MAX - hash.length()) + hash;
    }
}
