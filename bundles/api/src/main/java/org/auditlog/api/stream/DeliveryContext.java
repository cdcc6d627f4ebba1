package org.auditlog.api.stream;

import java.time.Clock;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the server gives a destination for one attempt.
 *
 * @since 1.0
 */
@ProviderType
public interface DeliveryContext {
    /** The bound of the whole attempt, connection and acknowledgement included. */
    Duration timeout();

    /** The rule on addresses: every connection's address is checked with it, at every connection. */
    NetworkGuard guard();

    /** The server's clock (signatures' timestamps). */
    Clock clock();

    /**
     * The batch as a file with its signed digest ({@link BatchFile}), for a destination that stores files. Built on
     * demand: a destination that does not call it costs the server nothing. Empty for a test delivery
     * ({@link StreamService#test}): its event is not in the log, so nothing proves it.
     *
     * @throws IllegalStateException when the server cannot prove the batch now (its evidence service is not
     *     running): the attempt then counts as a {@link Delivery#retry} in the category {@code internal}
     * @since 1.1
     */
    java.util.Optional<BatchFile> file(StreamBatch batch);
}
