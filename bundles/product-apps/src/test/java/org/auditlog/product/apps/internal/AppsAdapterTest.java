package org.auditlog.product.apps.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.auditlog.api.AuditRecord;
import org.auditlog.api.IngestContext;
import org.auditlog.api.NativePayload;
import org.auditlog.api.PayloadRejectedException;
import org.junit.jupiter.api.Test;

class AppsAdapterTest {
    private final AppsAdapter adapter = new AppsAdapter();

    static Map<String, Object> canonical() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("space_key", "ACME");
        m.put("date", "2026-11-01T18:30:00+09:00");
        m.put("category", "Member");
        m.put("event", "Invite a member");
        m.put("action", "bob@acme.example was invited");
        m.put("operation_user_id", "u1");
        m.put("operation_user_name", "Ann");
        m.put("operation_user_email", "ann@acme.example");
        return m;
    }

    @Test
    void readsACanonicalRecordAndConvertsItsDateToUtc() throws Exception {
        List<AuditRecord> out = adapter.translate(new NativePayload("application/json", canonical(), -1),
                IngestContext.internal());
        assertEquals(1, out.size());
        AuditRecord r = out.get(0);
        assertEquals("ACME", r.spaceKey());
        assertEquals("Apps", r.product());
        assertEquals(Instant.parse("2026-11-01T09:30:00Z"), r.date());
        assertEquals("Invite a member", r.event());
        assertEquals("Ann", r.operationUserName());
        assertEquals(0, r.id());
    }

    @Test
    void refusesWhatIsNotAV1Record() {
        Map<String, Object> badDate = canonical();
        badDate.put("date", "01/11/2026");
        assertRejected("date", badDate);
        Map<String, Object> typo = canonical();
        typo.put("catgory", "Member");
        assertRejected("catgory", typo);
        Map<String, Object> wrongType = canonical();
        wrongType.put("event", 42);
        assertRejected("event", wrongType);
        Map<String, Object> otherProduct = canonical();
        otherProduct.put("product", "Backlog");
        assertRejected("product", otherProduct);
        Map<String, Object> withId = canonical();
        withId.put("id", "1");
        assertRejected("id", withId);
        assertRejected(null, List.of(canonical()));
    }

    private void assertRejected(String field, Object json) {
        PayloadRejectedException e = assertThrows(PayloadRejectedException.class,
                () -> adapter.translate(new NativePayload("application/json", json, -1), IngestContext.internal()));
        assertEquals(field, e.field(), e.getMessage());
    }
}
