package org.auditlog.export.internal;

/**
 * Keeps spreadsheets from reading a text cell of an export file as a formula (CSV injection).
 *
 * <p>The rule, exactly: a value whose <em>first</em> character is {@code =}, {@code +}, {@code -},
 * {@code @}, tab ({@code \t}) or carriage return ({@code \r}) is written with a single quote
 * {@code '} in front of it; every other value is written unchanged. This is the recommendation of the
 * OWASP CSV injection page. A spreadsheet then shows the cell as text (most hide the quote); a program
 * that reads the CSV sees the quote as part of the value.
 *
 * <p>There is no exception for values that merely look harmless: {@code -}, {@code -5},
 * {@code +81 3 1234 5678} and {@code @channel} are prefixed too. Guessing which values a spreadsheet
 * would evaluate is how neutralisation gets bypassed; one character-based rule is simple to state,
 * to test and to undo (drop one leading {@code '} where a cell starts with {@code '} followed by one
 * of the six characters).
 *
 * <p>Only the first character counts: {@code a=b} or {@code " =x"} stay as they are. A value that
 * already starts with {@code '} is left alone (the quote is not one of the six characters). The rule
 * is applied to the text columns only; id, date and version are produced by the server and never
 * start with one of the six characters.
 */
final class CellSanitizer {
    /** The character written in front of a value that a spreadsheet could evaluate. */
    static final char PREFIX = '\'';

    private CellSanitizer() {
    }

    /**
     * The value as it goes into a text cell: prefixed with {@link #PREFIX} when it starts with one of
     * {@code = + - @ \t \r}, otherwise unchanged; {@code null} becomes the empty string.
     */
    static String neutralise(String value) {
        if (value == null) {
            return "";
        }
        return startsLikeFormula(value) ? PREFIX + value : value;
    }

    /** Whether the value's first character is one of {@code = + - @ \t \r}. */
    static boolean startsLikeFormula(String value) {
        if (value.isEmpty()) {
            return false;
        }
        return switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> true;
            default -> false;
        };
    }
}
