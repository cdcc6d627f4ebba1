package org.auditlog.stream.syslog.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;

/**
 * One event as an RFC 5424 syslog message (SYSLOG-MSG, without framing):
 *
 * <pre>
 * &lt;134&gt;1 2026-11-01T09:30:00.000Z host.example auditlog - Backlog [auditlog@32473 id="912420565585756160"
 *   sequence="41" organization="ACME" product="Backlog" batch="…" category="Issue" event="Add an issue" user="u1"
 *   userName="Ann" email="ann@acme.example" ip="203.0.113.5" userAgent="Mozilla/5.0 …"] BOM PROJECT-100 was added
 * </pre>
 *
 * <p>PRI is the facility's code times 8 plus 6 (informational); TIMESTAMP the event's date in UTC with
 * milliseconds; APP-NAME {@code auditlog}; PROCID {@code -}; MSGID the product (printable ASCII, at most 32
 * characters). The structured data element {@code auditlog@<enterpriseId>} carries the record's fields but the date
 * (the TIMESTAMP), the action (the MSG) and the version (always V1), and the event's place: its sequence and the
 * batch's id, on which a receiver can deduplicate. Its values are UTF-8 with {@code "}, {@code \} and {@code ]}
 * escaped by a backslash. MSG is the action text in UTF-8 after a byte order mark (MSG-UTF8).
 *
 * <p>A message is at most {@value #MAX_OCTETS} octets (RFC 5425 receivers should accept that much): a longer action
 * is cut on a character boundary, and the parameter {@code cut="msg"} says so. The other values are bounded by the
 * V1 columns and leave room for a few hundred octets of action at the least; were they longer, the longest values
 * would be cut too and named in {@code cut}.
 */
final class SyslogMessage {
    /** The largest message sent, in octets: RFC 5425 receivers SHOULD accept 8192. */
    static final int MAX_OCTETS = 8192;

    /** Severity 6, informational. */
    static final int SEVERITY = 6;

    static final String APP_NAME = "auditlog";
    static final String SD_NAME = "auditlog";

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** The action kept at the least before other values are cut. */
    private static final int MIN_MSG_OCTETS = 256;

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private SyslogMessage() {}

    /**
     * The message of {@code event} of {@code batch}.
     *
     * @param facility the facility's code, 0 to 23
     * @param hostname the HOSTNAME: printable ASCII, at most 255 characters, or {@code -}
     */
    static byte[] format(StreamBatch batch, StreamEvent event, int facility, String hostname, long enterpriseId) {
        AuditRecord r = event.record();
        StringBuilder header = new StringBuilder(128)
                .append('<')
                .append(facility * 8 + SEVERITY)
                .append(">1 ")
                .append(r.date() == null ? "-" : TIMESTAMP.format(r.date()))
                .append(' ')
                .append(hostname)
                .append(' ')
                .append(APP_NAME)
                .append(" - ")
                .append(msgId(r.product()))
                .append(' ');
        byte[] head = header.toString().getBytes(StandardCharsets.US_ASCII);

        Map<String, String> params = new LinkedHashMap<>();
        params.put("id", Long.toString(r.id()));
        params.put("sequence", Long.toString(event.sequence()));
        params.put("organization", text(r.spaceKey()));
        params.put("product", text(r.product()));
        params.put("batch", batch.id());
        params.put("category", text(r.category()));
        params.put("event", text(r.event()));
        params.put("user", text(r.operationUserId()));
        params.put("userName", text(r.operationUserName()));
        params.put("email", text(r.operationUserEmail()));
        params.put("ip", text(r.ipAddress()));
        params.put("userAgent", text(r.userAgent()));
        String sdId = SD_NAME + "@" + enterpriseId;
        byte[] msg = text(r.action()).getBytes(StandardCharsets.UTF_8);

        List<String> cut = new ArrayList<>();
        byte[] sd = structuredData(sdId, params, cut);
        // Values too long to leave the action its room (longer than the V1 columns allow): the longest are cut.
        while (head.length + sd.length + 1 + BOM.length + Math.min(MIN_MSG_OCTETS, msg.length) > MAX_OCTETS) {
            String longest = null;
            for (Map.Entry<String, String> p : params.entrySet()) {
                if (longest == null
                        || p.getValue().length() > params.get(longest).length()) {
                    longest = p.getKey();
                }
            }
            String value = params.get(longest);
            params.put(longest, value.substring(0, cutIndex(value, value.length() / 2)));
            if (!cut.contains(longest)) {
                cut.add(longest);
            }
            sd = structuredData(sdId, params, cut);
        }
        if (head.length + sd.length + 1 + BOM.length + msg.length > MAX_OCTETS) {
            cut.add("msg");
            sd = structuredData(sdId, params, cut);
            int room = MAX_OCTETS - head.length - sd.length - 1 - BOM.length;
            msg = Arrays.copyOf(msg, utf8Boundary(msg, room));
        }
        return concat(head, sd, msg);
    }

    /** MSGID: the product, printable ASCII (others become {@code _}), at most 32 characters, {@code -} when none. */
    static String msgId(String product) {
        if (product == null || product.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < product.length() && b.length() < 32; i++) {
            char c = product.charAt(i);
            b.append(c >= 33 && c <= 126 ? c : '_');
        }
        return b.toString();
    }

    /** An SD-PARAM value: {@code "}, {@code \} and {@code ]} escaped with a backslash (RFC 5424, 6.3.3). */
    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static byte[] structuredData(String sdId, Map<String, String> params, List<String> cut) {
        StringBuilder b = new StringBuilder(512).append('[').append(sdId);
        for (Map.Entry<String, String> p : params.entrySet()) {
            b.append(' ')
                    .append(p.getKey())
                    .append("=\"")
                    .append(escape(p.getValue()))
                    .append('"');
        }
        if (!cut.isEmpty()) {
            b.append(" cut=\"").append(String.join(" ", cut)).append('"');
        }
        return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] head, byte[] sd, byte[] msg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + sd.length + 4 + msg.length);
        out.writeBytes(head);
        out.writeBytes(sd);
        out.write(' ');
        out.writeBytes(BOM);
        out.writeBytes(msg);
        return out.toByteArray();
    }

    /** The largest length at most {@code max} that does not end inside a UTF-8 sequence of {@code bytes}. */
    static int utf8Boundary(byte[] bytes, int max) {
        int end = max;
        // A byte 10xxxxxx continues a sequence: the cut goes before the sequence's first byte.
        while (end > 0 && end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return end;
    }

    /** {@code index}, moved back so that a surrogate pair is not split. */
    private static int cutIndex(String s, int index) {
        return index > 0 && Character.isHighSurrogate(s.charAt(index - 1)) ? index - 1 : index;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
