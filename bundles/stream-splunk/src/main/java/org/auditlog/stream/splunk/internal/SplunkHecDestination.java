package org.auditlog.stream.splunk.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.auditlog.api.stream.AddressRefusedException;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.DeliveryContext;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.SettingsRefusedException;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamDestination;
import org.auditlog.stream.http.internal.HttpOutcomes;
import org.auditlog.stream.http.internal.HttpSender;
import org.auditlog.stream.http.internal.Members;
import org.auditlog.stream.http.internal.Trust;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@code splunk-hec} destination: each batch is one HTTPS POST of its events to a Splunk HTTP Event Collector,
 * in HEC's JSON event format ({@link HecJson}):
 *
 * <pre>
 * POST {url}/services/collector/event
 * Authorization: Splunk &lt;token&gt;
 * X-Splunk-Request-Channel: &lt;the stream's channel, a UUID&gt;
 * Content-Type: application/json
 * </pre>
 *
 * With {@code ack} on (the default), the collector's answer {@code {"text":"Success","code":0,"ackId":N}} only says
 * that it has the events; the batch counts as delivered once the indexers have them, which the acknowledgement says:
 * {@code POST {url}/services/collector/ack?channel=<channel>} with {@code {"acks":[N]}}, asked again (after 0.2 s,
 * then twice as long each time, at most 2 s apart) until it answers {@code {"acks":{"N":true}}} or the attempt's
 * time has passed, which is a {@code retry} in the category {@code ack}: the batch is sent again (at least once;
 * the copies carry the same batch id and sequences). The queries go to the address that took the events. With
 * {@code ack} off, the collector's 2xx accepts the batch.
 *
 * <p>The channel is the same for every batch of a stream ({@link Channels}). The host is resolved through the
 * server's {@link NetworkGuard} at every attempt and only the addresses it returns are connected to, the host name
 * kept for TLS (SNI and the certificate's name), as the webhook destination does. How answers become outcomes:
 * {@link Outcomes}. The token is in the {@code Authorization} header alone: never in a message, and HttpClient's
 * header log shows it as {@code [token]}.
 */
@Component(
        service = StreamDestination.class,
        property = StreamDestination.TYPE_PROPERTY + "=" + SplunkHecDestination.TYPE)
public final class SplunkHecDestination implements StreamDestination {
    static final String TYPE = "splunk-hec";
    static final String USER_AGENT = "Auditlog-Splunk-HEC/1.0";
    static final String CHANNEL_HEADER = "X-Splunk-Request-Channel";
    static final Duration FIRST_ACK_QUERY = Duration.ofMillis(200);
    static final Duration MAX_ACK_QUERY_PAUSE = Duration.ofSeconds(2);

    private final HttpSender sender;
    private final Trust.Cache trust;

    @Activate
    public SplunkHecDestination() {
        sender = new HttpSender(USER_AGENT, "splunk-hec-deadlines");
        trust = new Trust.Cache();
    }

    @Deactivate
    void deactivate() {
        sender.close();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public DestinationSettings check(Map<String, Object> given, DestinationSettings stored, NetworkGuard guard)
            throws SettingsRefusedException {
        return HecSettings.check(TYPE, given, stored, guard);
    }

    @Override
    public Delivery deliver(StreamBatch batch, DestinationSettings settings, DeliveryContext context) {
        long deadline = System.nanoTime() + context.timeout().toNanos();
        HecSettings.Target target;
        try {
            target = HecSettings.target(settings);
        } catch (IllegalArgumentException e) {
            return Delivery.refused("internal", "the stored settings cannot be used: " + e.getMessage());
        }
        if (batch.events().isEmpty()) {
            // every event of these sequences was filtered out: HEC takes no empty request (code 5, No data)
            return Delivery.accepted();
        }
        Trust tls;
        try {
            tls = trust.get(target.ca());
        } catch (IllegalArgumentException e) {
            return Delivery.refused("tls", "the ca setting cannot be used: " + e.getMessage());
        }

        NetworkGuard guard = context.guard();
        List<InetAddress> addresses;
        try {
            addresses = guard.resolve(target.host());
        } catch (AddressRefusedException e) {
            return Delivery.refused("address", target.host() + ": " + e.getMessage());
        } catch (UnknownHostException e) {
            return Delivery.retry(null, "network", "the host " + target.host() + " does not resolve");
        }
        if (addresses.isEmpty()) {
            return Delivery.retry(null, "network", "the host " + target.host() + " does not resolve");
        }
        if (target.plain()) {
            for (InetAddress a : addresses) {
                if (!guard.allowsPlain(a)) {
                    return Delivery.refused("address", Members.plainRefused(target.host(), a));
                }
            }
        }

        byte[] body = HecJson.events(batch, target);
        String channel = Channels.of(batch.streamId()).toString();
        List<Header> headers = List.of(new TokenHeader(target.token()), new BasicHeader(CHANNEL_HEADER, channel));

        Delivery failed = null;
        for (InetAddress address : addresses) {
            HttpSender.Answer answer;
            try {
                answer = sender.post(
                        target.events(), target.host(), target.port(), address, tls, headers, body, deadline);
            } catch (IOException e) {
                failed = HttpOutcomes.of(e, target.host(), address, context.timeout());
                if (!HttpOutcomes.connectFailed(e)) {
                    return failed; // the events may have reached the collector: not sent to another address
                }
                continue;
            } catch (RuntimeException e) {
                return clientFailed(e);
            }
            return answered(answer, target, address, tls, headers, channel, deadline, context);
        }
        return failed;
    }

    /** The collector answered the events' request. */
    private Delivery answered(
            HttpSender.Answer answer,
            HecSettings.Target target,
            InetAddress address,
            Trust tls,
            List<Header> headers,
            String channel,
            long deadline,
            DeliveryContext context) {
        HecJson.Reply reply = HecJson.reply(answer.body());
        int status = answer.status();
        if (status < 200 || status >= 300) {
            return Outcomes.of(
                    answer,
                    reply,
                    target.host(),
                    target.token(),
                    context.clock().instant());
        }
        if (!target.ack()) {
            return Delivery.accepted();
        }
        if (reply.ackId() == null) {
            // a token without indexer acknowledgement takes the events and answers {"text":"Success","code":0}
            return Delivery.refused(
                    "rejected",
                    HttpOutcomes.said(target.host(), status) + Outcomes.hec(reply, target.token())
                            + " without an ackId: " + Outcomes.ACK_ADVICE);
        }
        return awaitAck(target, address, tls, headers, channel, reply.ackId(), deadline, context);
    }

    /** Asks the collector for the acknowledgement of {@code ackId} until it has it or the attempt's time passes. */
    private Delivery awaitAck(
            HecSettings.Target target,
            InetAddress address,
            Trust tls,
            List<Header> headers,
            String channel,
            long ackId,
            long deadline,
            DeliveryContext context) {
        URI uri = target.acks(channel);
        byte[] query = HecJson.ackQuery(ackId);
        long pause = FIRST_ACK_QUERY.toNanos();
        String problem = null;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(pause, remaining));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Delivery.retry(
                        null,
                        "ack",
                        "the wait for " + target.host() + "'s acknowledgement (ackId " + ackId
                                + ") was interrupted; the batch will be sent again");
            }
            pause = Math.min(pause * 2, MAX_ACK_QUERY_PAUSE.toNanos());
            HttpSender.Answer answer;
            try {
                answer = sender.post(uri, target.host(), target.port(), address, tls, headers, query, deadline);
            } catch (HttpSender.DeadlineException e) {
                break;
            } catch (IOException e) {
                problem = HttpOutcomes.of(e, target.host(), address, context.timeout())
                        .message();
                continue;
            } catch (RuntimeException e) {
                return clientFailed(e);
            }
            int status = answer.status();
            if (status >= 200 && status < 300) {
                if (HecJson.acknowledged(answer.body(), ackId)) {
                    return Delivery.accepted();
                }
                continue;
            }
            HecJson.Reply reply = HecJson.reply(answer.body());
            String said = HttpOutcomes.said(target.host(), status) + Outcomes.hec(reply, target.token());
            if (status == 404) {
                return Delivery.refused(
                        "rejected",
                        said + " to the acknowledgement query: it has no indexer acknowledgement; set the stream's"
                                + " ack to false");
            }
            if (status >= 500 || status == 429 || status == 408) {
                problem = said; // the events are there: the acknowledgement may still come
                continue;
            }
            return Outcomes.of(
                    answer,
                    reply,
                    target.host(),
                    target.token(),
                    context.clock().instant());
        }
        return Delivery.retry(
                null,
                "ack",
                "no acknowledgement from " + target.host() + " of the batch's events (ackId " + ackId + ") within "
                        + HttpOutcomes.seconds(context.timeout())
                        + (problem == null ? "" : "; the last query: " + problem)
                        + "; the batch will be sent again");
    }

    private static Delivery clientFailed(RuntimeException e) {
        // the client closed (the bundle stops) or failed: the server tries again
        return Delivery.retry(null, "internal", "the HEC client failed: " + HttpOutcomes.quoted(String.valueOf(e)));
    }

    /** {@code Authorization: Splunk <token>}, which shows itself (in HttpClient's header log) without the token. */
    static final class TokenHeader implements Header {
        static final String NAME = "Authorization";

        private final String value;

        TokenHeader(String token) {
            value = "Splunk " + token;
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public String getValue() {
            return value;
        }

        @Override
        public boolean isSensitive() {
            return true;
        }

        @Override
        public String toString() {
            return NAME + ": Splunk [token]";
        }
    }
}
