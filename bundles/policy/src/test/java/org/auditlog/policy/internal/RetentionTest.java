package org.auditlog.policy.internal;

import static org.auditlog.policy.internal.Fixtures.ANN;
import static org.auditlog.policy.internal.Fixtures.T0;
import static org.auditlog.policy.internal.Fixtures.day;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.PlanState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetentionTest {

    static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @ParameterizedTest(name = "at {0} keep from {1}")
    @CsvSource({
        "2026-11-15T10:00:00Z,           2025-11-01T00:00:00Z",
        "2026-11-01T00:00:00Z,           2025-11-01T00:00:00Z",
        "2026-10-31T23:59:59.999999999Z, 2025-10-01T00:00:00Z",
        // December to January
        "2027-01-01T00:00:00Z,           2026-01-01T00:00:00Z",
        "2026-12-31T23:59:59.999999999Z, 2025-12-01T00:00:00Z",
        "2027-01-31T12:00:00Z,           2026-01-01T00:00:00Z",
        // leap years
        "2024-02-29T23:59:59Z,           2023-02-01T00:00:00Z",
        "2025-02-28T23:59:59.999Z,       2024-02-01T00:00:00Z",
        "2025-03-01T00:00:00Z,           2024-03-01T00:00:00Z",
        "2028-02-29T00:00:00Z,           2027-02-01T00:00:00Z"
    })
    void theCurrentMonthAndTheTwelveBeforeItAreKept(String now, String from) {
        assertEquals(at(from), Retention.retainFrom(at(now)));
    }

    @ParameterizedTest(name = "an event of {0} goes at {1}")
    @CsvSource({
        "2025-10-31T23:59:59.999Z, 2026-11-01T00:00:00Z",
        "2025-11-01T00:00:00Z,     2026-12-01T00:00:00Z",
        "2025-12-31T23:59:59Z,     2027-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z,     2027-02-01T00:00:00Z",
        "2024-02-29T12:00:00Z,     2025-03-01T00:00:00Z",
        "2024-01-31T12:00:00Z,     2025-02-01T00:00:00Z",
        "2023-02-28T12:00:00Z,     2024-03-01T00:00:00Z"
    })
    void anEventOfMonthMIsDeletedAtMidnightUtcOnTheFirstOfMonthMPlus13(String event, String deleted) {
        Instant date = at(event);
        assertEquals(at(deleted), Retention.deletedAt(date));
        assertFalse(Retention.expired(date, at(deleted).minusNanos(1)), "kept until the last instant before");
        assertTrue(Retention.expired(date, at(deleted)), "gone at the instant itself");
    }

    @Test
    void theLeapDayIsKeptThroughFebruaryOfTheNextYear() {
        Instant leapDay = at("2024-02-29T12:00:00Z");
        assertFalse(Retention.expired(leapDay, at("2025-02-28T23:59:59.999Z")));
        assertTrue(Retention.expired(leapDay, at("2025-03-01T00:00:00Z")));
    }

    @Test
    void monthsAreUtcMonthsWhateverTheOffsetTheEventWasSentWith() {
        // 08:00 on the 1st in Tokyo is still the last day of the month before in UTC
        Instant tokyoMorning = OffsetDateTime.parse("2025-11-01T08:00:00+09:00").toInstant();
        assertEquals(at("2026-11-01T00:00:00Z"), Retention.deletedAt(tokyoMorning));
        Instant newYorkEvening =
                OffsetDateTime.parse("2025-10-31T21:00:00-04:00").toInstant();
        assertEquals(at("2026-12-01T00:00:00Z"), Retention.deletedAt(newYorkEvening));
    }

    @Test
    void everyDayOfFourYearsIsKeptBetweenTwelveAndThirteenMonthsAndGoesAtAMonthStart() {
        for (Instant d = at("2024-01-01T00:00:00Z");
                d.isBefore(at("2028-01-01T00:00:00Z"));
                d = d.plusSeconds(86_400 - 1)) {
            Instant gone = Retention.deletedAt(d);
            assertFalse(Retention.expired(d, gone.minusNanos(1)), d.toString());
            assertTrue(Retention.expired(d, gone), d.toString());
            OffsetDateTime utc = gone.atOffset(ZoneOffset.UTC);
            assertEquals(1, utc.getDayOfMonth(), d.toString());
            assertEquals(LocalTime.MIDNIGHT, utc.toLocalTime(), d.toString());
            long days = Duration.between(d, gone).toDays();
            assertTrue(days >= 365 && days <= 397, d + " is kept " + days + " days");
        }
    }

    static Organization org(PlanState plan, Instant planEnded, Instant deleted) {
        return new Organization("ACME", "Acme", 10, plan, ANN.userId(), T0, planEnded, null, T0, deleted, 3);
    }

    @Test
    void aRunningOrNeverStartedPlanIsNeverPurged() {
        for (PlanState plan :
                new PlanState[] {PlanState.NOT_ACTIVATED, PlanState.TRIAL, PlanState.PAID, PlanState.OVERDUE}) {
            assertEquals(Optional.empty(), Retention.purgeAt(org(plan, null, null)));
            assertFalse(Retention.purgeDue(org(plan, null, null), day(1000)));
        }
    }

    @Test
    void thirtyDaysAfterThePlanEndedEverythingGoes() {
        Organization ended = org(PlanState.CANCELED, day(5), null);
        assertEquals(Optional.of(day(35)), Retention.purgeAt(ended));
        assertFalse(Retention.purgeDue(ended, day(35).minusNanos(1)));
        assertTrue(Retention.purgeDue(ended, day(35)));
        assertTrue(Retention.purgeDue(ended, day(36)));
        assertFalse(Retention.forgetDue(ended, day(400)), "the organization stays so that its plan can restart");
    }

    @Test
    void aRestartedPlanIsNotPurged() {
        Organization restarted = org(PlanState.PAID, null, null);
        assertFalse(Retention.purgeDue(restarted, day(100)));
    }

    @Test
    void thirtyDaysAfterTheDeletionEverythingGoesAndTheOrganizationToo() {
        Organization deleted = org(PlanState.NOT_ACTIVATED, null, day(2));
        assertEquals(Optional.of(day(32)), Retention.purgeAt(deleted));
        assertFalse(Retention.purgeDue(deleted, day(32).minusNanos(1)));
        assertTrue(Retention.purgeDue(deleted, day(32)));
        assertFalse(Retention.forgetDue(deleted, day(32).minusNanos(1)));
        assertTrue(Retention.forgetDue(deleted, day(32)));
    }

    @Test
    void theFirstOfTheTwoDatesWins() {
        assertEquals(Optional.of(day(31)), Retention.purgeAt(org(PlanState.TERMINATED, day(1), day(20))));
        assertEquals(Optional.of(day(32)), Retention.purgeAt(org(PlanState.CANCELED, day(2), day(2))));
    }

    @Test
    void theDeletionOfARunningPlanEndsItAtTheSameInstant() {
        Organization deleted = Rules.delete(Fixtures.trial(), day(3)).snapshot().organization();
        assertEquals(Optional.of(day(33)), Retention.purgeAt(deleted));
    }
}
