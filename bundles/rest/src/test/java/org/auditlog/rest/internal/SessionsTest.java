package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.api.store.TokenGrant;
import org.auditlog.testing.SettableClock;
import org.junit.jupiter.api.Test;

class SessionsTest {
    static final Instant START = Instant.parse("2026-11-20T10:00:00Z");

    static TokenGrant grant(String id, Instant expires) {
        return new TokenGrant(id, TokenGrant.MEMBER, null, "ACME", "ann", START.minusSeconds(60), expires);
    }

    @Test
    void aSessionIdIsRandomAndOnlyItsHashIsKept() {
        SettableClock clock = new SettableClock(START);
        Sessions sessions = Components.sessions(clock, "maxSessions", 100);
        Sessions.Created a = sessions.create("alt_a_secret", grant("a", null));
        Sessions.Created b = sessions.create("alt_a_secret", grant("a", null));
        assertNotEquals(a.id(), b.id());
        assertEquals(43, a.id().length()); // 256 bits, base64url without padding
        assertNotEquals(a.session().csrf(), b.session().csrf());
        assertEquals("alt_a_secret", sessions.find(a.id()).orElseThrow().token());
        assertTrue(sessions.find(a.id().substring(1)).isEmpty());
        assertTrue(sessions.find(null).isEmpty());
        assertTrue(sessions.find("x".repeat(5000)).isEmpty());
    }

    @Test
    void aSessionEndsAfterTwelveHoursOrWithItsTokenWhicheverIsFirst() {
        SettableClock clock = new SettableClock(START);
        Sessions sessions = Components.sessions(clock, "maxSessions", 100);
        Sessions.Created longToken = sessions.create("t1", grant("a", START.plus(Duration.ofDays(30))));
        Sessions.Created shortToken = sessions.create("t2", grant("b", START.plus(Duration.ofHours(2))));
        assertEquals(START.plus(Sessions.MAX_AGE), longToken.session().expires());
        assertEquals(START.plus(Duration.ofHours(2)), shortToken.session().expires());
        clock.set(START.plus(Duration.ofHours(2)));
        assertTrue(sessions.find(shortToken.id()).isEmpty());
        assertTrue(sessions.find(longToken.id()).isPresent());
        clock.set(START.plus(Sessions.MAX_AGE));
        assertTrue(sessions.find(longToken.id()).isEmpty());
    }

    @Test
    void signOutEndsTheSession() {
        SettableClock clock = new SettableClock(START);
        Sessions sessions = Components.sessions(clock, "maxSessions", 100);
        Sessions.Created s = sessions.create("t", grant("a", null));
        assertTrue(sessions.end(s.id()));
        assertFalse(sessions.end(s.id()));
        assertTrue(sessions.find(s.id()).isEmpty());
    }

    @Test
    void sessionsAreBoundedInAllAndPerToken() {
        SettableClock clock = new SettableClock(START);
        Sessions sessions = Components.sessions(clock, "maxSessions", 10);
        List<Sessions.Created> ofOneToken = new ArrayList<>();
        for (int i = 0; i < Sessions.MAX_PER_TOKEN + 2; i++) {
            clock.set(START.plusSeconds(i));
            ofOneToken.add(sessions.create("t", grant("a", null)));
        }
        // the two oldest of that token went
        assertTrue(sessions.find(ofOneToken.get(0).id()).isEmpty());
        assertTrue(sessions.find(ofOneToken.get(1).id()).isEmpty());
        assertTrue(sessions.find(ofOneToken.get(2).id()).isPresent());
        assertEquals(Sessions.MAX_PER_TOKEN, sessions.size());
        sessions.create("u", grant("b", null));
        sessions.create("v", grant("c", null));
        ApiException full = assertThrows(ApiException.class, () -> sessions.create("w", grant("d", null)));
        assertEquals(503, full.status());
        assertEquals("too_many_sessions", full.body().error());
        // once sessions expire there is room again
        clock.set(START.plus(Sessions.MAX_AGE).plusSeconds(60));
        sessions.create("w", grant("d", null));
        assertEquals(1, sessions.size());
    }

    @Test
    void theCsrfTokenIsComparedWhole() {
        SettableClock clock = new SettableClock(START);
        Sessions sessions = Components.sessions(clock, "maxSessions", 100);
        Sessions.Session s = sessions.create("t", grant("a", null)).session();
        assertTrue(Sessions.csrfMatches(s, s.csrf()));
        assertFalse(Sessions.csrfMatches(s, s.csrf().substring(1)));
        assertFalse(Sessions.csrfMatches(s, ""));
        assertFalse(Sessions.csrfMatches(s, null));
    }
}
