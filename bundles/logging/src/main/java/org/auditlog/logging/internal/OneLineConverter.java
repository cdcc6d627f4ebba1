package org.auditlog.logging.internal;

import java.util.List;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * {@code %oneline{pattern}} and {@code %oneline{pattern}{maxLength}}: what the inner pattern gives, kept on one line
 * whatever it holds. Every line break and other control character is written as an escape (see {@link Escapes}),
 * so a value that came from outside (a request, an uploaded bundle, an exception message quoting either) can never
 * begin a line that passes for a record of its own. With {@code maxLength}, a longer text is cut there and ends
 * with {@code …(shortened from N)}.
 *
 * <p>Log4j's own {@code %encode{...}{CRLF}} escapes CR and LF only; NEL, U+2028, U+2029 and the other controls
 * are line breaks to some readers of a log, or hide what follows them.
 */
@Plugin(name = "OneLineConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"oneline"})
public final class OneLineConverter extends LogEventPatternConverter {
    private final PatternFormatter[] formatters;
    private final int maxLength;

    private OneLineConverter(List<PatternFormatter> formatters, int maxLength) {
        super("oneline", "oneline");
        this.formatters = formatters.toArray(new PatternFormatter[0]);
        this.maxLength = maxLength;
    }

    /** Called by Log4j's pattern parser with the options in braces. */
    public static OneLineConverter newInstance(Configuration config, String[] options) {
        if (options == null || options.length < 1 || options.length > 2 || options[0].isEmpty()) {
            StatusLogger.getLogger()
                    .error("%oneline needs a pattern: %oneline{pattern} or %oneline{pattern}{maxLength}");
            return null;
        }
        int maxLength = 0;
        if (options.length == 2) {
            try {
                maxLength = Integer.parseInt(options[1].strip());
            } catch (NumberFormatException e) {
                StatusLogger.getLogger().error("%oneline: the maximum length is not a number: {}", options[1]);
                return null;
            }
        }
        // no exception appended inside (it is %tabex's), no ANSI colours (their ESC would only be escaped)
        List<PatternFormatter> formatters =
                PatternLayout.createPatternParser(config).parse(options[0], false, true, true);
        return new OneLineConverter(formatters, maxLength);
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        int start = toAppendTo.length();
        for (PatternFormatter f : formatters) {
            f.format(event, toAppendTo);
        }
        Escapes.escape(toAppendTo, start, maxLength);
    }

    @Override
    public boolean handlesThrowable() {
        for (PatternFormatter f : formatters) {
            if (f.handlesThrowable()) {
                return true;
            }
        }
        return false;
    }
}
