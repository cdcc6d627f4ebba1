package org.auditlog.export.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.adapter.Column;
import org.auditlog.api.capture.ServerNode;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.export.ArchiveFile;
import org.auditlog.api.export.DownloadFile;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.export.PastMonth;
import org.auditlog.api.mail.Mailer;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.DownloadTokenStore;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.ExportJobStore;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.api.store.StoreException;
import org.auditlog.api.work.BackgroundWork;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ExportService}: past-month files under {@code <auditlog.data>/exports/<spaceKey>/}, built on
 * demand from the store with {@link CsvZipWriter} (streamed, written to a temporary file and moved into
 * place). A file is built when it is missing, or again when the store noted a late record of its month (one
 * stored after the month had ended) since the file's build began reading ({@link AuditStore#lastLateRecord}: one
 * lookup; the file's zip comment carries when it was begun and its row count); concurrent requests for the same
 * file wait for the one build.
 *
 * <p>Current-month exports run as {@link ExportJobs}, claimed by {@link JobClaims}, their files kept by
 * {@link JobFiles} and opened through {@link DownloadLinks}; configured by PID {@value #PID} ({@link ExportConfig}).
 */
@Component(
        service = ExportService.class,
        configurationPid = ZipExportService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ExportConfig.class)
public class ZipExportService implements ExportService {
    static final String PID = "org.auditlog.export";
    private static final Logger LOG = LoggerFactory.getLogger(ZipExportService.class);
    /** Past months kept: the 12 months before the current one (docs/rules.md section 7). */
    static final int MONTHS_KEPT = 12;
    /** How long before a past month's file began reading a late record may have been noted: {@link #isLate}. */
    static final Duration LATE_COMMIT_MARGIN = Duration.ofMinutes(5);

    /** The time; see {@code docs/event-path.md} for how every component takes the {@link Clock} service. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    private final AuditStore store;
    private final Path root;
    private final ConcurrentMap<Path, Object> building = new ConcurrentHashMap<>();
    /** Current-month jobs, their claims, files and links. */
    private final ExportJobs jobs;

    private final JobClaims claims;
    private final JobFiles jobFiles;
    private final DownloadLinks downloads;
    private final int keepJobsDays;
    /** Where every file's evidence comes from. */
    private final ExportJobs.Evidence evidence;

    @Activate
    public ZipExportService(
            BundleContext context,
            @Reference AuditStore store,
            @Reference ExportJobStore jobStore,
            @Reference DownloadTokenStore tokens,
            @Reference Mailer mailer,
            @Reference OrganizationService orgs,
            @Reference AccessPolicy policy,
            @Reference ServerNode node,
            @Reference EvidenceStore evidenceStore,
            @Reference CheckpointService signer,
            @Reference BackgroundWork work,
            ExportConfig config) {
        this.store = store;
        this.evidence = new ExportJobs.Evidence(evidenceStore, signer);
        this.root = (config.folder().isBlank()
                        ? Path.of(Optional.ofNullable(context.getProperty("auditlog.data"))
                                        .orElse("data"))
                                .resolve("exports")
                        : Path.of(config.folder().strip()))
                .toAbsolutePath()
                .normalize();
        Links links =
                new Links(config.baseUrl(), config.settingsPath(), context.getProperty("org.osgi.service.http.port"));
        if (config.workers() < 1 || config.workers() > 64) {
            throw new IllegalArgumentException("workers must be 1 to 64, not " + config.workers());
        }
        if (config.keepJobsDays() < 2) {
            throw new IllegalArgumentException("keepJobsDays must be 2 or more, not " + config.keepJobsDays());
        }
        this.keepJobsDays = config.keepJobsDays();
        this.jobFiles = new JobFiles(root, jobStore, tokens);
        this.downloads = new DownloadLinks(tokens, mailer, jobStore, jobFiles, () -> clock);
        this.jobs = new ExportJobs(
                jobStore,
                store,
                policy,
                new JobMails(orgs, mailer, tokens, links, () -> clock),
                jobFiles,
                () -> clock,
                new ExportJobs.Limits(config.exportsPerMemberPerDay(), config.exportsPerOrganizationPerDay()));
        jobs.useEvidence(evidence);
        this.claims = new JobClaims(
                jobStore,
                jobs,
                work,
                new JobClaims.Terms(
                        node.holder(),
                        node.holderPrefix(),
                        Duration.ofSeconds(Math.max(5, config.claimSeconds())),
                        config.workers()));
        LOG.info("Exports: {} worker(s), files in {}, links to {}", config.workers(), root, links.baseUrl());
    }

    /** Starts claiming jobs (those a stop interrupted first); DS calls it once the fields, the clock among them, are set. */
    @Activate
    void start() {
        claims.start();
    }

    @Deactivate
    void deactivate() {
        claims.close();
    }

    @Override
    public ExportJob exportCurrentMonth(String spaceKey, String product, String requestedBy) {
        requireSpaceKey(spaceKey);
        try {
            ExportFileNames.requireProduct(product);
        } catch (IllegalArgumentException e) {
            throw new PolicyException(PolicyException.Kind.INVALID, "invalid_field", "product", e.getMessage());
        }
        if (requestedBy == null || requestedBy.isBlank()) {
            throw new PolicyException(
                    PolicyException.Kind.INVALID,
                    "member_required",
                    null,
                    "an export is asked for by a member, who is mailed the link");
        }
        return jobs.submit(spaceKey, product, requestedBy);
    }

    @Override
    public void checkExportLimits(String spaceKey, String product, String requestedBy) {
        jobs.check(spaceKey, product, requestedBy);
    }

    @Override
    public Optional<ExportJob> job(String spaceKey, long id) {
        return jobs.find(spaceKey, id);
    }

    @Override
    public List<ExportJob> jobs(String spaceKey, int max) {
        return jobs.list(spaceKey, Math.max(1, Math.min(max, 500)));
    }

    @Override
    public DownloadFile openDownload(String token) {
        return downloads.open(token);
    }

    private static void requireSpaceKey(String spaceKey) {
        if (spaceKey == null || !spaceKey.matches(Column.SPACE_KEY_PATTERN)) {
            throw new PolicyException(
                    PolicyException.Kind.INVALID,
                    "invalid_field",
                    "spaceKey",
                    "must be 1-64 letters, digits, '_' or '-'");
        }
    }

    @Override
    public Optional<ArchiveFile> findPastMonth(String spaceKey, YearMonth month, String product) {
        if (spaceKey == null || !spaceKey.matches(Column.SPACE_KEY_PATTERN)) {
            return Optional.empty();
        }
        String name;
        try {
            name = ExportFileNames.pastMonth(month, product);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Path file = root.resolve(spaceKey).resolve(name).normalize();
        try {
            return file.startsWith(root) && Files.isRegularFile(file)
                    ? Optional.of(new ArchiveFile(name, file, Files.size(file)))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Called by the daily retention job; it also deletes current-month export jobs, their files and their
     * download links once they ended more than {@code keepJobsDays} ago.
     */
    @Override
    public int deleteMonthsBefore(YearMonth firstKept) {
        int gone = jobFiles.deleteFinishedBefore(clock.instant().minus(Duration.ofDays(keepJobsDays)));
        if (gone > 0) {
            LOG.info("Deleted {} export job(s) that ended more than {} days ago, with their files", gone, keepJobsDays);
        }
        int deleted = 0;
        for (Path org : folders(root)) {
            for (Path file : files(org)) {
                YearMonth month = ExportFileNames.monthOf(file.getFileName().toString());
                if (month != null && month.isBefore(firstKept) && deleteQuietly(file)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Its current-month jobs and download links go too, also when it has no folder (a job that failed before
     * writing a file leaves none).
     */
    @Override
    public int deleteOrganization(String spaceKey) {
        Path org = root.resolve(spaceKey).normalize();
        if (!org.startsWith(root) || org.equals(root)) {
            return 0;
        }
        jobFiles.deleteOrganization(spaceKey);
        if (!Files.isDirectory(org)) {
            return 0;
        }
        int deleted = 0;
        for (Path file : files(org)) {
            if (deleteQuietly(file)) {
                deleted++;
            }
        }
        JobFiles.deleteTree(org);
        return deleted;
    }

    private static List<Path> folders(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new StoreException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> files(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new StoreException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean deleteQuietly(Path p) {
        try {
            return Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", p, e.getMessage());
            return false;
        }
    }

    @Override
    public List<PastMonth> pastMonths(String spaceKey, List<String> products) {
        YearMonth current = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
        List<PastMonth> out = new ArrayList<>();
        for (int back = 1; back <= MONTHS_KEPT; back++) {
            YearMonth month = current.minusMonths(back);
            for (String product : products) {
                String name;
                try {
                    name = ExportFileNames.pastMonth(month, product);
                } catch (IllegalArgumentException e) {
                    continue; // no file name can hold it
                }
                out.add(new PastMonth(
                        month,
                        product,
                        name,
                        findPastMonth(spaceKey, month, product)
                                .map(ArchiveFile::size)
                                .orElse(null)));
            }
        }
        return out;
    }

    @Override
    public ArchiveFile pastMonth(String spaceKey, YearMonth month, String product) {
        requireSpaceKey(spaceKey);
        String name;
        try {
            name = ExportFileNames.pastMonth(month, product);
        } catch (IllegalArgumentException e) {
            throw new PolicyException(PolicyException.Kind.INVALID, "invalid_field", "product", e.getMessage());
        }
        YearMonth current = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
        if (!month.isBefore(current)) {
            throw new PolicyException(
                    PolicyException.Kind.INVALID,
                    "not_a_past_month",
                    "month",
                    month + " is not over yet; the current month is exported with POST /exports");
        }
        if (month.isBefore(current.minusMonths(MONTHS_KEPT))) {
            throw new PolicyException(
                    PolicyException.Kind.INVALID,
                    "beyond_retention",
                    "month",
                    month + " is older than the 12 past months that are kept");
        }
        Path file = root.resolve(spaceKey).resolve(name).normalize();
        if (!file.startsWith(root)) {
            throw new PolicyException(PolicyException.Kind.INVALID, "invalid_field", "spaceKey", "not a folder name");
        }
        Object lock = building.computeIfAbsent(file, f -> new Object());
        Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        synchronized (lock) {
            try {
                CsvZipWriter.Note inFile = CsvZipWriter.noteOf(file);
                Optional<Instant> begun = inFile.begun();
                if (begun.isEmpty()
                        || isLate(store.lastLateRecord(spaceKey, product, month), begun.get())
                        || !inFile.evidence()) {
                    // Missing, built before records of the month arrived late (a product that sends late, an
                    // inbox drained after an adapter upgrade), or built before files noted when their build
                    // began or carried their evidence: the file is made again, atomically.
                    OwnerOnlyFolders.create(file.getParent());
                    long rows;
                    Instant reading = clock.instant();
                    FileSeal seal = new FileSeal(
                            evidence.store(),
                            evidence.signer(),
                            spaceKey,
                            product,
                            month,
                            from,
                            to,
                            ExportFileNames.csvEntryName(name),
                            clock);
                    try (RecordCursor records = store.stream(spaceKey, product, from, to)) {
                        rows = new CsvZipWriter()
                                .withBegun(reading)
                                .withSeal(seal)
                                .write(file, seal.rows(records));
                    }
                    if (inFile.rows().isPresent()) {
                        LOG.info(
                                "Rebuilt {} for {}: {} rows, {} before",
                                name,
                                spaceKey,
                                rows,
                                inFile.rows().getAsLong());
                    } else {
                        LOG.info("Built {} for {} ({} rows)", name, spaceKey, rows);
                    }
                }
                return new ArchiveFile(name, file, Files.size(file));
            } catch (IOException e) {
                throw new StoreException("could not build " + name + ": " + e.getMessage(), e);
            } finally {
                building.remove(file, lock);
            }
        }
    }

    /**
     * Whether a record noted late at {@code lastLate} may be missing from a file whose build began reading at
     * {@code begun}. A record is noted as it is written, a moment before its commit; {@link #LATE_COMMIT_MARGIN}
     * covers that moment, and a file begun within it is built once more, which is only work.
     */
    static boolean isLate(Optional<Instant> lastLate, Instant begun) {
        return lastLate.isPresent() && !lastLate.get().isBefore(begun.minus(LATE_COMMIT_MARGIN));
    }
}
