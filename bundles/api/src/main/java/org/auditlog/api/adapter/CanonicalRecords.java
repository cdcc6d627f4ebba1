package org.auditlog.api.adapter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the canonical V1 JSON shape: an object whose field names are the CSV columns.
 *
 * <p>{@code id} is assigned by the server and may not be sent; {@code version}, when sent, must be
 * {@code V1}; {@code date} is an ISO-8601 date-time with an offset or {@code Z}. Fields other than the
 * columns are refused, so a misspelt field is caught instead of silently dropped. Lengths and required
 * fields are checked by the capture service for every record, whatever its source.
 *
 * @since 1.0
 */
public final class CanonicalRecords {

    /** The rule of a date-time field that is not one. */
    public static final String DATE_RULE = "must be an ISO-8601 date-time with an offset, e.g. 2026-11-01T09:30:00Z";

    private CanonicalRecords() {}

    /**
     * Reads one canonical record.
     *
     * @param json the parsed JSON value (must be an object)
     * @param product the product of the request; a {@code product} field, when present, must equal it
     * @throws PayloadRejectedException naming the field and the rule it broke
     */
    public static AuditRecord read(Object json, String product) throws PayloadRejectedException {
        if (!(json instanceof Map<?, ?> map)) {
            throw new PayloadRejectedException(null, "each event must be a JSON object");
        }
        for (Object key : map.keySet()) {
            if (!isColumn(String.valueOf(key))) {
                throw new PayloadRejectedException(
                        String.valueOf(key), "unknown field; V1 fields are " + Column.header());
            }
        }
        if (map.containsKey(Column.ID.columnName())) {
            throw new PayloadRejectedException(Column.ID.columnName(), "assigned by the server; do not send it");
        }
        String version = string(map, Column.VERSION);
        if (version != null && !AuditRecord.V1.equals(version)) {
            throw new PayloadRejectedException(Column.VERSION.columnName(), "must be V1");
        }
        String recordProduct = string(map, Column.PRODUCT);
        if (recordProduct != null && !recordProduct.equals(product)) {
            throw new PayloadRejectedException(
                    Column.PRODUCT.columnName(), "must be " + product + ", the product of the request path");
        }
        return new AuditRecord(
                0,
                string(map, Column.SPACE_KEY),
                product,
                date(map),
                string(map, Column.CATEGORY),
                string(map, Column.EVENT),
                string(map, Column.ACTION),
                string(map, Column.OPERATION_USER_ID),
                string(map, Column.OPERATION_USER_NAME),
                string(map, Column.OPERATION_USER_EMAIL),
                string(map, Column.IP_ADDRESS),
                string(map, Column.USER_AGENT),
                AuditRecord.V1);
    }

    /**
     * Parses an ISO-8601 date-time that carries an offset ({@code 2026-11-01T09:30:00Z},
     * {@code 2026-11-01T18:30:00+09:00}).
     *
     * @throws PayloadRejectedException naming {@code field} when the text is not such a date-time
     */
    public static Instant parseDate(String field, String text) throws PayloadRejectedException {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new PayloadRejectedException(field, DATE_RULE);
        }
    }

    /** The column names, looked up once per field of every record (Column.values() copies its array per call). */
    private static final Set<String> COLUMN_NAMES =
            Arrays.stream(Column.values()).map(Column::columnName).collect(Collectors.toUnmodifiableSet());

    private static boolean isColumn(String name) {
        return COLUMN_NAMES.contains(name);
    }

    private static Instant date(Map<?, ?> map) throws PayloadRejectedException {
        String text = string(map, Column.DATE);
        return text == null ? null : parseDate(Column.DATE.columnName(), text);
    }

    private static String string(Map<?, ?> map, Column column) throws PayloadRejectedException {
        Object value = map.get(column.columnName());
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new PayloadRejectedException(column.columnName(), "must be a string");
    }
}
