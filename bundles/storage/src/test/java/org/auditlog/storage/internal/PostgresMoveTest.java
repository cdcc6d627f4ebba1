package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.store.EventQuery;
import org.auditlog.api.store.InboxEntry;
import org.auditlog.api.store.TokenGrant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/auditlog-move: an HSQLDB data folder into PostgreSQL, every table, resumable, counted. */
class PostgresMoveTest {
    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void everyTableMovesAnInterruptedMoveGoesOnAndTheCountsMatch() throws Exception {
        // the server's data folder: its embedded database is in data/db
        Path data = dir.resolve("data");
        List<AuditRecord> events = new ArrayList<>();
        for (int i = 1; i <= 25_000; i++) {
            events.add(new AuditRecord(
                    i,
                    i % 3 == 0 ? "OTHER" : "ACME",
                    "Apps",
                    Instant.parse("2026-09-01T00:00:00Z").plusSeconds(i * 300L),
                    "Member",
                    "Add",
                    "did\t" + i + "\n",
                    "u" + (i % 40),
                    "User " + (i % 40),
                    "u" + (i % 40) + "@x.example",
                    "192.0.2.1",
                    "agent",
                    "V1"));
        }
        String token;
        try (TestStorage server = TestStorage.embedded(data, clock)) {
            MyBatisAuditStore store = server.activate(MyBatisAuditStore.class);
            store.append(events);
            token = server.activate(MyBatisTokenStore.class)
                    .issue(new TokenGrant(null, TokenGrant.INGEST, "Apps", null, null, null))
                    .token();
            MyBatisInboxStore inbox = server.activate(MyBatisInboxStore.class);
            inbox.enqueue(new InboxEntry(
                    0,
                    "Cacoo",
                    "application/json",
                    "[{}]",
                    1,
                    new IngestContext("ACME", "203.0.113.5", "Firefox"),
                    null,
                    null));
            server.activate(MyBatisMailStore.class)
                    .enqueue(new MailMessage("k1", "ann@x.example", "Hi", "t", "h"), null);
            server.activate(MyBatisExportJobStore.class).monthlyRunCompleted(YearMonth.of(2026, 10), clock.instant());
        }

        // the move: the data folder's database and, started on PostgreSQL, the server's stores there
        try (TestStorage postgres = TestStorage.open(dir.resolve("pg"), clock);
                Database source = Database.openEmbedded(data.resolve("db"), 2)) {
            Database target = postgres.database();
            List<MoveToPostgres.Count> first = MoveToPostgres.move(source, target, quiet());
            first.forEach(c -> assertTrue(c.matches(), c.toString()));
            assertEquals(new MoveToPostgres.Count("audit_event", 25_000, 25_000), first.get(0));

            // as a move stopped half-way leaves it: the newer half of the events is not there yet
            try (Connection c = target.writePool().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("DELETE FROM audit_event WHERE id > 12345");
                c.commit();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<MoveToPostgres.Count> second =
                    MoveToPostgres.move(source, target, new PrintStream(out, true, StandardCharsets.UTF_8));
            second.forEach(c -> assertTrue(c.matches(), c.toString()));
            String log = out.toString(StandardCharsets.UTF_8);
            assertTrue(
                    log.contains("going on after id 12345")
                            && log.contains("events: 12655 moved in this run")
                            && log.contains("organization: 0 moved in this run"),
                    log);

            // the server's stores on PostgreSQL read what was moved
            MyBatisAuditStore moved = postgres.activate(MyBatisAuditStore.class);
            assertEquals(
                    events.stream()
                            .filter(r -> r.spaceKey().equals("ACME"))
                            .map(AuditRecord::id)
                            .sorted((a, b) -> Long.compare(b, a))
                            .limit(5)
                            .toList(),
                    moved.query(new EventQuery("ACME", null, null, null, null, null, null, 5, null)).events().stream()
                            .map(AuditRecord::id)
                            .toList());
            assertEquals(
                    "did\t25000\n",
                    moved.query(new EventQuery("ACME", null, null, null, null, null, null, 1, null))
                            .events()
                            .get(0)
                            .action());
            assertTrue(postgres.activate(MyBatisTokenStore.class).verify(token).isPresent());
            MyBatisInboxStore inbox = postgres.activate(MyBatisInboxStore.class);
            assertEquals(1, inbox.pendingEvents("Cacoo"));
            // identity columns go on after the moved ids
            long next = inbox.enqueue(new InboxEntry(
                    0, "Cacoo", "application/json", "[{}]", 1, new IngestContext("ACME", null, null), null, null));
            assertEquals(inbox.pending("Cacoo", 10).get(0).id() + 1, next);
            assertEquals(1, postgres.activate(MyBatisMailStore.class).pendingCount());
            assertTrue(postgres.activate(MyBatisExportJobStore.class)
                    .monthlyRunCompleted(YearMonth.of(2026, 10))
                    .isPresent());
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
