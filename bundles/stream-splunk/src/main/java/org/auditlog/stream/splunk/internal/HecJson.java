package org.auditlog.stream.splunk.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;

/**
 * The JSON of the collector's protocol: a batch as the body of {@code POST /services/collector/event}, and the
 * collector's answers.
 *
 * <p>The body is one JSON object per event, one per line (HEC's batch form: objects one after the other, not an
 * array), in sequence order:
 *
 * <pre>
 * {"time":1793525400.041,"host":"auditlog.example.com","source":"auditlog","sourcetype":"auditlog:v1","index":"audit",
 *  "event":{"id":"912420565585756201","space_key":"ACME","product":"Apps","date":"2026-11-01T09:30:00.041Z",…,
 *           "version":"V1","sequence":41,"batch":"s1-ACME-Apps-41-43"},
 *  "fields":{"organization":"ACME","product":"Apps","sequence":"41"}}
 * </pre>
 *
 * {@code time} is the record's date in seconds since the epoch with its milliseconds, written in plain decimals;
 * {@code host} and {@code index} only when set. {@code event} has the fields of the record as the REST API writes
 * them (the V1 names, the id as a string, the date in UTC with milliseconds), its {@code sequence} and the
 * {@code batch} id, the same at every attempt. {@code fields} are indexed fields: HEC takes a flat object whose values
 * are strings (or arrays of strings), so the sequence is a string there.
 */
final class HecJson {
    /** The REST API's date format: UTC with milliseconds, always the same width. */
    static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private HecJson() {}

    /** The body of {@code POST /services/collector/event} for the batch's events. */
    static byte[] events(StreamBatch batch, HecSettings.Target target) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(256 + 768 * batch.events().size());
        try {
            for (StreamEvent e : batch.events()) {
                try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                    writeEvent(g, batch, e, target);
                }
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    private static void writeEvent(JsonGenerator g, StreamBatch batch, StreamEvent e, HecSettings.Target target)
            throws IOException {
        AuditRecord r = e.record();
        g.writeStartObject();
        if (r.date() != null) {
            g.writeFieldName("time");
            g.writeNumber(time(r.date()));
        }
        if (target.eventHost() != null) {
            g.writeStringField("host", target.eventHost());
        }
        g.writeStringField("source", target.source());
        g.writeStringField("sourcetype", target.sourcetype());
        if (target.index() != null) {
            g.writeStringField("index", target.index());
        }

        g.writeObjectFieldStart("event");
        g.writeStringField(Column.ID.columnName(), Long.toString(r.id()));
        g.writeStringField(Column.SPACE_KEY.columnName(), r.spaceKey());
        g.writeStringField(Column.PRODUCT.columnName(), r.product());
        g.writeStringField(Column.DATE.columnName(), r.date() == null ? null : DATE.format(r.date()));
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
        g.writeStringField("batch", batch.id());
        g.writeEndObject();

        g.writeObjectFieldStart("fields");
        g.writeStringField("organization", batch.organization());
        g.writeStringField("product", batch.product());
        g.writeStringField("sequence", Long.toString(e.sequence()));
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Seconds since the epoch with milliseconds: {@code 1793525400.041}. */
    static BigDecimal time(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    /** The body of {@code POST /services/collector/ack}: {@code {"acks":[7]}}. */
    static byte[] ackQuery(long ackId) {
        return ("{\"acks\":[" + ackId + "]}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * The collector's answer to a request: {@code {"text":"Success","code":0,"ackId":7}}, or
     * {@code {"text":"Invalid data format","code":6,"invalid-event-number":2}}.
     *
     * @param code the HEC status code, or {@code null} when the answer has none
     * @param ackId the acknowledgement's id, or {@code null}
     * @param invalidEvent the position (from 0) of the event the collector could not read, or {@code null}
     */
    record Reply(String text, Integer code, Long ackId, Integer invalidEvent) {
        static final Reply NONE = new Reply(null, null, null, null);
    }

    /** The collector's answer, or {@link Reply#NONE} when the body is not a JSON object. */
    static Reply reply(byte[] body) {
        String text = null;
        Integer code = null;
        Long ackId = null;
        Integer invalid = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Reply.NONE;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "text" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            text = p.getText();
                        }
                    }
                    case "code" -> {
                        if (value == JsonToken.VALUE_NUMBER_INT) {
                            code = p.getIntValue();
                        }
                    }
                    case "ackId" -> {
                        if (value == JsonToken.VALUE_NUMBER_INT) {
                            ackId = p.getLongValue();
                        }
                    }
                    case "invalid-event-number" -> {
                        if (value == JsonToken.VALUE_NUMBER_INT) {
                            invalid = p.getIntValue();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            return Reply.NONE;
        }
        return new Reply(text, code, ackId, invalid);
    }

    /**
     * Whether the answer to an acknowledgement query says the acknowledgement is there:
     * {@code {"acks":{"7":true}}}. {@code false} for {@code false}, for an id it does not name, for anything else.
     */
    static boolean acknowledged(byte[] body, long ackId) {
        String id = Long.toString(ackId);
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("acks") || value != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                for (JsonToken a = p.nextToken(); a == JsonToken.FIELD_NAME; a = p.nextToken()) {
                    String key = p.currentName();
                    JsonToken v = p.nextToken();
                    if (key.equals(id) && v == JsonToken.VALUE_TRUE) {
                        return true;
                    }
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
