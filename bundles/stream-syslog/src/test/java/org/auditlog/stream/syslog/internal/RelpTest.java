package org.auditlog.stream.syslog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.apache.sling.testing.mock.osgi.MockOsgi;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.StreamDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

/**
 * RELP against receivers that misbehave, which rsyslog does not: a server that answers 500, one that acknowledges
 * only part of a batch, one that closes. Plain TCP to loopback, which the tests' guard allows.
 */
class RelpTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private BundleContext bundle;
    private StreamDestination destination;
    private ServerSocket server;
    private final List<String> commands = new CopyOnWriteArrayList<>();

    @BeforeEach
    void activate() throws IOException {
        bundle = MockOsgi.newBundleContext();
        destination = MockOsgi.registerInjectActivateService(SyslogDestination.class, bundle);
        server = new ServerSocket(0, 5, LOOPBACK);
    }

    @AfterEach
    void deactivate() throws IOException {
        server.close();
        MockOsgi.deactivate(destination, bundle);
    }

    /**
     * Serves one session: answers {@code open} with {@code openAnswer}, and each {@code syslog} command (numbered
     * from 0) with what {@code answer} says (or nothing, when it says {@code null}).
     */
    private void serve(String openAnswer, BiFunction<Integer, String, String> answer) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                int n = 0;
                while (true) {
                    Relp.Frame f = Relp.read(in);
                    commands.add(f.txnr() + " " + f.command());
                    String reply = switch (f.command()) {
                        case "open" -> openAnswer;
                        case "syslog" -> answer.apply(n++, new String(f.data(), StandardCharsets.UTF_8));
                        default -> "200 OK";
                    };
                    if (reply != null) {
                        Relp.command(out, f.txnr(), "rsp", reply.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    if (f.command().equals("close")) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private Delivery deliver(int events, Duration timeout) throws Exception {
        TestGuard guard = new TestGuard().name("relp.test", LOOPBACK).allowPlain(LOOPBACK);
        String[] actions = new String[events];
        for (int i = 0; i < events; i++) {
            actions[i] = "event " + i;
        }
        return destination.deliver(
                Events.batch("RELP", 10, actions),
                destination.check(
                        Map.of("host", "relp.test", "port", server.getLocalPort(), "tls", false, "relp", true),
                        null,
                        guard),
                guard.context(timeout));
    }

    @Test
    void everyMessageAcknowledgedIsDelivered() throws Exception {
        serve("200 OK\nrelp_version=0\nrelp_software=test\ncommands=syslog", (n, m) -> "200 OK");

        assertEquals(Delivery.accepted(), deliver(200, Duration.ofSeconds(5)));

        assertEquals("1 open", commands.get(0));
        assertEquals("2 syslog", commands.get(1));
        assertEquals("201 syslog", commands.get(200));
        assertEquals("202 close", commands.get(201));
    }

    @Test
    void aMessageAnswered500IsRefused() throws Exception {
        serve("200 OK\ncommands=syslog", (n, m) -> n == 3 ? "500 no room" : "200 OK");

        Delivery d = deliver(5, Duration.ofSeconds(5));

        assertEquals(Delivery.Outcome.REFUSED, d.outcome(), d.toString());
        assertEquals("rejected", d.category());
        assertEquals("the RELP server answered \"500 no room\" to the event of sequence 13", d.message());
    }

    @Test
    void aServerWithoutTheSyslogCommandIsRefused() throws Exception {
        serve("200 OK\nrelp_version=0\ncommands=eventlog", (n, m) -> "200 OK");

        Delivery d = deliver(1, Duration.ofSeconds(5));

        assertEquals(Delivery.Outcome.REFUSED, d.outcome(), d.toString());
        assertEquals("the RELP server does not offer the syslog command", d.message());
    }

    @Test
    void messagesNotAcknowledgedInTimeAreRetried() throws Exception {
        serve("200 OK\ncommands=syslog", (n, m) -> n < 2 ? "200 OK" : null);

        Delivery d = deliver(4, Duration.ofSeconds(1));

        assertEquals(Delivery.Outcome.RETRY, d.outcome(), d.toString());
        assertEquals("ack", d.category());
        assertTrue(d.message().contains("acknowledged 2 of 4 messages"), d.message());
    }

    @Test
    void aServerThatClosesMidBatchIsRetried() throws Exception {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                Relp.Frame open = Relp.read(in);
                Relp.command(s.getOutputStream(), open.txnr(), "rsp", "200 OK\ncommands=syslog".getBytes());
                Relp.read(in);
                Relp.command(s.getOutputStream(), 0, "serverclose", new byte[0]);
            } catch (IOException e) {
                // the client went
            }
        });
        t.start();

        Delivery d = deliver(3, Duration.ofSeconds(5));

        assertEquals(Delivery.Outcome.RETRY, d.outcome(), d.toString());
        assertEquals("network", d.category());
        t.join(5_000);
    }

    @Test
    void framesFollowTheGrammar() throws Exception {
        Relp.Frame f = Relp.read(new ByteArrayInputStream("12 rsp 6 200 OK\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(12, f.txnr());
        assertEquals("rsp", f.command());
        assertEquals(200, f.status());
        Relp.Frame empty = Relp.read(new ByteArrayInputStream("0 serverclose 0\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, empty.data().length);
        for (String bad : List.of("1 rsp 6 200 OK", "1 rsp 60 200 OK\n", "x rsp 0\n", "1 r5p 0\n", "1 rsp 3 abcd\n")) {
            assertThrows(IOException.class, () -> Relp.read(new ByteArrayInputStream(bad.getBytes())), bad);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Relp.command(out, 7, "syslog", "<134>1 x".getBytes(StandardCharsets.US_ASCII));
        Relp.command(out, 8, "close", new byte[0]);
        assertEquals("7 syslog 8 <134>1 x\n8 close 0\n", out.toString(StandardCharsets.US_ASCII));
        List<Integer> numbers = new ArrayList<>();
        for (int i : new int[] {0, 1, 999_999_997, 999_999_998}) {
            numbers.add(Relp.txnr(i));
        }
        assertEquals(List.of(2, 3, 999_999_999, 1), numbers);
    }
}
