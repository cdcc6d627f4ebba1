package org.auditlog.api;

import java.util.List;
import java.util.Map;

/**
 * What a product adapter can produce: its event names grouped by category, in display order.
 *
 * @param eventsByCategory category name to the event names of that category
 */
public record ProductCatalog(Map<String, List<String>> eventsByCategory) {
    public ProductCatalog {
        eventsByCategory = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(eventsByCategory));
    }
}
