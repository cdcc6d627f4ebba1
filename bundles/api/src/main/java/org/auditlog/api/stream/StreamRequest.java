package org.auditlog.api.stream;

import java.util.List;
import java.util.Map;

/**
 * A stream as a client asks for it ({@code POST …/streams}, {@code PUT …/streams/{id}}).
 *
 * @param name 1 to 100 characters, unique among the organization's streams
 * @param destination the destination object: {@code type} and the type's members, as parsed from JSON
 * @param products the products to deliver, empty for all
 * @param categories the categories to deliver, empty for all
 * @since 1.0
 */
public record StreamRequest(
        String name, Map<String, Object> destination, List<String> products, List<String> categories) {
    public StreamRequest {
        destination = destination == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(destination));
        products = products == null ? List.of() : List.copyOf(products);
        categories = categories == null ? List.of() : List.copyOf(categories);
    }
}
