package org.auditlog.logging.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;

/**
 * {@code %tabex}: the record's exception, if it has one, as {@link Throwable#printStackTrace()} writes it, but with
 * every line starting with a tab (the exception itself and each {@code Caused by:} get one) and the text of each
 * line escaped (see {@link Escapes}). Put it after the record's line break: a line that starts with a tab then
 * always continues the record above it, and a line that does not always starts a record.
 */
@Plugin(name = "TabExConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"tabex"})
public final class TabExConverter extends LogEventPatternConverter {
    private static final String NL = System.lineSeparator();

    private TabExConverter() {
        super("tabex", "throwable");
    }

    /** Called by Log4j's pattern parser; {@code %tabex} takes no options. */
    public static TabExConverter newInstance(Configuration config, String[] options) {
        return new TabExConverter();
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        Throwable t = event.getThrown();
        if (t != null) {
            append(t, toAppendTo);
        }
    }

    /** Tells the layout not to add an exception of its own. */
    @Override
    public boolean handlesThrowable() {
        return true;
    }

    static void append(Throwable t, StringBuilder out) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        enclosed(t, new StackTraceElement[0], "", "", seen, out);
    }

    /** Throwable.printEnclosedStackTrace, tab-led and escaped. */
    private static void enclosed(
            Throwable t,
            StackTraceElement[] enclosing,
            String caption,
            String prefix,
            Set<Throwable> seen,
            StringBuilder out) {
        if (!seen.add(t)) {
            out.append('\t')
                    .append(prefix)
                    .append(caption)
                    .append("[CIRCULAR REFERENCE: ")
                    .append(Escapes.escape(String.valueOf(t)))
                    .append(']')
                    .append(NL);
            return;
        }
        StackTraceElement[] trace = t.getStackTrace();
        int m = trace.length - 1;
        int n = enclosing.length - 1;
        while (m >= 0 && n >= 0 && trace[m].equals(enclosing[n])) {
            m--;
            n--;
        }
        int inCommon = trace.length - 1 - m;
        out.append('\t')
                .append(prefix)
                .append(caption)
                .append(Escapes.escape(String.valueOf(t)))
                .append(NL);
        for (int i = 0; i <= m; i++) {
            out.append(prefix)
                    .append("\tat ")
                    .append(Escapes.escape(String.valueOf(trace[i])))
                    .append(NL);
        }
        if (inCommon != 0) {
            out.append(prefix).append("\t... ").append(inCommon).append(" more").append(NL);
        }
        for (Throwable s : t.getSuppressed()) {
            enclosed(s, trace, "Suppressed: ", prefix + "\t", seen, out);
        }
        Throwable cause = t.getCause();
        if (cause != null) {
            enclosed(cause, trace, "Caused by: ", prefix, seen, out);
        }
    }
}
