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
}
