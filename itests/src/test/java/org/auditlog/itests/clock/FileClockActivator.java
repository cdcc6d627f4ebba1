package org.auditlog.itests.clock;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/** Registers a {@link FileClock} reading {@code <auditlog.data>/test-clock-offset} above the system clock. */
public final class FileClockActivator implements BundleActivator {
    public static final String FILE = "test-clock-offset";

    @Override
    public void start(BundleContext context) {
        String data = context.getProperty("auditlog.data");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 1000);
        context.registerService(
                Clock.class, new FileClock(Path.of(data == null ? "data" : data).resolve(FILE)), props);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
