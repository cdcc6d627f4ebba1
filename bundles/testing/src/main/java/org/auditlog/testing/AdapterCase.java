package org.auditlog.testing;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One row of a product adapter's table: a native example (a JSON resource), the change a row makes to it (none,
 * or another type, a field removed), and the V1 fields of each record it must become, in order.
 *
 * @param name what the row shows, as the test report names it
 * @param example the example's resource name, without folder and extension
 * @param change what the row changes in the example before it is translated
 * @param records the fields of each record, in order
 */
public record AdapterCase(String name, String example, Consumer<Map<String, Object>> change, List<V1Fields> records) {

    /** The example as it is, giving one record. */
    public static AdapterCase of(String example, V1Fields record) {
        return new AdapterCase(example, example, e -> {}, List.of(record));
    }

    /** The example as it is, giving these records. */
    public static AdapterCase of(String example, List<V1Fields> records) {
        return new AdapterCase(example, example, e -> {}, records);
    }

    /** The example changed by {@code change}, giving one record; {@code name} says what the change is. */
    public static AdapterCase changed(
            String name, String example, Consumer<Map<String, Object>> change, V1Fields record) {
        return new AdapterCase(name, example, change, List.of(record));
    }

    @Override
    public String toString() {
        return name;
    }
}
