package org.auditlog.launcher;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.logging.ConsoleHandler;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Writes java.util.logging records (Jersey, HK2, SPI Fly) to {@link System#err} as the console handler did, in
 * the format of {@code java.util.logging.SimpleFormatter.format}, but as a piece of text for
 * {@link OneRecordPerLine}: the record's line, then its exception through {@link Throwable#printStackTrace}, so
 * the message stays on one line and the trace lines are marked as its continuation.
 */
final class LineHandler extends Handler {
    private final SimpleFormatter messages = new SimpleFormatter();
    private final String format;

    LineHandler(String format) {
        this.format = format;
        setLevel(Level.INFO);
    }

    /** Replaces the root logger's console handlers by this one. */
    static void install(String format) {
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler || h instanceof LineHandler) {
                root.removeHandler(h);
            }
        }
        root.addHandler(new LineHandler(format));
    }

    @Override
    public void publish(LogRecord r) {
        if (!isLoggable(r)) {
            return;
        }
        String source = r.getSourceClassName() == null ? r.getLoggerName()
                : r.getSourceClassName() + (r.getSourceMethodName() == null ? "" : " " + r.getSourceMethodName());
        String line;
        try {
            line = String.format(format, ZonedDateTime.ofInstant(r.getInstant(), ZoneId.systemDefault()), source,
                    r.getLoggerName(), r.getLevel().getLocalizedName(), messages.formatMessage(r), "");
        } catch (RuntimeException e) {
            reportError("could not format a record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        if (line.endsWith("\n")) {
            line = line.substring(0, line.length() - (line.endsWith("\r\n") ? 2 : 1));
        }
        PrintStream err = System.err;
        synchronized (err) {
            err.println(line);
            if (r.getThrown() != null) {
                r.getThrown().printStackTrace(err);
            }
        }
    }

    @Override
    public void flush() {
        System.err.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
