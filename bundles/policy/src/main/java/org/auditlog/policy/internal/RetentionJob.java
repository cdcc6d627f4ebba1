package org.auditlog.policy.internal;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.InboxStore;
import org.auditlog.api.store.OrganizationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily job (docs/rules.md section 7): applies what time decides (overdue plans past their grace are
 * terminated), then deletes what retention says must go, unrecoverably, and logs what it deleted with counts:
 * <ul>
 * <li>every event dated before {@link Retention#retainFrom} (13 months after its month);</li>
 * <li>inbox entries set aside ({@code /api/v1/admin/products/{product}/inbox}) that were received before it, with
 * their raw payloads, whatever organization they name (none included);</li>
 * <li>export files of months no longer kept;</li>
 * <li>all of an organization's data 30 days after its plan ended (while it stays ended) or it was deleted, and a
 * deleted organization itself then ({@link OrganizationPurge}).</li>
 * </ul>
 */
final class RetentionJob {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    /**
     * What one run did.
     *
     * @param terminated organizations whose overdue plan ran out of grace
     * @param retainFrom events dated before this instant were deleted
     * @param expiredEvents how many of those there were
     * @param purgedEvents per organization whose data went, how many events
     * @param forgotten deleted organizations removed from the store (their keys are free)
     * @param deletedFiles export files deleted
     * @param deletedInboxEntries inbox entries deleted: set aside before {@code retainFrom}, or of a purged organization
     */
    record Report(
            List<String> terminated,
            Instant retainFrom,
            long expiredEvents,
            Map<String, Long> purgedEvents,
            List<String> forgotten,
            int deletedFiles,
            int deletedInboxEntries) {}

    private final OrganizationService organizations;
    private final OrganizationStore store;
    private final AuditStore events;
    private final InboxStore inbox;
    private final OrganizationPurge purge;
    private final Supplier<ExportService> files;

    /**
     * @param files the export files, or a supplier of {@code null} while no export service runs
     */
    RetentionJob(
            OrganizationService organizations,
            OrganizationStore store,
            AuditStore events,
            InboxStore inbox,
            OrganizationPurge purge,
            Supplier<ExportService> files) {
        this.organizations = organizations;
        this.store = store;
        this.events = events;
        this.inbox = inbox;
        this.purge = purge;
        this.files = files;
    }

    Report run(Instant now) {
        List<String> terminated = organizations.applyTime();
        Instant retainFrom = Retention.retainFrom(now);
        long expired = events.deleteDatedBefore(retainFrom);
        int deletedEntries = inbox.deleteSetAsideBefore(retainFrom);
        ExportService exports = files.get();
        int deletedFiles =
                exports == null ? 0 : exports.deleteMonthsBefore(YearMonth.from(retainFrom.atOffset(ZoneOffset.UTC)));
        Map<String, Long> purged = new LinkedHashMap<>();
        List<String> forgotten = new ArrayList<>();
        for (String spaceKey : store.spaceKeys()) {
            try {
                Organization o = store.load(spaceKey)
                        .map(OrganizationSnapshot::organization)
                        .orElse(null);
                if (o == null || !Retention.purgeDue(o, now)) {
                    continue;
                }
                Optional<OrganizationPurge.Purged> done = purge.purge(spaceKey, now);
                if (done.isEmpty()) {
                    LOG.info("Retention leaves organization {} to the purge running now", spaceKey);
                    continue;
                }
                OrganizationPurge.Purged p = done.get();
                if (p.events() > 0) {
                    purged.put(spaceKey, p.events());
                }
                deletedFiles += p.files();
                deletedEntries += p.inboxEntries();
                if (p.forgotten()) {
                    forgotten.add(spaceKey);
                } else if (p.kept() != null) {
                    LOG.warn(
                            "Deleted organization {} is kept, and its space key stays taken, until a later run: {}",
                            spaceKey,
                            p.kept());
                }
            } catch (RuntimeException e) {
                // one organization's failure must not keep retention from the others; tomorrow tries again
                LOG.error("Retention of organization {} failed", spaceKey, e);
            }
        }
        Report report = new Report(terminated, retainFrom, expired, purged, forgotten, deletedFiles, deletedEntries);
        LOG.info(
                "Retention at {}: {} events dated before {} deleted; all events of {} deleted {}; {} export files "
                        + "deleted; {} inbox entries deleted; deleted organizations forgotten: {}; overdue plans terminated: {}",
                now,
                expired,
                retainFrom,
                purged.keySet(),
                purged,
                deletedFiles,
                deletedEntries,
                forgotten,
                terminated);
        return report;
    }
}
