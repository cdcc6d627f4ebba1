package org.auditlog.export.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipFile;
import org.apache.sling.testing.mock.osgi.junit5.OsgiContext;
import org.apache.sling.testing.mock.osgi.junit5.OsgiContextExtension;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.store.AuditStore;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.Merkle;
import org.auditlog.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes of a V1 row, pinned: files already issued are verified offline against the leaves the server stored at
 * ingest, so a row written or hashed one byte differently for the same record breaks their evidence. The expected
 * text below is what the export wrote for these records (with and without evidence) before the row had one writer;
 * it must never change.
 */
@ExtendWith(OsgiContextExtension.class)
class V1RowBytesTest {
    @TempDir
    Path dir;

    final OsgiContext context = new OsgiContext();

    /** Records whose values turn on every rule of the row: neutralising, quoting, dates, empty and null values. */
    static List<AuditRecord> tricky() {
        List<AuditRecord> r = new ArrayList<>();
        Instant d = Instant.parse("2026-10-05T09:08:07.123Z");
        r.add(new AuditRecord(
                1,
                "ACME",
                "Backlog",
                d,
                "=SUM(A1:A2)",
                "+1+1",
                "-5",
                "@channel",
                "\tTab",
                "\rCR",
                "'=already text",
                "=cmd|' /C calc'!A0",
                "V1"));
        r.add(new AuditRecord(
                2,
                "ACME",
                "Backlog",
                d,
                "say \"hi\"",
                "a,b",
                "line\nbreak",
                "cr\r\nlf",
                "\"",
                ",",
                "\r\n",
                "\n=1",
                "V1"));
        r.add(new AuditRecord(
                3,
                "ACME",
                "Backlog",
                d,
                "課題を追加",
                "山田太郎 🍣",
                "＝1+1",
                "\u2028sep",
                "\u00a0nbsp",
                "Ōno",
                "🧾",
                "日本,語",
                "V1"));
        r.add(new AuditRecord(4, "ACME", "Backlog", d, "", null, "", null, "", null, "", null, null));
        r.add(new AuditRecord(
                5,
                "ACME",
                "Backlog",
                d,
                " leading",
                "trailing ",
                "tab\t",
                "#hash",
                "!bang",
                "$dollar",
                "\u0001ctl",
                "a\u0000b",
                ""));
        r.add(new AuditRecord(6, "ACME", "Backlog", d, "=a,b", "-\"q\"", "@\n", "+", "'", "''", "a'b", "x=y", "V2"));
        r.add(new AuditRecord(
                7,
                "ACME",
                "Backlog",
                Instant.parse("2026-10-01T00:00:00Z"),
                "Issue",
                "Add",
                "x",
                "u1",
                "Ann",
                "ann@acme.example",
                "192.0.2.1",
                "Mozilla/5.0 (X11; Linux x86_64)",
                "V1"));
        r.add(new AuditRecord(
                8,
                "ACME",
                "Backlog",
                Instant.parse("2026-10-31T23:59:59.999999999Z"),
                "a",
                "b",
                "c",
                "d",
                "e",
                "f",
                "g",
                "h",
                "V1"));
        r.add(new AuditRecord(
                9,
                "ACME",
                "Backlog",
                Instant.parse("0000-01-01T00:00:00.5Z"),
                "a",
                "b",
                "c",
                "d",
                "e",
                "f",
                "g",
                "h",
                "V1"));
        r.add(new AuditRecord(
                10,
                "ACME",
                "Backlog",
                Instant.parse("9999-12-31T23:59:59.999Z"),
                "a",
                "b",
                "c",
                "d",
                "e",
                "f",
                "g",
                "h",
                "V1"));
        r.add(new AuditRecord(
                Long.MAX_VALUE,
                "=ORG",
                "-Apps",
                Instant.parse("1970-01-01T00:00:00Z"),
                "a",
                "b",
                "c",
                "d",
                "e",
                "f",
                "g",
                "h",
                "=V1"));
        r.add(new AuditRecord(-1, "A\"B", "P,Q", d, "a", "b", "c", "d", "e", "f", "g", "h", "V 1 "));
        return r;
    }

    /** The rows of {@link #tricky()}, in order, as the export file holds them (without their CRLF). */
    static final List<String> ROWS = List.of(
            "1,ACME,Backlog,2026-10-05T09:08:07.123Z,'=SUM(A1:A2),'+1+1,'-5,'@channel,'\tTab,\"'\rCR\",'=already text,'=cmd|' /C calc'!A0,V1",
            "2,ACME,Backlog,2026-10-05T09:08:07.123Z,\"say \"\"hi\"\"\",\"a,b\",\"line\nbreak\",\"cr\r\nlf\",\"\"\"\",\",\",\"'\r\n\",\"\n=1\",V1",
            "3,ACME,Backlog,2026-10-05T09:08:07.123Z,\u8ab2\u984c\u3092\u8ffd\u52a0,\u5c71\u7530\u592a\u90ce \ud83c\udf63,\uff1d1+1,\u2028sep,\u00a0nbsp,\u014cno,\ud83e\uddfe,\"\u65e5\u672c,\u8a9e\",V1",
            "4,ACME,Backlog,2026-10-05T09:08:07.123Z,,,,,,,,,",
            "5,ACME,Backlog,2026-10-05T09:08:07.123Z,\" leading\",\"trailing \",\"tab\t\",\"#hash\",\"!bang\",$dollar,\"\u0001ctl\",a\u0000b,",
            "6,ACME,Backlog,2026-10-05T09:08:07.123Z,\"'=a,b\",\"'-\"\"q\"\"\",\"'@\n\",'+,','',a'b,x=y,V2",
            "7,ACME,Backlog,2026-10-01T00:00:00.000Z,Issue,Add,x,u1,Ann,ann@acme.example,192.0.2.1,Mozilla/5.0 (X11; Linux x86_64),V1",
            "8,ACME,Backlog,2026-10-31T23:59:59.999Z,a,b,c,d,e,f,g,h,V1",
            "9,ACME,Backlog,0000-01-01T00:00:00.500Z,a,b,c,d,e,f,g,h,V1",
            "10,ACME,Backlog,9999-12-31T23:59:59.999Z,a,b,c,d,e,f,g,h,V1",
            "9223372036854775807,'=ORG,'-Apps,1970-01-01T00:00:00.000Z,a,b,c,d,e,f,g,h,=V1",
            "-1,\"A\"\"B\",\"P,Q\",2026-10-05T09:08:07.123Z,a,b,c,d,e,f,g,h,\"V 1 \"");

    /** The leaf hash of each of {@link #ROWS}: SHA-256 of a zero byte and the row's UTF-8 bytes (RFC 9162). */
    static final List<String> LEAVES = List.of(
            "009d8088cb421eaafee23dddb81623b483f5f56cb46e1a807748b889da9e6995",
            "96481862b4a39cd805a05a2cffa695537c54e0a7658caa96180f61240a1219c7",
            "4b7f3914bd78a260f8ad13d2a8b0cca4782574ad294739d1504949c1cdc97d8c",
            "ec4858aa2a2b5fbb615f38ca30a491fbf3f3c7f421631cc187267c382a560917",
            "3b0fd86c6e07f5330745c4f97758de38e03d833898f39a4b2cd166c768c637e0",
            "fe77c4e6286bc0e3c22842a212d9969524049669c0a99c0c9430f6b98465a47b",
            "f47b0bec65b9591939dc6e695802cc4f4f89418d2d3941d2365f3fa5267da3b4",
            "c79675d917c5eeed51619cf1867daa16156222b888eca9751e3502cacbde6c98",
            "3c399827e5f3f6445db6da7c02a70b4afee06573ff5ac39d6db5931297210f95",
            "5cf480c6ae826b33426427fae085c7ebf5c4138776e025ed88521f11cc594498",
            "3102e9ee19071f5deaf7e6c3c301de29c67c859bbf7cafe43d4f7b8cfae7201e",
            "f5273bed4d161998d51ce2a5b2955c449672e7d6d1b2bd9d68a2662c0deaef6a");

    static final String HEADER = "id,space_key,product,date,category,event,action,operation_user_id,"
            + "operation_user_name,operation_user_email,ip_address,user_agent,version";

    @Test
    void aFileWithoutEvidenceHoldsExactlyTheseBytes() throws Exception {
        Path file = dir.resolve("auditlog-202610-Backlog-csv.zip");
        new CsvZipWriter().write(file, tricky().iterator());

        StringBuilder expected = new StringBuilder(HEADER).append("\r\n");
        ROWS.forEach(row -> expected.append(row).append("\r\n"));
        assertArrayEquals(expected.toString().getBytes(UTF_8), CsvZipWriterTest.entryBytes(file));
    }

    @Test
    void aFileWithEvidenceHoldsTheSameRowsAndVerifies() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-10-31T12:00:00Z"));
        MemoryLog log = new MemoryLog(clock); // one organization's and product's log
        List<AuditRecord> records = tricky();
        log.append(records.stream()
                .filter(r -> r.spaceKey().equals("ACME") && r.product().equals("Backlog"))
                .toList());
        clock.set(Instant.parse("2026-11-22T10:00:00Z"));
        context.registerService(Clock.class, clock);
        context.registerService(AuditStore.class, log);
        context.registerService(EvidenceStore.class, log);
        CheckpointSigner signer = Components.signer(context.bundleContext(), dir.resolve("evidence/checkpoint.key"));
        ZipExportService export = Components.export(context.bundleContext(), dir);
        Path file = export.pastMonth("ACME", YearMonth.of(2026, 10), "Backlog").path();

        // the file holds October's rows of ACME's Backlog, in the order of their dates, then ids
        List<Integer> inFile = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            AuditRecord r = records.get(i);
            if (r.spaceKey().equals("ACME")
                    && r.product().equals("Backlog")
                    && YearMonth.from(r.date().atOffset(ZoneOffset.UTC)).equals(YearMonth.of(2026, 10))) {
                inFile.add(i);
            }
        }
        inFile.sort(Comparator.comparing((Integer i) -> records.get(i).date())
                .thenComparingLong(i -> records.get(i).id()));
        StringBuilder expected = new StringBuilder(HEADER).append("\r\n");
        inFile.forEach(i -> expected.append(ROWS.get(i)).append("\r\n"));
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertEquals(
                    expected.toString(),
                    new String(
                            zip.getInputStream(zip.getEntry("auditlog-202610-Backlog.csv"))
                                    .readAllBytes(),
                            UTF_8));
        }
        assertEquals(List.of(), ExportJobsTest.failures(file, signer), "its rows are the leaves the log holds");
    }

    @Test
    void eachRecordsLeafIsItsRowsHash() {
        List<AuditRecord> records = tricky();
        for (int i = 0; i < records.size(); i++) {
            AuditRecord r = records.get(i);
            String row = CsvRows.v1Row(
                    r.id(),
                    r.spaceKey(),
                    r.product(),
                    r.date(),
                    r.category(),
                    r.event(),
                    r.action(),
                    r.operationUserId(),
                    r.operationUserName(),
                    r.operationUserEmail(),
                    r.ipAddress(),
                    r.userAgent(),
                    r.version());
            assertEquals(ROWS.get(i), row, "record " + r.id());
            assertEquals(
                    LEAVES.get(i), HexFormat.of().formatHex(Merkle.leafHash(CsvRows.leaf(row))), "record " + r.id());
        }
    }
}
