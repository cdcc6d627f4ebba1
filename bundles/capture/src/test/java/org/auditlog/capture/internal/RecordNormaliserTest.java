package org.auditlog.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.junit.jupiter.api.Test;

class RecordNormaliserTest {
    static final IngestContext NONE = new IngestContext(null, null, null);

    static AuditRecord raw(String spaceKey, String name) {
        return new AuditRecord(
                0,
                spaceKey,
                null,
                Instant.parse("2026-11-01T18:30:00.123456+09:00".replace("+09:00", "Z")),
                "Member",
                "Add a member",
                "ann was added",
                "u1",
                name,
                "ann@acme.example",
                "192.0.2.1",
                "Mozilla/5.0",
                null);
    }

    @Test
    void supportAndSystemActorsLoseTheirDetails() throws Exception {
        for (String actor : new String[] {"Nulab Support", "System user"}) {
            AuditRecord r = RecordNormaliser.normalise(
                    raw("ACME", actor), "Apps", new IngestContext(null, "203.0.113.9", "curl"));
            assertEquals(actor, r.operationUserName());
            assertEquals("", r.operationUserId());
            assertEquals("", r.operationUserEmail());
            assertEquals("", r.ipAddress());
            assertEquals("", r.userAgent());
        }
    }

    @Test
    void fillsVersionProductMillisecondsAndForwardedClient() throws Exception {
        AuditRecord in = new AuditRecord(
                0,
                "ACME",
                null,
                Instant.parse("2026-11-01T09:30:00.123456Z"),
                "Member",
                "Add a member",
                "ann was added",
                null,
                "Ann",
                null,
                null,
                "",
                null);
        AuditRecord r = RecordNormaliser.normalise(in, "Apps", new IngestContext(null, "203.0.113.9", "Firefox"));
        assertEquals("V1", r.version());
        assertEquals("Apps", r.product());
        assertEquals(Instant.parse("2026-11-01T09:30:00.123Z"), r.date());
        assertEquals("", r.operationUserId());
        assertEquals("", r.operationUserEmail());
        assertEquals("203.0.113.9", r.ipAddress());
        assertEquals("Firefox", r.userAgent());
    }

    @Test
    void aTokenBoundToAnOrganizationGivesItsSpaceKeyAndRefusesOthers() throws Exception {
        IngestContext bound = new IngestContext("ACME", null, null);
        assertEquals(
                "ACME",
                RecordNormaliser.normalise(raw(null, "Ann"), "Apps", bound).spaceKey());
        assertEquals(
                "ACME",
                RecordNormaliser.normalise(raw("ACME", "Ann"), "Apps", bound).spaceKey());
        PayloadRejectedException e = assertThrows(
                PayloadRejectedException.class, () -> RecordNormaliser.normalise(raw("OTHER", "Ann"), "Apps", bound));
        assertEquals("space_key", e.field());
    }

    @Test
    void requiredFieldsAndLimitsNameTheField() {
        assertField(
                "space_key",
                "is required: send it in the event, or use an ingest token bound to the organization",
                raw(null, "Ann"));
        assertField(
                "space_key",
                "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit",
                raw("AC ME", "Ann"));
        assertField(
                "space_key",
                "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit",
                raw("A".repeat(65), "Ann"));
        assertField("operation_user_name", "is required", raw("ACME", " "));
        AuditRecord noDate = new AuditRecord(0, "ACME", null, null, "c", "e", "a", "", "Ann", "", "", "", null);
        assertField("date", "is required", noDate);
        AuditRecord longAction = new AuditRecord(
                0, "ACME", null, Instant.EPOCH, "c", "e", "x".repeat(1025), "", "Ann", "", "", "", null);
        assertField("action", "is longer than 1024 characters (1025)", longAction);
    }

    static AuditRecord dated(String date) {
        return new AuditRecord(
                0,
                "ACME",
                null,
                java.time.OffsetDateTime.parse(date).toInstant(),
                "Member",
                "Add a member",
                "ann was added",
                "u1",
                "Ann",
                "",
                "",
                "",
                null);
    }

    static AuditRecord fromIp(String ip) {
        return new AuditRecord(
                0,
                "ACME",
                null,
                Instant.parse("2026-11-01T09:30:00Z"),
                "Member",
                "Add a member",
                "ann was added",
                "u1",
                "Ann",
                "",
                ip,
                "",
                null);
    }

    @Test
    void datesFromTheEpochToTheEndOfYear9999AreKeptExactly() throws Exception {
        String[][] inside = {
            {"1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00.000Z"},
            {"9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"},
            {"1970-01-01T14:00:00.000+14:00", "1970-01-01T00:00:00.000Z"},
            {"9999-12-31T11:59:59.999-12:00", "9999-12-31T23:59:59.999Z"},
            {"9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999Z"},
            {"2026-11-01T18:30:00+09:00", "2026-11-01T09:30:00Z"},
        };
        for (String[] c : inside) {
            assertEquals(
                    Instant.parse(c[1]),
                    RecordNormaliser.normalise(dated(c[0]), "Apps", NONE).date(),
                    c[0]);
        }
    }

    @Test
    void datesOutsideTheRangeAreRefusedNamingDate() {
        for (String date : new String[] {
            "1969-12-31T23:59:59.999Z",
            "1970-01-01T13:59:59.999+14:00",
            "1970-01-01T00:00:00.000+00:01",
            "1582-10-04T00:00:00Z",
            "0001-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "9999-12-31T12:00:00-12:00",
            "9999-12-31T23:59:59.999-00:01",
            "+999999999-12-31T23:59:59Z"
        }) {
            PayloadRejectedException e = assertThrows(
                    PayloadRejectedException.class, () -> RecordNormaliser.normalise(dated(date), "Apps", NONE), date);
            assertEquals("date", e.field());
            assertTrue(e.rule().startsWith(RecordNormaliser.DATE_RULE), e.rule());
            assertTrue(e.rule().contains("1970-01-01T00:00:00.000Z") && e.rule().contains("9999-12-31T23:59:59.999Z"));
        }
    }

    @Test
    void ipAddressesAreCheckedWhereverTheyCameFrom() throws Exception {
        assertEquals(
                "2001:db8::1",
                RecordNormaliser.normalise(fromIp("2001:db8::1"), "Apps", NONE).ipAddress());
        assertEquals("", RecordNormaliser.normalise(fromIp(""), "Apps", NONE).ipAddress());
        assertEquals("", RecordNormaliser.normalise(fromIp(null), "Apps", NONE).ipAddress());
        assertField("ip_address", RecordNormaliser.IP_RULE, fromIp("not an address"));
        assertField("ip_address", RecordNormaliser.IP_RULE, fromIp("01.2.3.4"));
        assertField("ip_address", RecordNormaliser.IP_RULE, fromIp("acme.example"));

        IngestContext badHeader = new IngestContext(null, "localhost", null);
        PayloadRejectedException e = assertThrows(
                PayloadRejectedException.class, () -> RecordNormaliser.normalise(fromIp(null), "Apps", badHeader));
        assertEquals("X-Auditlog-Client-Ip", e.field());
        assertThrows(PayloadRejectedException.class, () -> RecordNormaliser.checkForwarded(badHeader));
        RecordNormaliser.checkForwarded(new IngestContext(null, "203.0.113.5", null));
        RecordNormaliser.checkForwarded(NONE);
        assertEquals(
                "X-Auditlog-Client-User-Agent",
                assertThrows(
                                PayloadRejectedException.class,
                                () -> RecordNormaliser.checkForwarded(new IngestContext(null, null, "x".repeat(513))))
                        .field());
        RecordNormaliser.checkForwarded(new IngestContext(null, "::1", "x".repeat(512)));
        // the record's own address wins over the header, and is the one checked
        assertEquals(
                "203.0.113.7",
                RecordNormaliser.normalise(fromIp("203.0.113.7"), "Apps", new IngestContext(null, "203.0.113.5", null))
                        .ipAddress());
        // support and system actors have no address, whatever was sent
        AuditRecord system = new AuditRecord(
                0,
                "ACME",
                null,
                Instant.parse("2026-11-01T09:30:00Z"),
                "Plan",
                "e",
                "a",
                "",
                "System user",
                "",
                "bogus",
                "",
                null);
        assertEquals("", RecordNormaliser.normalise(system, "Apps", NONE).ipAddress());
    }

    private static void assertField(String field, String rule, AuditRecord r) {
        PayloadRejectedException e =
                assertThrows(PayloadRejectedException.class, () -> RecordNormaliser.normalise(r, "Apps", NONE));
        assertEquals(field, e.field());
        assertEquals(rule, e.rule());
    }

    static AuditRecord record(String category, String event, String action, String name) {
        return new AuditRecord(
                0,
                "ACME",
                null,
                Instant.parse("2026-11-01T09:30:00Z"),
                category,
                event,
                action,
                "",
                name,
                "",
                "",
                "",
                null);
    }

    static PayloadRejectedException refusedFromProduct(AuditRecord r) {
        return assertThrows(PayloadRejectedException.class, () -> RecordNormaliser.checkFromProduct(r));
    }

    @Test
    void aProductsTextWithALoneSurrogateIsRefusedNamingTheField() throws Exception {
        PayloadRejectedException e = refusedFromProduct(record("Member", "Add a member", "ann\ud800 was added", "Ann"));
        assertEquals("action", e.field());
        assertEquals("is not valid Unicode text: a lone UTF-16 surrogate (\\uD800) at character 3", e.rule());
        assertEquals(
                "operation_user_name",
                refusedFromProduct(record("Member", "Add a member", "x", "\udc00Ann"))
                        .field());
        assertEquals(
                "category",
                refusedFromProduct(record("Mem\ud83dber", "Add a member", "x", "Ann"))
                        .field());
        // a pair is one character outside the BMP: valid
        RecordNormaliser.checkFromProduct(record("Member", "Add a member", "\ud83d\ude00 was added", "Ann"));
    }

    @Test
    void theServersOwnTextIsMadeWellFormedInsteadOfRefused() {
        AuditRecord r = RecordNormaliser.wellFormed(
                record("Audit log", "Search audit logs", "user: a\ud800b \ud83d\ude00", "Ann"));
        assertEquals("user: a\uFFFDb \ud83d\ude00", r.action());
        assertEquals(-1, RecordNormaliser.loneSurrogate(r.action()));
    }

    @Test
    void aProductCannotWriteTheServersOwnRecords() throws Exception {
        PayloadRejectedException e =
                refusedFromProduct(record("Audit log", "Search audit logs", "Audit logs were searched", "System user"));
        assertEquals("category", e.field());
        assertEquals(
                "'Audit log' is reserved for the server's own records (searches, downloads and exports of the "
                        + "log, sign-ins)",
                e.rule());
        assertEquals(
                "category",
                refusedFromProduct(record(" audit LOG ", "Download audit logs", "x", "Ann"))
                        .field());
        for (String actor : new String[] {"System user", "Nulab Support"}) {
            PayloadRejectedException p = refusedFromProduct(record(
                    "Privilege",
                    "Grant the Audit Log Admin privilege",
                    "Audit Log Admin privilege was granted to Bob",
                    actor));
            assertEquals("operation_user_name", p.field());
        }
        // a member's privilege change, and support's other changes, are a product's to record
        RecordNormaliser.checkFromProduct(record(
                "Privilege",
                "Grant the Audit Log Admin privilege",
                "Audit Log Admin privilege was granted to Bob",
                "Ann"));
        RecordNormaliser.checkFromProduct(record("Plan", "Start a plan", "Trial plan started", "Nulab Support"));
    }
}
