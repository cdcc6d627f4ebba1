package org.auditlog.stream.webhook.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;

/**
 * A batch as the body of a delivery, UTF-8 JSON without white space:
 *
 * <pre>
 * {"organization":"ACME","product":"Apps","firstSequence":41,"lastSequence":42,
 *  "events":[{"id":"912420565585756160","space_key":"ACME","product":"Apps","date":"2026-11-01T09:30:00.000Z",
 *             "category":"Member","event":"Invite a member","action":"…","operation_user_id":"u1",
 *             "operation_user_name":"Ann","operation_user_email":"ann@acme.example","ip_address":"203.0.113.5",
 *             "user_agent":"","version":"V1","sequence":41}, …]}
 * </pre>
 *
 * Each event has the fields of a record as the REST API writes it ({@code GET /api/v1/orgs/{key}/events}): the V1
 * column names in file order, the id as a string (it does not fit a JavaScript number), the date in UTC with
 * milliseconds; then its {@code sequence}. Events come in sequence order.
 */
final class BatchJson {
    /** The REST API's date format: UTC with milliseconds, always the same width. */
    static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private BatchJson() {}

    static byte[] write(StreamBatch batch) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(256 + 512 * batch.events().size());
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("organization", batch.organization());
            g.writeStringField("product", batch.product());
            g.writeNumberField("firstSequence", batch.firstSequence());
            g.writeNumberField("lastSequence", batch.lastSequence());
            g.writeArrayFieldStart("events");
            for (StreamEvent e : batch.events()) {
                writeEvent(g, e);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    private static void writeEvent(JsonGenerator g, StreamEvent e) throws IOException {
        AuditRecord r = e.record();
        g.writeStartObject();
        g.writeStringField(Column.ID.columnName(), Long.toString(r.id()));
        g.writeStringField(Column.SPACE_KEY.columnName(), r.spaceKey());
        g.writeStringField(Column.PRODUCT.columnName(), r.product());
        g.writeStringField(Column.DATE.columnName(), date(r.date()));
        g.writeStringField(Column.CATEGORY.columnName(), r.category());
        g.writeStringField(Column.EVENT.columnName(), r.event());
        g.writeStringField(Column.ACTION.columnName(), r.action());
        g.writeStringField(Column.OPERATION_USER_ID.columnName(), r.operationUserId());
        g.writeStringField(Column.OPERATION_USER_NAME.columnName(), r.operationUserName());
        g.writeStringField(Column.OPERATION_USER_EMAIL.columnName(), r.operationUserEmail());
        g.writeStringField(Column.IP_ADDRESS.columnName(), r.ipAddress());
        g.writeStringField(Column.USER_AGENT.columnName(), r.userAgent());
        g.writeStringField(Column.VERSION.columnName(), r.version());
        g.writeNumberField("sequence", e.sequence());
        g.writeEndObject();
    }

    private static String date(Instant instant) {
        return instant == null ? null : DATE.format(instant);
    }
}
