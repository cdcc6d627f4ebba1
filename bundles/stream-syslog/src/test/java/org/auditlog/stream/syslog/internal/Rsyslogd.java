package org.auditlog.stream.syslog.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real rsyslog receiving on loopback: {@code rsyslogd -n -f <conf> -i <pidfile>}, a child process of the test
 * with its configuration, work directory and output in a folder of the test (not the machine's daemon, nothing
 * that needs root), listening on
 *
 * <ul>
 *   <li>{@link #tlsPort}: imtcp with the GnuTLS driver in TLS mode ({@code StreamDriver.Mode="1"}), clients not
 *       authenticated ({@code anon}), serving the certificate of {@link TestPki};
 *   <li>{@link #tls12Port}: the same, TLS 1.2 only;
 *   <li>{@link #plainPort}: imtcp in plain TCP;
 *   <li>{@link #relpPort}: imrelp over TLS, which requires a client certificate: the one of {@link TestPki#CLIENT};
 *   <li>{@link #clientAuthPort}: imtcp in TLS requiring the client certificate of {@link TestPki#CLIENT}
 *       ({@code x509/name}).
 * </ul>
 *
 * <p>rsyslog takes messages of up to 8096 octets by default; {@code maxMessageSize} is raised to RFC 5425's 8192.
 *
 * <p>Every message received is written to {@code received.log} in {@code RSYSLOG_SyslogProtocol23Format}, one line
 * a message (rsyslog escapes control characters on receipt: CR LF is written {@code #015#012}).
 */
final class Rsyslogd implements AutoCloseable {
    static final String PACKAGES = "rsyslog rsyslog-gnutls rsyslog-relp";

    final int tlsPort;
    final int tls12Port;
    final int plainPort;
    final int relpPort;
    final int clientAuthPort;
    private final Path folder;
    private final Path received;
    private final Path output;
    private Process process;

    private Rsyslogd(Path folder, int tlsPort, int tls12Port, int plainPort, int relpPort, int clientAuthPort) {
        this.folder = folder;
        this.tlsPort = tlsPort;
        this.tls12Port = tls12Port;
        this.plainPort = plainPort;
        this.relpPort = relpPort;
        this.clientAuthPort = clientAuthPort;
        this.received = folder.resolve("received.log");
        this.output = folder.resolve("rsyslogd.out");
    }

    /** Starts rsyslogd in {@code folder}; fails the test, naming the Debian packages, when it is not installed. */
    static Rsyslogd start(Path folder, TestPki pki) throws Exception {
        Path binary = binary();
        Rsyslogd r = new Rsyslogd(folder, freePort(), freePort(), freePort(), freePort(), freePort());
        Path work = Files.createDirectories(folder.resolve("work"));
        String conf = String.join(
                "\n",
                "global(workDirectory=\"" + work + "\"",
                "       defaultNetstreamDriverCAFile=\"" + pki.caPem + "\"",
                "       defaultNetstreamDriverCertFile=\"" + pki.serverPem + "\"",
                "       defaultNetstreamDriverKeyFile=\"" + pki.serverKey + "\")",
                "global(maxMessageSize=\"8192\")",
                "module(load=\"imtcp\")",
                "module(load=\"imrelp\")",
                "ruleset(name=\"received\") {",
                "  action(type=\"omfile\" file=\"" + r.received + "\" template=\"RSYSLOG_SyslogProtocol23Format\")",
                "}",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + r.tlsPort + "\" ruleset=\"received\"",
                "      streamDriver.name=\"gtls\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\")",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + r.tls12Port + "\" ruleset=\"received\"",
                "      streamDriver.name=\"gtls\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\"",
                "      gnutlsPriorityString=\"NORMAL:-VERS-TLS1.3\")",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + r.plainPort + "\" ruleset=\"received\"",
                "      streamDriver.name=\"ptcp\" streamDriver.mode=\"0\")",
                "input(type=\"imrelp\" address=\"127.0.0.1\" port=\"" + r.relpPort + "\" ruleset=\"received\"",
                "      tls=\"on\" tls.cacert=\"" + pki.caPem + "\" tls.mycert=\"" + pki.serverPem + "\"",
                "      tls.myprivkey=\"" + pki.serverKey + "\"",
                "      tls.authMode=\"name\" tls.permittedPeer=[\"" + TestPki.CLIENT + "\"])",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + r.clientAuthPort + "\" ruleset=\"received\"",
                "      streamDriver.name=\"gtls\" streamDriver.mode=\"1\" streamDriver.authMode=\"x509/name\"",
                "      permittedPeer=[\"" + TestPki.CLIENT + "\"])",
                "");
        Path confFile = folder.resolve("rsyslog.conf");
        Files.writeString(confFile, conf);
        r.process = new ProcessBuilder(
                        binary.toString(),
                        "-n",
                        "-f",
                        confFile.toString(),
                        "-i",
                        folder.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(r.output.toFile())
                .start();
        r.awaitListening(Duration.ofSeconds(30));
        return r;
    }

    /** The lines received so far that {@code wanted} selects. */
    List<String> lines(Predicate<String> wanted) throws IOException {
        if (!Files.exists(received)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(received, StandardCharsets.UTF_8)) {
            if (wanted.test(line)) {
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * The lines {@code wanted} selects once there are {@code count} of them, or what there is after a few seconds
     * (rsyslog writes what it received a little later; a line more than expected shows up in the meantime too).
     */
    List<String> await(Predicate<String> wanted, int count) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> lines = lines(wanted);
        while (lines.size() < count && System.nanoTime() < end) {
            Thread.sleep(50);
            lines = lines(wanted);
        }
        Thread.sleep(200);
        return lines(wanted);
    }

    /** What rsyslogd printed. */
    String output() throws IOException {
        return Files.exists(output) ? Files.readString(output) : "";
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Path binary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "rsyslogd"))) {
                return Path.of(dir, "rsyslogd");
            }
        }
        return fail("rsyslogd is not installed: these tests need a real syslog receiver, Debian's packages " + PACKAGES
                + " (apt-get install -y " + PACKAGES + ", as root)");
    }

    private void awaitListening(Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        for (int port : new int[] {tlsPort, tls12Port, plainPort, relpPort, clientAuthPort}) {
            while (!listening(port)) {
                String said = output();
                if (!process.isAlive()
                        || System.nanoTime() > end
                        || said.contains("Could not create tcp listener")
                        || said.contains("could not activate relp listener")) {
                    close();
                    fail("rsyslogd did not start listening on 127.0.0.1:" + port + " (are Debian's packages " + PACKAGES
                            + " installed?); it said:\n" + output());
                }
                Thread.sleep(50);
            }
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
