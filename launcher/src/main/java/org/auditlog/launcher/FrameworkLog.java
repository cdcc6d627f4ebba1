package org.auditlog.launcher;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The framework's own messages (a bundle that does not resolve, an activator that threw) as records of the logging
 * backend: Felix writes them to standard output unless it is given a logger ({@code felix.log.logger}). They go
 * through java.util.logging, which Pax Logging routes into its backend, under the logger name
 * {@code org.apache.felix.framework}.
 */
final class FrameworkLog extends org.apache.felix.framework.Logger {
    private static final Logger LOG = Logger.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        String text = msg;
        if (sr != null) {
            text = sr + ": " + text;
        } else if (bundle != null) {
            text = bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]: " + text;
        }
        LOG.log(level(level), text, throwable);
    }

    private static Level level(int level) {
        return switch (level) {
            case LOG_ERROR -> Level.SEVERE;
            case LOG_WARNING -> Level.WARNING;
            case LOG_INFO -> Level.INFO;
            default -> Level.FINE;
        };
    }
}
