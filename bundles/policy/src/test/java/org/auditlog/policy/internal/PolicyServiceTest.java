package org.auditlog.policy.internal;

import static org.auditlog.policy.internal.Fixtures.ANN;
import static org.auditlog.policy.internal.Fixtures.BOB;
import static org.auditlog.policy.internal.Fixtures.CARL;
import static org.auditlog.policy.internal.Fixtures.DAN;
import static org.auditlog.policy.internal.Fixtures.GUS;
import static org.auditlog.policy.internal.Fixtures.KEY;
import static org.auditlog.policy.internal.Fixtures.SUPPORT;
import static org.auditlog.policy.internal.Fixtures.SYSTEM;
import static org.auditlog.policy.internal.Fixtures.T0;
import static org.auditlog.policy.internal.Fixtures.as;
import static org.auditlog.policy.internal.Fixtures.day;
import static org.auditlog.policy.internal.Fixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.OwnRecords;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PolicyException.Kind;
import org.auditlog.api.access.Role;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;
import org.auditlog.api.store.AuditUnavailableException;
import org.auditlog.api.store.InboxEntry;
import org.auditlog.api.store.StoreException;
import org.auditlog.testing.MemoryAuditStore;
import org.auditlog.testing.MemoryLeases;
import org.auditlog.testing.MemoryStreams;
import org.auditlog.testing.RecordingCapture;
import org.auditlog.testing.SettableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyServiceTest {
    static final String IP = "203.0.113.5";
    static final String AGENT = "Mozilla/5.0 (X11)";

    final SettableClock clock = new SettableClock(T0);
    final FakeOrganizationStore store = new FakeOrganizationStore();
    final RecordingCapture capture = new RecordingCapture();
    final MemoryAuditStore events = new MemoryAuditStore();
    final MemoryInbox inbox = new MemoryInbox();
    final MemoryStreams streams = new MemoryStreams();
    final MemoryLeases leases = new MemoryLeases();
    final RecordingFiles files = new RecordingFiles();
    final OrganizationPurge purge = new OrganizationPurge(store, events, inbox, streams, leases);
    PolicyService policy;

    @BeforeEach
    void start() {
        purge.exports = files;
        policy = new PolicyService(store, purge, Fixtures.WORK);
        policy.clock = clock;
        policy.bindCapture(capture);
    }

    /** ACME with its five people; trial started by Ann as herself; Bob granted by Ann; nothing recorded yet. */
    void trialWithPeople() {
        policy.create(KEY, "Acme", 10, SYSTEM);
        for (Member m : List.of(ANN, CARL, BOB, DAN, GUS)) {
            policy.addMember(KEY, m, SYSTEM);
        }
        policy.changePlan(KEY, PlanState.TRIAL, ANN.userId(), as(ANN));
        policy.grant(KEY, BOB.userId(), as(ANN));
        capture.take();
    }

    /** A record as the Apps product would show it, by a member acting from the fixtures' address and browser. */
    static AuditRecord byMember(Member m, Instant date, String category, String event, String action) {
        return new AuditRecord(
                0, KEY, "Apps", date, category, event, action, m.userId(), m.name(), m.email(), IP, AGENT, null);
    }

    static AuditRecord bySystemUser(Instant date, String category, String event, String action) {
        return new AuditRecord(
                0, KEY, "Apps", date, category, event, action, null, "System user", null, null, null, null);
    }

    long revision() {
        return store.stored(KEY).organization().revision();
    }

    // ---- organizations and their revisions ----

    @Test
    void aNewOrganizationIsSavedAtRevisionZeroAndRecordsNothing() {
        Organization o = policy.create(KEY, "Acme", 10, SYSTEM);
        assertEquals(
                new Organization(KEY, "Acme", 10, PlanState.NOT_ACTIVATED, null, null, null, null, T0, null, 0), o);
        assertEquals(o, store.stored(KEY).organization());
        assertEquals(List.of(), capture.take());
        assertEquals(o, policy.get(KEY).organization());
    }

    @Test
    void everyChangeSavesTheNextRevision() {
        trialWithPeople(); // create, five members, plan start, grant
        assertEquals(7, revision());
        policy.update(KEY, "Acme Corp", null, SYSTEM);
        assertEquals(8, revision());
        assertEquals("Acme Corp", policy.get(KEY).organization().name());
    }

    @Test
    void whatChangesNothingIsNotSavedNorRecorded() {
        trialWithPeople();
        int saves = store.saveAttempts.get();
        policy.grant(KEY, BOB.userId(), as(ANN));
        policy.revoke(KEY, DAN.userId(), as(ANN));
        policy.changePlan(KEY, PlanState.TRIAL, null, as(ANN));
        policy.update(KEY, "Acme", 10, as(ANN));
        assertEquals(DAN, policy.updateMember(KEY, DAN.userId(), null, null, null, as(ANN)));
        assertEquals(saves, store.saveAttempts.get());
        assertEquals(List.of(), capture.take());
    }

    @Test
    void refusalsReachTheCallerAndChangeNothing() {
        trialWithPeople();
        long before = revision();
        int saves = store.saveAttempts.get();
        var e = refused(
                Kind.CONFLICT, "last_admin_holder", null, () -> policy.removeMember(KEY, ANN.userId(), as(BOB)));
        assertTrue(e.getMessage().startsWith("ann@acme.example is the last admin holding"), e.getMessage());
        refused(Kind.FORBIDDEN, "not_audit_log_admin", null, () -> policy.grant(KEY, DAN.userId(), as(CARL)));
        refused(Kind.CONFLICT, "organization_exists", "spaceKey", () -> policy.create(KEY, "Again", 1, SYSTEM));
        refused(Kind.INVALID, "invalid_format", "spaceKey", () -> policy.create("-bad", "Bad", 1, SYSTEM));
        assertEquals(before, revision());
        assertEquals(saves, store.saveAttempts.get());
        assertEquals(List.of(), capture.take());
    }

    @Test
    void unknownOrganizationsAreNotFoundAndImpossibleKeysAreNotEvenLookedUp() {
        var e = refused(Kind.NOT_FOUND, "no_such_organization", null, () -> policy.get("NOPE"));
        assertEquals("There is no organization NOPE.", e.getMessage());
        refused(Kind.NOT_FOUND, "no_such_organization", null, () -> policy.auditAdmins("NOPE"));
        refused(Kind.NOT_FOUND, "no_such_organization", null, () -> policy.grant("NOPE", "u", SUPPORT));
        int loads = store.loads.get();
        refused(Kind.NOT_FOUND, "no_such_organization", null, () -> policy.get("../etc/passwd"));
        refused(Kind.NOT_FOUND, "no_such_organization", null, () -> policy.delete(null, SYSTEM));
        assertEquals(Decision.refused("no_such_organization", "There is no organization  ."), policy.mayRecord(" "));
        assertEquals(loads, store.loads.get());
    }

    @Test
    void aDeletedOrganizationsKeyComesBackThirtyDaysLaterWithNothingOfIt() {
        trialWithPeople();
        events.add(KEY, "2026-03-02T10:00:00Z");
        events.add("OTHER", "2026-03-02T10:00:00Z");
        inbox.add(KEY, "2026-03-02T10:00:00Z", null);
        inbox.add(KEY, "2026-03-02T10:00:00Z", "There is no organization ACME.");
        InboxEntry other = inbox.add("OTHER", "2026-03-02T10:00:00Z", null);
        streams.add(KEY, "acme-siem");
        streams.add("OTHER", "other-siem");
        streams.add(null, "operator-siem");
        clock.set(day(1));
        policy.delete(KEY, as(ANN));
        refused(Kind.NOT_FOUND, "no_such_organization", null, () -> policy.get(KEY));
        assertEquals("no_such_organization", policy.mayRecord(KEY).rule());
        clock.set(day(31).minusMillis(1));
        refused(Kind.CONFLICT, "space_key_reserved", "spaceKey", () -> policy.create(KEY, "Acme again", 5, SYSTEM));
        assertEquals(1, events.count(KEY), "kept for 30 days");

        clock.set(day(31));
        Organization again = policy.create(KEY, "Acme again", 5, SYSTEM);
        assertEquals(0, again.revision(), "a new organization, not the deleted one's next revision");
        assertEquals(List.of(), policy.get(KEY).members());
        assertEquals(List.of(), policy.get(KEY).grants());
        assertEquals(0, events.count(KEY), "the deleted organization's records went before the key was given");
        assertEquals(1, events.count("OTHER"));
        assertEquals(List.of(other.id()), inbox.ids());
        assertEquals(List.of("other-siem", "operator-siem"), streams.names(), "its streams went with it");
        assertEquals(List.of("all of ACME"), files.calls);
    }

    @Test
    void theKeyStaysTakenWhileTheDeletedOrganizationCannotBePurged() {
        trialWithPeople();
        events.add(KEY, "2026-03-02T10:00:00Z");
        clock.set(day(1));
        policy.delete(KEY, as(ANN));
        clock.set(day(40));

        purge.exports = null;
        var e = refused(
                Kind.CONFLICT, "space_key_being_purged", "spaceKey", () -> policy.create(KEY, "Acme again", 5, SYSTEM));
        assertEquals(
                "The space key ACME is still held by organization ACME, deleted on 2026-03-03T09:00:00Z: it is "
                        + "free once that organization's data is purged, and its export files cannot be deleted while the "
                        + "export service is not running.",
                e.getMessage());
        assertTrue(store.load(KEY).orElseThrow().organization().deleted() != null, "still the deleted organization");

        purge.exports = files;
        var other = leases.acquire(OrganizationPurge.leaseName(KEY), "another server", Duration.ofMinutes(5))
                .orElseThrow();
        var busy = refused(
                Kind.CONFLICT, "space_key_being_purged", "spaceKey", () -> policy.create(KEY, "Acme again", 5, SYSTEM));
        assertTrue(
                busy.getMessage()
                        .endsWith("that is being done now by another request or server; try again in a "
                                + "moment (that purge holds the key until " + other.expires() + " at the latest)."),
                busy.getMessage());

        leases.release(other);
        assertEquals(0, policy.create(KEY, "Acme again", 5, SYSTEM).revision());
        assertEquals(0, events.count(KEY));
    }

    @Test
    void keysThatDifferOnlyInCaseAreNeverTwoOrganizations() {
        trialWithPeople();
        var e = refused(
                Kind.CONFLICT, "space_key_case_conflict", "spaceKey", () -> policy.create("acme", "a", 5, SYSTEM));
        assertTrue(e.getMessage().startsWith("The space key acme differs only in case from ACME"), e.getMessage());
        events.add(KEY, "2026-03-02T10:00:00Z");
        clock.set(day(1));
        policy.delete(KEY, as(ANN));
        clock.set(day(2));
        refused(Kind.CONFLICT, "space_key_reserved", "spaceKey", () -> policy.create("Acme", "a", 5, SYSTEM));

        clock.set(day(31));
        assertEquals("Acme", policy.create("Acme", "a", 5, SYSTEM).spaceKey());
        assertTrue(store.load(KEY).isEmpty(), "the deleted ACME was purged for it");
        assertEquals(0, events.count(KEY));
        assertEquals(List.of("Acme"), store.spaceKeys());
        refused(Kind.CONFLICT, "space_key_case_conflict", "spaceKey", () -> policy.create(KEY, "A", 5, SYSTEM));
    }

    @Test
    void twoRequestsForKeysThatDifferOnlyInCaseMakeOneOrganization() throws Exception {
        CountDownLatch saving = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        store.beforeSave = () -> {
            if (Thread.currentThread().getName().equals("first")) {
                saving.countDown();
                awaitQuietly(go);
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "first"));
        try {
            Future<Organization> first = pool.submit(() -> policy.create(KEY, "Acme", 5, SYSTEM));
            assertTrue(saving.await(10, TimeUnit.SECONDS));
            // the second waits for the first's lock, or (were the keys not one lock) makes Acme beside it
            List<Throwable> secondFailed = new ArrayList<>();
            Thread second = new Thread(
                    () -> {
                        try {
                            refused(
                                    Kind.CONFLICT,
                                    "space_key_case_conflict",
                                    "spaceKey",
                                    () -> policy.create("Acme", "a", 5, SYSTEM));
                        } catch (Throwable t) {
                            secondFailed.add(t);
                        }
                    },
                    "second");
            second.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (second.isAlive() && second.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            go.countDown();
            assertEquals(KEY, first.get(10, TimeUnit.SECONDS).spaceKey());
            second.join(10_000);
            assertEquals(List.of(), secondFailed);
            assertEquals(List.of(KEY), store.spaceKeys());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- self-audit ----

    @Test
    void aPlanStartIsRecordedAsTheActorAndTheFirstHolderAsTheSystemUser() {
        policy.create(KEY, "Acme", 10, SYSTEM);
        policy.addMember(KEY, ANN, SYSTEM);
        assertEquals(List.of(), capture.take(), "nothing is recorded before the plan starts");
        clock.set(day(1));
        Organization o = policy.changePlan(KEY, PlanState.TRIAL, ANN.userId(), as(ANN));
        assertEquals(PlanState.TRIAL, o.plan());
        assertEquals(
                List.of(
                        byMember(ANN, day(1), "Plan", "Start a plan", "Trial plan started"),
                        bySystemUser(
                                day(1),
                                "Privilege",
                                "Grant the Audit Log Admin privilege",
                                "Audit Log Admin privilege was granted to ann@acme.example (plan admin who applied)")),
                capture.take());
        assertEquals(List.of(ANN), policy.auditAdmins(KEY));
    }

    @Test
    void grantAndRevokeAreRecordedAsTheHolderWhoDidIt() {
        trialWithPeople();
        clock.set(day(2));
        policy.grant(KEY, CARL.userId(), as(BOB));
        policy.revoke(KEY, BOB.userId(), as(CARL));
        assertEquals(
                List.of(
                        byMember(
                                BOB,
                                day(2),
                                "Privilege",
                                "Grant the Audit Log Admin privilege",
                                "Audit Log Admin privilege was granted to carl@acme.example"),
                        byMember(
                                CARL,
                                day(2),
                                "Privilege",
                                "Revoke the Audit Log Admin privilege",
                                "Audit Log Admin privilege was revoked from bob@acme.example")),
                capture.take());
        assertEquals(List.of(ANN, CARL), policy.auditAdmins(KEY));
    }

    @Test
    void theSupportTeamIsRecordedAsNulabSupport() {
        trialWithPeople();
        policy.grant(KEY, CARL.userId(), SUPPORT);
        assertEquals(
                List.of(new AuditRecord(
                        0,
                        KEY,
                        "Apps",
                        T0,
                        "Privilege",
                        "Grant the Audit Log Admin privilege",
                        "Audit Log Admin privilege was granted to carl@acme.example",
                        null,
                        "Nulab Support",
                        null,
                        null,
                        null,
                        null)),
                capture.take());
    }

    @Test
    void memberChangesAreRecordedWithTheirConsequencesByTheSystemUser() {
        trialWithPeople();
        clock.set(day(3));
        Member eve = new Member("u-eve", "Eve Evans", "eve@acme.example", Role.MEMBER);
        assertEquals(eve, policy.addMember(KEY, eve, as(ANN)));
        assertEquals(
                new Member(BOB.userId(), BOB.name(), BOB.email(), Role.GUEST),
                policy.updateMember(KEY, BOB.userId(), null, null, Role.GUEST, as(ANN)));
        policy.removeMember(KEY, eve.userId(), as(ANN));
        assertEquals(
                List.of(
                        byMember(ANN, day(3), "Member", "Invite a member", "eve@acme.example was invited"),
                        byMember(
                                ANN,
                                day(3),
                                "Member",
                                "Change a member's role",
                                "Role of bob@acme.example was changed from member to guest"),
                        bySystemUser(
                                day(3),
                                "Privilege",
                                "Revoke the Audit Log Admin privilege",
                                "Audit Log Admin privilege was revoked from bob@acme.example (role changed to guest)"),
                        byMember(ANN, day(3), "Member", "Remove a member", "eve@acme.example was removed")),
                capture.take());
    }

    @Test
    void aRemovedHolderLosesThePrivilegeByTheSystemUser() {
        trialWithPeople();
        policy.removeMember(KEY, BOB.userId(), as(ANN));
        assertEquals(
                List.of(
                        byMember(ANN, T0, "Member", "Remove a member", "bob@acme.example was removed"),
                        bySystemUser(
                                T0,
                                "Privilege",
                                "Revoke the Audit Log Admin privilege",
                                "Audit Log Admin privilege was revoked from bob@acme.example (member removed)")),
                capture.take());
    }

    @Test
    void aPlanEndedByBillingIsRecordedAsTheSystemUserWithEveryPrivilegeRemoved() {
        trialWithPeople();
        clock.set(day(30));
        policy.changePlan(KEY, PlanState.TRIAL_EXPIRED, null, SYSTEM);
        assertEquals(
                List.of(
                        bySystemUser(day(30), "Plan", "End a plan", "Trial plan ended (trial expired)"),
                        bySystemUser(
                                day(30),
                                "Privilege",
                                "Revoke the Audit Log Admin privilege",
                                "Audit Log Admin privilege was revoked from ann@acme.example (the plan ended)"),
                        bySystemUser(
                                day(30),
                                "Privilege",
                                "Revoke the Audit Log Admin privilege",
                                "Audit Log Admin privilege was revoked from bob@acme.example (the plan ended)")),
                capture.take());
        policy.addMember(KEY, new Member("u-eve", "Eve", "eve@acme.example", Role.MEMBER), as(CARL));
        assertEquals(List.of(), capture.take(), "nothing is recorded once the plan has ended");
    }

    @Test
    void aPlanCanceledByAnAdminIsRecordedAsThatAdmin() {
        trialWithPeople();
        policy.changePlan(KEY, PlanState.PAID, null, as(ANN));
        policy.changePlan(KEY, PlanState.CANCELED, null, as(ANN));
        List<AuditRecord> records = capture.take();
        assertEquals(
                byMember(ANN, T0, "Plan", "Start a plan", "Paid plan started (upgraded from trial)"), records.get(0));
        assertEquals(
                byMember(ANN, T0, "Plan", "End a plan", "Paid plan ended (subscription canceled)"), records.get(1));
        assertEquals("System user", records.get(2).operationUserName());
        assertEquals(4, records.size());
    }

    @Test
    void aRestartWithinThirtyDaysRestoresEveryHolderByTheSystemUser() {
        trialWithPeople();
        policy.changePlan(KEY, PlanState.CANCELED, null, SYSTEM);
        capture.take();
        clock.set(day(30).minusSeconds(1));
        policy.changePlan(KEY, PlanState.PAID, CARL.userId(), as(CARL));
        assertEquals(
                List.of(
                        byMember(
                                CARL, day(30).minusSeconds(1), "Plan", "Start a plan", "Paid plan started (restarted)"),
                        bySystemUser(
                                day(30).minusSeconds(1),
                                "Privilege",
                                "Grant the Audit Log Admin privilege",
                                "Audit Log Admin privilege was granted to ann@acme.example (restored: the plan"
                                        + " restarted within 30 days of its end)"),
                        bySystemUser(
                                day(30).minusSeconds(1),
                                "Privilege",
                                "Grant the Audit Log Admin privilege",
                                "Audit Log Admin privilege was granted to bob@acme.example (restored: the plan"
                                        + " restarted within 30 days of its end)"),
                        bySystemUser(
                                day(30).minusSeconds(1),
                                "Privilege",
                                "Grant the Audit Log Admin privilege",
                                "Audit Log Admin privilege was granted to carl@acme.example (plan admin who applied)")),
                capture.take());
        assertEquals(List.of(ANN, BOB, CARL), policy.auditAdmins(KEY));
    }

    @Test
    void deletingRecordsTheDeletionAsTheActorAndItsConsequencesAsTheSystemUser() {
        trialWithPeople();
        policy.delete(KEY, SUPPORT);
        List<AuditRecord> records = capture.take();
        assertEquals(
                new AuditRecord(
                        0,
                        KEY,
                        "Apps",
                        T0,
                        "Organization",
                        "Delete the organization",
                        "Organization ACME was deleted",
                        null,
                        "Nulab Support",
                        null,
                        null,
                        null,
                        null),
                records.get(0));
        assertEquals(bySystemUser(T0, "Plan", "End a plan", "Trial plan ended (organization deleted)"), records.get(1));
        assertEquals(4, records.size());
    }

    // ---- time ----

    @Test
    void theFirstDecisionAfterTheGraceHasTheTerminationSavedAndRecordedOnce() throws Exception {
        trialWithPeople();
        policy.changePlan(KEY, PlanState.PAID, null, SYSTEM);
        policy.changePlan(KEY, PlanState.OVERDUE, null, SYSTEM);
        capture.take();
        long before = revision();

        clock.set(day(13));
        assertEquals(Decision.ALLOWED, policy.mayRecord(KEY));
        assertEquals("plan_overdue", policy.mayExport(KEY, ANN.userId()).rule());
        assertEquals(before, revision());

        clock.set(day(15));
        Decision d = policy.mayRecord(KEY);
        assertEquals(
                Decision.refused(
                        "plan_ended",
                        "The plan of organization ACME has ended (terminated after an"
                                + " overdue payment, on 2026-03-16T09:00:00Z): audit logs are not recorded."),
                d);
        policy.awaitTimeChanges();
        assertEquals(before + 1, revision());
        assertEquals(PlanState.TERMINATED, store.stored(KEY).organization().plan());
        assertEquals(
                List.of(
                        bySystemUser(
                                day(15), "Plan", "End a plan", "Paid plan ended (terminated after an overdue payment)"),
                        bySystemUser(
                                day(15),
                                "Privilege",
                                "Revoke the Audit Log Admin privilege",
                                "Audit Log Admin privilege was revoked from ann@acme.example (the plan ended)"),
                        bySystemUser(
                                day(15),
                                "Privilege",
                                "Revoke the Audit Log Admin privilege",
                                "Audit Log Admin privilege was revoked from bob@acme.example (the plan ended)")),
                capture.take());

        assertEquals("plan_ended", policy.mayUse(KEY, ANN.userId()).rule());
        assertEquals(List.of(), policy.auditAdmins(KEY));
        assertEquals(PlanState.TERMINATED, policy.get(KEY).organization().plan());
        assertEquals(before + 1, revision());
        assertEquals(List.of(), capture.take());
    }

    @Test
    void aDecisionChangesNothingItselfAndTimeIsSavedAndRecordedOnThePolicysOwnThread() throws Exception {
        trialWithPeople();
        policy.changePlan(KEY, PlanState.PAID, null, SYSTEM);
        policy.changePlan(KEY, PlanState.OVERDUE, null, SYSTEM);
        capture.take();
        capture.threads.clear();
        clock.set(day(14)); // the grace period has run out
        assertEquals("plan_ended", policy.mayRecord(KEY).rule());
        policy.awaitTimeChanges();
        assertEquals(PlanState.TERMINATED, store.stored(KEY).organization().plan());
        assertEquals(3, capture.take().size(), "the plan's end and two revocations");
        assertEquals(List.of("auditlog-policy-time"), capture.threads, "recorded on the policy's thread, once");
        assertEquals("plan_ended", policy.mayRecord(KEY).rule());
        policy.awaitTimeChanges();
        assertEquals(List.of(), capture.take(), "nothing more to save");
    }

    @Test
    void whenTheTerminationCannotBeSavedTheDecisionIsStillTakenAtTheRealState() throws Exception {
        trialWithPeople();
        policy.changePlan(KEY, PlanState.PAID, null, SYSTEM);
        policy.changePlan(KEY, PlanState.OVERDUE, null, SYSTEM);
        capture.take();
        store.failure = new StoreException("database is down", null);
        clock.set(day(14));
        assertEquals("plan_ended", policy.mayRecord(KEY).rule());
        policy.awaitTimeChanges(); // its attempt to save failed
        assertEquals(PlanState.TERMINATED, policy.get(KEY).organization().plan());
        assertEquals(PlanState.OVERDUE, store.stored(KEY).organization().plan());
        assertEquals(List.of(), capture.take());
        store.failure = null;
        assertEquals(List.of(KEY), policy.applyTime());
        assertEquals(3, capture.take().size());
    }

    @Test
    void aReadNeverWaitsForAWriterOfTheSameOrganization() throws Exception {
        trialWithPeople();
        policy.changePlan(KEY, PlanState.PAID, null, SYSTEM);
        policy.changePlan(KEY, PlanState.OVERDUE, null, SYSTEM);
        capture.take();
        clock.set(day(14));
        CountDownLatch saving = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.beforeSave = () -> {
            store.beforeSave = () -> {};
            saving.countDown();
            await(release);
        };
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> update = writer.submit(() -> policy.update(KEY, "Acme Corp", null, as(ANN)));
            assertTrue(saving.await(10, TimeUnit.SECONDS));
            // the writer holds the organization's lock; the read answers at once, at the state time made
            Decision d = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> policy.mayRecord(KEY));
            assertEquals("plan_ended", d.rule());
            assertEquals(PlanState.OVERDUE, store.stored(KEY).organization().plan(), "the read saved nothing");
            release.countDown();
            update.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            writer.shutdownNow();
        }
        assertEquals(PlanState.TERMINATED, store.stored(KEY).organization().plan());
        assertEquals(
                List.of("End a plan", "Revoke the Audit Log Admin privilege", "Revoke the Audit Log Admin privilege"),
                capture.take().stream().map(AuditRecord::event).toList(),
                "the writer saved the termination; the rename is not recorded once the plan has ended");
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the writer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void applyTimeTerminatesWhatTheGraceLeftAndSaysWhich() {
        trialWithPeople();
        policy.changePlan(KEY, PlanState.PAID, null, SYSTEM);
        policy.changePlan(KEY, PlanState.OVERDUE, null, SYSTEM);
        policy.create("LATE", "Late", 1, SYSTEM);
        policy.addMember("LATE", ANN, SYSTEM);
        clock.set(day(5));
        policy.changePlan("LATE", PlanState.PAID, ANN.userId(), SYSTEM);
        policy.changePlan("LATE", PlanState.OVERDUE, null, SYSTEM); // grace ends day 19
        policy.create("CALM", "Calm", 1, SYSTEM);
        capture.take();

        clock.set(day(14));
        assertEquals(List.of(KEY), policy.applyTime());
        assertEquals(List.of(), policy.applyTime());
        clock.set(day(19));
        assertEquals(List.of("LATE"), policy.applyTime());
        assertEquals(List.of(), policy.applyTime());
    }

    @Test
    void oneOrganizationFailingDoesNotKeepTimeFromTheOthers() {
        for (String key : List.of("AAA", "BBB")) {
            policy.create(key, key, 1, SYSTEM);
            policy.addMember(key, ANN, SYSTEM);
            policy.changePlan(key, PlanState.PAID, ANN.userId(), SYSTEM);
            policy.changePlan(key, PlanState.OVERDUE, null, SYSTEM);
        }
        store.failure = new StoreException("disk full", null);
        store.failingKey = "AAA";
        clock.set(day(14));
        assertEquals(List.of("BBB"), policy.applyTime());
        store.failure = null;
        assertEquals(List.of("AAA"), policy.applyTime());
    }

    // ---- concurrent writers ----

    @Test
    void aSaveThatLosesToAnotherWriterIsRetriedOnTheFreshState() {
        trialWithPeople();
        Member zed = new Member("u-zed", "Zed", "zed@acme.example", Role.MEMBER);
        store.beforeSave = () -> {
            store.beforeSave = () -> {};
            OrganizationSnapshot theirs =
                    Rules.addMember(store.stored(KEY), zed, T0).snapshot();
            store.saveNow(withRevision(theirs, theirs.organization().revision() + 1));
        };
        int saves = store.saveAttempts.get();
        policy.grant(KEY, CARL.userId(), as(ANN));
        assertEquals(saves + 2, store.saveAttempts.get());
        OrganizationSnapshot now = policy.get(KEY);
        assertTrue(now.members().contains(zed), "the other writer's change is kept");
        assertEquals(List.of(ANN, BOB, CARL), policy.auditAdmins(KEY));
        assertEquals(1, capture.take().size(), "the grant is recorded once");
    }

    @Test
    void afterThreeRetriesTheStoreRefusalReachesTheCaller() {
        trialWithPeople();
        store.beforeSave = () -> {
            OrganizationSnapshot theirs = store.stored(KEY);
            store.saveNow(withRevision(theirs, theirs.organization().revision() + 1));
        };
        int saves = store.saveAttempts.get();
        assertThrows(StoreException.class, () -> policy.grant(KEY, CARL.userId(), as(ANN)));
        assertEquals(saves + 1 + RecordedChanges.SAVE_RETRIES, store.saveAttempts.get());
        assertEquals(List.of(), capture.take());
    }

    @Test
    void aStoreThatIsDownIsNotRetried() {
        trialWithPeople();
        StoreException down = new StoreException("connection refused", null);
        store.failure = down;
        int saves = store.saveAttempts.get();
        assertSame(down, assertThrows(StoreException.class, () -> policy.grant(KEY, CARL.userId(), as(ANN))));
        assertEquals(saves + 1, store.saveAttempts.get());
        assertEquals(List.of(), capture.take());
    }

    @Test
    void changesToOneOrganizationFromManyThreadsAreSerialised() throws Exception {
        trialWithPeople();
        long before = revision();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        String id = "u-" + thread + "-" + i;
                        policy.addMember(KEY, new Member(id, "User " + id, id + "@acme.example", Role.MEMBER), as(ANN));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(5 + 200, policy.get(KEY).members().size());
        assertEquals(before + 200, revision());
        assertEquals(200, capture.take().size());
    }

    // ---- the services it uses come and go ----

    @Test
    void withoutACaptureServiceAChangeIsRefusedAndNothingChanges() {
        policy.create(KEY, "Acme", 10, SYSTEM);
        policy.addMember(KEY, ANN, SYSTEM);
        long revision = revision();
        policy.unbindCapture(capture);
        var e = assertThrows(
                AuditUnavailableException.class, () -> policy.changePlan(KEY, PlanState.TRIAL, ANN.userId(), as(ANN)));
        assertTrue(e.getMessage().contains("not made"), e.getMessage());
        assertEquals(PlanState.NOT_ACTIVATED, policy.get(KEY).organization().plan());
        assertEquals(2, policy.unrecordedEvents());
        assertEquals(revision + 2, revision(), "the change was saved, then put back");
        assertEquals(List.of(), capture.take(), "nothing of the refused change");
        policy.bindCapture(capture);
        policy.changePlan(KEY, PlanState.TRIAL, ANN.userId(), as(ANN));
        assertEquals(PlanState.TRIAL, policy.get(KEY).organization().plan());
        assertTrue(capture.take().size() >= 1);
    }

    @Test
    void aCaptureServiceThatFailsUndoesTheChange() {
        trialWithPeople();
        capture.take();
        capture.failure = new StoreException("the write queue is full", null);
        assertThrows(AuditUnavailableException.class, () -> policy.grant(KEY, CARL.userId(), as(ANN)));
        assertEquals(List.of(ANN, BOB), policy.auditAdmins(KEY), "the grant did not stand without its record");
        assertEquals(1, policy.unrecordedEvents());
        capture.failure = null;
        policy.grant(KEY, CARL.userId(), as(ANN));
        assertEquals(List.of(ANN, BOB, CARL), policy.auditAdmins(KEY));
        assertEquals(1, capture.take().size());
    }

    @Test
    void valuesTooLongForTheirColumnAreShortenedAndMarked() {
        trialWithPeople();
        capture.take();
        String agent = "Mozilla/5.0 " + "x".repeat(5000);
        Actor ann = new Actor(ANN.userId(), ANN.name(), ANN.email(), "203.0.113.5", agent);
        policy.grant(KEY, CARL.userId(), ann);
        AuditRecord r = capture.take().get(0);
        assertEquals(Column.USER_AGENT.maxLength(), r.userAgent().length());
        assertTrue(r.userAgent().startsWith("Mozilla/5.0 xxx"));
        assertTrue(r.userAgent().endsWith(OwnRecords.SHORTENED_MARK + agent.length() + ")"), r.userAgent());
    }

    @Test
    void aCaptureServiceThatIsNotTheCurrentOneIsNotUnbound() {
        RecordingCapture other = new RecordingCapture();
        policy.bindCapture(other);
        policy.unbindCapture(capture); // the replaced one leaves after its replacement arrived
        trialWithPeople();
        other.take();
        policy.update(KEY, "Acme Corp", null, as(ANN));
        assertEquals(1, other.take().size());
        assertEquals(List.of(), capture.take());
    }

    @Test
    void everyChangeNamesWhoActs() {
        trialWithPeople();
        assertThrows(NullPointerException.class, () -> policy.grant(KEY, CARL.userId(), null));
        assertThrows(NullPointerException.class, () -> policy.create("OTHER", "Other", 1, null));
        assertThrows(NullPointerException.class, () -> policy.removeMember(KEY, DAN.userId(), null));
    }

    // ---- decisions through the service ----

    @Test
    void decisionsReadTheStoredOrganization() {
        trialWithPeople();
        assertEquals(Decision.ALLOWED, policy.mayRecord(KEY));
        assertEquals(Decision.ALLOWED, policy.mayUse(KEY, BOB.userId()));
        assertEquals(Decision.ALLOWED, policy.mayExport(KEY, BOB.userId()));
        assertEquals("not_audit_log_admin", policy.mayExport(KEY, GUS.userId()).rule());
        assertEquals("no_such_organization", policy.mayUse("NOPE", ANN.userId()).rule());
        policy.changePlan(KEY, PlanState.PAID, null, SYSTEM);
        policy.update(KEY, null, 3, SYSTEM);
        assertEquals(
                Decision.refused(
                        "license_exceeded",
                        "Organization ACME has 4 users, but its license is for 3:"
                                + " export and download are unavailable until users are removed or licenses added."),
                policy.mayExport(KEY, ANN.userId()));
    }

    static OrganizationSnapshot withRevision(OrganizationSnapshot s, long revision) {
        return new OrganizationSnapshot(
                OrganizationRulesTest.withRevision(s.organization(), revision), s.members(), s.grants());
    }
}
