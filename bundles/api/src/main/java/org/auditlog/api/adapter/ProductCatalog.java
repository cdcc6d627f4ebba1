package org.auditlog.api.adapter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a product adapter can produce: its event names grouped by category, in display order.
 *
 * @param eventsByCategory category name to the event names of that category
 * @since 1.0
 */
public record ProductCatalog(Map<String, List<String>> eventsByCategory) {
    public ProductCatalog {
        eventsByCategory = Collections.unmodifiableMap(new LinkedHashMap<>(eventsByCategory));
    }
}
