package org.auditlog.evidence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The one writer of a V1 row, and the reader of a file's rows. A record's row is written here for every file the
 * export writes (with evidence or without), and hashed here as the record's leaf in its organization's tree (the
 * server at ingest); the offline verifier hashes the rows a file holds ({@link #rows}) and never re-formats them. So
 * the bytes below are the format of every export file and of every leaf stored: they never change.
 *
 * <p><b>The row, exactly.</b> RFC 4180: the thirteen V1 columns in order, separated by commas, the row ended by CRLF
 * ({@link #ROW_END}) in a file and without it as a leaf ({@link #leaf}).
 * <ul>
 * <li>{@code id}: decimal;</li>
 * <li>{@code date}: UTC, {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}, always 24 characters (milliseconds written even when
 * zero, anything finer cut off); a record without a date or dated outside the years 0000 to 9999 has no row;</li>
 * <li>{@code version}: as stored, {@code null} as empty;</li>
 * <li>every other column is text, neutralised against spreadsheet formulas ({@link #neutralise}), {@code null} as
 * empty.</li>
 * </ul>
 * A value is written in double quotes, with each double quote inside doubled, when it holds a comma, a double quote,
 * a CR or an LF, when its first character is at most {@code #} (a space, {@code !}, {@code "}, {@code #} or a control
 * character), or when its last character is at most a space; otherwise as it is, and an empty value as nothing (it
 * is never the first of a row: {@code id} is). These are the rules of commons-csv's {@code CSVFormat.RFC4180}, with
 * which the export wrote every file before this class wrote them all; the export module's tests still check this
 * writer against it.
 *
 * <p><b>Why not commons-csv itself.</b> This bundle needs nothing beyond the JDK, so that the offline verifier is one
 * jar run with {@code java -jar} and the server's code; and a leaf is evidence: its bytes must not move with a
 * library's upgrade. So the rules are written out here, and pinned byte for byte by the tests of this bundle and of
 * the export.
 *
 * <p><b>Formula injection (CSV injection).</b> A text value whose <em>first</em> character is {@code =}, {@code +},
 * {@code -}, {@code @}, tab or carriage return is written with a single quote {@code '} in front of it; every other
 * value unchanged (the OWASP recommendation). A spreadsheet then shows the cell as text (most hide the quote); a
 * program reading the CSV sees the quote as part of the value. There is no exception for values that merely look
 * harmless ({@code -}, {@code -5}, {@code +81 3 1234 5678}, {@code @channel} are prefixed too): guessing which values
 * a spreadsheet would evaluate is how neutralisation gets bypassed, and one rule on the first character is simple to
 * state, to test and to undo (drop one leading {@code '} where a cell starts with {@code '} and one of the six). A
 * value already starting with {@code '} is left alone. The rule applies to the text columns only: id, date and
 * version are produced by the server.
 */
public final class CsvRows {
    /** What ends every row of a file, the header's included. */
    public static final String ROW_END = "\r\n";

    static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private CsvRows() {}

    /**
     * The header row of a file, without its CRLF: the names as values, quoted by the rules above but not neutralised
     * (the V1 names need neither).
     */
    public static String header(List<String> names) {
        StringBuilder row = new StringBuilder(160);
        for (String name : names) {
            if (row.length() > 0) {
                row.append(',');
            }
            cell(row, name);
        }
        return row.toString();
    }

    /**
     * The V1 row of a record, without its CRLF.
     *
     * @throws IllegalArgumentException when the date is missing or outside the years 0000 to 9999 (the column is
     *     fixed width), naming the record's id
     */
    public static String v1Row(
            long id,
            String spaceKey,
            String product,
            Instant date,
            String category,
            String event,
            String action,
            String operationUserId,
            String operationUserName,
            String operationUserEmail,
            String ipAddress,
            String userAgent,
            String version) {
        requireDate(id, date);
        StringBuilder row = new StringBuilder(256);
        row.append(id);
        for (String text : new String[] {spaceKey, product}) {
            row.append(',');
            cell(row, neutralise(text));
        }
        row.append(',').append(DATE.format(date));
        for (String text : new String[] {
            category, event, action, operationUserId, operationUserName, operationUserEmail, ipAddress, userAgent
        }) {
            row.append(',');
            cell(row, neutralise(text));
        }
        row.append(',');
        cell(row, version == null ? "" : version);
        return row.toString();
    }

    static void requireDate(long id, Instant date) {
        if (date == null) {
            throw new IllegalArgumentException("record " + id + " has no date");
        }
        int year = date.atOffset(ZoneOffset.UTC).getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("record " + id + " has a date outside the years 0000 to 9999");
        }
    }

    /** The leaf of a row: its UTF-8 bytes. */
    public static byte[] leaf(String row) {
        return row.getBytes(StandardCharsets.UTF_8);
    }

    /** The leaf hash of a row: {@link Merkle#leafHash} of its UTF-8 bytes, as the tree holds it. */
    public static byte[] leafHash(String row) {
        return Merkle.leafHash(leaf(row));
    }

    /**
     * A text value as the file holds it: prefixed with {@code '} when it starts like a formula (see the class
     * comment), otherwise unchanged; {@code null} becomes the empty string.
     */
    public static String neutralise(String value) {
        if (value == null) {
            return "";
        }
        if (value.isEmpty()) {
            return value;
        }
        return switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + value;
            default -> value;
        };
    }

    /** Appends one value, in quotes when the rules of the class comment say so. */
    static void cell(StringBuilder out, String value) {
        if (!needsQuotes(value)) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }

    static boolean needsQuotes(String value) {
        if (value.isEmpty()) {
            return false;
        }
        if (value.charAt(0) <= '#') {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return value.charAt(value.length() - 1) <= ' ';
    }

    /**
     * The rows of a CSV text, each exactly as written and without its CRLF: the text is cut at every CRLF outside
     * double quotes. The last row must end with CRLF; a text that does not (cut short) is refused.
     *
     * @throws IllegalArgumentException when a quote is left open or the text does not end with CRLF
     */
    public static List<String> rows(String text) {
        List<String> rows = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted; // a doubled quote turns it off and on again
            } else if (!quoted && c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                rows.add(text.substring(start, i));
                start = i + 2;
                i++;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quoted value is not closed before the end of the file");
        }
        if (start != text.length()) {
            throw new IllegalArgumentException("the file does not end with a complete row (CRLF)");
        }
        return rows;
    }

    /** The values of one row (RFC 4180: quotes removed, doubled quotes made single). */
    public static List<String> values(String row) {
        List<String> out = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < row.length() && row.charAt(i + 1) == '"') {
                        value.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    value.append(c);
                }
            } else if (c == '"' && value.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                out.add(value.toString());
                value.setLength(0);
                wasQuoted = false;
            } else if (wasQuoted) {
                throw new IllegalArgumentException("text after a closing quote in: " + row);
            } else {
                value.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quoted value is not closed in: " + row);
        }
        out.add(value.toString());
        return out;
    }
}
