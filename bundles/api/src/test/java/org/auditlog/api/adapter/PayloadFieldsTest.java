package org.auditlog.api.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one set of rules every adapter reads its payloads by. */
class PayloadFieldsTest {

    private static PayloadFields of(Object... keysAndValues) throws PayloadRejectedException {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return PayloadFields.of(map);
    }

    private static PayloadRejectedException refused(Executable read) {
        return assertThrows(PayloadRejectedException.class, read::run);
    }

    interface Executable {
        void run() throws PayloadRejectedException;
    }

    @Test
    void theEventMustBeAnObject() {
        for (Object json : new Object[] {List.of(), "text", 3, null}) {
            PayloadRejectedException e = refused(() -> PayloadFields.of(json));
            assertNull(e.field());
            assertEquals("each event must be a JSON object", e.rule());
        }
    }

    @Test
    void aBlankOptionalStringIsAbsentAndABlankRequiredOneIsRequired() throws Exception {
        PayloadFields f = of("blank", "  \t", "empty", "", "text", " kept as sent ", "nul", null, "number", 3);
        assertNull(f.optString("blank"));
        assertNull(f.optString("empty"));
        assertNull(f.optString("nul"));
        assertNull(f.optString("missing"));
        assertEquals(" kept as sent ", f.optString("text"));
        for (String field : List.of("blank", "empty", "nul", "missing")) {
            PayloadRejectedException e = refused(() -> f.string(field));
            assertEquals(field, e.field());
            assertEquals(PayloadFields.REQUIRED, e.rule());
        }
        assertEquals("must be a string", refused(() -> f.optString("number")).rule());
        assertFalse(f.has("nul"));
        assertTrue(f.containsKey("nul"));
    }

    @Test
    void anIdIsAnIntegerOrANonBlankStringAsText() throws Exception {
        PayloadFields f = of(
                "int",
                42,
                "long",
                9_007_199_254_740_993L,
                "big",
                new BigInteger("123456789012345678901234567890"),
                "whole",
                100.0,
                "wholeBig",
                new BigDecimal("7.000"),
                "text",
                "  u-1 ",
                "blank",
                " ",
                "half",
                1.5,
                "nan",
                Double.NaN,
                "bool",
                true,
                "list",
                List.of(1));
        assertEquals("42", f.id("int"));
        assertEquals("9007199254740993", f.id("long"));
        assertEquals("123456789012345678901234567890", f.id("big"));
        assertEquals("100", f.id("whole"));
        assertEquals("7", f.id("wholeBig"));
        assertEquals("u-1", f.id("text"));
        assertNull(f.optId("blank"));
        assertEquals(PayloadFields.REQUIRED, refused(() -> f.id("blank")).rule());
        for (String field : List.of("half", "nan", "bool", "list")) {
            PayloadRejectedException e = refused(() -> f.optId(field));
            assertEquals(field, e.field());
            assertEquals("must be an integer id", e.rule());
        }
    }

    @Test
    void anIntegerIsAWholeNumberThatFitsALong() throws Exception {
        PayloadFields f = of(
                "int",
                7,
                "long",
                Long.MAX_VALUE,
                "big",
                BigInteger.valueOf(5),
                "huge",
                BigInteger.TWO.pow(64),
                "half",
                2.5,
                "text",
                "7");
        assertEquals(7, f.integer("int"));
        assertEquals(Long.MAX_VALUE, f.integer("long"));
        assertEquals(5, f.integer("big"));
        for (String field : List.of("huge", "half", "text")) {
            assertEquals("must be an integer", refused(() -> f.integer(field)).rule());
        }
        assertEquals(PayloadFields.REQUIRED, refused(() -> f.integer("missing")).rule());
    }

    @Test
    void nestedFieldsAreNamedByTheirDottedPath() throws Exception {
        PayloadFields f = of(
                "data",
                Map.of("post", Map.of("account", Map.of("name", 5))),
                "items",
                List.of(Map.of("id", 1), "not an object"),
                "ids",
                Arrays.asList(1, null),
                "scalar",
                "x");
        PayloadFields account = f.object("data").object("post").object("account");
        assertEquals("data.post.account", account.path());
        PayloadRejectedException e = refused(() -> account.string("name"));
        assertEquals("data.post.account.name", e.field());
        assertEquals("must be a string", e.rule());
        assertEquals("data.post.account.id", refused(() -> account.id("id")).field());

        PayloadRejectedException element = refused(() -> f.objects("items"));
        assertEquals("items[1]", element.field());
        assertEquals("must be an object", element.rule());
        assertEquals("ids[1]", refused(() -> f.optIds("ids")).field());
        assertEquals("must be an object", refused(() -> f.object("scalar")).rule());
        assertEquals("must be an array", refused(() -> f.optList("scalar")).rule());
        assertEquals(
                "must not be empty",
                refused(() -> of("e", List.of()).objects("e")).rule());
        assertEquals(List.of(), f.optObjects("missing"));
        assertEquals(List.of(), of("e", List.of()).objectsOrNone("e"));
        assertEquals(
                PayloadFields.REQUIRED,
                refused(() -> f.objectsOrNone("missing")).rule());
        assertEquals(
                "items[0]",
                of("items", List.of(Map.of("id", 1))).objects("items").get(0).path());
    }

    @Test
    void aDateTimeCarriesAnOffset() throws Exception {
        PayloadFields f = of(
                "z",
                "2026-11-01T09:30:00Z",
                "offset",
                "2026-11-01T18:30:00+09:00",
                "local",
                "2026-11-01T09:30:00",
                "number",
                1700000000);
        assertEquals(Instant.parse("2026-11-01T09:30:00Z"), f.date("z"));
        assertEquals(Instant.parse("2026-11-01T09:30:00Z"), f.date("offset"));
        assertEquals(CanonicalRecords.DATE_RULE, refused(() -> f.date("local")).rule());
        assertEquals(CanonicalRecords.DATE_RULE, refused(() -> f.date("number")).rule());
        assertNull(f.optDate("missing"));
        assertEquals(PayloadFields.REQUIRED, refused(() -> f.date("missing")).rule());
    }
}
