package org.auditlog.policy.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import org.auditlog.api.access.Organization;

/**
 * The dates of retention (docs/rules.md section 7), as pure functions for the daily job that deletes what must go.
 * All months are calendar months in UTC.
 *
 * <p>"13 months after the month in which they were created" is read as: an event dated in month M is deleted
 * at 00:00 UTC on the 1st of month M+13. So the current month and the 12 months before it are kept: on
 * 2026-11-01T00:00Z everything dated before 2025-11-01T00:00Z goes, October 2025 included.
 */
final class Retention {
    /** How long the data of an ended plan or a deleted organization is kept. */
    static final Duration AFTER_END = Duration.ofDays(30);
    /** How many whole months before the current one are kept. */
    static final int MONTHS_KEPT = 12;

    private Retention() {}

    /** The first instant whose events are kept at {@code now}; everything dated before it is deleted. */
    static Instant retainFrom(Instant now) {
        return firstInstantOf(YearMonth.from(now.atOffset(ZoneOffset.UTC)).minusMonths(MONTHS_KEPT));
    }

    /** When an event dated {@code date} is deleted: 00:00 UTC on the 1st of its month + 13. */
    static Instant deletedAt(Instant date) {
        return firstInstantOf(YearMonth.from(date.atOffset(ZoneOffset.UTC)).plusMonths(MONTHS_KEPT + 1L));
    }

    /** Whether an event dated {@code date} must have been deleted at {@code now}. */
    static boolean expired(Instant date, Instant now) {
        return date.isBefore(retainFrom(now));
    }

    /**
     * When the organization's events and files must all go: 30 days after its deletion, or 30 days after its
     * plan ended while it stays ended (a restart clears the end), whichever comes first; empty while neither
     * applies.
     */
    static Optional<Instant> purgeAt(Organization o) {
        Instant byDeletion = o.deleted() == null ? null : o.deleted().plus(AFTER_END);
        Instant byPlanEnd =
                o.plan().ended() && o.planEnded() != null ? o.planEnded().plus(AFTER_END) : null;
        if (byDeletion == null || byPlanEnd == null) {
            return Optional.ofNullable(byDeletion == null ? byPlanEnd : byDeletion);
        }
        return Optional.of(byDeletion.isBefore(byPlanEnd) ? byDeletion : byPlanEnd);
    }

    /** Whether the organization's events and files must all be deleted at {@code now} (the instant itself counts). */
    static boolean purgeDue(Organization o, Instant now) {
        return purgeAt(o).map(at -> !now.isBefore(at)).orElse(false);
    }

    /**
     * Whether the organization itself (members, privilege history) may be removed from the store at
     * {@code now}: only a deleted one, 30 days after its deletion. An organization whose plan ended stays, so
     * that its plan can restart; only its events and files go.
     */
    static boolean forgetDue(Organization o, Instant now) {
        return o.deleted() != null && !now.isBefore(o.deleted().plus(AFTER_END));
    }

    private static Instant firstInstantOf(YearMonth month) {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
