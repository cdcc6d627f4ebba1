package org.auditlog.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {
    private Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void idsRiseAndCarryTheirTime() {
        IdGenerator ids = new IdGenerator(() -> clock, 3);
        long a = ids.next();
        long b = ids.next();
        assertTrue(b > a);
        assertEquals(Instant.parse("2026-11-22T10:00:00Z"), IdGenerator.instantOf(a));
        clock = Clock.offset(clock, java.time.Duration.ofMillis(5));
        long c = ids.next();
        assertTrue(c > b);
        assertEquals(Instant.parse("2026-11-22T10:00:00.005Z"), IdGenerator.instantOf(c));
    }

    @Test
    void moreThanASequenceInOneMillisecondStaysUniqueAndOrdered() {
        IdGenerator ids = new IdGenerator(() -> clock, 0);
        Set<Long> seen = new HashSet<>();
        long last = -1;
        for (int i = 0; i < 10_000; i++) {
            long id = ids.next();
            assertTrue(id > last);
            assertTrue(seen.add(id));
            last = id;
        }
    }

    @Test
    void aClockSteppingBackDoesNotReuseIds() {
        IdGenerator ids = new IdGenerator(() -> clock, 0);
        long before = ids.next();
        clock = Clock.offset(clock, java.time.Duration.ofSeconds(-30));
        assertTrue(ids.next() > before);
    }

    @Test
    void startAboveTheHighestStoredIdEvenIfTheClockIsBehindIt() {
        IdGenerator later = new IdGenerator(() -> Clock.offset(clock, java.time.Duration.ofHours(1)), 5);
        long stored = later.next();
        IdGenerator ids = new IdGenerator(() -> clock, 0);
        ids.startAbove(stored);
        assertTrue(ids.next() > stored);
    }

    @Test
    void nodeMustFitItsBits() {
        assertThrows(IllegalArgumentException.class, () -> new IdGenerator(() -> clock, 1024));
        assertThrows(IllegalArgumentException.class, () -> new IdGenerator(() -> clock, -1));
    }
}
