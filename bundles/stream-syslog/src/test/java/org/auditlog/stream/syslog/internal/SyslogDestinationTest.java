package org.auditlog.stream.syslog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apache.sling.testing.mock.osgi.MockOsgi;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.SettingsRefusedException;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamDestination;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The syslog destination against a real receiver, rsyslog ({@link Rsyslogd}), started by the test on loopback with
 * a certificate of the test's CA ({@link TestPki}) for {@code syslog.test}, a name the tests' guard resolves to
 * 127.0.0.1. What rsyslog wrote is what a SIEM behind it would get.
 */
class SyslogDestinationTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path folder;

    private static TestPki pki;
    private static Rsyslogd rsyslog;
    private static BundleContext bundle;
    private static StreamDestination destination;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(folder);
        rsyslog = Rsyslogd.start(folder, pki);
        bundle = MockOsgi.newBundleContext();
        destination = MockOsgi.registerInjectActivateService(SyslogDestination.class, bundle);
    }

    @AfterAll
    static void stop() throws Exception {
        if (destination != null) {
            MockOsgi.deactivate(destination, bundle);
        }
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    private static TestGuard guard() {
        return new TestGuard().name(TestPki.HOST, LOOPBACK).name("other.test", LOOPBACK);
    }

    private static Map<String, Object> tls(int port) throws Exception {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("host", TestPki.HOST);
        given.put("port", port);
        given.put("ca", pki.ca());
        given.put("hostname", "auditlog-test");
        return given;
    }

    private static Map<String, Object> withClientCertificate(Map<String, Object> given) throws Exception {
        given.put("clientCertificate", pki.clientCertificate());
        given.put("clientKey", pki.clientKey());
        return given;
    }

    private static Delivery deliver(StreamBatch batch, Map<String, Object> given, TestGuard guard) throws Exception {
        DestinationSettings settings = destination.check(given, null, guard);
        return destination.deliver(batch, settings, guard.context(TIMEOUT));
    }

    private static List<String> received(String organization, int count) throws Exception {
        return rsyslog.await(line -> line.contains(" organization=\"" + organization + "\" "), count);
    }

    @Test
    void theDestinationIsTheSyslogType() {
        ServiceReference<StreamDestination> reference = bundle.getServiceReference(StreamDestination.class);
        assertEquals("syslog", reference.getProperty(StreamDestination.TYPE_PROPERTY));
        assertEquals("syslog", destination.type());
    }

    @Test
    void everyEventArrivesOnceInOrderWithItsStructuredData() throws Exception {
        TestGuard guard = guard();
        StreamBatch first = Events.batch(
                "ORDER",
                0,
                "PROJECT-1 [x] was added\r\nsecond line ] 課題 \"quoted\"",
                "PROJECT-2 was added",
                "PROJECT-3 was added");
        StreamBatch second = Events.batch("ORDER", 3, "PROJECT-4 was added", "PROJECT-5 was added");

        DestinationSettings settings = destination.check(tls(rsyslog.tlsPort), null, guard);
        int resolved = guard.resolutions(TestPki.HOST);

        assertEquals(Delivery.accepted(), destination.deliver(first, settings, guard.context(TIMEOUT)));
        assertEquals(Delivery.accepted(), destination.deliver(second, settings, guard.context(TIMEOUT)));

        List<String> lines = received("ORDER", 5);
        assertEquals(5, lines.size(), "each event once: " + lines);
        assertEquals(
                "<134>1 2026-11-01T09:30:00.123Z auditlog-test auditlog - Backlog [auditlog@32473"
                        + " id=\"912420565585756160\" sequence=\"0\" organization=\"ORDER\" product=\"Backlog\""
                        + " batch=\"s1-ORDER-Backlog-0-2\" category=\"Issue\" event=\"Add an issue\" user=\"u1\""
                        + " userName=\"Ann \\\"the admin\\\"\" email=\"ann@acme.example\" ip=\"203.0.113.5\""
                        + " userAgent=\"Mozilla/5.0 (X11; Linux x86_64)\"]"
                        + " \uFEFFPROJECT-1 [x] was added#015#012second line ] 課題 \"quoted\"",
                lines.get(0));
        List<String> expected = new ArrayList<>();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add("2026-11-01T09:30:0" + i + ".123Z sequence=" + i + " batch=s1-ORDER-Backlog-"
                    + (i < 3 ? "0-2" : "3-4") + " PROJECT-" + (i + 1));
            String line = lines.get(i);
            got.add(line.split(" ")[1] + " sequence=" + value(line, "sequence") + " batch=" + value(line, "batch") + " "
                    + line.substring(line.indexOf('\uFEFF') + 1).split(" ")[0]);
        }
        assertEquals(expected, got);
        assertEquals(resolved + 2, guard.resolutions(TestPki.HOST), "the host is resolved at every connection");
    }

    @Test
    void tls12ReceiversCloseCleanlyToo() throws Exception {
        assertEquals(
                Delivery.accepted(), deliver(Events.batch("TLS12", 7, "one", "two"), tls(rsyslog.tls12Port), guard()));
        List<String> lines = received("TLS12", 2);
        assertEquals(
                List.of("7", "8"), lines.stream().map(l -> value(l, "sequence")).toList());
    }

    @Test
    void relpDeliversWithAcknowledgements() throws Exception {
        Map<String, Object> given = withClientCertificate(tls(rsyslog.relpPort));
        given.put("relp", true);
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            actions.add("RELP event " + i);
        }
        StreamBatch batch = Events.batch("RELP", 100, actions.toArray(new String[0]));

        assertEquals(Delivery.accepted(), deliver(batch, given, guard()));

        List<String> lines = received("RELP", 300);
        assertEquals(300, lines.size());
        for (int i = 0; i < 300; i++) {
            assertEquals(Long.toString(100 + i), value(lines.get(i), "sequence"));
            assertTrue(lines.get(i).endsWith("\uFEFFRELP event " + i), lines.get(i));
        }
    }

    @Test
    void aReceiverThatRequiresAClientCertificateGetsIt() throws Exception {
        Delivery without = deliver(Events.batch("CLIENTAUTH", 0, "refused"), tls(rsyslog.clientAuthPort), guard());
        Map<String, Object> notPermitted = tls(rsyslog.clientAuthPort);
        notPermitted.put("clientCertificate", Files.readString(pki.serverPem)); // for syslog.test: not permitted
        notPermitted.put("clientKey", pki.serverKey());
        Delivery other = deliver(Events.batch("CLIENTAUTH", 0, "refused"), notPermitted, guard());
        assertEquals(
                Delivery.accepted(),
                deliver(
                        Events.batch("CLIENTAUTH", 1, "accepted"),
                        withClientCertificate(tls(rsyslog.clientAuthPort)),
                        guard()));

        // rsyslog closes (or resets) the connection right after the handshake: that close is no answer to the
        // client's, and the batch is not taken for delivered.
        for (Delivery refused : List.of(without, other)) {
            assertEquals(Delivery.Outcome.RETRY, refused.outcome(), refused.toString());
            assertEquals("network", refused.category());
        }
        List<String> lines = received("CLIENTAUTH", 1);
        assertEquals(List.of("1"), lines.stream().map(l -> value(l, "sequence")).toList());
    }

    @Test
    void aLongActionIsCutToTheLargestMessageAndMarked() throws Exception {
        String action = "é".repeat(10_000);

        assertEquals(Delivery.accepted(), deliver(Events.batch("LONG", 0, action), tls(rsyslog.tlsPort), guard()));

        List<String> lines = received("LONG", 1);
        assertEquals(1, lines.size());
        String line = lines.get(0);
        assertEquals("msg", value(line, "cut"));
        String msg = line.substring(line.indexOf('\uFEFF') + 1);
        assertTrue(action.startsWith(msg) && msg.length() > 3000, "a prefix of the action, " + msg.length());
        // rsyslog wrote the whole message it got: its header, structured data and the action cut between two
        // characters (of two octets each), 8192 octets or one less.
        int octets = line.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(octets == 8192 || octets == 8191, octets + " octets");
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        Map<String, Object> given = tls(rsyslog.tlsPort);
        given.put("host", "other.test");

        Delivery d = deliver(Events.batch("OTHERNAME", 0, "never"), given, guard());

        assertEquals(Delivery.Outcome.REFUSED, d.outcome(), d.toString());
        assertEquals("tls", d.category());
        assertTrue(d.message().contains("other.test"), d.message());
        assertEquals(List.of(), received("OTHERNAME", 0));
    }

    @Test
    void aCertificateOfAnUntrustedCaIsRefused() throws Exception {
        Map<String, Object> otherCa = tls(rsyslog.tlsPort);
        otherCa.put("ca", pki.otherCa());
        Map<String, Object> jvmTrust = tls(rsyslog.tlsPort);
        jvmTrust.remove("ca");

        for (Map<String, Object> given : List.of(otherCa, jvmTrust)) {
            Delivery d = deliver(Events.batch("UNTRUSTED", 0, "never"), given, guard());
            assertEquals(Delivery.Outcome.REFUSED, d.outcome(), d.toString());
            assertEquals("tls", d.category());
        }
        assertEquals(List.of(), received("UNTRUSTED", 0));
    }

    @Test
    void plainTcpOnlyWhereTheGuardAllowsIt() throws Exception {
        Map<String, Object> given = new LinkedHashMap<>(Map.of("host", TestPki.HOST, "port", rsyslog.plainPort));
        given.put("tls", false);

        SettingsRefusedException e =
                assertThrows(SettingsRefusedException.class, () -> destination.check(given, null, guard()));
        assertEquals("destination.tls", e.field());

        TestGuard allowing = guard().allowPlain(LOOPBACK);
        DestinationSettings settings = destination.check(given, null, allowing);
        assertEquals(
                Delivery.accepted(),
                destination.deliver(Events.batch("PLAIN", 0, "in the clear"), settings, allowing.context(TIMEOUT)));
        assertEquals(
                List.of("0"),
                received("PLAIN", 1).stream().map(l -> value(l, "sequence")).toList());

        // The operator no longer allows it: the stored stream is refused, nothing is sent.
        Delivery d = destination.deliver(Events.batch("PLAIN", 1, "no more"), settings, guard().context(TIMEOUT));
        assertEquals(Delivery.Outcome.REFUSED, d.outcome(), d.toString());
        assertEquals("address", d.category());
        assertEquals(1, received("PLAIN", 1).size());
    }

    @Test
    void aPortThatAnswersSomethingElseThanTlsIsRefused() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 5, LOOPBACK)) {
            Thread server = new Thread(() -> {
                try (Socket s = http.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    s.getInputStream().readAllBytes(); // until the client closes
                } catch (java.io.IOException e) {
                    // the client went
                }
            });
            server.start();

            Delivery d = deliver(Events.batch("HTTP", 0, "never"), tls(http.getLocalPort()), guard());

            assertEquals(Delivery.Outcome.REFUSED, d.outcome(), d.toString());
            assertEquals("tls", d.category());
            server.join(5_000);
        }
    }

    @Test
    void anAddressTheGuardRefusesIsRefused() throws Exception {
        Map<String, Object> given = tls(rsyslog.tlsPort);
        SettingsRefusedException e = assertThrows(
                SettingsRefusedException.class, () -> destination.check(given, null, guard().refuse(LOOPBACK)));
        assertEquals("destination.host", e.field());

        // Stored while allowed, refused when the name resolves where the guard refuses to go.
        DestinationSettings settings = destination.check(given, null, guard());
        Delivery d = destination.deliver(
                Events.batch("GUARD", 0, "never"),
                settings,
                guard().refuse(LOOPBACK).context(TIMEOUT));
        assertEquals(Delivery.Outcome.REFUSED, d.outcome(), d.toString());
        assertEquals("address", d.category());
        assertTrue(d.message().contains("127.0.0.1"), d.message());
        assertEquals(List.of(), received("GUARD", 0));
    }

    @Test
    void aReceiverThatIsDownIsRetried() throws Exception {
        for (boolean relp : new boolean[] {false, true}) {
            Map<String, Object> given = tls(Rsyslogd.freePort());
            given.put("relp", relp);

            Delivery d = deliver(Events.batch("DOWN", 0, "never"), given, guard());

            assertEquals(Delivery.Outcome.RETRY, d.outcome(), d.toString());
            assertEquals("network", d.category());
        }
    }

    @Test
    void aReceiverThatNeverAnswersTimesOutWithinTheBound() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, LOOPBACK)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never read nor write
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            acceptor.start();
            TestGuard allowing = guard().allowPlain(LOOPBACK);

            // TLS: the handshake gets no answer.
            DestinationSettings tls = destination.check(tls(silent.getLocalPort()), null, allowing);
            long start = System.nanoTime();
            Delivery d =
                    destination.deliver(Events.batch("SILENT", 0, "x"), tls, allowing.context(Duration.ofSeconds(1)));
            assertEquals(Delivery.Outcome.RETRY, d.outcome(), d.toString());
            assertEquals("timeout", d.category());

            // Plain TCP: the writes fill the socket's buffers and block until the deadline closes the connection.
            Map<String, Object> plain =
                    new LinkedHashMap<>(Map.of("host", TestPki.HOST, "port", silent.getLocalPort(), "tls", false));
            String[] actions = new String[4000];
            java.util.Arrays.fill(actions, "x".repeat(7000));
            d = destination.deliver(
                    Events.batch("SILENT", 1, actions),
                    destination.check(plain, null, allowing),
                    allowing.context(Duration.ofSeconds(1)));
            assertEquals(Delivery.Outcome.RETRY, d.outcome(), d.toString());
            assertEquals("timeout", d.category());
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed < 5_000, "two attempts of 1 s each took " + elapsed + " ms");
            silent.close();
            acceptor.join(5_000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aReceiverThatReadsButDoesNotCloseIsNotTakenForHavingRead() throws Exception {
        try (SSLServerSocket server =
                (SSLServerSocket) pki.serverContext().getServerSocketFactory().createServerSocket(0, 5, LOOPBACK)) {
            CountDownLatch readToTheEnd = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread receiver = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) {
                        // read the frames and the client's close_notify
                    }
                    readToTheEnd.countDown();
                    release.await(); // and keep the connection open
                } catch (Exception e) {
                    // the test ends it
                }
            });
            receiver.start();

            Delivery d = destination.deliver(
                    Events.batch("NOCLOSE", 0, "x"),
                    destination.check(tls(server.getLocalPort()), null, guard()),
                    guard().context(Duration.ofSeconds(2)));

            assertTrue(readToTheEnd.await(1, TimeUnit.SECONDS), "the receiver got the client's close_notify");
            assertEquals(Delivery.Outcome.RETRY, d.outcome(), d.toString());
            assertEquals("ack", d.category());
            release.countDown();
            receiver.join(5_000);
        }
    }

    @Test
    void anEmptyBatchIsAcceptedWithoutConnecting() throws Exception {
        TestGuard guard = guard();
        DestinationSettings settings = destination.check(tls(rsyslog.tlsPort), null, guard);
        int before = guard.resolutions(TestPki.HOST);
        StreamBatch empty = new StreamBatch("s1-EMPTY-Backlog-0-9", "s1", "EMPTY", "Backlog", 0, 9, List.of(), 1);

        assertEquals(Delivery.accepted(), destination.deliver(empty, settings, guard.context(TIMEOUT)));
        assertEquals(before, guard.resolutions(TestPki.HOST));
    }

    /** The value of the SD-PARAM {@code name} in a received line (values of the tests hold no escapes). */
    static String value(String line, String name) {
        int start = line.indexOf(" " + name + "=\"");
        if (start < 0) {
            return null;
        }
        start += name.length() + 3;
        return line.substring(start, line.indexOf('"', start));
    }
}
