package org.auditlog.api.adapter;

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
 * @param index position of this event in the request's JSON array, or {@value #SINGLE} when the body was
 *        one object; error fields are prefixed with it, e.g. {@code [3].date}
 * @since 1.0
 */
public record NativePayload(String contentType, Object json, int index) {
    /** The index of a payload that was the whole body rather than an element of an array. */
    public static final int SINGLE = -1;
}
