package org.auditlog.product.typetalk.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.auditlog.api.CanonicalRecords;
import org.auditlog.api.PayloadRejectedException;

/**
 * Typed reads from one JSON object of a payload, already parsed into {@code Map}/{@code List} form.
 *
 * <p>Every read checks the type of the value it returns and, when the value is missing or of the wrong
 * type, rejects the payload naming the dotted path of the field ({@code data.post.account.id}), so no
 * {@code ClassCastException} or {@code NullPointerException} can leak out of the adapter. A JSON
 * {@code null} counts as absent.
 *
 * @param map the object
 * @param path the dotted path of the object in the event, empty for the event itself
 */
record JsonFields(Map<?, ?> map, String path) {

    /** The path of one of this object's fields. */
    String at(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** Whether the field is present and not null. */
    boolean has(String field) {
        return map.get(field) != null;
    }

    /** A required nested object. */
    JsonFields object(String field) throws PayloadRejectedException {
        JsonFields object = optObject(field);
        if (object == null) {
            throw new PayloadRejectedException(at(field), "is required");
        }
        return object;
    }

    /** A nested object, or {@code null} when absent. */
    JsonFields optObject(String field) throws PayloadRejectedException {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> nested) {
            return new JsonFields(nested, at(field));
        }
        throw new PayloadRejectedException(at(field), "must be an object");
    }

    /** A required, non-blank string. */
    String string(String field) throws PayloadRejectedException {
        String value = optString(field);
        if (value == null) {
            throw new PayloadRejectedException(at(field), "is required");
        }
        return value;
    }

    /** A string, or {@code null} when absent or blank. */
    String optString(String field) throws PayloadRejectedException {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            return text.isBlank() ? null : text;
        }
        throw new PayloadRejectedException(at(field), "must be a string");
    }

    /** A required id: an integer (as Typetalk sends ids) or a non-blank string, returned as text. */
    String id(String field) throws PayloadRejectedException {
        String value = optId(field);
        if (value == null) {
            throw new PayloadRejectedException(at(field), "is required");
        }
        return value;
    }

    /** An id as text, or {@code null} when absent. */
    String optId(String field) throws PayloadRejectedException {
        return idText(map.get(field), at(field));
    }

    /** A date-time, or {@code null} when absent. */
    Instant optDate(String field) throws PayloadRejectedException {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            return CanonicalRecords.parseDate(at(field), text);
        }
        throw new PayloadRejectedException(at(field), "must be an ISO-8601 date-time with an offset, e.g. 2026-11-01T09:30:00Z");
    }

    /** A required list of objects, with at least one element. */
    List<JsonFields> objects(String field) throws PayloadRejectedException {
        List<?> list = list(field);
        if (list == null) {
            throw new PayloadRejectedException(at(field), "is required");
        }
        if (list.isEmpty()) {
            throw new PayloadRejectedException(at(field), "must not be empty");
        }
        List<JsonFields> objects = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String elementPath = at(field) + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> element)) {
                throw new PayloadRejectedException(elementPath, "must be an object");
            }
            objects.add(new JsonFields(element, elementPath));
        }
        return objects;
    }

    /** A list of ids as text, empty when absent. */
    List<String> optIds(String field) throws PayloadRejectedException {
        List<?> list = list(field);
        if (list == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String elementPath = at(field) + "[" + i + "]";
            String id = idText(list.get(i), elementPath);
            if (id == null) {
                throw new PayloadRejectedException(elementPath, "is required");
            }
            ids.add(id);
        }
        return ids;
    }

    private List<?> list(String field) throws PayloadRejectedException {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            return list;
        }
        throw new PayloadRejectedException(at(field), "must be a list");
    }

    private static String idText(Object value, String path) throws PayloadRejectedException {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof String text) {
            return text.isBlank() ? null : text.strip();
        }
        if (value instanceof Number number) {
            // A decimal that happens to be whole (100.0) is still the id 100; 1.5, NaN or Infinity are not ids.
            try {
                return new BigDecimal(number.toString()).toBigIntegerExact().toString();
            } catch (ArithmeticException | NumberFormatException e) {
                throw new PayloadRejectedException(path, "must be an integer id");
            }
        }
        throw new PayloadRejectedException(path, "must be an integer id");
    }
}
