package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.auditlog.api.store.SearchClause;
import org.auditlog.api.store.SearchField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The search language as a reader writes it, and each way a query can be unreadable, with its position. */
class QueryLanguageTest {

    static SearchClause any(SearchField field, String... values) {
        return new SearchClause(field, false, List.of(values));
    }

    static SearchClause not(SearchField field, String value) {
        return SearchClause.of(field, true, value);
    }

    @Test
    void keysWordsPhrasesNegationsAndRepeatedKeysBecomeClauses() {
        QueryLanguage.Parsed p = QueryLanguage.parse("product:Backlog  Event:\"Add an issue\" deleted -actor:u7 "
                + "\"was invited\" product:Cacoo ip:192.0.2.0/24 -\"BLG-1\" category:Member ip:2001:db8::1");
        assertEquals(
                List.of(
                        any(SearchField.PRODUCT, "Backlog", "Cacoo"),
                        any(SearchField.EVENT, "Add an issue"),
                        any(SearchField.IP, "192.0.2.0/24", "2001:db8::1"),
                        any(SearchField.CATEGORY, "Member"),
                        SearchClause.of(SearchField.TEXT, false, "deleted"),
                        not(SearchField.ACTOR, "u7"),
                        SearchClause.of(SearchField.TEXT, false, "was invited"),
                        not(SearchField.TEXT, "BLG-1")),
                p.clauses());
        assertNull(p.from());
        assertNull(p.to());
    }

    @Test
    void anEmptyOrBlankQueryIsEveryRecord() {
        assertEquals(List.of(), QueryLanguage.parse(null).clauses());
        assertEquals(List.of(), QueryLanguage.parse("   ").clauses());
    }

    @Test
    void quotesInsideAPhraseAreEscapedWithABackslash() {
        assertEquals(
                List.of(SearchClause.of(SearchField.TEXT, false, "say \"hi\" \\ there")),
                QueryLanguage.parse("\"say \\\"hi\\\" \\\\ there\"").clauses());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "created:2026-11-01 | 2026-11-01T00:00:00Z | 2026-11-02T00:00:00Z",
                "created:2026-11-01..2026-11-15 | 2026-11-01T00:00:00Z | 2026-11-16T00:00:00Z",
                "created:>=2026-11-01T09:00+09:00 | 2026-11-01T00:00:00Z |",
                "created:>2026-11-01 | 2026-11-02T00:00:00Z |",
                "created:<2026-11-01 | | 2026-11-01T00:00:00Z",
                "created:<=2026-11-01T10:00:00Z | | 2026-11-01T10:00:00.001Z",
                "created:2026-11-01..* | 2026-11-01T00:00:00Z |",
                "created:*..2026-11-02 | | 2026-11-03T00:00:00Z",
                "created:>=2026-11-01 created:<2026-11-05 created:>=2026-11-03 | 2026-11-03T00:00:00Z | "
                        + "2026-11-05T00:00:00Z",
                "created:2026-11-01T09:00Z..2026-11-01T10:00Z | 2026-11-01T09:00:00Z | 2026-11-01T10:00:00.001Z"
            })
    void createdTakesDaysDateTimesRangesAndComparisonsAndSeveralNarrowTheRange(String q, String from, String to) {
        QueryLanguage.Parsed p = QueryLanguage.parse(q);
        assertEquals(from == null ? null : Instant.parse(from), p.from(), q);
        assertEquals(to == null ? null : Instant.parse(to), p.to(), q);
        assertEquals(List.of(), p.clauses());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "prodcut:Apps | 0 | unknown key 'prodcut': expected product, category, event, actor, ip or created",
                "deleted product: | 16 | expected a value after 'product:'",
                "\"never closed | 0 | the quote opened here is not closed",
                "- deleted | 1 | expected a term after '-'",
                "ip:300.1.1.1 | 3 | ip: must be an IPv4 or IPv6 address",
                "ip:192.0.2.0/33 | 3 | ip: the prefix length after '/' must be a number from 0 to 32",
                "created:yesterday | 8 | created: expected a date (2026-11-01)",
                "created:2026-11-01T09:00 | 8 | created: expected a date (2026-11-01)",
                "-created:2026-11-01 | 0 | created: cannot be negated",
                "created:2026-11-05..2026-11-01 | 20 | the range ends before it starts",
                "\"a\"b | 3 | expected a space after the closing quote",
                "ab\"c\" | 2 | a quote starts a phrase or a value after a colon",
                "!!! | 0 | expected a word (letters or digits)",
                "\"a \\x\" | 3 | expected \\\" or \\\\ after a backslash in quotes",
                "2001:db8::1 | 0 | unknown key '2001'"
            })
    void anUnreadableQueryIsRefusedWithThePositionAndWhatWasExpected(String q, int position, String detail) {
        ApiException e = assertThrows(ApiException.class, () -> QueryLanguage.parse(q));
        ErrorBody body = e.body();
        assertEquals(400, e.status());
        assertEquals("invalid_query", body.error());
        assertEquals("q", body.field());
        assertEquals(position, body.position(), q);
        assertEquals(true, body.detail().startsWith("at " + position + ": " + detail), body.detail());
    }

    @Test
    void aQueryOverItsBoundsIsRefused() {
        ApiException tooLong = assertThrows(ApiException.class, () -> QueryLanguage.parse("a".repeat(2001)));
        assertEquals("invalid_query", tooLong.body().error());
        ApiException tooMany = assertThrows(ApiException.class, () -> QueryLanguage.parse("a ".repeat(51)));
        assertEquals(100, tooMany.body().position());
        ApiException longProduct =
                assertThrows(ApiException.class, () -> QueryLanguage.parse("product:" + "P".repeat(33)));
        assertEquals(8, longProduct.body().position());
    }
}
