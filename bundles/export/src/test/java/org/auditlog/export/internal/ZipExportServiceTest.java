package org.auditlog.export.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.sling.testing.mock.osgi.junit5.OsgiContext;
import org.apache.sling.testing.mock.osgi.junit5.OsgiContextExtension;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.export.PastMonth;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.testing.SettableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(OsgiContextExtension.class)
class ZipExportServiceTest {
    @TempDir
    Path dir;

    final OsgiContext context = new OsgiContext();

    final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
    /** When the store last noted a late record of October, as it does when one is appended. */
    volatile Instant lateNoted;

    final AtomicInteger streams = new AtomicInteger();

    /** ACME's Backlog records and their tree, which counts the reads of October; a test adds a late record. */
    final MemoryLog store = new MemoryLog(clock) {
        @Override
        public Optional<Instant> lastLateRecord(String spaceKey, String product, YearMonth month) {
            assertEquals(YearMonth.of(2026, 10), month);
            return Optional.ofNullable(lateNoted);
        }

        @Override
        public RecordCursor stream(String spaceKey, String product, Instant from, Instant to) {
            streams.incrementAndGet();
            assertEquals(Instant.parse("2026-10-01T00:00:00Z"), from);
            assertEquals(Instant.parse("2026-11-01T00:00:00Z"), to);
            return super.stream(spaceKey, product, from, to);
        }
    };

    /** October's records, stored in October. */
    @BeforeEach
    void october() {
        clock.set(Instant.parse("2026-10-20T12:00:00Z"));
        store.append(List.of(rec(1, "a"), rec(2, "b")));
        clock.set(Instant.parse("2026-11-22T10:00:00Z"));
    }

    /**
     * The export service as DS activates it, on {@code log} (records and their trees) and the test's clock, its files
     * in {@code dir}: every file carries its evidence, signed with the key in {@code dir/evidence}.
     */
    ZipExportService export(MemoryLog log) {
        context.registerService(Clock.class, clock);
        context.registerService(AuditStore.class, log);
        context.registerService(EvidenceStore.class, log);
        return Components.export(context.bundleContext(), dir);
    }

    static AuditRecord rec(long id, String action) {
        return new AuditRecord(
                id,
                "ACME",
                "Backlog",
                Instant.parse("2026-10-05T00:00:00Z"),
                "Issue",
                "Add an issue",
                action,
                "u1",
                "Ann",
                "ann@acme.example",
                "",
                "",
                "V1");
    }

    @Test
    void aPastMonthIsBuiltOnceAndHoldsItsRecords() throws Exception {
        ZipExportService export = export(store);
        var file = export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        assertEquals("auditlog-202610-Backlog-csv.zip", file.fileName());
        assertEquals(dir.resolve("ACME").resolve(file.fileName()), file.path());
        export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        assertEquals(1, streams.get(), "built once");
        assertEquals(
                List.of(),
                ExportJobsTest.failures(file.path(), (CheckpointSigner) context.getService(CheckpointService.class)),
                "with its evidence");
        try (ZipInputStream zip = new ZipInputStream(java.nio.file.Files.newInputStream(file.path()))) {
            assertEquals("auditlog-202610-Backlog.csv", zip.getNextEntry().getName());
            List<CSVRecord> rows = new ArrayList<>(CSVFormat.RFC4180
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .build()
                    .parse(new InputStreamReader(zip, StandardCharsets.UTF_8))
                    .getRecords());
            assertEquals(2, rows.size());
            assertEquals("b", rows.get(1).get("action"));
        }
    }

    @Test
    void aPastMonthsFileVerifiesWhileLateRecordsOfItArrive() throws Exception {
        MemoryLog log = new MemoryLog(clock);
        clock.set(Instant.parse("2026-10-20T12:00:00Z"));
        log.append(List.of(
                ExportJobsTest.dated(1, "2026-10-05T00:00:00Z"),
                ExportJobsTest.dated(2, "2026-10-20T11:00:00Z"),
                ExportJobsTest.dated(3, "2026-11-02T00:00:00Z")));
        clock.set(Instant.parse("2026-11-22T10:00:00Z"));
        log.append(List.of(
                ExportJobsTest.dated(4, "2026-11-22T09:00:00Z"), ExportJobsTest.dated(5, "2026-10-31T23:00:00Z")));
        // while the file is written: another late record of October, and one of November
        log.whileRead(() -> log.append(List.of(
                ExportJobsTest.dated(6, "2026-10-30T00:00:00Z"), ExportJobsTest.dated(7, "2026-11-22T09:30:00Z"))));
        ZipExportService export = export(log);
        CheckpointSigner signer = (CheckpointSigner) context.getService(CheckpointService.class);
        var file = export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog").path();
        assertEquals(List.of(), ExportJobsTest.failures(file, signer));
        assertEquals(List.of("1", "2", "5"), ids(file), "the late record committed after the checkpoint is not yet in");

        clock.set(Instant.parse("2026-11-22T10:01:00Z"));
        export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        assertEquals(List.of(), ExportJobsTest.failures(file, signer));
        assertEquals(List.of("1", "2", "6", "5"), ids(file), "built again for the late record");
    }

    private static List<String> ids(Path zip) throws Exception {
        try (ZipInputStream in = new ZipInputStream(java.nio.file.Files.newInputStream(zip))) {
            in.getNextEntry();
            return CSVFormat.RFC4180
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .build()
                    .parse(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getRecords()
                    .stream()
                    .map(r -> r.get("id"))
                    .toList();
        }
    }

    @Test
    void thePastMonthsAreTheTwelveWithinRetentionNewestFirstWithTheSizesOfBuiltFiles() throws Exception {
        ZipExportService export = export(store);
        var built = export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        java.util.List<PastMonth> months =
                export.pastMonths("ACME", java.util.List.of("Backlog", "Apps", "no file name/for me"));
        assertEquals(24, months.size(), "12 months of the two products a file name can hold");
        // the clock says 2026-11-22: October 2025 to October 2026, Backlog before Apps each month
        long size = java.nio.file.Files.size(built.path());
        assertEquals(
                new PastMonth(YearMonth.of(2026, 10), "Backlog", "auditlog-202610-Backlog-csv.zip", size),
                months.get(0));
        assertEquals(
                new PastMonth(YearMonth.of(2026, 10), "Apps", "auditlog-202610-Apps-csv.zip", null),
                months.get(1),
                "not built yet");
        assertEquals(YearMonth.of(2025, 11), months.get(23).month());
        assertEquals(java.util.List.of(), export.pastMonths("OTHER", java.util.List.of()));
    }

    @Test
    void aRecordArrivingAfterTheFileWasBuiltRebuildsIt() throws Exception {
        ZipExportService export = export(store);
        var first = export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        assertEquals(1, streams.get());
        export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        assertEquals(1, streams.get(), "not rebuilt while no late record was noted");
        // at 11:00 a record of October arrives and the store notes it; at 11:10 the file is asked for
        clock.set(Instant.parse("2026-11-22T11:00:00Z"));
        store.append(List.of(rec(3, "late")));
        lateNoted = Instant.parse("2026-11-22T11:00:00Z");
        clock.set(Instant.parse("2026-11-22T11:10:00Z"));
        var second = export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        assertEquals(2, streams.get(), "rebuilt");
        assertEquals(first.path(), second.path());
        try (ZipInputStream zip = new ZipInputStream(java.nio.file.Files.newInputStream(second.path()))) {
            zip.getNextEntry();
            List<CSVRecord> rows = CSVFormat.RFC4180
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .build()
                    .parse(new InputStreamReader(zip, StandardCharsets.UTF_8))
                    .getRecords();
            assertEquals(
                    List.of("a", "b", "late"),
                    rows.stream().map(r -> r.get("action")).toList());
        }
        export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        assertEquals(2, streams.get(), "not rebuilt while nothing changed");
        // noted 3 minutes before that build began reading: within the time a commit may take, so its record
        // may be missing from the file; built again
        lateNoted = Instant.parse("2026-11-22T11:07:00Z");
        clock.set(Instant.parse("2026-11-22T11:20:00Z"));
        export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        assertEquals(3, streams.get());
        export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        assertEquals(3, streams.get(), "begun 13 minutes after the note: whole");
        // a file written before files noted when their build began is rebuilt once
        java.nio.file.Files.writeString(second.path(), "an old file");
        export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        assertEquals(4, streams.get());
        export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        assertEquals(4, streams.get());
    }

    @Test
    void retentionDeletesOldMonthsAndWholeOrganizations() throws Exception {
        ZipExportService export = export(store);
        export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog");
        java.nio.file.Files.createDirectories(dir.resolve("OTHER"));
        java.nio.file.Files.writeString(dir.resolve("OTHER/auditlog-202509-Apps-csv.zip"), "old");
        java.nio.file.Files.writeString(dir.resolve("OTHER/auditlog-20251101-20251115-Apps-csv.zip"), "kept");
        java.nio.file.Files.writeString(dir.resolve("OTHER/notes.txt"), "not an export file");
        assertEquals(1, export.deleteMonthsBefore(YearMonth.of(2025, 11)));
        assertEquals(false, java.nio.file.Files.exists(dir.resolve("OTHER/auditlog-202509-Apps-csv.zip")));
        assertEquals(true, java.nio.file.Files.exists(dir.resolve("OTHER/auditlog-20251101-20251115-Apps-csv.zip")));
        assertEquals(1, export.deleteOrganization("ACME"));
        assertEquals(false, java.nio.file.Files.exists(dir.resolve("ACME")));
        assertEquals(0, export.deleteOrganization("../OTHER"), "names outside the export folder are ignored");
    }

    @Test
    void anOrganizationWithoutAFolderStillLosesItsJobsAndLinks() throws Exception {
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        context.registerService(
                org.auditlog.api.store.ExportJobStore.class,
                recording(org.auditlog.api.store.ExportJobStore.class, calls));
        context.registerService(
                org.auditlog.api.store.DownloadTokenStore.class,
                recording(org.auditlog.api.store.DownloadTokenStore.class, calls));
        ZipExportService export = export(store);
        assertEquals(0, export.deleteOrganization("ACME"), "a job that failed before writing left no folder");
        assertEquals(List.of("deleteTokensOf ACME", "deleteJobsOf ACME"), calls);
        calls.clear();
        assertEquals(0, export.deleteOrganization("../OTHER"));
        assertEquals(List.of(), calls, "names outside the export folder are ignored");
    }

    /**
     * A store that notes the calls of its deletions (method and organization) and holds nothing: 0, false, nothing
     * found, an empty list.
     */
    static <T> T recording(Class<T> type, List<String> calls) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(
                type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
                    if (method.getName().startsWith("delete")) {
                        calls.add(method.getName() + " " + args[0]);
                    }
                    Class<?> answer = method.getReturnType();
                    return switch (method.getName()) {
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "toString" -> "recording " + type.getSimpleName();
                        default ->
                            answer == int.class
                                    ? (Object) 0
                                    : answer == long.class
                                            ? (Object) 0L
                                            : answer == boolean.class
                                                    ? (Object) false
                                                    : answer == Optional.class
                                                            ? Optional.empty()
                                                            : answer == List.class ? List.of() : null;
                    };
                }));
    }

    @Test
    void onlyPastMonthsWithinRetentionAndSafeNames() {
        ZipExportService export = export(store);
        assertEquals(
                "not_a_past_month",
                assertThrows(PolicyException.class, () -> export.pastMonth("ACME", YearMonth.of(2026, 11), "Backlog"))
                        .rule());
        assertEquals(
                "beyond_retention",
                assertThrows(PolicyException.class, () -> export.pastMonth("ACME", YearMonth.of(2025, 10), "Backlog"))
                        .rule());
        assertEquals(
                "product",
                assertThrows(PolicyException.class, () -> export.pastMonth("ACME", YearMonth.of(2026, 10), "../etc"))
                        .field());
        assertEquals(
                "spaceKey",
                assertThrows(PolicyException.class, () -> export.pastMonth("../x", YearMonth.of(2026, 10), "Backlog"))
                        .field());
    }
}
