package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.StreamingOutput;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PrivilegeGrant;
import org.junit.jupiter.api.Test;

/** The JSON conventions of every answer: dates, nulls, escaping, and the shapes of {@link Views}. */
class JsonTest {
    static String write(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonWriter()
                .writeTo(
                        value,
                        value.getClass(),
                        value.getClass(),
                        new Annotation[0],
                        MediaType.APPLICATION_JSON_TYPE,
                        new MultivaluedHashMap<>(),
                        out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void datesAreUtcWithMillisecondsAlwaysTheSameWidth() {
        assertEquals("2026-11-01T09:30:00.000Z", Json.date(Instant.parse("2026-11-01T18:30:00+09:00")));
        assertEquals("2026-11-01T09:30:00.120Z", Json.date(Instant.parse("2026-11-01T09:30:00.12Z")));
        assertEquals(
                "2026-11-01T09:30:00.999Z",
                Json.date(Instant.parse("2026-11-01T09:30:00.999999999Z")),
                "cut to milliseconds, never rounded up into the next second");
        assertEquals("1970-01-01T00:00:00.000Z", Json.date(Instant.EPOCH));
        assertEquals("9999-12-31T23:59:59.999Z", Json.date(Instant.parse("9999-12-31T23:59:59.999Z")));
        assertNull(Json.date(null));
    }

    @Test
    void nullsAreWrittenAsNullNotLeftOut() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", List.of());
        m.put("nextCursor", null);
        assertEquals("{\"events\":[],\"nextCursor\":null}", write(m));
        assertEquals(
                "{\"error\":\"not_found\",\"field\":null,\"detail\":\"no such resource\"}",
                write(new ErrorBody("not_found", null, "no such resource")));
    }

    @Test
    void stringsAreEscapedAsJsonNeedsAndOtherwiseWrittenAsUtf8() throws IOException {
        String value = "say \"hi\"\\ \n\t\u0001 </script> 日本語 \uD83D\uDE00";
        String json = write(Map.of("action", value));
        // a character beyond the BMP (the emoji) goes out as its escaped surrogate pair, which is JSON too
        assertEquals("{\"action\":\"say \\\"hi\\\"\\\\ \\n\\t\\u0001 </script> 日本語 \\uD83D\\uDE00\"}", json);
        assertEquals(value, Json.MAPPER.readTree(json).get("action").asText(), "and reads back as it was");
    }

    @Test
    void theWriterTakesEverythingButStringsAndFilesAndLeavesTheStreamToTheContainer() throws IOException {
        JsonWriter w = new JsonWriter();
        Annotation[] none = new Annotation[0];
        assertTrue(w.isWriteable(LinkedHashMap.class, LinkedHashMap.class, none, MediaType.APPLICATION_JSON_TYPE));
        assertTrue(w.isWriteable(ErrorBody.class, ErrorBody.class, none, MediaType.APPLICATION_JSON_TYPE));
        assertFalse(w.isWriteable(String.class, String.class, none, MediaType.APPLICATION_JSON_TYPE));
        StreamingOutput file = out -> {};
        assertFalse(w.isWriteable(file.getClass(), file.getClass(), none, MediaType.APPLICATION_JSON_TYPE));

        boolean[] closed = {false};
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        w.writeTo(
                Map.of("a", 1),
                Map.class,
                Map.class,
                none,
                MediaType.APPLICATION_JSON_TYPE,
                new MultivaluedHashMap<>(),
                sink);
        assertEquals("{\"a\":1}", sink.toString(StandardCharsets.UTF_8));
        assertFalse(closed[0], "the container closes the stream itself");
    }

    @Test
    void anOrganizationIsWrittenWithItsPlanAndEveryDateInTheSameFormat() throws IOException {
        Organization overdue = new Organization(
                "ACME",
                "Acme",
                10,
                PlanState.OVERDUE,
                "u1",
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                Instant.parse("2026-12-04T00:00:00Z"),
                Instant.parse("2025-12-01T12:00:00Z"),
                null,
                9);
        assertEquals(
                "{\"spaceKey\":\"ACME\",\"name\":\"Acme\",\"licenseCount\":10,\"plan\":{\"state\":\"overdue\","
                        + "\"planAdmin\":\"u1\",\"started\":\"2026-01-01T00:00:00.000Z\",\"ended\":null,"
                        + "\"graceEnds\":\"2026-12-04T00:00:00.000Z\"},\"created\":\"2025-12-01T12:00:00.000Z\"}",
                write(Views.organization(overdue)));
    }

    @Test
    void onlyAGrantNotRevokedMakesAHolder() {
        PrivilegeGrant revoked = new PrivilegeGrant("u2", "u1", Fixtures.CREATED, "u1", Fixtures.NOW, "left the team");
        OrganizationSnapshot s = new OrganizationSnapshot(
                Fixtures.ACME, List.of(Fixtures.ANN, Fixtures.BOB), List.of(Fixtures.ANN_HOLDS, revoked));
        assertEquals(java.util.Set.of("u1"), Views.holders(s));
        Map<String, Object> view = Views.snapshot(s);
        assertEquals(2, view.get("userCount"));
        Map<?, ?> history = (Map<?, ?>) ((List<?>) view.get("privilegeHistory")).get(1);
        assertEquals("2026-11-20T10:00:00.000Z", history.get("revoked"));
        assertEquals("left the team", history.get("reason"));
    }

    @Test
    void aDecisionIsAllowedRuleAndDetail() throws IOException {
        assertEquals("{\"allowed\":true,\"rule\":null,\"detail\":null}", write(Views.decision(Decision.ALLOWED)));
        assertEquals(
                "{\"allowed\":false,\"rule\":\"plan_ended\",\"detail\":\"the trial expired\"}",
                write(Views.decision(Decision.refused("plan_ended", "the trial expired"))));
    }
}
