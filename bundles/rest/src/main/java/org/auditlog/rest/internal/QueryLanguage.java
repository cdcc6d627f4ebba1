package org.auditlog.rest.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.auditlog.api.adapter.Column;
import org.auditlog.api.store.IpRange;
import org.auditlog.api.store.SearchClause;
import org.auditlog.api.store.SearchField;

/**
 * The search language of {@code q} ({@code GET /api/v1/orgs/{key}/events?q=…}, its histogram and its facets), read
 * into the clauses of a search and its range.
 *
 * <pre>
 * query     = [ term *( spaces term ) ]
 * term      = [ "-" ] ( key ":" value / phrase / word )
 * key       = "product" / "category" / "event" / "actor" / "ip" / "created"   ; any case
 * value     = phrase / word
 * phrase    = DQUOTE *( any character but DQUOTE and "\" / "\" DQUOTE / "\\" ) DQUOTE
 * word      = 1*( any character but space and DQUOTE )
 * created   = date / date ".." date / ( ">=" / ">" / "<=" / "<" ) date     ; a date-time also, in place of a date
 * date      = YYYY-MM-DD (a whole UTC day) / an ISO-8601 date-time with an offset or Z (2026-11-01T09:00+09:00)
 * </pre>
 *
 * A repeated key means any of its values (OR), each negated term and each word or phrase is a clause of its own
 * (AND), and every {@code created:} narrows the range (AND). A word or phrase matches whole words of the action, in
 * order, without regard to case. A word with a colon whose part before it is no key is refused (a misspelt key would
 * otherwise search words): quote it to search it as words.
 */
final class QueryLanguage {
    /** The longest query read. */
    static final int MAX_LENGTH = 2_000;

    /** The most terms of one query. */
    static final int MAX_TERMS = 50;

    static final String KEYS = "product, category, event, actor, ip or created";

    private static final Map<String, SearchField> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("product", SearchField.PRODUCT);
        FIELDS.put("category", SearchField.CATEGORY);
        FIELDS.put("event", SearchField.EVENT);
        FIELDS.put("actor", SearchField.ACTOR);
        FIELDS.put("ip", SearchField.IP);
    }

    /** What a query says: its clauses, and its range ({@code null} ends: open). */
    record Parsed(List<SearchClause> clauses, Instant from, Instant to) {}

    private final String text;
    private int pos;

    private QueryLanguage(String text) {
        this.text = text;
    }

    /**
     * Reads a query.
     *
     * @throws ApiException 400 {@code invalid_query} with the position where reading failed and what was expected
     */
    static Parsed parse(String q) {
        if (q == null) {
            return new Parsed(List.of(), null, null);
        }
        if (q.length() > MAX_LENGTH) {
            throw ApiException.invalidQuery(MAX_LENGTH, "the query is longer than " + MAX_LENGTH + " characters");
        }
        return new QueryLanguage(q).query();
    }

    private Parsed query() {
        Map<SearchField, List<String>> positive = new LinkedHashMap<>();
        List<SearchClause> clauses = new ArrayList<>();
        Instant from = null;
        Instant to = null;
        int terms = 0;
        while (true) {
            skipSpaces();
            if (pos >= text.length()) {
                break;
            }
            int start = pos;
            if (++terms > MAX_TERMS) {
                throw ApiException.invalidQuery(start, "a query has at most " + MAX_TERMS + " terms");
            }
            boolean negated = false;
            if (text.charAt(pos) == '-') {
                negated = true;
                pos++;
                if (pos >= text.length() || Character.isWhitespace(text.charAt(pos))) {
                    throw ApiException.invalidQuery(pos, "expected a term after '-'");
                }
            }
            if (text.charAt(pos) == '"') {
                int at = pos;
                clauses.add(SearchClause.of(SearchField.TEXT, negated, words(at, phrase())));
                continue;
            }
            int wordStart = pos;
            String word = bare();
            int colon = word.indexOf(':');
            if (colon < 0) {
                clauses.add(SearchClause.of(SearchField.TEXT, negated, words(wordStart, word)));
                continue;
            }
            String key = word.substring(0, colon).toLowerCase(Locale.ROOT);
            int valueStart = wordStart + colon + 1;
            if (!key.equals("created") && !FIELDS.containsKey(key)) {
                throw ApiException.invalidQuery(
                        wordStart,
                        "unknown key '" + word.substring(0, colon) + "': expected " + KEYS
                                + " (to search words with a colon, quote them)");
            }
            String value;
            if (colon == word.length() - 1 && pos < text.length() && text.charAt(pos) == '"') {
                value = phrase();
            } else {
                value = word.substring(colon + 1);
                if (value.indexOf('"') >= 0) {
                    throw ApiException.invalidQuery(valueStart, "a quoted value starts right after the colon");
                }
            }
            if (value.isEmpty()) {
                throw ApiException.invalidQuery(valueStart, "expected a value after '" + key + ":'");
            }
            if (key.equals("created")) {
                if (negated) {
                    throw ApiException.invalidQuery(start, "created: cannot be negated; use created:< or created:>=");
                }
                Instant[] range = created(valueStart, value);
                if (range[0] != null && (from == null || range[0].isAfter(from))) {
                    from = range[0];
                }
                if (range[1] != null && (to == null || range[1].isBefore(to))) {
                    to = range[1];
                }
                continue;
            }
            SearchField field = FIELDS.get(key);
            check(valueStart, key, field, value);
            if (negated) {
                clauses.add(SearchClause.of(field, true, value));
            } else {
                positive.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
            }
        }
        List<SearchClause> out = new ArrayList<>();
        positive.forEach((field, values) -> out.add(new SearchClause(field, false, values)));
        out.addAll(clauses);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.invalidQuery(0, "the created: terms leave no time between them");
        }
        return new Parsed(out, from, to);
    }

    /** A word or phrase as a text clause: it must hold a letter or a digit. */
    private static String words(int at, String value) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (Character.isLetterOrDigit(cp)) {
                if (value.length() > Column.ACTION.maxLength()) {
                    throw ApiException.invalidQuery(
                            at, "a phrase is longer than any action can be (" + Column.ACTION.maxLength() + ")");
                }
                return value;
            }
            i += Character.charCount(cp);
        }
        throw ApiException.invalidQuery(at, "expected a word (letters or digits)");
    }

    private void check(int at, String key, SearchField field, String value) {
        int max = switch (field) {
            case PRODUCT -> Column.PRODUCT.maxLength();
            case CATEGORY -> Column.CATEGORY.maxLength();
            case EVENT -> Column.EVENT.maxLength();
            case ACTOR -> EventsResource.USER_FILTER_MAX;
            default -> Integer.MAX_VALUE;
        };
        if (value.length() > max) {
            throw ApiException.invalidQuery(at, key + ": is longer than any stored value can be (" + max + ")");
        }
        if (field == SearchField.IP) {
            try {
                IpRange.parse(value);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidQuery(at, "ip: " + e.getMessage());
            }
        }
    }

    /** A created: value as [from, to), either end null when open. */
    private static Instant[] created(int at, String value) {
        if (value.startsWith(">=")) {
            return new Instant[] {start(at + 2, value.substring(2)), null};
        }
        if (value.startsWith("<=")) {
            return new Instant[] {null, after(at + 2, value.substring(2))};
        }
        if (value.startsWith(">")) {
            return new Instant[] {after(at + 1, value.substring(1)), null};
        }
        if (value.startsWith("<")) {
            return new Instant[] {null, start(at + 1, value.substring(1))};
        }
        int dots = value.indexOf("..");
        if (dots >= 0) {
            String a = value.substring(0, dots);
            String b = value.substring(dots + 2);
            Instant from = a.equals("*") ? null : start(at, a);
            Instant to = b.equals("*") ? null : after(at + dots + 2, b);
            if (from != null && to != null && !from.isBefore(to)) {
                throw ApiException.invalidQuery(at + dots + 2, "the range ends before it starts");
            }
            return new Instant[] {from, to};
        }
        return new Instant[] {start(at, value), after(at, value)};
    }

    /** The first instant of a date (its UTC day) or a date-time. */
    private static Instant start(int at, String text) {
        if (text.length() == 10) {
            return day(at, text).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return dateTime(at, text);
    }

    /** The first instant after a date (the next UTC day) or a date-time (the next millisecond). */
    private static Instant after(int at, String text) {
        if (text.length() == 10) {
            return day(at, text).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return dateTime(at, text).plus(1, ChronoUnit.MILLIS);
    }

    private static LocalDate day(int at, String text) {
        try {
            LocalDate d = LocalDate.parse(text);
            if (d.getYear() < 1970 || d.getYear() > 9999) {
                throw ApiException.invalidQuery(at, "created: dates are of the years 1970 to 9999");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw ApiException.invalidQuery(
                    at,
                    "created: expected a date (2026-11-01), a date-time with offset (2026-11-01T09:00+09:00), "
                            + "a range (2026-11-01..2026-11-15) or a comparison (>=2026-11-01)");
        }
    }

    private static Instant dateTime(int at, String text) {
        try {
            Instant t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .truncatedTo(ChronoUnit.MILLIS);
            if (t.isBefore(Instant.EPOCH) || t.isAfter(Instant.parse("9999-12-31T23:59:59.999Z"))) {
                throw ApiException.invalidQuery(at, "created: dates are of the years 1970 to 9999");
            }
            return t;
        } catch (DateTimeParseException e) {
            throw ApiException.invalidQuery(
                    at,
                    "created: expected a date (2026-11-01), a date-time with offset (2026-11-01T09:00+09:00), "
                            + "a range (2026-11-01..2026-11-15) or a comparison (>=2026-11-01)");
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    /** Characters up to a space or the end; a quote inside is refused. */
    private String bare() {
        int start = pos;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
            char ch = text.charAt(pos);
            if (ch == '"') {
                int colon = text.indexOf(':', start);
                if (colon >= 0 && colon == pos - 1) {
                    break; // key:"value": the value is read as a phrase
                }
                throw ApiException.invalidQuery(
                        pos, "a quote starts a phrase or a value after a colon; " + "put a space before it");
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    /** A quoted text: the characters between the quotes, with \" and \\ read as " and \. */
    private String phrase() {
        int open = pos;
        pos++; // the opening quote
        StringBuilder b = new StringBuilder();
        while (pos < text.length()) {
            char ch = text.charAt(pos);
            if (ch == '\\') {
                if (pos + 1 < text.length() && (text.charAt(pos + 1) == '"' || text.charAt(pos + 1) == '\\')) {
                    b.append(text.charAt(pos + 1));
                    pos += 2;
                    continue;
                }
                throw ApiException.invalidQuery(pos, "expected \\\" or \\\\ after a backslash in quotes");
            }
            if (ch == '"') {
                pos++;
                if (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
                    throw ApiException.invalidQuery(pos, "expected a space after the closing quote");
                }
                return b.toString();
            }
            b.append(ch);
            pos++;
        }
        throw ApiException.invalidQuery(open, "the quote opened here is not closed");
    }
}
