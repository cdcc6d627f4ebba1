package org.auditlog.api.adapter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from one JSON object of a product's payload, already parsed into {@code Map}/{@code List} form:
 * the one reader every adapter uses, so that every product's payloads follow the same rules.
 *
 * <p>Every read checks the type of the value it returns and, when the value is missing or of the wrong type,
 * rejects the payload naming the dotted path of the field ({@code data.post.account.id}), so no
 * {@code ClassCastException} or {@code NullPointerException} leaks out of an adapter. The rules, the same for
 * every product:
 * <ul>
 * <li>a JSON {@code null} is absent;</li>
 * <li>an optional string that is blank is absent ({@code null}), a required one is refused as
 * {@code "is required"};</li>
 * <li>an id is an integer (as most products send ids) or a non-blank string, returned as text, stripped; a
 * decimal that is whole ({@code 100.0}) is the id {@code 100}; {@code 1.5} is refused as
 * {@code "must be an integer id"};</li>
 * <li>an integer is a whole number that fits in a {@code long};</li>
 * <li>a date-time is ISO-8601 with an offset ({@link CanonicalRecords#parseDate}).</li>
 * </ul>
 *
 * @since 1.0
 */
public final class PayloadFields {
    /** The rule of a required field that is absent, null or blank. */
    public static final String REQUIRED = "is required";

    private final Map<?, ?> map;
    private final String path;

    private PayloadFields(Map<?, ?> map, String path) {
        this.map = map;
        this.path = path;
    }

    /**
     * The event itself: {@code json} must be a JSON object.
     *
     * @throws PayloadRejectedException without a field when it is not
     */
    public static PayloadFields of(Object json) throws PayloadRejectedException {
        if (json instanceof Map<?, ?> map) {
            return new PayloadFields(map, "");
        }
        throw new PayloadRejectedException(null, "each event must be a JSON object");
    }

    /** The dotted path of this object in the event, empty for the event itself. */
    public String path() {
        return path;
    }

    /** The path of one of this object's fields. */
    public String at(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** Whether the field is present and not null. */
    public boolean has(String field) {
        return map.get(field) != null;
    }

    /** Whether the object has the field, even with a null value. */
    public boolean containsKey(String field) {
        return map.containsKey(field);
    }

    /** The raw value of a field, {@code null} when absent. */
    public Object raw(String field) {
        return map.get(field);
    }

    /** A required nested object. */
    public PayloadFields object(String field) throws PayloadRejectedException {
        PayloadFields object = optObject(field);
        if (object == null) {
            throw new PayloadRejectedException(at(field), REQUIRED);
        }
        return object;
    }

    /** A nested object, or {@code null} when absent. */
    public PayloadFields optObject(String field) throws PayloadRejectedException {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> nested) {
            return new PayloadFields(nested, at(field));
        }
        throw new PayloadRejectedException(at(field), "must be an object");
    }

    /** A required, non-blank string. */
    public String string(String field) throws PayloadRejectedException {
        String value = optString(field);
        if (value == null) {
            throw new PayloadRejectedException(at(field), REQUIRED);
        }
        return value;
    }

    /** A string, or {@code null} when absent or blank. */
    public String optString(String field) throws PayloadRejectedException {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            return text.isBlank() ? null : text;
        }
        throw new PayloadRejectedException(at(field), "must be a string");
    }

    /** A required id, as text. */
    public String id(String field) throws PayloadRejectedException {
        String value = optId(field);
        if (value == null) {
            throw new PayloadRejectedException(at(field), REQUIRED);
        }
        return value;
    }

    /** An id as text, or {@code null} when absent or blank. */
    public String optId(String field) throws PayloadRejectedException {
        return idText(map.get(field), at(field));
    }

    /** A required integer. */
    public long integer(String field) throws PayloadRejectedException {
        Object value = map.get(field);
        if (value == null) {
            throw new PayloadRejectedException(at(field), REQUIRED);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < Long.SIZE) {
            return big.longValue();
        }
        throw new PayloadRejectedException(at(field), "must be an integer");
    }

    /** A required date-time. */
    public Instant date(String field) throws PayloadRejectedException {
        Instant value = optDate(field);
        if (value == null) {
            throw new PayloadRejectedException(at(field), REQUIRED);
        }
        return value;
    }

    /** A date-time, or {@code null} when absent. */
    public Instant optDate(String field) throws PayloadRejectedException {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            return CanonicalRecords.parseDate(at(field), text);
        }
        throw new PayloadRejectedException(at(field), CanonicalRecords.DATE_RULE);
    }

    /** A required list of objects, with at least one element. */
    public List<PayloadFields> objects(String field) throws PayloadRejectedException {
        List<?> list = optList(field);
        if (list == null) {
            throw new PayloadRejectedException(at(field), REQUIRED);
        }
        if (list.isEmpty()) {
            throw new PayloadRejectedException(at(field), "must not be empty");
        }
        return objectsOf(field, list);
    }

    /** A required list of objects, which may be empty. */
    public List<PayloadFields> objectsOrNone(String field) throws PayloadRejectedException {
        List<?> list = optList(field);
        if (list == null) {
            throw new PayloadRejectedException(at(field), REQUIRED);
        }
        return objectsOf(field, list);
    }

    /** A list of objects, empty when absent. */
    public List<PayloadFields> optObjects(String field) throws PayloadRejectedException {
        List<?> list = optList(field);
        return list == null ? List.of() : objectsOf(field, list);
    }

    /** A list of ids as text, empty when absent. */
    public List<String> optIds(String field) throws PayloadRejectedException {
        List<?> list = optList(field);
        if (list == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String elementPath = at(field) + "[" + i + "]";
            String id = idText(list.get(i), elementPath);
            if (id == null) {
                throw new PayloadRejectedException(elementPath, REQUIRED);
            }
            ids.add(id);
        }
        return ids;
    }

    /** A list, or {@code null} when absent. */
    public List<?> optList(String field) throws PayloadRejectedException {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            return list;
        }
        throw new PayloadRejectedException(at(field), "must be an array");
    }

    private List<PayloadFields> objectsOf(String field, List<?> list) throws PayloadRejectedException {
        List<PayloadFields> objects = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String elementPath = at(field) + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> element)) {
                throw new PayloadRejectedException(elementPath, "must be an object");
            }
            objects.add(new PayloadFields(element, elementPath));
        }
        return objects;
    }

    private static String idText(Object value, String path) throws PayloadRejectedException {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof String text) {
            return text.isBlank() ? null : text.strip();
        }
        if (value instanceof Number number) {
            try {
                return new BigDecimal(number.toString()).toBigIntegerExact().toString();
            } catch (ArithmeticException | NumberFormatException e) {
                throw new PayloadRejectedException(path, "must be an integer id");
            }
        }
        throw new PayloadRejectedException(path, "must be an integer id");
    }
}
