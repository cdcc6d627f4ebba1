package org.auditlog.export.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;
import org.auditlog.evidence.CsvRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every row of an export file is, byte for byte, what commons-csv's {@code CSVFormat.RFC4180} prints for the
 * record's values (neutralised as {@link CsvRows#neutralise} says), which is how the export wrote every file before
 * {@link CsvRows} wrote them all; the file cuts back into exactly those rows ({@link CsvRows#rows}), and commons-csv
 * reads each back into its values. A file with evidence holds the same CSV.
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
            records.add(new AuditRecord(
                    1_000_000L + i,
                    "ACME",
                    text(random),
                    Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000_000)),
                    text(random),
                    text(random),
                    text(random),
                    text(random),
                    text(random),
                    text(random),
                    text(random),
                    text(random),
                    i % 7 == 0 ? "" : "V1"));
        }
        records.add(new AuditRecord(
                5, "ACME", "Apps", Instant.parse("2026-11-01T00:00:00Z"), "", "", "", "", "", "", "", "", "V1"));
        Path file = dir.resolve("auditlog-202611-Apps-csv.zip");
        new CsvZipWriter().write(file, records.iterator());

        String text = new String(CsvZipWriterTest.entryBytes(file), UTF_8);
        List<String> rows = CsvRows.rows(text);
        assertEquals(records.size() + 1, rows.size());
        assertEquals(String.join(",", Column.header()), rows.get(0));
        List<CSVRecord> read = CsvZipWriterTest.parse(text.getBytes(UTF_8));
        for (int i = 0; i < records.size(); i++) {
            List<String> cells = cells(records.get(i));
            assertEquals(printed(cells), rows.get(i + 1), "record " + i);
            assertEquals(cells, CsvRows.values(rows.get(i + 1)), "record " + i);
            assertEquals(cells, read.get(i + 1).toList(), "record " + i);
        }
    }

    /** A record's cells as the V1 rules make them, before any quoting. */
    private static List<String> cells(AuditRecord r) {
        List<String> cells = new ArrayList<>();
        cells.add(Long.toString(r.id()));
        cells.add(CsvRows.neutralise(r.spaceKey()));
        cells.add(CsvRows.neutralise(r.product()));
        cells.add(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(ZoneOffset.UTC)
                .format(r.date()));
        for (String text : List.of(
                r.category(),
                r.event(),
                r.action(),
                r.operationUserId(),
                r.operationUserName(),
                r.operationUserEmail(),
                r.ipAddress(),
                r.userAgent())) {
            cells.add(CsvRows.neutralise(text));
        }
        cells.add(r.version() == null ? "" : r.version());
        return cells;
    }

    /** The cells as commons-csv's RFC 4180 printer writes them, without the CRLF. */
    private static String printed(List<String> cells) throws IOException {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180)) {
            printer.printRecord(cells);
        }
        return out.substring(0, out.length() - 2);
    }

    @Test
    void aFileWithEvidenceHoldsTheSameCsvBytesAndTheEntriesAfterIt() throws Exception {
        Random random = new Random(13);
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add(new AuditRecord(
                    7_000_000L + i,
                    text(random),
                    "Apps",
                    Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000_000)),
                    text(random),
                    text(random),
                    text(random),
                    text(random),
                    text(random),
                    text(random),
                    text(random),
                    text(random),
                    i % 5 == 0 ? "" : "V1"));
        }
        Path plain = dir.resolve("plain/auditlog-202611-Apps-csv.zip");
        Path sealed = dir.resolve("sealed/auditlog-202611-Apps-csv.zip");
        java.nio.file.Files.createDirectories(plain.getParent());
        java.nio.file.Files.createDirectories(sealed.getParent());
        new CsvZipWriter().write(plain, records.iterator());
        List<String> told = new ArrayList<>();
        new CsvZipWriter()
                .withSeal(new CsvZipWriter.Seal() {
                    @Override
                    public void row(String row) {
                        told.add(row);
                    }

                    @Override
                    public java.util.Map<String, byte[]> entries(String csvSha256, long rows) {
                        return java.util.Map.of("manifest.json", (csvSha256 + " " + rows).getBytes(UTF_8));
                    }
                })
                .write(sealed, records.iterator());
        byte[] csv = CsvZipWriterTest.entryBytes(plain);
        assertEquals(
                CsvRows.rows(new String(csv, UTF_8)).subList(1, records.size() + 1),
                told,
                "the seal is told each row as written");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(sealed.toFile())) {
            assertEquals(
                    List.of("auditlog-202611-Apps.csv", "manifest.json"),
                    java.util.Collections.list(zip.entries()).stream()
                            .map(java.util.zip.ZipEntry::getName)
                            .toList());
            assertEquals(
                    new String(csv, UTF_8),
                    new String(
                            zip.getInputStream(zip.getEntry("auditlog-202611-Apps.csv"))
                                    .readAllBytes(),
                            UTF_8),
                    "the CSV byte for byte as without evidence");
            assertEquals(
                    org.auditlog.evidence.FileEvidence.sha256(csv) + " " + records.size(),
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
