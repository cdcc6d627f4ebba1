package org.auditlog.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/** The server's text layout (config/org.ops4j.pax.logging.cfg) as Log4j builds it, plugins found by their index. */
class OneRecordPerLineLayoutTest {
    static final String PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSZ} [%oneline{%t}] %-5level %oneline{%c} - %oneline{%m}{1000}%n%tabex";
    static final String FORGED = "2026-12-01T10:00:00.000+0000 [main] ERROR org.auditlog.Forged - FORGED";

    private final PatternLayout layout = PatternLayout.newBuilder()
            .withPattern(PATTERN)
            .withConfiguration(new DefaultConfiguration())
            .build();

    @Test
    void everyLineBreakAndControlOfTheMessageIsEscaped() {
        String line = format(event(
                "in\r\n" + FORGED + "|\u0085" + FORGED + "|\u2028|\u2029|\u000b|\u001b|\u007f|\u009f|\t|\\n", null));
        List<String> lines = line.lines().toList();
        assertEquals(1, lines.size(), line);
        assertTrue(
                lines.get(0)
                        .endsWith("- in\\r\\n" + FORGED + "|\\u0085" + FORGED
                                + "|\\u2028|\\u2029|\\u000b|\\u001b|\\u007f|\\u009f|\\t|\\\\n"),
                lines.get(0));
    }

    @Test
    void theThreadAndLoggerNamesAreEscapedToo() {
        LogEvent e = Log4jLogEvent.newBuilder()
                .setLoggerName("org.x\n" + FORGED)
                .setLevel(Level.INFO)
                .setThreadName("worker\u2028" + FORGED)
                .setMessage(new SimpleMessage("m"))
                .build();
        String line = format(e);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("[worker\\u2028" + FORGED + "] INFO  org.x\\n" + FORGED + " - m"), line);
    }

    @Test
    void aLongMessageIsCutAndSaysHowLongItWas() {
        String line = format(event("a".repeat(1500), null));
        assertTrue(
                line.endsWith("- " + "a".repeat(1000) + "\u2026(shortened from 1500)" + System.lineSeparator()), line);
    }

    @Test
    void everyLineOfAStackTraceStartsWithATabAndItsMessagesAreEscaped() {
        IllegalStateException cause = new IllegalStateException("cause\n" + FORGED);
        RuntimeException top = new RuntimeException("top\u2028" + FORGED, cause);
        top.addSuppressed(new IllegalArgumentException("suppressed\r" + FORGED));
        String text = format(event("failed", top));
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(0).endsWith("- failed"), text);
        assertTrue(lines.size() > 4, text);
        for (String continuation : lines.subList(1, lines.size())) {
            assertTrue(continuation.startsWith("\t"), text);
        }
        assertEquals("\tjava.lang.RuntimeException: top\\u2028" + FORGED, lines.get(1));
        assertTrue(lines.get(2).startsWith("\tat org.auditlog.logging.internal.OneRecordPerLineLayoutTest."), text);
        assertTrue(lines.contains("\t\tSuppressed: java.lang.IllegalArgumentException: suppressed\\r" + FORGED), text);
        assertTrue(lines.contains("\tCaused by: java.lang.IllegalStateException: cause\\n" + FORGED), text);
        assertTrue(lines.stream().anyMatch(l -> l.matches("\t\\.\\.\\. \\d+ more")), text);
    }

    @Test
    void aCircularCauseEndsTheTrace() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        String text = format(event("loop", a));
        assertTrue(text.contains("\tCaused by: [CIRCULAR REFERENCE: java.lang.RuntimeException: a]"), text);
    }

    @Test
    void aRecordWithoutExceptionIsOneLine() {
        assertEquals(1, format(event("plain", null)).lines().count());
    }

    @Test
    void textWithNothingToEscapeIsLeftAsItIs() {
        assertTrue(format(event("caf\u00e9 \ud83d\ude00 ok", null)).contains("- caf\u00e9 \ud83d\ude00 ok"));
        assertEquals("\\ud83d", Escapes.escape("\ud83d"));
        assertEquals("x\\ude00", Escapes.escape("x\ude00"));
    }

    private String format(LogEvent e) {
        return layout.toSerializable(e);
    }

    private static LogEvent event(String message, Throwable thrown) {
        return Log4jLogEvent.newBuilder()
                .setLoggerName("org.auditlog.Test")
                .setLevel(Level.WARN)
                .setThreadName("main")
                .setMessage(new SimpleMessage(message))
                .setThrown(thrown)
                .build();
    }
}
