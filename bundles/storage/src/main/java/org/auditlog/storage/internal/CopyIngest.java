package org.auditlog.storage.internal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.auditlog.api.adapter.AuditRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Appends records to {@code audit_event} with PostgreSQL's {@code COPY ... FROM STDIN} (text format) through the
 * driver's {@code CopyManager}, on the caller's connection and in its transaction: one round trip for the whole
 * batch and no statement to plan. The other way, a JDBC batch rewritten by the driver into multi-row INSERTs
 * ({@code reWriteBatchedInserts}), is the default; the store's configuration ({@code postgresqlIngest}) picks
 * one, and the PostgreSQL ingest benchmark measures both.
 */
final class CopyIngest {
    static final String COPY_SQL = "COPY audit_event (id, space_key, product, event_date, category, event, action, "
            + "operation_user_id, operation_user_name, operation_user_email, ip_address, user_agent, version, seq) FROM STDIN";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSxxx");

    private CopyIngest() {}

    static void copy(Connection c, List<AuditRecord> records, long[] seqs) throws SQLException {
        StringBuilder text = new StringBuilder(records.size() * 256);
        for (int i = 0; i < records.size(); i++) {
            AuditRecord r = records.get(i);
            text.append(r.id()).append('\t');
            field(text, r.spaceKey());
            field(text, r.product());
            text.append(DATE.format(OffsetDateTime.ofInstant(r.date(), ZoneOffset.UTC)))
                    .append('\t');
            field(text, r.category());
            field(text, r.event());
            field(text, r.action());
            field(text, r.operationUserId());
            field(text, r.operationUserName());
            field(text, r.operationUserEmail());
            field(text, r.ipAddress());
            field(text, r.userAgent());
            field(text, r.version());
            if (seqs[i] < 0) {
                text.append("\\N"); // NULL: stored before the log was kept (a moved record)
            } else {
                text.append(seqs[i]);
            }
            text.append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL);
        try {
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static void field(StringBuilder out, String value) {
        escape(out, value);
        out.append('\t');
    }

    /**
     * A value in COPY's text format: backslash, tab, newline and carriage return escaped; every other character
     * as it is (a NUL, which no text column holds, is refused by the server as data).
     */
    static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> out.append("\\0"); // refused: "invalid byte sequence" (22021), as an INSERT would be
                default -> out.append(ch);
            }
        }
    }
}
