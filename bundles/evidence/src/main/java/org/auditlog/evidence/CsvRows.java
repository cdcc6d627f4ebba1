package org.auditlog.evidence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a V1 CSV file as bytes, the leaves of an organization's tree: a record's leaf is the UTF-8 bytes of
 * its row exactly as the export file holds it, without the CRLF that ends it. {@link #v1Row} makes the row from a
 * record's values (the server, at ingest); {@link #rows} cuts a file's text into its rows as they are (the
 * verifier, which hashes what the file holds and never re-formats it).
 *
 * <p>The row, exactly (RFC 4180, as the export writes it with commons-csv's {@code CSVFormat.RFC4180}): the
 * thirteen V1 columns in order, separated by commas; {@code id} in decimal; {@code date} in UTC as
 * {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}; {@code version} as stored; every other column neutralised against
 * spreadsheet formulas (a leading {@code '} before a value starting with {@code = + - @}, tab or CR). A value is
 * written in double quotes, with each double quote inside doubled, when it holds a comma, a double quote, a CR or
 * an LF, when its first character is at most {@code #} (a space, {@code !}, {@code "}, {@code #} or a control
 * character), or when its last character is at most a space; an empty value is written as nothing (it is never
 * the first of a row: {@code id} is). The export module's tests check every rule against commons-csv.
 */
public final class CsvRows {
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private CsvRows() {
    }

    /** The V1 row of a record, without its CRLF. */
    public static String v1Row(long id, String spaceKey, String product, Instant date, String category, String event,
            String action, String operationUserId, String operationUserName, String operationUserEmail,
            String ipAddress, String userAgent, String version) {
        StringBuilder row = new StringBuilder(256);
        row.append(id);
        for (String text : new String[] {spaceKey, product}) {
            row.append(',');
            cell(row, neutralise(text));
        }
        row.append(',').append(DATE.format(date));
        for (String text : new String[] {category, event, action, operationUserId, operationUserName,
                operationUserEmail, ipAddress, userAgent}) {
            row.append(',');
            cell(row, neutralise(text));
        }
        row.append(',');
        cell(row, version == null ? "" : version);
        return row.toString();
    }

    /** The leaf of a row: its UTF-8 bytes. */
    public static byte[] leaf(String row) {
        return row.getBytes(StandardCharsets.UTF_8);
    }

    /** A text value as the file holds it: prefixed with {@code '} when it starts like a formula. */
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
