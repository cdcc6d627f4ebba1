package org.auditlog.stream.syslog.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.net.ssl.SSLContext;
import org.auditlog.api.stream.AddressRefusedException;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.DeliveryContext;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.SettingsRefusedException;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamDestination;
import org.auditlog.api.stream.StreamEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@code syslog} stream destination: each event as one RFC 5424 message ({@link SyslogMessage}), over TLS
 * (RFC 5425) with octet-counting framing ({@code MSG-LEN SP SYSLOG-MSG}), or over RELP ({@link Relp}) when the
 * setting {@code relp} is {@code true}; plain TCP only to networks the operator allows. One connection per attempt,
 * to one of the addresses the {@link NetworkGuard} resolved the host to at that moment; the settings are in
 * {@link SyslogSettings}, the only secret the key of an optional client certificate.
 *
 * <p>Without RELP, syslog has no acknowledgement: a batch is accepted when every frame was written and flushed,
 * the receiver had not closed the connection by then (nor within two round trips of the TLS handshake, when a
 * receiver that refuses the client closes it), and it then answered TLS's close_notify (in plain TCP, the end of
 * the stream) by closing its side, which it does once it has read everything before it
 * ({@link Connection#closeCleanly()}). Messages the receiver has read but not yet stored are lost if it crashes
 * then: the delivery is at least once only as far as the receiver's own queue is reliable. With RELP, the batch is
 * accepted when the server acknowledged every message.
 *
 * <p>Outcomes: connection refused, reset or closed early, a host that does not resolve: retry {@code network}; the
 * attempt's time ran out: retry {@code timeout}; the receiver did not close (or acknowledge) in time: retry
 * {@code ack}; a certificate that does not verify, or names another host, or a TLS handshake the receiver refused:
 * refused {@code tls} (it stays so until someone changes the receiver's certificate or the stream's settings; a
 * refused stream is still tried again, less often); an address the guard refuses (or plain TCP to an address it no
 * longer allows): refused {@code address}; a RELP server that refuses the session or a message: refused
 * {@code rejected}.
 */
@Component(service = StreamDestination.class, property = StreamDestination.TYPE_PROPERTY + "=" + SyslogSettings.TYPE)
public class SyslogDestination implements StreamDestination {
    /** The TLS contexts of the {@code ca} settings seen, at most this many kept. */
    private static final int MAX_CONTEXTS = 64;

    private final Map<String, SSLContext> contexts = new ConcurrentHashMap<>();
    private final String serverHostname;
    private final ScheduledExecutorService timer;

    @Activate
    public SyslogDestination() {
        this.serverHostname = localHostname();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("syslog-stream-deadlines");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    @Override
    public String type() {
        return SyslogSettings.TYPE;
    }

    @Override
    public DestinationSettings check(Map<String, Object> given, DestinationSettings stored, NetworkGuard guard)
            throws SettingsRefusedException {
        return SyslogSettings.check(given, stored, guard);
    }

    @Override
    public Delivery deliver(StreamBatch batch, DestinationSettings settings, DeliveryContext context) {
        long deadline = System.nanoTime() + context.timeout().toNanos();
        SyslogSettings s;
        try {
            s = SyslogSettings.of(settings);
        } catch (SettingsRefusedException e) {
            return Delivery.refused("rejected", "the stored settings are refused: " + e.getMessage());
        }
        if (batch.events().isEmpty()) {
            return Delivery.accepted();
        }
        String hostname = s.hostname() != null ? s.hostname() : serverHostname;
        List<byte[]> messages = new ArrayList<>(batch.events().size());
        List<Long> sequences = new ArrayList<>(batch.events().size());
        for (StreamEvent e : batch.events()) {
            messages.add(SyslogMessage.format(batch, e, s.facilityCode(), hostname, s.enterpriseId()));
            sequences.add(e.sequence());
        }
        try {
            List<InetAddress> addresses = addresses(s, context.guard());
            SSLContext tls = s.tls() ? tlsContext(s) : null;
            try (Connection c = Connection.open(s.host(), s.port(), addresses, tls, deadline, timer)) {
                if (s.relp()) {
                    Relp.send(c, messages, sequences);
                } else {
                    sendFrames(c, messages);
                    c.closeCleanly();
                }
            }
            return Delivery.accepted();
        } catch (Failure f) {
            return f.delivery();
        }
    }

    /** Writes each message as an octet-counted frame (RFC 5425, 4.3; RFC 6587, 3.4.1): {@code MSG-LEN SP MSG}. */
    static void sendFrames(Connection c, List<byte[]> messages) throws Failure {
        try {
            for (byte[] m : messages) {
                c.out().write((m.length + " ").getBytes(StandardCharsets.US_ASCII));
                c.out().write(m);
            }
            c.out().flush();
        } catch (IOException e) {
            throw c.failure("sending to", e);
        }
    }

    /** The host's addresses now, as the guard allows them; for plain TCP, those it allows plain TCP to. */
    private static List<InetAddress> addresses(SyslogSettings s, NetworkGuard guard) throws Failure {
        List<InetAddress> addresses;
        try {
            addresses = guard.resolve(s.host());
        } catch (AddressRefusedException e) {
            throw Failure.refused("address", e.getMessage());
        } catch (UnknownHostException e) {
            throw Failure.retry("network", s.host() + " does not resolve");
        }
        if (addresses.isEmpty()) {
            throw Failure.retry("network", s.host() + " does not resolve");
        }
        if (s.tls()) {
            return addresses;
        }
        List<InetAddress> plain = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (guard.allowsPlain(a)) {
                plain.add(a);
            }
        }
        if (plain.isEmpty()) {
            throw Failure.refused(
                    "address",
                    "plain TCP to " + addresses.get(0).getHostAddress() + " is not allowed: allow its network in "
                            + "AUDITLOG_STREAMS_ALLOWED_NETWORKS, or use TLS");
        }
        return plain;
    }

    /**
     * The TLS context of the settings: trusting {@code ca} (else the JVM's trust store), presenting the client
     * certificate if there is one. Kept by a digest of what it is made of, so the map holds no key.
     */
    private SSLContext tlsContext(SyslogSettings s) throws Failure {
        String key;
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {s.ca(), s.clientCertificate(), s.clientKey()}) {
                digest.update((part == null ? "-" : part + "\u0000").getBytes(StandardCharsets.UTF_8));
            }
            key = HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        SSLContext context = contexts.get(key);
        if (context != null) {
            return context;
        }
        try {
            context = Tls.context(s.ca(), s.clientCertificate(), s.clientKey());
        } catch (GeneralSecurityException | IOException e) {
            throw Failure.refused("tls", "the certificates or the client key cannot be used: " + e.getMessage());
        }
        if (contexts.size() >= MAX_CONTEXTS) {
            contexts.clear();
        }
        contexts.put(key, context);
        return context;
    }

    /** The server's host name as HOSTNAME wants it (printable ASCII, at most 255), {@code -} when it has none. */
    static String localHostname() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = System.getenv("HOSTNAME");
        }
        if (name == null || name.isEmpty() || !SyslogSettings.printableAscii(name)) {
            return "-";
        }
        return name.length() > 255 ? name.substring(0, 255) : name;
    }
}
