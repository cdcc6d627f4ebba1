package org.auditlog.api.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;
import org.junit.jupiter.api.Test;

class OwnRecordsTest {
    @Test
    void valuesThatFitStayAsTheyAre() {
        String exact = "x".repeat(Column.USER_AGENT.maxLength());
        assertSame(exact, OwnRecords.fit(Column.USER_AGENT, exact));
        assertNull(OwnRecords.fit(Column.USER_AGENT, null));
    }

    @Test
    void aLongValueIsCutToItsColumnAndSaysItsOriginalLength() {
        String agent = "Mozilla/5.0 " + "y".repeat(5000);
        String fitted = OwnRecords.fit(Column.USER_AGENT, agent);
        assertEquals(Column.USER_AGENT.maxLength(), fitted.length());
        assertTrue(fitted.startsWith("Mozilla/5.0 yyy"));
        assertTrue(fitted.endsWith("\u2026(shortened from 5012)"), fitted);
    }

    @Test
    void aSurrogatePairAtTheCutIsNeverSplit() {
        String mark = OwnRecords.SHORTENED_MARK + "1100)";
        int keep = Column.ACTION.maxLength() - mark.length();
        String text = "a".repeat(keep - 1) + "\uD83D\uDE00" + "b".repeat(1100 - keep - 1);
        assertEquals(1100, text.length());
        String fitted = OwnRecords.fit(Column.ACTION, text);
        assertTrue(fitted.length() <= Column.ACTION.maxLength());
        assertEquals("a".repeat(keep - 1) + mark, fitted, "the emoji goes whole rather than half");
    }

    @Test
    void everyValueOfARecordFitsItsColumn() {
        String longText = "z".repeat(3000);
        Actor actor = new Actor(longText, longText, longText, longText, longText);
        AuditRecord r = OwnRecords.of("ACME", Instant.EPOCH, longText, longText, longText, actor);
        assertEquals("Apps", r.product());
        assertEquals(Column.CATEGORY.maxLength(), r.category().length());
        assertEquals(Column.EVENT.maxLength(), r.event().length());
        assertEquals(Column.ACTION.maxLength(), r.action().length());
        assertEquals(Column.OPERATION_USER_ID.maxLength(), r.operationUserId().length());
        assertEquals(
                Column.OPERATION_USER_NAME.maxLength(), r.operationUserName().length());
        assertEquals(
                Column.OPERATION_USER_EMAIL.maxLength(), r.operationUserEmail().length());
        assertEquals(Column.IP_ADDRESS.maxLength(), r.ipAddress().length());
        assertEquals(Column.USER_AGENT.maxLength(), r.userAgent().length());
    }
}
