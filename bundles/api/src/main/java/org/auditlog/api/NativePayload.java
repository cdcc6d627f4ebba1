package org.auditlog.api;

/**
 * One native event as a product sent it.
 *
 * <p>The body has been parsed from JSON into plain Java values, so adapters need no JSON library:
 * objects are {@code Map<String, Object>} (in document order), arrays {@code List<Object>}, and
 * scalars {@code String}, {@code Number}, {@code Boolean} or {@code null}. When a request carries a
 * JSON array, each element is handed to the adapter as its own payload.
 *
 * @param contentType the media type the product declared, e.g. {@code application/json}
 * @param json the parsed event
 * @param index position of this event in the request (0 for a single object); used in error fields
 */
public record NativePayload(String contentType, Object json, int index) {
}
