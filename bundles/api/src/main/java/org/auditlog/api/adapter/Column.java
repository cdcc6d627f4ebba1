package org.auditlog.api.adapter;

import java.util.Arrays;
import java.util.List;

/**
 * The columns of the V1 file, in file order, with the longest value each accepts.
 *
 * <p>The storage schema, the input validation and the CSV writer all read this one list, so a limit
 * changes in one place. {@link #maxLength()} counts Java characters (UTF-16 units).
 *
 * @since 1.0
 */
public enum Column {
    ID("id", 20),
    SPACE_KEY("space_key", 64),
    PRODUCT("product", 32),
    DATE("date", 35),
    CATEGORY("category", 64),
    EVENT("event", 128),
    ACTION("action", 1024),
    OPERATION_USER_ID("operation_user_id", 128),
    OPERATION_USER_NAME("operation_user_name", 255),
    OPERATION_USER_EMAIL("operation_user_email", 254),
    IP_ADDRESS("ip_address", 45),
    USER_AGENT("user_agent", 512),
    VERSION("version", 8);

    /** What a space key may look like: 1 to 64 letters, digits, {@code _} or {@code -}, not starting with a symbol. */
    public static final String SPACE_KEY_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

    private final String columnName;
    private final int maxLength;

    Column(String columnName, int maxLength) {
        this.columnName = columnName;
        this.maxLength = maxLength;
    }

    /** The name used in the CSV header and as the JSON field name. */
    public String columnName() {
        return columnName;
    }

    /** The longest value accepted for this column. */
    public int maxLength() {
        return maxLength;
    }

    /** The column names in file order. */
    public static List<String> header() {
        return Arrays.stream(values()).map(Column::columnName).toList();
    }
}
