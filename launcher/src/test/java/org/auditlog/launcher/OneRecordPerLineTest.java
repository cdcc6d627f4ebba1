package org.auditlog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class OneRecordPerLineTest {
    static final String FORGED = "2026-12-01T10:00:00.000+0000 [main] ERROR Forged - FORGED";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final OneRecordPerLine out = new OneRecordPerLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), "\n");

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void lineBreaksInsideARecordAreEscaped() {
        out.println("2026-12-02T10:00:00.000+0000 [main] INFO x - field a\r\n" + FORGED);
        out.println("b\nc\u0085d\u2028e\u2029f\rg");
        assertEquals("2026-12-02T10:00:00.000+0000 [main] INFO x - field a\\r\\n" + FORGED + "\n"
                + "b\\nc\\u0085d\\u2028e\\u2029f\\rg\n", written());
    }

    @Test
    void otherControlsAreEscapedAndTabsAndTextKept() {
        out.println("a\u0000b\u001b[31mc\u007fd\u009be\tf caf\u00e9 \ud83d\ude00 \\n");
        assertEquals("a\\u0000b\\u001b[31mc\\u007fd\\u009be\tf caf\u00e9 \ud83d\ude00 \\n\n", written());
    }

    @Test
    void aPrintEndsItsLineOnlyWithAClosingBreak() {
        out.print("one\n");
        out.print("two\r\n");
        out.print("three\nforged\n");
        out.print("x");
        out.println();
        assertEquals("one\ntwo\nthree\\nforged\nx\n", written());
    }

    @Test
    void stackTracesKeepTheirLinesEachStartingWithATab() {
        Exception e = new IllegalStateException("refused a\r\n" + FORGED, new RuntimeException("cause\n" + FORGED));
        out.println("2026-12-02T10:00:00.000+0000 [main] ERROR x - failed");
        e.printStackTrace(out);
        String[] lines = written().split("\n");
        assertEquals("2026-12-02T10:00:00.000+0000 [main] ERROR x - failed", lines[0]);
        assertEquals("\tjava.lang.IllegalStateException: refused a\\r\\n" + FORGED, lines[1]);
        assertTrue(lines[2].startsWith("\tat org.auditlog.launcher.OneRecordPerLineTest"), lines[2]);
        boolean cause = false;
        for (int i = 1; i < lines.length; i++) {
            assertTrue(lines[i].startsWith("\t"), "line " + i + ": " + lines[i]);
            cause |= lines[i].equals("\tCaused by: java.lang.RuntimeException: cause\\n" + FORGED);
        }
        assertTrue(cause, written());
    }

    @Test
    void piecesWrittenInOneGoKeepOnlyTabLedContinuations() {
        out.print("2026-12-02T10:00:00.000+0000 [x] WARNING msg a\n" + FORGED + "\njava.lang.X: y\n\tat a.B.c(B.java:1)\n");
        assertEquals("2026-12-02T10:00:00.000+0000 [x] WARNING msg a\\n" + FORGED + "\\njava.lang.X: y\n\tat a.B.c(B.java:1)\n",
                written());
    }

    @Test
    void bytesAreHandledTheSameWay() {
        byte[] b = ("a\r\n" + FORGED + "\u001b\n\tat x\n").getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.write('z');
        out.write('\n');
        assertEquals("a\\r\\n" + FORGED + "\\u001b\n\tat x\nz\n", written());
    }

    @Test
    void noLineOfTheOutputStartsWithTheForgedRecord() {
        out.println("m " + "\r\n" + FORGED);
        out.printf("f %s%n", "\n" + FORGED);
        out.append("q\u2028" + FORGED).println();
        new RuntimeException("\r\n" + FORGED).printStackTrace(out);
        for (String line : written().split("\n")) {
            assertFalse(line.startsWith(FORGED), line);
        }
    }
}
