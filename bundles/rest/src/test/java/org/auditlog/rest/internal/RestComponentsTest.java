package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import org.apache.sling.testing.mock.osgi.MockOsgi;
import org.apache.sling.testing.mock.osgi.ReferenceViolationException;
import org.apache.sling.testing.mock.osgi.junit5.OsgiContext;
import org.apache.sling.testing.mock.osgi.junit5.OsgiContextExtension;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.store.EventCursor;
import org.auditlog.api.store.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST components as Declarative Services activates them from the descriptors bnd generates: their
 * mandatory references, the REST configuration's metatype defaults, a configuration given, and a change of it
 * ({@code @Modified}) applied to the running component.
 */
@ExtendWith(OsgiContextExtension.class)
class RestComponentsTest {
    final OsgiContext context = new OsgiContext();

    @Test
    void theLimitsAreTheMetatypeDefaultsWhenNothingIsConfigured() {
        RestLimits limits = context.registerInjectActivateService(RestLimits.class);
        assertEquals(1024 * 1024, limits.maxBodyBytes());
        assertEquals(1000, limits.maxEventsPerRequest());
        assertEquals(1000, limits.maxPageSize());
        assertEquals(100, limits.defaultPageSize());
        assertSame(limits, context.getService(RestLimits.class), "registered as the service the resources use");
    }

    @Test
    void theLimitsAreTheConfiguredOnesAndTheDefaultPageIsNeverAboveTheLargest() {
        RestLimits limits = context.registerInjectActivateService(
                RestLimits.class,
                "maxBodyBytes",
                2048,
                "maxEventsPerRequest",
                5,
                "maxPageSize",
                50,
                "defaultPageSize",
                80);
        assertEquals(2048, limits.maxBodyBytes());
        assertEquals(5, limits.maxEventsPerRequest());
        assertEquals(50, limits.maxPageSize());
        assertEquals(50, limits.defaultPageSize());
    }

    @Test
    void aChangedConfigurationAppliesToTheLimitsAlreadyGivenOut() {
        RestLimits limits = context.registerInjectActivateService(RestLimits.class);
        MockOsgi.modified(limits, context.bundleContext(), "maxPageSize", 20, "defaultPageSize", 10);
        assertEquals(20, limits.maxPageSize());
        assertEquals(10, limits.defaultPageSize());
        assertEquals(1024 * 1024, limits.maxBodyBytes(), "what the change does not name is the default again");
    }

    @Test
    void sessionsNeedTheServerClock() {
        assertThrows(ReferenceViolationException.class, () -> context.registerInjectActivateService(Sessions.class));
    }

    @Test
    void sessionsKeepTheConfiguredNumberAndAChangeAppliesToTheNextSignIn() {
        context.registerService(ServerClock.class, () -> Fixtures.CLOCK);
        Sessions sessions = context.registerInjectActivateService(Sessions.class, "maxSessions", 1);
        assertNotNull(sessions.create("alt_t-ann_secret", Fixtures.ANN_TOKEN));
        ApiException full =
                assertThrows(ApiException.class, () -> sessions.create("alt_t-bob_secret", Fixtures.BOB_TOKEN));
        assertEquals(503, full.status());

        MockOsgi.modified(sessions, context.bundleContext(), "maxSessions", 2);
        Sessions.Created bob = sessions.create("alt_t-bob_secret", Fixtures.BOB_TOKEN);
        assertEquals("alt_t-bob_secret", sessions.find(bob.id()).orElseThrow().token(), "the held session stays");
    }

    @Test
    void cursorsAreSignedWithTheServersKeySoEveryServerSharingItAcceptsThem() {
        assertThrows(ReferenceViolationException.class, () -> context.registerInjectActivateService(Cursors.class));
        context.registerService(CheckpointService.class, new Components.Signer("acme-audit"));
        Cursors here = context.registerInjectActivateService(Cursors.class);
        Cursors.Search search = new Cursors.Search("ACME", "operator", null, null, null, null, null, null, null);
        EventCursor position = new EventCursor(Instant.parse("2026-11-20T09:00:00Z"), 42);
        String given = here.encode(position, search);

        assertEquals(position, Components.cursors("acme-audit").decode(given, search), "another server, same key");
        ApiException refused = assertThrows(
                ApiException.class, () -> Components.cursors("another-key").decode(given, search));
        assertEquals(400, refused.status());
    }

    @Test
    void theAuthenticatorIsGivenItsFourReferences(@TempDir Path data) throws Exception {
        context.registerService(OperatorToken.class, OperatorToken.load(Fixtures.OPERATOR_SECRET, data));
        context.registerService(TokenStore.class, new FakeTokens());
        context.registerService(AccessPolicy.class, new FakePolicy());
        assertThrows(
                ReferenceViolationException.class,
                () -> context.registerInjectActivateService(Authenticator.class),
                "no sessions yet");

        context.registerService(ServerClock.class, () -> Fixtures.CLOCK);
        Sessions sessions = context.registerInjectActivateService(Sessions.class);
        Authenticator authenticator = context.registerInjectActivateService(Authenticator.class);
        assertSame(sessions, authenticator.sessions());
        assertTrue(authenticator
                .identify("Bearer " + Fixtures.OPERATOR_SECRET, null)
                .operator());
        assertEquals(
                Fixtures.ANN_TOKEN,
                authenticator.identify("Bearer alt_t-ann_secret", null).grant());
        Sessions.Created signedIn = sessions.create("alt_t-bob_secret", Fixtures.BOB_TOKEN);
        assertEquals(
                Fixtures.BOB_TOKEN, authenticator.identify(null, signedIn.id()).grant());
    }
}
