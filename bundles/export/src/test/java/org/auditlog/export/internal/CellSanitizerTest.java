package org.auditlog.export.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CellSanitizerTest {

    @Test
    void prefixesEachOfTheSixLeadingCharacters() {
        assertEquals("'=SUM(A1:A2)", CellSanitizer.neutralise("=SUM(A1:A2)"));
        assertEquals("'+1+1", CellSanitizer.neutralise("+1+1"));
        assertEquals("'-2+3", CellSanitizer.neutralise("-2+3"));
        assertEquals("'@SUM(1)", CellSanitizer.neutralise("@SUM(1)"));
        assertEquals("'\t=1", CellSanitizer.neutralise("\t=1"));
        assertEquals("'\r=1", CellSanitizer.neutralise("\r=1"));
    }

    @Test
    void harmlessLookingValuesAreStillPrefixed() {
        assertEquals("'-", CellSanitizer.neutralise("-"));
        assertEquals("'-5", CellSanitizer.neutralise("-5"));
        assertEquals("'+81 3 1234 5678", CellSanitizer.neutralise("+81 3 1234 5678"));
        assertEquals("'@channel", CellSanitizer.neutralise("@channel"));
        assertEquals("'=", CellSanitizer.neutralise("="));
    }

    @Test
    void onlyTheFirstCharacterCounts() {
        assertEquals("a=b", CellSanitizer.neutralise("a=b"));
        assertEquals(" =1+1", CellSanitizer.neutralise(" =1+1"));
        assertEquals("\n=1+1", CellSanitizer.neutralise("\n=1+1"));
        assertEquals("ann@acme.example", CellSanitizer.neutralise("ann@acme.example"));
        assertEquals("PROJECT-100 was updated", CellSanitizer.neutralise("PROJECT-100 was updated"));
        assertEquals("'=already text", CellSanitizer.neutralise("'=already text"));
        assertEquals("＝1+1", CellSanitizer.neutralise("＝1+1"));
        assertEquals("課題を追加", CellSanitizer.neutralise("課題を追加"));
    }

    @Test
    void emptyStaysEmptyAndNullBecomesEmpty() {
        assertEquals("", CellSanitizer.neutralise(""));
        assertEquals("", CellSanitizer.neutralise(null));
    }
}
