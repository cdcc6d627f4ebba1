package org.auditlog.rest.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;

/** The JSON conventions of the API, in one place. */
final class Json {
    /** Dates are written in UTC with milliseconds, always the same width: {@code 2026-11-01T09:30:00.000Z}. */
    static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    static String date(Instant instant) {
        return instant == null ? null : DATE.format(instant);
    }

    /**
     * A record as JSON: field names are the CSV columns, in file order; the id is a string because it
     * does not fit a JavaScript number.
     */
    static Map<String, Object> record(AuditRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Column.ID.columnName(), Long.toString(r.id()));
        m.put(Column.SPACE_KEY.columnName(), r.spaceKey());
        m.put(Column.PRODUCT.columnName(), r.product());
        m.put(Column.DATE.columnName(), date(r.date()));
        m.put(Column.CATEGORY.columnName(), r.category());
        m.put(Column.EVENT.columnName(), r.event());
        m.put(Column.ACTION.columnName(), r.action());
        m.put(Column.OPERATION_USER_ID.columnName(), r.operationUserId());
        m.put(Column.OPERATION_USER_NAME.columnName(), r.operationUserName());
        m.put(Column.OPERATION_USER_EMAIL.columnName(), r.operationUserEmail());
        m.put(Column.IP_ADDRESS.columnName(), r.ipAddress());
        m.put(Column.USER_AGENT.columnName(), r.userAgent());
        m.put(Column.VERSION.columnName(), r.version());
        return m;
    }
}
