package org.auditlog.policy.internal;

import static org.auditlog.policy.internal.Fixtures.ANN;
import static org.auditlog.policy.internal.Fixtures.SYSTEM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.store.InboxEntry;
import org.auditlog.api.work.Schedule;
import org.auditlog.testing.MemoryAuditStore;
import org.auditlog.testing.MemoryLeases;
import org.auditlog.testing.MemoryStreams;
import org.auditlog.testing.RecordingCapture;
import org.auditlog.testing.SettableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetentionJobTest {
    final SettableClock clock = new SettableClock(Instant.parse("2025-10-01T00:00:00Z"));
    final FakeOrganizationStore store = new FakeOrganizationStore();
    final MemoryAuditStore events = new MemoryAuditStore();
    final MemoryInbox inbox = new MemoryInbox();
    final MemoryStreams streams = new MemoryStreams();
    final MemoryLeases leases = new MemoryLeases();
    final RecordingFiles files = new RecordingFiles();
    OrganizationPurge purge;
    PolicyService policy;
    RetentionJob job;

    @BeforeEach
    void start() {
        purge = new OrganizationPurge(store, events, inbox, streams, leases);
        purge.exports = files;
        policy = new PolicyService(store, purge, Fixtures.WORK);
        policy.clock = clock;
        policy.bindCapture(new RecordingCapture());
        job = new RetentionJob(policy, store, events, inbox, purge, () -> files);
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
    void setAsideInboxEntriesGoThirteenMonthsAfterTheirMonthWhateverTheyName() {
        running("ACME", PlanState.TRIAL);
        InboxEntry unnamed = inbox.add(null, "2025-10-31T23:59:59.999Z", "the payload names no organization");
        InboxEntry named = inbox.add("ACME", "2025-10-15T00:00:00Z", "type must be a number");
        InboxEntry waiting = inbox.add("ACME", "2025-10-15T00:00:00Z", null);
        InboxEntry younger = inbox.add(null, "2025-11-01T00:00:00Z", "the payload names no organization");
        assertEquals(0, job.run(Instant.parse("2026-10-31T23:59:59.999Z")).deletedInboxEntries());
        assertEquals(List.of(unnamed.id(), named.id(), waiting.id(), younger.id()), inbox.ids());

        RetentionJob.Report report = job.run(Instant.parse("2026-11-01T00:00:00Z"));
        assertEquals(2, report.deletedInboxEntries());
        assertEquals(List.of(waiting.id(), younger.id()), inbox.ids(), "waiting entries are never deleted by age");
    }

    @Test
    void anEndedPlansDataGoesThirtyDaysAfterTheEndAndTheOrganizationStays() {
        running("ENDED", PlanState.TRIAL);
        events.add("ENDED", "2025-10-01T12:00:00Z");
        clock.set(Instant.parse("2025-10-02T00:00:00Z"));
        policy.changePlan("ENDED", PlanState.CANCELED, null, SYSTEM);
        inbox.add("ENDED", "2025-10-02T00:00:01Z", "The plan of ENDED has ended.");
        streams.add("ENDED", "siem");
        Instant end = Instant.parse("2025-10-02T00:00:00Z");
        assertEquals(
                Map.of(), job.run(end.plus(Duration.ofDays(30)).minusMillis(1)).purgedEvents());
        RetentionJob.Report report = job.run(end.plus(Duration.ofDays(30)));
        assertTrue(report.purgedEvents().get("ENDED") >= 1, report.toString());
        assertEquals(0, events.count("ENDED"));
        assertEquals(List.of(), inbox.ids());
        assertEquals(List.of(), streams.names(), "its logs start again: no stream keeps a place in them");
        assertEquals(List.of(), report.forgotten(), "it may restart");
        assertTrue(store.load("ENDED").isPresent());
    }

    @Test
    void aDeletedOrganizationGoesEntirelyThirtyDaysAfterItsDeletion() {
        running("GONE", PlanState.PAID);
        running("KEPT", PlanState.PAID);
        events.add("GONE", "2025-10-01T12:00:00Z");
        events.add("KEPT", "2025-10-01T12:00:00Z");
        InboxEntry waiting = inbox.add("GONE", "2025-10-01T12:00:00Z", null);
        InboxEntry setAside = inbox.add("GONE", "2025-10-01T12:00:00Z", "There is no organization GONE.");
        InboxEntry other = inbox.add("KEPT", "2025-10-01T12:00:00Z", null);
        streams.add("GONE", "gone-siem");
        streams.add("KEPT", "kept-siem");
        policy.delete("GONE", SYSTEM);
        RetentionJob.Report early =
                job.run(clock.instant().plus(Duration.ofDays(30)).minusMillis(1));
        assertEquals(List.of(), early.forgotten());
        assertEquals(List.of(waiting.id(), setAside.id(), other.id()), inbox.ids());

        RetentionJob.Report report = job.run(clock.instant().plus(Duration.ofDays(30)));
        assertEquals(0, events.count("GONE"));
        assertEquals(1, events.count("KEPT"));
        assertEquals(List.of(other.id()), inbox.ids(), "its entries, waiting or set aside, go with it");
        assertEquals(List.of("kept-siem"), streams.names(), "and its streams");
        assertEquals(2, report.deletedInboxEntries());
        assertEquals(List.of("GONE"), report.forgotten());
        assertTrue(store.load("GONE").isEmpty());
    }

    @Test
    void exportFilesGoWithTheirMonthsAndWithTheirOrganization() {
        running("GONE", PlanState.PAID);
        policy.delete("GONE", SYSTEM);
        RetentionJob.Report report =
                job.run(Instant.parse("2025-11-01T00:00:00Z").plus(Duration.ofDays(40)));
        assertEquals(List.of("months before 2024-12", "all of GONE"), files.calls);
        assertEquals(5, report.deletedFiles());
    }

    @Test
    void aDeletedOrganizationStaysWhileItsFilesCannotBeDeleted() {
        running("GONE", PlanState.PAID);
        events.add("GONE", "2025-10-01T12:00:00Z");
        policy.delete("GONE", SYSTEM);
        purge.exports = null;
        RetentionJob noFiles = new RetentionJob(policy, store, events, inbox, purge, () -> null);
        RetentionJob.Report report = noFiles.run(clock.instant().plus(Duration.ofDays(30)));
        assertEquals(0, events.count("GONE"), "what can go goes");
        assertEquals(List.of(), report.forgotten(), "its key stays taken: its files may still be there");
        assertTrue(store.load("GONE").isPresent());

        purge.exports = files;
        assertEquals(
                List.of("GONE"),
                job.run(clock.instant().plus(Duration.ofDays(31))).forgotten());
        assertEquals(List.of("all of GONE"), files.calls.subList(files.calls.size() - 1, files.calls.size()));
    }

    @Test
    void anOrganizationWhosePurgeRunsElsewhereIsLeftToIt() {
        running("GONE", PlanState.PAID);
        events.add("GONE", "2025-10-01T12:00:00Z");
        policy.delete("GONE", SYSTEM);
        var other = leases.acquire(OrganizationPurge.leaseName("GONE"), "another server", Duration.ofMinutes(5))
                .orElseThrow();
        RetentionJob.Report report = job.run(clock.instant().plus(Duration.ofDays(30)));
        assertEquals(List.of(), report.forgotten());
        assertEquals(1, events.count("GONE"), "nothing deleted twice at once");
        assertTrue(store.load("GONE").isPresent());

        leases.release(other);
        assertEquals(
                List.of("GONE"),
                job.run(clock.instant().plus(Duration.ofDays(30))).forgotten());
    }

    @Test
    void anOverduePlanPastItsGraceIsTerminatedByTheJob() {
        running("LATE", PlanState.PAID);
        policy.changePlan("LATE", PlanState.OVERDUE, null, SYSTEM);
        assertEquals(
                List.of(), job.run(clock.instant().plus(Duration.ofDays(13))).terminated());
        clock.advance(Duration.ofDays(14));
        assertEquals(List.of("LATE"), job.run(clock.instant()).terminated());
        assertEquals(
                PlanState.TERMINATED,
                store.load("LATE").orElseThrow().organization().plan());
    }

    @Test
    void aLeaseNameFitsTheStoreWhateverTheKey() {
        assertEquals("purge:ACME", OrganizationPurge.leaseName("ACME"));
        String longest = "K".repeat(64);
        String name = OrganizationPurge.leaseName(longest);
        assertEquals(OrganizationPurge.LEASE_NAME_MAX, name.length());
        assertTrue(name.startsWith("purge:KKK"), name);
        assertTrue(!name.equals(OrganizationPurge.leaseName("K".repeat(63) + "L")));
    }

    @Test
    void theDailyRunIsAtTheConfiguredUtcTime() {
        LocalTime three = LocalTime.of(3, 0);
        assertEquals(Duration.ofMinutes(1), Schedule.untilNext(Instant.parse("2026-11-22T02:59:00Z"), three));
        assertEquals(Duration.ofDays(1), Schedule.untilNext(Instant.parse("2026-11-22T03:00:00Z"), three));
        assertEquals(Duration.ofHours(4), Schedule.untilNext(Instant.parse("2026-12-31T23:00:00Z"), three));
    }
}
