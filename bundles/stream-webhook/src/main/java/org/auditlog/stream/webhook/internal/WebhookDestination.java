package org.auditlog.stream.webhook.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
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
 * The {@code webhook} destination: each batch is one HTTPS POST of its JSON ({@link BatchJson}), signed as the
 * Standard Webhooks specification says:
 *
 * <pre>
 * webhook-id: &lt;the batch's id, the same at every attempt&gt;
 * webhook-timestamp: &lt;the attempt's time, in seconds since the epoch&gt;
 * webhook-signature: v1,&lt;base64 of HMAC-SHA256(key, id + "." + timestamp + "." + body)&gt;
 * Content-Type: application/json
 * </pre>
 *
 * where the key is the base64-decoded part of the {@code whsec_} secret the client gave. Settings: {@code url}
 * (https; plain http only to addresses the operator allows plain protocols to), the optional {@code ca} (PEM
 * certificates trusted instead of the JVM's trust store), and the secret {@code secret}. The host is resolved
 * through the server's {@link NetworkGuard} at every attempt and only the addresses it returns are connected to,
 * the host name kept for TLS (SNI and the certificate's name). How answers become outcomes: {@link Outcomes}.
 */
@Component(
        service = StreamDestination.class,
        property = StreamDestination.TYPE_PROPERTY + "=" + WebhookDestination.TYPE)
public final class WebhookDestination implements StreamDestination {
    static final String TYPE = "webhook";
    static final String USER_AGENT = "Auditlog-Webhook/1.0";

    private final HttpSender sender;
    private final Trust.Cache trust;

    @Activate
    public WebhookDestination() {
        sender = new HttpSender(USER_AGENT, "webhook-deadlines");
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
        return WebhookSettings.check(TYPE, given, stored, guard);
    }

    @Override
    public Delivery deliver(StreamBatch batch, DestinationSettings settings, DeliveryContext context) {
        long deadline = System.nanoTime() + context.timeout().toNanos();
        WebhookSettings.Target target;
        try {
            target = WebhookSettings.target(settings);
        } catch (IllegalArgumentException e) {
            return Delivery.refused("internal", "the stored settings cannot be used: " + e.getMessage());
        }
        if (!Signatures.validId(batch.id())) {
            return Delivery.refused("internal", "the batch id cannot be a webhook-id (letters, digits, - _ ~ only)");
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

        byte[] body = BatchJson.write(batch);
        long timestamp = context.clock().instant().getEpochSecond();
        List<Header> headers = List.of(
                new BasicHeader("webhook-id", batch.id()),
                new BasicHeader("webhook-timestamp", Long.toString(timestamp)),
                new BasicHeader("webhook-signature", Signatures.sign(target.key(), batch.id(), timestamp, body)));

        Delivery failed = null;
        for (InetAddress address : addresses) {
            try {
                HttpSender.Answer answer =
                        sender.post(target.url(), target.host(), target.port(), address, tls, headers, body, deadline);
                return Outcomes.of(answer, target.host(), context.clock().instant());
            } catch (IOException e) {
                failed = HttpOutcomes.of(e, target.host(), address, context.timeout());
                if (!HttpOutcomes.connectFailed(e)) {
                    return failed; // the request may have reached the receiver: not sent to another address
                }
            } catch (RuntimeException e) {
                // the client closed (the bundle stops) or failed: the server tries again
                return Delivery.retry(
                        null, "internal", "the webhook client failed: " + HttpOutcomes.quoted(String.valueOf(e)));
            }
        }
        return failed;
    }
}
