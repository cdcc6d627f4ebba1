package org.auditlog.api.stream;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A type of stream destination ({@code webhook}, {@code splunk-hec}, {@code syslog}, {@code s3}), registered as an
 * OSGi service with the property {@value #TYPE_PROPERTY}. Bundles implementing it may come, go and be upgraded
 * while the server runs: a stream whose type is missing waits, its place kept, until one is there again.
 *
 * <p>Implementations are called from several threads at once (one stream at a time per thread) and keep no state
 * per stream beyond what {@link DestinationSettings} carries, except connections they may pool.
 *
 * @since 1.0
 */
@ConsumerType
public interface StreamDestination {
    /** Service property naming the type, equal to {@link #type()}. */
    String TYPE_PROPERTY = "auditlog.stream.type";

    /** The type's name: lower case letters, digits and dashes. */
    String type();

    /**
     * Checks the {@code destination} object of a stream as a client gave it (its {@code type} removed) and returns
     * the settings to store, with secrets apart. Called at creation and at every change; a change may leave a
     * secret out to keep the one stored ({@code stored}), or give it again to replace it.
     *
     * @param given the JSON object's members: strings, numbers, booleans, lists or maps as parsed
     * @param stored the settings stored until now, or {@code null} at creation
     * @param guard the server's rule on addresses, to refuse a destination that resolves where it may not go
     * @throws SettingsRefusedException naming the member ({@code destination.url}) and the rule it broke
     */
    DestinationSettings check(Map<String, Object> given, DestinationSettings stored, NetworkGuard guard)
            throws SettingsRefusedException;

    /**
     * Delivers one batch and says how it went; never throws for a failure of the destination (a thrown exception
     * counts as a {@link Delivery#retry} in the category {@code internal}). Blocks until the destination has
     * accepted the batch or the attempt failed, within {@link DeliveryContext#timeout()}.
     */
    Delivery deliver(StreamBatch batch, DestinationSettings settings, DeliveryContext context);
}
