package org.auditlog.export.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;
import org.auditlog.evidence.CsvRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every row of an export file is, byte for byte, the row the evidence bundle defines as the record's leaf
 * ({@link CsvRows#v1Row}), and the file cuts back into exactly those rows ({@link CsvRows#rows}): the file the
 * export writes with commons-csv and the tree the server keeps cannot disagree.
 */
class FileRowsAreLeavesTest {
    @TempDir
    Path dir;

    /** Characters every quoting and neutralising rule turns on, and some that none does. */
    private static final String POOL = ",\"\r\n \t!#$'=+-@aZ09日本🧾\u2028\u00a0;:/\\";

    @Test
    void everyRowOfTheFileIsItsRecordsLeafRow() throws Exception {
        Random random = new Random(9162);
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            records.add(new AuditRecord(1_000_000L + i, "ACME", text(random), Instant.ofEpochMilli(
                    1_700_000_000_000L + random.nextInt(1_000_000_000)), text(random), text(random), text(random),
                    text(random), text(random), text(random), text(random), text(random), i % 7 == 0 ? "" : "V1"));
        }
        records.add(new AuditRecord(5, "ACME", "Apps", Instant.parse("2026-11-01T00:00:00Z"), "", "", "", "", "", "",
                "", "", "V1"));
        Path file = dir.resolve("auditlog-202611-Apps-csv.zip");
        new CsvZipWriter().write(file, records.iterator());

        List<String> rows = CsvRows.rows(new String(CsvZipWriterTest.entryBytes(file), UTF_8));
        assertEquals(records.size() + 1, rows.size());
        assertEquals(String.join(",", Column.header()), rows.get(0));
        for (int i = 0; i < records.size(); i++) {
            AuditRecord r = records.get(i);
            String leaf = CsvRows.v1Row(r.id(), r.spaceKey(), r.product(), r.date(), r.category(), r.event(),
                    r.action(), r.operationUserId(), r.operationUserName(), r.operationUserEmail(), r.ipAddress(),
                    r.userAgent(), r.version());
            assertEquals(rows.get(i + 1), leaf, "record " + i);
            List<String> values = CsvRows.values(rows.get(i + 1));
            assertEquals(13, values.size(), rows.get(i + 1));
            assertEquals(CsvRows.neutralise(r.action()), values.get(6));
        }
    }

    @Test
    void aFileWithEvidenceHoldsTheSameCsvBytesAndTheEntriesAfterIt() throws Exception {
        Random random = new Random(13);
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add(new AuditRecord(7_000_000L + i, text(random), "Apps", Instant.ofEpochMilli(
                    1_700_000_000_000L + random.nextInt(1_000_000_000)), text(random), text(random), text(random),
                    text(random), text(random), text(random), text(random), text(random), i % 5 == 0 ? "" : "V1"));
        }
        Path plain = dir.resolve("plain/auditlog-202611-Apps-csv.zip");
        Path sealed = dir.resolve("sealed/auditlog-202611-Apps-csv.zip");
        java.nio.file.Files.createDirectories(plain.getParent());
        java.nio.file.Files.createDirectories(sealed.getParent());
        new CsvZipWriter().write(plain, records.iterator());
        List<String> told = new ArrayList<>();
        new CsvZipWriter().withSeal(new CsvZipWriter.Seal() {
            @Override
            public String row(AuditRecord r) {
                String row = CsvRows.v1Row(r.id(), r.spaceKey(), r.product(), r.date(), r.category(), r.event(),
                        r.action(), r.operationUserId(), r.operationUserName(), r.operationUserEmail(), r.ipAddress(),
                        r.userAgent(), r.version());
                told.add(row);
                return row;
            }

            @Override
            public java.util.Map<String, byte[]> entries(String csvSha256, long rows) {
                return java.util.Map.of("manifest.json", (csvSha256 + " " + rows).getBytes(UTF_8));
            }
        }).write(sealed, records.iterator());
        byte[] csv = CsvZipWriterTest.entryBytes(plain);
        assertEquals(records.size(), told.size());
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(sealed.toFile())) {
            assertEquals(List.of("auditlog-202611-Apps.csv", "manifest.json"),
                    java.util.Collections.list(zip.entries()).stream().map(java.util.zip.ZipEntry::getName).toList());
            assertEquals(new String(csv, UTF_8), new String(zip.getInputStream(zip.getEntry("auditlog-202611-Apps.csv"))
                    .readAllBytes(), UTF_8), "the CSV byte for byte as without evidence");
            assertEquals(org.auditlog.evidence.FileEvidence.sha256(csv) + " " + records.size(),
                    new String(zip.getInputStream(zip.getEntry("manifest.json")).readAllBytes(), UTF_8),
                    "the CSV's SHA-256 as written");
        }
    }

    private static String text(Random random) {
        int n = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(12);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int at = random.nextInt(POOL.length());
            if (Character.isHighSurrogate(POOL.charAt(at))) {
                b.append(POOL, at, at + 2);
            } else if (Character.isLowSurrogate(POOL.charAt(at))) {
                b.append(POOL, at - 1, at + 1);
            } else {
                b.append(POOL.charAt(at));
            }
        }
        return b.toString();
    }
}
