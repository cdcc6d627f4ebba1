package org.auditlog.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The V1 row as the one writer makes it: each rule of the class comment, one value at a time. */
class CsvRowsTest {
    /** The row of a record whose action is {@code action}, every other value plain. */
    private static String withAction(String action) {
        return CsvRows.v1Row(
                1,
                "ACME",
                "Backlog",
                Instant.parse("2026-11-01T00:00:00Z"),
                "Issue",
                "Add",
                action,
                "u1",
                "Ann",
                "",
                "",
                "",
                "V1");
    }

    /** The action's cell as the row holds it. */
    private static String cell(String action) {
        String prefix = "1,ACME,Backlog,2026-11-01T00:00:00.000Z,Issue,Add,";
        String row = withAction(action);
        return row.substring(prefix.length(), row.length() - ",u1,Ann,,,,V1".length());
    }

    @Test
    void neutralisesByTheFirstCharacterOnly() {
        String[][] cases = {
            // each of the six leading characters
            {"=SUM(A1:A2)", "'=SUM(A1:A2)"},
            {"+1+1", "'+1+1"},
            {"-2+3", "'-2+3"},
            {"@SUM(1)", "'@SUM(1)"},
            {"\t=1", "'\t=1"},
            {"\r=1", "'\r=1"},
            // values that only look harmless are prefixed too
            {"-", "'-"},
            {"-5", "'-5"},
            {"+81 3 1234 5678", "'+81 3 1234 5678"},
            {"@channel", "'@channel"},
            {"=", "'="},
            // every other value is left alone
            {"a=b", "a=b"},
            {" =1+1", " =1+1"},
            {"\n=1+1", "\n=1+1"},
            {"ann@acme.example", "ann@acme.example"},
            {"PROJECT-100 was updated", "PROJECT-100 was updated"},
            {"'=already text", "'=already text"},
            {"＝1+1", "＝1+1"},
            {"課題を追加", "課題を追加"},
            {"", ""},
            {null, ""}
        };
        for (String[] c : cases) {
            assertEquals(c[1], CsvRows.neutralise(c[0]), c[0]);
        }
    }

    @Test
    void quotesAValueOnlyWhereARuleSaysSo() {
        assertEquals("plain text", cell("plain text"));
        assertEquals("\"a,b\"", cell("a,b"), "a comma");
        assertEquals("\"say \"\"hi\"\"\"", cell("say \"hi\""), "a quote, doubled");
        assertEquals("\"a\nb\"", cell("a\nb"), "an LF");
        assertEquals("\"a\rb\"", cell("a\rb"), "a CR");
        assertEquals("\" a\"", cell(" a"), "a leading space");
        assertEquals("\"#a\"", cell("#a"), "a leading #");
        assertEquals("\"!a\"", cell("!a"), "a leading !");
        assertEquals("$a", cell("$a"), "$ is past #");
        assertEquals("\"\u0001a\"", cell("\u0001a"), "a leading control character");
        assertEquals("\"a \"", cell("a "), "a trailing space");
        assertEquals("\"a\t\"", cell("a\t"), "a trailing tab");
        assertEquals("a\u0000b", cell("a\u0000b"), "a control character inside");
        assertEquals("\"'\r=1\"", cell("\r=1"), "neutralised, then quoted for its CR");
        assertEquals("\"'=a,b\"", cell("=a,b"), "neutralised, then quoted for its comma");
        assertEquals("", cell(""), "empty");
        assertEquals("", cell(null), "null");
        assertEquals("日本", cell("日本"), "non-ASCII as it is");
    }

    @Test
    void theDateIsFixedWidthInUtcAndARecordOutsideItHasNoRow() {
        assertEquals(
                "1,A,B,2026-11-01T00:00:00.500Z,,,,,,,,,",
                CsvRows.v1Row(
                        1,
                        "A",
                        "B",
                        Instant.parse("2026-11-01T09:00:00.500999+09:00"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
        assertEquals(
                "1,A,B,0000-01-01T00:00:00.000Z,,,,,,,,,",
                CsvRows.v1Row(
                        1,
                        "A",
                        "B",
                        Instant.parse("0000-01-01T00:00:00Z"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
        IllegalArgumentException none = assertThrows(
                IllegalArgumentException.class,
                () -> CsvRows.v1Row(9, "A", "B", null, null, null, null, null, null, null, null, null, null));
        assertEquals("record 9 has no date", none.getMessage());
        IllegalArgumentException far = assertThrows(
                IllegalArgumentException.class,
                () -> CsvRows.v1Row(
                        10,
                        "A",
                        "B",
                        Instant.parse("+10000-01-01T00:00:00Z"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
        assertEquals("record 10 has a date outside the years 0000 to 9999", far.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> CsvRows.v1Row(
                        11,
                        "A",
                        "B",
                        Instant.parse("-0001-12-31T23:59:59Z"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
    }

    @Test
    void theHeaderIsItsNamesAndALeafHashIsTheRowsBytesHashed() {
        assertEquals("id,space_key,\"a,b\"", CsvRows.header(List.of("id", "space_key", "a,b")));
        String row = withAction("x");
        assertEquals(
                Merkle.hex(Merkle.leafHash(row.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                Merkle.hex(CsvRows.leafHash(row)));
    }
}
