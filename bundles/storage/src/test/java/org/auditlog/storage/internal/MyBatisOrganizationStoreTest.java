package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PrivilegeGrant;
import org.auditlog.api.access.Role;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MyBatisOrganizationStoreTest {
    @TempDir
    Path dir;

    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    static Organization org(long revision, PlanState plan) {
        return new Organization(
                "ACME",
                "Acme",
                10,
                plan,
                plan == PlanState.NOT_ACTIVATED ? null : "u1",
                plan == PlanState.NOT_ACTIVATED ? null : T0,
                null,
                null,
                T0,
                null,
                revision);
    }

    @Test
    void snapshotsRoundTripAndStaleSavesAreRefused() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisOrganizationStore store = storage.activate(MyBatisOrganizationStore.class);
            store.save(new OrganizationSnapshot(
                    org(0, PlanState.NOT_ACTIVATED),
                    List.of(new Member("u1", "Ann", "ann@acme.example", Role.ADMIN)),
                    List.of()));
            assertThrows(
                    StoreException.class,
                    () -> store.save(new OrganizationSnapshot(org(0, PlanState.NOT_ACTIVATED), List.of(), List.of())),
                    "a second organization with the same key");

            OrganizationSnapshot trial = new OrganizationSnapshot(
                    org(1, PlanState.TRIAL),
                    List.of(
                            new Member("u1", "Ann", "ann@acme.example", Role.ADMIN),
                            new Member("u2", "Bob", "bob@acme.example", Role.GUEST)),
                    List.of(
                            new PrivilegeGrant("u1", null, T0, null, null, null),
                            new PrivilegeGrant("u2", "u1", T0, "u1", T0.plusSeconds(60), "revoked")));
            store.save(trial);
            assertEquals(trial, store.load("ACME").orElseThrow());

            StoreException stale = assertThrows(
                    StoreException.class,
                    () -> store.save(new OrganizationSnapshot(org(1, PlanState.PAID), List.of(), List.of())));
            assertTrue(stale.getMessage().contains("changed by someone else"), stale.getMessage());
            assertEquals(trial, store.load("ACME").orElseThrow(), "a refused save changes nothing");

            assertEquals(List.of("ACME"), store.spaceKeys());
            store.purge("ACME");
            assertTrue(store.load("ACME").isEmpty());
        }
    }

    @Test
    void retentionDeletesByDateAndByOrganization() throws Exception {
        try (TestStorage storage = TestStorage.open(dir)) {
            MyBatisAuditStore events = storage.activate(MyBatisAuditStore.class);
            events.append(List.of(
                    MyBatisStoresTest.record(1, "ACME", "Apps", "2025-10-31T23:59:59.999Z", "u"),
                    MyBatisStoresTest.record(2, "ACME", "Apps", "2025-11-01T00:00:00Z", "u"),
                    MyBatisStoresTest.record(3, "OTHER", "Apps", "2025-01-01T00:00:00Z", "u"),
                    MyBatisStoresTest.record(4, "OTHER", "Apps", "2026-11-01T00:00:00Z", "u")));
            assertEquals(2, events.deleteDatedBefore(Instant.parse("2025-11-01T00:00:00Z")));
            assertEquals(1, events.deleteOrganization("OTHER"));
            assertEquals(
                    List.of(2L),
                    events.query(new EventQuery("ACME", null, null, null, null, null, null, 10, null)).events().stream()
                            .map(r -> r.id())
                            .toList());
        }
    }
}
