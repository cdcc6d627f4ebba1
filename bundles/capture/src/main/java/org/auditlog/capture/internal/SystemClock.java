package org.auditlog.capture.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;

/**
 * The server's time: the system clock in UTC, published as a {@link Clock} service with a low ranking so
 * that any other clock service (a test's movable clock) takes precedence.
 */
@Component(service = Clock.class, property = Constants.SERVICE_RANKING + ":Integer=-1000")
public class SystemClock extends Clock {
    private final Clock delegate = Clock.systemUTC();

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return delegate.withZone(zone);
    }

    @Override
    public Instant instant() {
        return delegate.instant();
    }

    @Override
    public long millis() {
        return delegate.millis();
    }
}
