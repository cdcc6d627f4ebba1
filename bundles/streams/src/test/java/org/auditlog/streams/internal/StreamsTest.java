package org.auditlog.streams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.sling.testing.mock.osgi.MockOsgi;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.Role;
import org.auditlog.api.capture.ServerNode;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.MailStatus;
import org.auditlog.api.mail.Mailer;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.store.StoredStream;
import org.auditlog.api.store.StreamPosition;
import org.auditlog.api.store.StreamStore;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.DeliveryContext;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.SettingsRefusedException;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamConflictException;
import org.auditlog.api.stream.StreamDestination;
import org.auditlog.api.stream.StreamRequest;
import org.auditlog.api.stream.StreamService;
import org.auditlog.api.stream.StreamView;
import org.auditlog.api.work.BackgroundWork;
import org.auditlog.testing.MemoryLeases;
import org.auditlog.testing.MemoryStreams;
import org.auditlog.testing.SettableClock;
import org.auditlog.work.internal.Work;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** The streams as their admins manage them, on the component DS activates. */
class StreamsTest {
    @TempDir
    Path dir;

    final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T10:00:00Z"));
    final MemoryLeases leases = new MemoryLeases();
    final MemoryStreams store = new MemoryStreams(leases);
    final Logs logs = new Logs();
    final List<StreamBatch> tests = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<MailMessage> mails = new java.util.concurrent.CopyOnWriteArrayList<>();
    BundleContext context;
    StreamService streams;

    /** A destination type "hook" taking {url, secret}: the secret is a secret, an url with "refuse" is refused. */
    final StreamDestination hook = new StreamDestination() {
        @Override
        public String type() {
            return "hook";
        }

        @Override
        public DestinationSettings check(Map<String, Object> given, DestinationSettings stored, NetworkGuard guard)
                throws SettingsRefusedException {
            Object url = given.get("url");
            if (!(url instanceof String u) || u.contains("refuse")) {
                throw new SettingsRefusedException("destination.url", "an https URL");
            }
            Object secret = given.get("secret");
            if (secret == null && stored != null) {
                secret = stored.secret("secret");
            }
            if (!(secret instanceof String)) {
                throw new SettingsRefusedException("destination.secret", "required");
            }
            return new DestinationSettings("hook", Map.of("url", u), Map.of("secret", (String) secret));
        }

        @Override
        public Delivery deliver(StreamBatch batch, DestinationSettings settings, DeliveryContext c) {
            tests.add(batch);
            return settings.secret("secret").equals("s3cret")
                    ? Delivery.accepted()
                    : Delivery.refused("auth", "401 Unauthorized");
        }
    };

    /** Deliveries run in the background only for the test that is about them: elsewhere they would race the asserts. */
    @BeforeEach
    void start(org.junit.jupiter.api.TestInfo test) {
        int lookMillis = test.getTestMethod().orElseThrow().getName().contains("Paused") ? 50 : 60_000;
        context = MockOsgi.newBundleContext();
        context.registerService(Clock.class, clock, null);
        context.registerService(StreamStore.class, store, null);
        context.registerService(AuditStore.class, logs.events(), null);
        context.registerService(EvidenceStore.class, logs.evidence(), null);
        context.registerService(LeaseStore.class, leases, null);
        context.registerService(
                AccessPolicy.class,
                new AccessPolicy() {
                    @Override
                    public Decision mayRecord(String spaceKey) {
                        return Decision.ALLOWED;
                    }

                    @Override
                    public Decision mayUse(String spaceKey, String userId) {
                        return Decision.ALLOWED;
                    }

                    @Override
                    public Decision mayExport(String spaceKey, String userId) {
                        return Decision.ALLOWED;
                    }

                    @Override
                    public Decision mayStream(String spaceKey) {
                        return Decision.ALLOWED;
                    }
                },
                null);
        context.registerService(BackgroundWork.class, new Work(null), null);
        context.registerService(
                ServerNode.class,
                new ServerNode() {
                    @Override
                    public int nodeId() {
                        return 0;
                    }

                    @Override
                    public String holder() {
                        return "node-0/test";
                    }
                },
                null);
        context.registerService(StreamDestination.class, hook, null);
        context.registerService(
                Mailer.class,
                new Mailer() {
                    @Override
                    public synchronized boolean queue(MailMessage message) {
                        mails.add(message);
                        return true;
                    }

                    @Override
                    public Optional<MailStatus> status(String key) {
                        return Optional.empty();
                    }
                },
                null);
        context.registerService(
                OrganizationService.class,
                (OrganizationService) java.lang.reflect.Proxy.newProxyInstance(
                        getClass().getClassLoader(), new Class<?>[] {OrganizationService.class}, (p, m, a) -> {
                            if (m.getName().equals("auditAdmins")) {
                                return List.of(
                                        new Member("u-ann", "Ann", "ann@acme.example", Role.ADMIN),
                                        new Member("u-bob", "Bob", "", Role.MEMBER));
                            }
                            if (m.getName().equals("hashCode")) {
                                return System.identityHashCode(p);
                            }
                            if (m.getName().equals("equals")) {
                                return p == a[0];
                            }
                            throw new UnsupportedOperationException(m.getName());
                        }),
                null);
        streams = MockOsgi.registerInjectActivateService(
                Streams.class,
                context,
                "secretsKeyFile",
                dir.resolve("secrets.key").toString(),
                "lookMillis",
                lookMillis,
                "baseUrl",
                "https://audit.example.test/");
    }

    @AfterEach
    void stop() {
        MockOsgi.shutdown(context);
    }

    static StreamRequest request(String name, Object... destination) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("type", "hook");
        for (int i = 0; i < destination.length; i += 2) {
            d.put((String) destination[i], destination[i + 1]);
        }
        return new StreamRequest(name, d, List.of("Backlog"), List.of());
    }

    @Test
    void aStreamIsCreatedActiveWithItsSecretSealedAndNeverShown() throws Exception {
        StreamView v = streams.create("ACME", request("SIEM", "url", "https://siem.example/in", "secret", "s3cret"));
        assertTrue(v.id().startsWith("str_"), v.id());
        assertEquals("ACME", v.spaceKey());
        assertEquals("hook", v.type());
        assertEquals(Map.of("url", "https://siem.example/in"), v.settings());
        assertEquals(java.util.Set.of("secret"), v.secrets());
        assertEquals("active", v.state());
        assertFalse(v.toString().contains("s3cret"));
        StoredStream stored = store.find(v.id()).orElseThrow();
        assertFalse(
                new String(stored.sealedSecrets(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("s3cret"));
        assertEquals(List.of(v), streams.list("ACME"));
        assertEquals(List.of(), streams.list("OTHER"));
        assertTrue(streams.find("OTHER", v.id()).isEmpty(), "one organization never sees another's stream");
        assertTrue(streams.find(null, v.id()).isEmpty(), "nor is it a server-wide one");
        assertEquals(java.util.Set.of("hook"), streams.types());
    }

    @Test
    void whatCannotBeAcceptedIsNamed() throws Exception {
        assertEquals(
                "name", refused(request("", "url", "https://x", "secret", "s")).field());
        assertEquals(
                "name",
                refused(request("a\nb", "url", "https://x", "secret", "s")).field());
        assertEquals(
                "destination.type",
                refused(new StreamRequest("x", Map.of(), List.of(), List.of())).field());
        assertEquals(
                "destination.type",
                refused(new StreamRequest("x", Map.of("type", "ftp"), List.of(), List.of()))
                        .field());
        assertEquals(
                "destination.url",
                refused(request("x", "url", "https://refuse", "secret", "s")).field());
        assertEquals(
                "destination.secret", refused(request("x", "url", "https://x")).field());
        assertEquals(
                "products[1]",
                refused(new StreamRequest(
                                "x",
                                Map.of("type", "hook", "url", "https://x", "secret", "s"),
                                List.of("Apps", ""),
                                List.of()))
                        .field());
        streams.create("ACME", request("SIEM", "url", "https://x", "secret", "s"));
        SettingsRefusedException taken = refused(request("SIEM", "url", "https://y", "secret", "s"));
        assertTrue(taken instanceof StreamConflictException);
        assertEquals("name", taken.field());
        streams.create("OTHER", request("SIEM", "url", "https://x", "secret", "s")); // another organization's names
        assertEquals(0, tests.size());
    }

    @Test
    void aChangeKeepsALeftOutSecretAndTheStreamsPlace() throws Exception {
        StreamView v = streams.create("ACME", request("SIEM", "url", "https://a.example", "secret", "s3cret"));
        store.moveTo(v.id(), "ACME", Map.of("Backlog", 5L));
        StreamView changed = streams.update("ACME", v.id(), request("SIEM 2", "url", "https://b.example"))
                .orElseThrow();
        assertEquals("SIEM 2", changed.name());
        assertEquals(Map.of("url", "https://b.example"), changed.settings());
        assertEquals(
                Delivery.Outcome.ACCEPTED,
                streams.test("ACME", v.id()).orElseThrow().outcome(),
                "secret kept");
        assertEquals(5, store.positions(v.id()).get(0).next());
        assertTrue(streams.update("OTHER", v.id(), request("x", "url", "https://b"))
                .isEmpty());
    }

    @Test
    void pauseResumeDeleteAndATestDeliveryThatIsNotInTheLog() throws Exception {
        StreamView v = streams.create("ACME", request("SIEM", "url", "https://a.example", "secret", "wrong"));
        StreamView paused = streams.pause("ACME", v.id(), "user:ann").orElseThrow();
        assertEquals("paused", paused.state());
        assertEquals("user:ann", paused.pausedBy());
        StreamView resumed = streams.resume("ACME", v.id()).orElseThrow();
        assertEquals("active", resumed.state());
        assertNull(resumed.pausedBy());

        Delivery d = streams.test("ACME", v.id()).orElseThrow();
        assertEquals(Delivery.Outcome.REFUSED, d.outcome());
        assertEquals("auth", d.category());
        StreamBatch t = tests.get(0);
        assertTrue(t.id().startsWith("test-" + v.id()), t.id());
        assertEquals("Test a stream", t.events().get(0).record().event());
        assertEquals("active", streams.find("ACME", v.id()).orElseThrow().state(), "a test changes nothing");
        assertTrue(store.positions(v.id()).isEmpty());

        assertFalse(streams.delete("OTHER", v.id()));
        assertTrue(streams.delete("ACME", v.id()));
        assertTrue(streams.find("ACME", v.id()).isEmpty());
        assertTrue(streams.pause("ACME", v.id(), "user:ann").isEmpty());
    }

    @Test
    void replayMovesThePlacesBackFromAnInstantOrFromSequences() throws Exception {
        logs.append("ACME", "Backlog", 10, "Issue"); // dated 2026-11-01T00:00:00Z + sequence seconds
        logs.append("ACME", "Apps", 4, "Member");
        StreamView v = streams.create("ACME", request("SIEM", "url", "https://a.example", "secret", "s3cret"));
        store.moveTo(v.id(), "ACME", Map.of("Backlog", 10L));
        StreamView all = streams.find("ACME", v.id()).orElseThrow();
        assertEquals(1, all.logs().size(), "the stream covers Backlog only");
        assertEquals(9, all.logs().get(0).delivered());
        assertEquals(0, all.logs().get(0).backlog());

        StreamView fromInstant = streams.replay("ACME", v.id(), Instant.parse("2026-11-01T00:00:04Z"), null)
                .orElseThrow();
        assertEquals(3, fromInstant.logs().get(0).delivered());
        assertEquals(6, fromInstant.logs().get(0).backlog());

        streams.replay("ACME", v.id(), null, Map.of("Backlog", 8L));
        assertEquals(8, position(v.id(), "Backlog").next());

        assertEquals("from", refusedReplay(v.id(), null, null).field());
        assertEquals(
                "from",
                refusedReplay(v.id(), Instant.now(), Map.of("Backlog", 1L)).field());
        assertEquals(
                "sequences.Backlog",
                refusedReplay(v.id(), null, Map.of("Backlog", 11L)).field());
        assertEquals(
                "sequences.Apps",
                refusedReplay(v.id(), null, Map.of("Apps", 0L)).field());
        assertEquals(
                "sequences.Backlog",
                refusedReplay(v.id(), null, Map.of("Backlog", -1L)).field());
    }

    @Test
    void aStreamFailingForSevenDaysIsPausedAndItsAdminsAreMailed() throws Exception {
        logs.append("ACME", "Backlog", 3, "Issue");
        StreamView v = streams.create("ACME", request("SIEM <1>", "url", "https://a.example", "secret", "wrong"));
        awaitTrue(() -> !store.positions(v.id()).isEmpty()
                && store.positions(v.id()).get(0).failingSince() != null);
        awaitTrue(() -> streams.find("ACME", v.id()).orElseThrow().state().equals("failing"));
        assertEquals(List.of(), mails);

        clock.advance(java.time.Duration.ofDays(7).plusMinutes(10));
        awaitTrue(() -> streams.find("ACME", v.id()).orElseThrow().state().equals("paused"));
        StreamView paused = streams.find("ACME", v.id()).orElseThrow();
        assertEquals("failing", paused.pausedBy());
        assertEquals(-1, paused.logs().get(0).delivered(), "nothing skipped");
        assertEquals(3, paused.logs().get(0).backlog());
        awaitTrue(() -> mails.size() == 1);
        MailMessage m = mails.get(0);
        assertEquals("ann@acme.example", m.to(), "Bob has no address");
        assertEquals("Audit log stream \"SIEM <1>\" of ACME was paused", m.subject());
        assertTrue(m.text().contains("auth: 401 Unauthorized"), m.text());
        assertTrue(m.text().contains("https://audit.example.test/orgs/ACME/settings/audit-log"), m.text());
        assertTrue(m.html().contains("SIEM &lt;1&gt;"), m.html());
        assertFalse(m.text().contains("wrong"), "never the secret");
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s");
            Thread.sleep(20);
        }
    }

    private StreamPosition position(String id, String product) {
        return store.positions(id).stream()
                .filter(p -> p.product().equals(product))
                .findFirst()
                .orElseThrow();
    }

    private SettingsRefusedException refused(StreamRequest r) {
        return assertThrows(SettingsRefusedException.class, () -> streams.create("ACME", r));
    }

    private SettingsRefusedException refusedReplay(String id, Instant from, Map<String, Long> sequences) {
        return assertThrows(SettingsRefusedException.class, () -> streams.replay("ACME", id, from, sequences));
    }
}
