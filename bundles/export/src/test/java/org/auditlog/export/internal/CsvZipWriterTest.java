package org.auditlog.export.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvZipWriterTest {
    static final String NAME = "auditlog-202611-Backlog-csv.zip";
    static final String ENTRY = "auditlog-202611-Backlog.csv";
    static final List<String> HEADER = List.of(
            "id",
            "space_key",
            "product",
            "date",
            "category",
            "event",
            "action",
            "operation_user_id",
            "operation_user_name",
            "operation_user_email",
            "ip_address",
            "user_agent",
            "version");

    @TempDir
    Path folder;

    static AuditRecord hostile() {
        return new AuditRecord(
                1234567890123L,
                "ACME",
                "Backlog",
                Instant.parse("2026-11-05T09:08:07.123456789Z"),
                "課題",
                "@SUM(1+1)",
                "山田 updated \"PROJ-1\", then\nLF and\r\nCRLF 🎉",
                "-5",
                "山田太郎 🍣",
                "=cmd|' /C calc'!A0",
                "",
                "\tMozilla/5.0",
                "V1");
    }

    static AuditRecord system() {
        return new AuditRecord(
                2,
                "ACME",
                "Backlog",
                Instant.parse("2026-11-30T23:59:59Z"),
                "Project",
                "Delete a project",
                "\r=1+1",
                "",
                "System user",
                "",
                "",
                "",
                "V1");
    }

    static AuditRecord withNulls() {
        return new AuditRecord(
                3,
                "ACME",
                "Backlog",
                Instant.parse("2026-11-01T00:00:00Z"),
                "Wiki",
                "Add a page",
                "+page",
                null,
                "Ann",
                null,
                null,
                null,
                null);
    }

    @Test
    void headerThenOneRowPerRecordWithEveryColumnExact() throws IOException {
        Path target = folder.resolve(NAME);
        long rows = new CsvZipWriter()
                .write(target, List.of(hostile(), system(), withNulls()).iterator());

        assertEquals(3, rows);
        List<CSVRecord> csv = parse(entryBytes(target));
        assertEquals(4, csv.size());
        assertEquals(HEADER, csv.get(0).toList());
        assertEquals(Column.header(), csv.get(0).toList());
        assertEquals(
                List.of(
                        "1234567890123",
                        "ACME",
                        "Backlog",
                        "2026-11-05T09:08:07.123Z",
                        "課題",
                        "'@SUM(1+1)",
                        "山田 updated \"PROJ-1\", then\nLF and\r\nCRLF 🎉",
                        "'-5",
                        "山田太郎 🍣",
                        "'=cmd|' /C calc'!A0",
                        "",
                        "'\tMozilla/5.0",
                        "V1"),
                csv.get(1).toList());
        assertEquals(
                List.of(
                        "2",
                        "ACME",
                        "Backlog",
                        "2026-11-30T23:59:59.000Z",
                        "Project",
                        "Delete a project",
                        "'\r=1+1",
                        "",
                        "System user",
                        "",
                        "",
                        "",
                        "V1"),
                csv.get(2).toList());
        assertEquals(
                List.of(
                        "3",
                        "ACME",
                        "Backlog",
                        "2026-11-01T00:00:00.000Z",
                        "Wiki",
                        "Add a page",
                        "'+page",
                        "",
                        "Ann",
                        "",
                        "",
                        "",
                        ""),
                csv.get(3).toList());
    }

    @Test
    void bytesAreRfc4180Utf8WithoutBom() throws IOException {
        AuditRecord r = new AuditRecord(
                7,
                "ACME",
                "Backlog",
                Instant.parse("2026-11-01T00:00:00.5Z"),
                "Issue",
                "Add an issue",
                "say \"hi\", then\nleave",
                "u1",
                "Ann Ōno",
                "ann@acme.example",
                "",
                "Mozilla/5.0 (X11; Linux x86_64)",
                "V1");
        Path target = folder.resolve(NAME);
        new CsvZipWriter().write(target, List.of(r).iterator());

        String expected = String.join(",", HEADER) + "\r\n"
                + "7,ACME,Backlog,2026-11-01T00:00:00.500Z,Issue,Add an issue,\"say \"\"hi\"\", then\nleave\",u1,"
                + "Ann Ōno,ann@acme.example,,Mozilla/5.0 (X11; Linux x86_64),V1\r\n";
        assertArrayEquals(expected.getBytes(UTF_8), entryBytes(target));
    }

    @Test
    void byteOrderMarkOnlyWhenAskedFor() throws IOException {
        Path plain = folder.resolve(NAME);
        new CsvZipWriter().write(plain, List.of(system()).iterator());
        assertEquals("id,", new String(Arrays.copyOf(entryBytes(plain), 3), UTF_8));

        Path marked = folder.resolve("auditlog-202610-Backlog-csv.zip");
        new CsvZipWriter().withByteOrderMark().write(marked, List.of(system()).iterator());
        byte[] bytes = entryBytes(marked);
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'i', 'd', ','}, Arrays.copyOf(bytes, 6));
        String text = new String(bytes, UTF_8);
        assertEquals(new String(entryBytes(plain), UTF_8), text.substring(1));
    }

    @Test
    void zipHoldsExactlyOneEntryNamedAfterTheFile() throws IOException {
        Path target = folder.resolve("auditlog-20261101-20261115-Typetalk-csv.zip");
        new CsvZipWriter().write(target, List.of(system()).iterator());
        try (ZipFile zip = new ZipFile(target.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            assertEquals(1, entries.size());
            assertEquals(
                    "auditlog-20261101-20261115-Typetalk.csv", entries.get(0).getName());
            assertFalse(entries.get(0).isDirectory());
            assertEquals(ZipEntry.DEFLATED, entries.get(0).getMethod());
        }
    }

    @Test
    void noRecordsGiveTheHeaderAlone() throws IOException {
        Path target = folder.resolve(NAME);
        assertEquals(0, new CsvZipWriter().write(target, Collections.emptyIterator()));
        assertEquals(String.join(",", HEADER) + "\r\n", new String(entryBytes(target), UTF_8));
    }

    @Test
    void aFailingIteratorLeavesNoFileAtAll() throws IOException {
        Path target = folder.resolve(NAME);
        IllegalStateException lost = new IllegalStateException("cursor lost");
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> new CsvZipWriter().withProgressEvery(2).write(target, failingAfter(5, lost)));
        assertSame(lost, thrown);
        assertEquals(List.of(), files());
    }

    @Test
    void aFailureKeepsTheFileAlreadyThere() throws IOException {
        Path target = folder.resolve(NAME);
        Files.write(target, "previous export".getBytes(UTF_8));
        assertThrows(
                IllegalStateException.class,
                () -> new CsvZipWriter().write(target, failingAfter(3, new IllegalStateException("cursor lost"))));
        assertEquals("previous export", Files.readString(target));
        assertEquals(List.of(NAME), files());
    }

    @Test
    void successReplacesTheFileAlreadyThere() throws IOException {
        Path target = folder.resolve(NAME);
        Files.write(target, "previous export".getBytes(UTF_8));
        assertEquals(1, new CsvZipWriter().write(target, List.of(system()).iterator()));
        assertEquals(2, parse(entryBytes(target)).size());
        assertEquals(List.of(NAME), files());
    }

    @Test
    void aThrowingProgressCallbackCancelsTheWrite() throws IOException {
        Path target = folder.resolve(NAME);
        Files.write(target, "previous export".getBytes(UTF_8));
        RuntimeException cancelled = new RuntimeException("cancelled");
        RuntimeException thrown = assertThrows(
                RuntimeException.class,
                () -> new CsvZipWriter().withProgressEvery(2).write(target, generated(10), rows -> {
                    if (rows == 4) {
                        throw cancelled;
                    }
                }));
        assertSame(cancelled, thrown);
        assertEquals("previous export", Files.readString(target));
        assertEquals(List.of(NAME), files());
    }

    @Test
    void aRecordWithoutDateFailsTheWholeFile() {
        AuditRecord noDate =
                new AuditRecord(9, "ACME", "Backlog", null, "Issue", "Add an issue", "x", "", "Ann", "", "", "", "V1");
        Path target = folder.resolve(NAME);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new CsvZipWriter().write(target, List.of(system(), noDate).iterator()));
        assertTrue(e.getMessage().contains("9"), e.getMessage());
        assertEquals(List.of(), files());

        AuditRecord farFuture = new AuditRecord(
                10,
                "ACME",
                "Backlog",
                Instant.parse("+10000-01-01T00:00:00Z"),
                "Issue",
                "Add an issue",
                "x",
                "",
                "Ann",
                "",
                "",
                "",
                "V1");
        assertThrows(
                IllegalArgumentException.class,
                () -> new CsvZipWriter().write(target, List.of(farFuture).iterator()));
        assertEquals(List.of(), files());
    }

    @Test
    void namesThatAreNotExportNamesAreRefusedBeforeAnythingIsWritten() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new CsvZipWriter()
                        .write(folder.resolve("notes.zip"), List.of(system()).iterator()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CsvZipWriter()
                        .write(
                                folder.resolve(NAME),
                                "../evil.csv",
                                List.of(system()).iterator(),
                                rows -> {}));
        assertEquals(List.of(), files());
    }

    @Test
    void aMissingFolderIsAnIoError() {
        Path target = folder.resolve("gone").resolve(NAME);
        assertThrows(
                NoSuchFileException.class,
                () -> new CsvZipWriter().write(target, List.of(system()).iterator()));
        assertEquals(List.of(), files());
    }

    @Test
    void progressEveryNRowsThenTheTotal() throws IOException {
        List<Long> seen = new ArrayList<>();
        assertEquals(7, new CsvZipWriter().withProgressEvery(3).write(folder.resolve(NAME), generated(7), seen::add));
        assertEquals(List.of(3L, 6L, 7L), seen);

        seen.clear();
        new CsvZipWriter().withProgressEvery(3).write(folder.resolve(NAME), generated(6), seen::add);
        assertEquals(List.of(3L, 6L), seen);

        seen.clear();
        new CsvZipWriter().write(folder.resolve(NAME), generated(0), seen::add);
        assertEquals(List.of(0L), seen);

        assertThrows(IllegalArgumentException.class, () -> new CsvZipWriter().withProgressEvery(0));
    }

    @Test
    void writesThroughAHiddenTemporaryFileInTheSameFolder() throws IOException {
        List<List<String>> during = new ArrayList<>();
        new CsvZipWriter().withProgressEvery(1).write(folder.resolve(NAME), generated(1), rows -> during.add(files()));
        assertEquals(1, during.size());
        assertEquals(1, during.get(0).size());
        assertTrue(
                during.get(0).get(0).matches("\\.auditlog-202611-Backlog-csv\\.zip\\.[0-9A-Za-z]+\\.tmp"),
                during.get(0).get(0));
        assertEquals(List.of(NAME), files());
    }

    /** 200,000 rows under the 64 MB test heap (see the pom): collecting them would need several times that. */
    @Test
    void twoHundredThousandRowsStreamToDisk() throws IOException {
        int count = 200_000;
        Path target = folder.resolve(NAME);
        List<Long> temporarySizes = new ArrayList<>();
        long rows = new CsvZipWriter()
                .withProgressEvery(20_000)
                .write(target, generated(count), written -> temporarySizes.add(temporarySize()));

        assertEquals(count, rows);
        assertEquals(10, temporarySizes.size());
        // The compressed rows reach the disk while records are still being pulled.
        assertTrue(temporarySizes.get(0) > 0, temporarySizes.toString());
        assertTrue(temporarySizes.get(9) > temporarySizes.get(0), temporarySizes.toString());

        long lines = 0;
        try (ZipFile zip = new ZipFile(target.toFile());
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(zip.getInputStream(zip.getEntry(ENTRY)), UTF_8))) {
            while (reader.readLine() != null) {
                lines++;
            }
        }
        assertEquals(count + 1, lines);

        long parsed = 0;
        try (ZipFile zip = new ZipFile(target.toFile());
                Reader reader = new InputStreamReader(zip.getInputStream(zip.getEntry(ENTRY)), UTF_8);
                CSVParser parser = CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(reader)) {
            assertEquals(HEADER, parser.getHeaderNames());
            for (CSVRecord record : parser) {
                parsed++;
                assertEquals(Long.toString(parsed), record.get("id"));
                assertEquals(13, record.size());
            }
        }
        assertEquals(count, parsed);
    }

    /** Records made on demand, each with its own strings, as a database cursor would hand them out. */
    static Iterator<AuditRecord> generated(int count) {
        return new Iterator<>() {
            long next = 1;

            @Override
            public boolean hasNext() {
                return next <= count;
            }

            @Override
            public AuditRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                long i = next++;
                String noise = Long.toHexString(i * 0x9E3779B97F4A7C15L);
                return new AuditRecord(
                        i,
                        "ACME",
                        "Backlog",
                        Instant.ofEpochMilli(1_793_491_200_000L + i * 997),
                        "Issue",
                        "Update an issue",
                        "PROJECT-" + i + " was updated in PROJECT, field " + noise + " " + "description ".repeat(20)
                                + noise,
                        "user-" + noise,
                        "User " + noise,
                        noise + "@acme.example",
                        "192.0.2." + (i % 256),
                        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + noise,
                        "V1");
            }
        };
    }

    static Iterator<AuditRecord> failingAfter(int good, RuntimeException failure) {
        Iterator<AuditRecord> records = generated(good);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public AuditRecord next() {
                if (records.hasNext()) {
                    return records.next();
                }
                throw failure;
            }
        };
    }

    long temporarySize() {
        try (Stream<Path> files = Files.list(folder)) {
            Path temporary = files.filter(p -> p.getFileName().toString().endsWith(".tmp"))
                    .findFirst()
                    .orElseThrow();
            return Files.size(temporary);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> files() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] entryBytes(Path zipFile) throws IOException {
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            assertEquals(1, entries.size());
            assertEquals(
                    ExportFileNames.csvEntryName(zipFile.getFileName().toString()),
                    entries.get(0).getName());
            try (InputStream in = zip.getInputStream(entries.get(0))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toByteArray();
            }
        }
    }

    static List<CSVRecord> parse(byte[] csv) throws IOException {
        try (CSVParser parser = CSVFormat.RFC4180.parse(new InputStreamReader(new ByteArrayInputStream(csv), UTF_8))) {
            return parser.getRecords();
        }
    }
}
