package org.auditlog.rest.internal;

import java.time.Clock;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The server's time for the API's parts: the current {@link Clock} service, followed as it changes (see
 * {@code docs/event-path.md}), so that the parts themselves can take it in their constructors.
 */
@FunctionalInterface
interface ServerClock extends Supplier<Clock> {

    /** The component that follows the {@link Clock} service. */
    @Component(service = ServerClock.class)
    final class Current implements ServerClock {
        @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
        private volatile Clock clock;

        @Override
        public Clock get() {
            return clock;
        }
    }
}
