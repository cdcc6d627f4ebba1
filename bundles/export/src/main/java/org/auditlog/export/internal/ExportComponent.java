package org.auditlog.export.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.auditlog.api.ArchiveFile;
import org.auditlog.api.AuditStore;
import org.auditlog.api.Column;
import org.auditlog.api.ExportService;
import org.auditlog.api.PolicyException;
import org.auditlog.api.RecordCursor;
import org.auditlog.api.StoreException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ExportService}: past-month files under {@code <auditlog.data>/exports/<spaceKey>/}, built on
 * demand from the store with {@link CsvZipWriter} (streamed, written to a temporary file and moved into
 * place). A file is built once; concurrent requests for the same file wait for the one build.
 */
@Component(service = ExportService.class)
public class ExportComponent implements ExportService {
    private static final Logger LOG = LoggerFactory.getLogger(ExportComponent.class);
    /** Past months kept: the 12 months before the current one (SPEC section 7). */
    static final int MONTHS_KEPT = 12;

    private final AuditStore store;
    private final Clock clock;
    private final Path root;
    private final ConcurrentMap<Path, Object> building = new ConcurrentHashMap<>();

    @Activate
    public ExportComponent(BundleContext context, @Reference AuditStore store,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) Clock clock) {
        this(store, clock, Path.of(Optional.ofNullable(context.getProperty("auditlog.data")).orElse("data"))
                .resolve("exports"));
    }

    ExportComponent(AuditStore store, Clock clock, Path root) {
        this.store = store;
        this.clock = clock;
        this.root = root.toAbsolutePath().normalize();
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
                    ? Optional.of(new ArchiveFile(name, file, Files.size(file))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public int deleteMonthsBefore(YearMonth firstKept) {
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

    @Override
    public int deleteOrganization(String spaceKey) {
        Path org = root.resolve(spaceKey).normalize();
        if (!org.startsWith(root) || !Files.isDirectory(org)) {
            return 0;
        }
        int deleted = 0;
        for (Path file : files(org)) {
            if (deleteQuietly(file)) {
                deleted++;
            }
        }
        deleteQuietly(org);
        return deleted;
    }

    private static java.util.List<Path> folders(Path dir) {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (var s = Files.list(dir)) {
            return s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new StoreException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static java.util.List<Path> files(Path dir) {
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
    public ArchiveFile pastMonth(String spaceKey, YearMonth month, String product) {
        if (spaceKey == null || !spaceKey.matches(Column.SPACE_KEY_PATTERN)) {
            throw new PolicyException(PolicyException.Kind.INVALID, "invalid_field", "spaceKey",
                    "must be 1-64 letters, digits, '_' or '-'");
        }
        String name;
        try {
            name = ExportFileNames.pastMonth(month, product);
        } catch (IllegalArgumentException e) {
            throw new PolicyException(PolicyException.Kind.INVALID, "invalid_field", "product", e.getMessage());
        }
        YearMonth current = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
        if (!month.isBefore(current)) {
            throw new PolicyException(PolicyException.Kind.INVALID, "not_a_past_month", "month", month
                    + " is not over yet; the current month is exported with POST /exports");
        }
        if (month.isBefore(current.minusMonths(MONTHS_KEPT))) {
            throw new PolicyException(PolicyException.Kind.INVALID, "beyond_retention", "month", month
                    + " is older than the 12 past months that are kept");
        }
        Path file = root.resolve(spaceKey).resolve(name).normalize();
        if (!file.startsWith(root)) {
            throw new PolicyException(PolicyException.Kind.INVALID, "invalid_field", "spaceKey", "not a folder name");
        }
        Object lock = building.computeIfAbsent(file, f -> new Object());
        synchronized (lock) {
            try {
                if (!Files.exists(file)) {
                    Files.createDirectories(file.getParent());
                    long rows;
                    try (RecordCursor records = store.stream(spaceKey, product,
                            month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                            month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC))) {
                        rows = new CsvZipWriter().write(file, records);
                    }
                    LOG.info("Built {} for {} ({} rows)", name, spaceKey, rows);
                }
                return new ArchiveFile(name, file, Files.size(file));
            } catch (IOException e) {
                throw new StoreException("could not build " + name + ": " + e.getMessage(), e);
            } finally {
                building.remove(file, lock);
            }
        }
    }
}
