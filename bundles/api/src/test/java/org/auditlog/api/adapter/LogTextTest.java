package org.auditlog.api.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void plainTextStaysAsItIs() {
        String plain = "Apps ACME-1 caf\u00e9 \u65e5\u672c \ud83d\ude00 <>&\"'";
        assertSame(plain, LogText.of(plain));
        assertEquals("null", LogText.of(null));
        assertEquals("42", LogText.of(42));
    }

    @Test
    void lineBreaksAndTheEscapeCharacterAreEscaped() {
        assertEquals("a\\r\\nb", LogText.of("a\r\nb"));
        assertEquals("a\\nb\\tc", LogText.of("a\nb\tc"));
        assertEquals("C:\\\\temp\\\\n", LogText.of("C:\\temp\\n"));
        // a forged record cannot start a line of its own
        String forged = LogText.of("x\r\n2026-12-01T10:00:00.000+0000 [main] INFO forged");
        assertFalse(forged.contains("\n") || forged.contains("\r"));
        assertEquals("x\\r\\n2026-12-01T10:00:00.000+0000 [main] INFO forged", forged);
    }

    @Test
    void everyOtherC0ControlAndDelAreEscaped() {
        for (char c = 0; c < 0x20; c++) {
            String escaped = LogText.of("<" + c + ">");
            if (c == '\n' || c == '\r' || c == '\t') {
                continue;
            }
            assertEquals("<\\u" + String.format("%04x", (int) c) + ">", escaped, "char " + (int) c);
        }
        assertEquals("\\u0000\\u001b[31m\\u0007", LogText.of("\u0000\u001b[31m\u0007"));
        assertEquals("\\u007f", LogText.of("\u007f"));
    }

    @Test
    void c1ControlsAndUnicodeLineSeparatorsAreEscaped() {
        for (char c = 0x80; c <= 0x9f; c++) {
            assertEquals("\\u00" + Integer.toHexString(c), LogText.of(String.valueOf(c)), "char " + (int) c);
        }
        assertEquals("a\\u0085b", LogText.of("a\u0085b"));
        assertEquals("a\\u2028b\\u2029c", LogText.of("a\u2028b\u2029c"));
        // the first character after the C1 block is printable
        assertEquals("\u00a0", LogText.of("\u00a0"));
    }

    @Test
    void loneSurrogatesAreEscapedAndPairsKept() {
        assertEquals("\ud83d\ude00", LogText.of("\ud83d\ude00"));
        assertEquals("a\\ud83db", LogText.of("a\ud83db"));
        assertEquals("a\\ude00b", LogText.of("a\ude00b"));
        assertEquals("\\ude00\\ud83d", LogText.of("\ude00\ud83d"));
    }

    @Test
    void longValuesAreCutWithAMark() {
        String exact = "x".repeat(LogText.MAX_LENGTH);
        assertSame(exact, LogText.of(exact));
        String cut = LogText.of("y".repeat(5000));
        assertEquals("y".repeat(LogText.MAX_LENGTH) + LogText.SHORTENED_MARK + "5000)", cut);
        // escapes are made in what is kept, and the mark follows
        String mixed = LogText.of("\n".repeat(LogText.MAX_LENGTH + 1));
        assertEquals("\\n".repeat(LogText.MAX_LENGTH) + LogText.SHORTENED_MARK + (LogText.MAX_LENGTH + 1) + ")", mixed);
    }

    @Test
    void cuttingNeverSplitsASurrogatePair() {
        // the pair straddles the limit: it is dropped whole, not halved
        String straddling = "a".repeat(LogText.MAX_LENGTH - 1) + "\ud83d\ude00" + "tail";
        String cut = LogText.of(straddling);
        assertEquals("a".repeat(LogText.MAX_LENGTH - 1) + LogText.SHORTENED_MARK + straddling.length() + ")", cut);
        assertFalse(cut.contains("\\u"), cut);
        // a pair ending exactly at the limit is kept whole
        String ending = "a".repeat(LogText.MAX_LENGTH - 2) + "\ud83d\ude00" + "tail";
        String kept = LogText.of(ending);
        assertTrue(kept.startsWith("a".repeat(LogText.MAX_LENGTH - 2) + "\ud83d\ude00" + LogText.SHORTENED_MARK), kept);
        for (int i = 0; i < kept.length(); i++) {
            char c = kept.charAt(i);
            assertFalse(
                    Character.isHighSurrogate(c)
                            && (i + 1 == kept.length() || !Character.isLowSurrogate(kept.charAt(i + 1))),
                    "lone high surrogate at " + i);
        }
    }
}
