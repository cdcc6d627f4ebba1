package org.auditlog.policy.internal;

import static org.auditlog.policy.internal.Fixtures.ANN;
import static org.auditlog.policy.internal.Fixtures.SYSTEM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.auditlog.api.access.PlanState;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.export.ArchiveFile;
import org.auditlog.api.export.DownloadFile;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.export.PastMonth;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.EventPage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.RecordCursor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetentionJobTest {

    /** Records in memory, with the deletions retention uses. */
    static final class MemoryEvents implements AuditStore {
        final List<AuditRecord> records = new ArrayList<>();

        void add(String spaceKey, String date) {
            records.add(new AuditRecord(records.size() + 1, spaceKey, "Apps", Instant.parse(date), "c", "e", "a", "",
                    "n", "", "", "", "V1"));
        }

        long count(String spaceKey) {
            return records.stream().filter(r -> r.spaceKey().equals(spaceKey)).count();
        }

        @Override
        public void append(List<AuditRecord> r) {
            records.addAll(r);
        }

        @Override
        public EventPage query(EventQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RecordCursor stream(String spaceKey, String product, Instant from, Instant to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Instant> lastLateRecord(String spaceKey, String product,
                YearMonth month) {
            return Optional.empty();
        }

        @Override
        public long maxId() {
            return records.size();
        }

        @Override
        public long deleteDatedBefore(Instant cutoff) {
            long before = records.size();
            records.removeIf(r -> r.date().isBefore(cutoff));
            return before - records.size();
        }

        @Override
        public long deleteOrganization(String spaceKey) {
            long before = records.size();
            records.removeIf(r -> r.spaceKey().equals(spaceKey));
            return before - records.size();
        }

        @Override
        public boolean isHealthy() {
            return true;
        }
    }

    final MovableClock clock = new MovableClock(Instant.parse("2025-10-01T00:00:00Z"));
    final FakeOrganizationStore store = new FakeOrganizationStore();
    final MemoryEvents events = new MemoryEvents();
    PolicyService policy;
    RetentionJob job;

    @BeforeEach
    void start() {
        policy = new PolicyService(store);
        policy.clock = clock;
        policy.bindCapture(new RecordingCapture());
        job = new RetentionJob(policy, store, events, () -> null);
    }

    void running(String spaceKey, PlanState plan) {
        policy.create(spaceKey, spaceKey, 10, SYSTEM);
        policy.addMember(spaceKey, ANN, SYSTEM);
        policy.changePlan(spaceKey, plan, ANN.userId(), SYSTEM);
    }

    @Test
    void eventsGoThirteenMonthsAfterTheirMonth() {
        running("ACME", PlanState.TRIAL);
        events.add("ACME", "2025-10-31T23:59:59.999Z");
        events.add("ACME", "2025-11-01T00:00:00Z");
        RetentionJob.Report early = job.run(Instant.parse("2026-10-31T23:59:59.999Z"));
        assertEquals(0, early.expiredEvents(), "October 2025 is kept through October 2026");
        RetentionJob.Report report = job.run(Instant.parse("2026-11-01T00:00:00Z"));
        assertEquals(Instant.parse("2025-11-01T00:00:00Z"), report.retainFrom());
        assertEquals(1, report.expiredEvents());
        assertEquals(1, events.count("ACME"));
    }

    @Test
    void anEndedPlansDataGoesThirtyDaysAfterTheEndAndTheOrganizationStays() {
        running("ENDED", PlanState.TRIAL);
        events.add("ENDED", "2025-10-01T12:00:00Z");
        clock.set(Instant.parse("2025-10-02T00:00:00Z"));
        policy.changePlan("ENDED", PlanState.CANCELED, null, SYSTEM);
        Instant end = Instant.parse("2025-10-02T00:00:00Z");
        assertEquals(Map.of(), job.run(end.plus(Duration.ofDays(30)).minusMillis(1)).purgedEvents());
        RetentionJob.Report report = job.run(end.plus(Duration.ofDays(30)));
        assertTrue(report.purgedEvents().get("ENDED") >= 1, report.toString());
        assertEquals(0, events.count("ENDED"));
        assertEquals(List.of(), report.forgotten(), "it may restart");
        assertTrue(store.load("ENDED").isPresent());
    }

    @Test
    void aDeletedOrganizationGoesEntirelyThirtyDaysAfterItsDeletion() {
        running("GONE", PlanState.PAID);
        events.add("GONE", "2025-10-01T12:00:00Z");
        policy.delete("GONE", SYSTEM);
        RetentionJob.Report report = job.run(clock.instant().plus(Duration.ofDays(30)));
        assertEquals(0, events.count("GONE"));
        assertEquals(List.of("GONE"), report.forgotten());
        assertTrue(store.load("GONE").isEmpty());
    }

    @Test
    void anOverduePlanPastItsGraceIsTerminatedByTheJob() {
        running("LATE", PlanState.PAID);
        policy.changePlan("LATE", PlanState.OVERDUE, null, SYSTEM);
        assertEquals(List.of(), job.run(clock.instant().plus(Duration.ofDays(13))).terminated());
        clock.advance(Duration.ofDays(14));
        assertEquals(List.of("LATE"), job.run(clock.instant()).terminated());
        assertEquals(PlanState.TERMINATED, store.load("LATE").orElseThrow().organization().plan());
    }

    @Test
    void exportFilesGoWithTheirMonthsAndWithTheirOrganization() {
        List<String> calls = new ArrayList<>();
        ExportService files = new ExportService() {
            @Override
            public ArchiveFile pastMonth(String spaceKey, YearMonth month, String product) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.List<PastMonth> pastMonths(String spaceKey,
                    java.util.List<String> products) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<ArchiveFile> findPastMonth(String spaceKey,
                    YearMonth month, String product) {
                return Optional.empty();
            }

            @Override
            public int deleteMonthsBefore(YearMonth firstKept) {
                calls.add("months before " + firstKept);
                return 2;
            }

            @Override
            public int deleteOrganization(String spaceKey) {
                calls.add("all of " + spaceKey);
                return 3;
            }

            @Override
            public ExportJob exportCurrentMonth(String spaceKey, String product, String requestedBy) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<ExportJob> job(String spaceKey, long id) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<ExportJob> jobs(String spaceKey, int max) {
                throw new UnsupportedOperationException();
            }

            @Override
            public DownloadFile openDownload(String token) {
                throw new UnsupportedOperationException();
            }
        };
        RetentionJob withFiles = new RetentionJob(policy, store, events, () -> files);
        running("GONE", PlanState.PAID);
        policy.delete("GONE", SYSTEM);
        RetentionJob.Report report = withFiles.run(Instant.parse("2025-11-01T00:00:00Z").plus(Duration.ofDays(40)));
        assertEquals(List.of("months before 2024-12", "all of GONE"), calls);
        assertEquals(5, report.deletedFiles());
    }

    @Test
    void theDailyRunIsAtTheConfiguredUtcTime() {
        LocalTime three = LocalTime.of(3, 0);
        assertEquals(Duration.ofMinutes(1), DailyJobs.untilNext(Instant.parse("2026-11-22T02:59:00Z"), three));
        assertEquals(Duration.ofDays(1), DailyJobs.untilNext(Instant.parse("2026-11-22T03:00:00Z"), three));
        assertEquals(Duration.ofHours(4), DailyJobs.untilNext(Instant.parse("2026-12-31T23:00:00Z"), three));
    }
}
