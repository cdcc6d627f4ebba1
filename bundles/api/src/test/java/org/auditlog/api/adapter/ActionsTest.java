package org.auditlog.api.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ActionsTest {
    @Test
    void shortTextsStayAndLongOnesEndWithAnEllipsisWithoutSplittingAnEmoji() {
        assertEquals("abc", Actions.shorten("abc", 3));
        assertEquals("ab\u2026", Actions.shorten("abcd", 3));
        String emoji = "a\uD83D\uDE00bc"; // a, 😀 (two chars), b, c
        assertEquals("a\u2026", Actions.shorten(emoji, 3), "the emoji is dropped whole, not halved");
    }
}
