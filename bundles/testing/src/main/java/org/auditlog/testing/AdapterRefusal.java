package org.auditlog.testing;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One row of a product adapter's refusals: a native event the adapter must refuse (most often an example with a
 * field removed or of the wrong type), and the field the refusal names ({@code null}: the event as a whole).
 *
 * @param name what the row shows, as the test report names it
 * @param input the event, given the table of the adapter's examples
 * @param field the field the refusal must name
 */
public record AdapterRefusal(String name, Function<AdapterTable, Object> input, String field) {

    /** The example changed by {@code change}, refused naming {@code field}. */
    public static AdapterRefusal changed(
            String name, String example, Consumer<Map<String, Object>> change, String field) {
        return new AdapterRefusal(
                example + ": " + name,
                table -> {
                    Map<String, Object> json = table.example(example);
                    change.accept(json);
                    return json;
                },
                field);
    }

    /** An event of its own, refused naming {@code field}. */
    public static AdapterRefusal of(String name, Supplier<Object> input, String field) {
        return new AdapterRefusal(name, table -> input.get(), field);
    }

    @Override
    public String toString() {
        return name + " -> " + field;
    }
}
