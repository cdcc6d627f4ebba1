package org.auditlog.export.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.FileEvidence;

/**
 * Writes audit records as an export file: a zip holding exactly one CSV file.
 *
 * <p><b>The CSV.</b> UTF-8, by default without a byte order mark; RFC 4180, CRLF after every row. The header
 * row comes first: {@link Column#header()}, in the order of the V1 record. Then one row per record, the V1 row
 * that {@link CsvRows} writes (the evidence bundle's, which is also the record's leaf in the tree: the same bytes
 * whether the file carries its evidence or not); its class comment states the row exactly: quoting, the date
 * column, and the neutralising of text cells that start like a spreadsheet formula.
 *
 * <p><b>Byte order mark.</b> Off by default: the file is plain UTF-8, which programs and most spreadsheets
 * (LibreOffice, Google Sheets, Numbers, Excel's import wizard) read correctly. Excel opening a CSV by double
 * click guesses the legacy code page of the machine unless the file starts with a BOM, and then shows
 * Japanese or emoji as garbage; {@link #withByteOrderMark()} writes the three bytes {@code EF BB BF}
 * first for callers who serve such users. The BOM then sits before the first header name, which some
 * programs read as part of {@code id}.
 *
 * <p><b>Streaming.</b> Records are pulled one at a time from an {@link Iterator} (a database cursor,
 * typically) and written through fixed buffers straight into the deflater: memory stays the same whatever
 * the number of rows. The writer never closes the iterator; its owner does.
 *
 * <p><b>Atomic.</b> The zip is written to a temporary file in the target's folder, named
 * {@code .<target name>.<random>.tmp} (created readable and writable by its owner only where the file
 * system has POSIX permissions), forced to the disk ({@link FileChannel#force}), then renamed to the target
 * with {@link StandardCopyOption#ATOMIC_MOVE}, which replaces a file already there. On any failure (the
 * iterator, the disk, the progress callback, a broken record) the temporary file is deleted and the failure
 * rethrown, so the target name only ever shows the previous complete file or the new complete file. There
 * is no fallback to a non-atomic copy. After the rename the folder is forced too where the platform allows
 * it, so the new name survives a power cut.
 *
 * <p>Instances are immutable and may be shared; one call writes one file.
 */
final class CsvZipWriter {
    /** How often the progress callback hears of the rows written, unless told otherwise. */
    static final long DEFAULT_PROGRESS_EVERY = 10_000;

    static final char BYTE_ORDER_MARK = '\uFEFF';

    private static final int BYTES_BUFFER = 64 * 1024;
    private static final int CHARS_BUFFER = 16 * 1024;
    /**
     * The zip's comment: how many rows the CSV holds and, for a past month's file, when its build began reading,
     * as {@code auditlog rows=1234 begun=2026-12-01T02:00:00Z}; read back by {@link #noteOf}.
     */
    static final String ROWS_COMMENT = "auditlog rows=";

    static final String BEGUN_COMMENT = " begun=";
    private static final Pattern ENTRY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    private final boolean byteOrderMark;
    private final long progressEvery;
    private final Instant begun;
    private final Seal seal;

    /**
     * The evidence written after the CSV ({@link FileSeal}): told of every row as it is written, then asked for the
     * entries that follow the CSV in the zip, given the CSV's SHA-256 and row count.
     */
    interface Seal {
        /** Notes the row just written for the record last taken from the records, without its CRLF. */
        void row(String row);

        Map<String, byte[]> entries(String csvSha256, long rows) throws IOException;
    }

    /** A writer without byte order mark that reports progress every {@value #DEFAULT_PROGRESS_EVERY} rows. */
    CsvZipWriter() {
        this(false, DEFAULT_PROGRESS_EVERY, null, null);
    }

    private CsvZipWriter(boolean byteOrderMark, long progressEvery, Instant begun, Seal seal) {
        if (progressEvery < 1) {
            throw new IllegalArgumentException("progressEvery must be 1 or more, not " + progressEvery);
        }
        this.byteOrderMark = byteOrderMark;
        this.progressEvery = progressEvery;
        this.begun = begun;
        this.seal = seal;
    }

    /** This writer, but starting the CSV with a UTF-8 byte order mark (see the class comment). */
    CsvZipWriter withByteOrderMark() {
        return new CsvZipWriter(true, progressEvery, begun, seal);
    }

    /** This writer, but calling the progress callback every {@code rows} rows (1 or more). */
    CsvZipWriter withProgressEvery(long rows) {
        return new CsvZipWriter(byteOrderMark, rows, begun, seal);
    }

    /** This writer, but noting in the zip's comment that the records were read from {@code instant} on. */
    CsvZipWriter withBegun(Instant instant) {
        return new CsvZipWriter(byteOrderMark, progressEvery, instant, seal);
    }

    /** This writer, but adding a file's evidence after its CSV ({@link Seal}). */
    CsvZipWriter withSeal(Seal evidence) {
        return new CsvZipWriter(byteOrderMark, progressEvery, begun, evidence);
    }

    /**
     * Writes the records to {@code target}, the CSV entry named after it by
     * {@link ExportFileNames#csvEntryName}.
     *
     * @param target the export file; its name must be an export file name
     * @param records the rows, pulled one at a time; not closed
     * @return the number of rows written, without the header
     * @throws IllegalArgumentException when the target's name is not an export file name (nothing written)
     * @throws IOException when the file cannot be written; the target is unchanged
     */
    long write(Path target, Iterator<? extends AuditRecord> records) throws IOException {
        return write(target, records, rows -> {});
    }

    /**
     * Writes the records to {@code target}, the CSV entry named after it by
     * {@link ExportFileNames#csvEntryName}, reporting progress.
     *
     * @param progress told the number of rows written so far every {@link #withProgressEvery} rows, then once
     *     with the total (unless just told); called on this thread before the file is moved into place, so
     *     the file is complete only when this method returns. A callback that throws aborts the write
     *     (a way to cancel a job); the target is then unchanged
     * @see #write(Path, Iterator)
     */
    long write(Path target, Iterator<? extends AuditRecord> records, LongConsumer progress) throws IOException {
        return write(target, ExportFileNames.csvEntryName(fileName(target)), records, progress);
    }

    /**
     * Writes the records to {@code target}, in a CSV entry of the given name.
     *
     * @param target the file to create or replace; its folder must exist
     * @param entryName the name of the CSV inside the zip: a plain file name of letters, digits,
     *     {@code .}, {@code _} and {@code -}, starting with a letter or digit
     * @param records the rows, pulled one at a time; not closed
     * @param progress see {@link #write(Path, Iterator, LongConsumer)}
     * @return the number of rows written, without the header
     * @throws IllegalArgumentException when the entry name breaks its rule (nothing written), or a record has
     *     no date or a date outside the years 0000 to 9999 (target unchanged)
     * @throws IOException when the file cannot be written; the target is unchanged
     */
    long write(Path target, String entryName, Iterator<? extends AuditRecord> records, LongConsumer progress)
            throws IOException {
        if (entryName == null || !ENTRY_NAME.matcher(entryName).matches()) {
            throw new IllegalArgumentException("the CSV entry name must match " + ENTRY_NAME.pattern());
        }
        if (records == null || progress == null) {
            throw new IllegalArgumentException("records and progress are required");
        }
        Path folder = target.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(folder, "." + fileName(target) + ".", ".tmp");
        try {
            long rows;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                    ZipOutputStream zip = new ZipOutputStream(
                            new BufferedOutputStream(Channels.newOutputStream(channel), BYTES_BUFFER), UTF_8)) {
                zip.putNextEntry(new ZipEntry(entryName));
                MessageDigest sha256 = FileEvidence.digest();
                // Not closed here: closing would close the zip before it is finished and forced.
                Writer text = new BufferedWriter(
                        new OutputStreamWriter(seal == null ? zip : new DigestOutputStream(zip, sha256), UTF_8),
                        CHARS_BUFFER);
                if (byteOrderMark) {
                    text.write(BYTE_ORDER_MARK);
                }
                text.write(CsvRows.header(Column.header()));
                text.write(CsvRows.ROW_END);
                rows = writeRows(text, records, progress);
                text.flush();
                zip.closeEntry();
                if (seal != null) {
                    for (Map.Entry<String, byte[]> e : seal.entries(
                                    HexFormat.of().formatHex(sha256.digest()), rows)
                            .entrySet()) {
                        zip.putNextEntry(new ZipEntry(e.getKey()));
                        zip.write(e.getValue());
                        zip.closeEntry();
                    }
                }
                zip.setComment(ROWS_COMMENT + rows + (begun == null ? "" : BEGUN_COMMENT + begun));
                zip.finish();
                zip.flush();
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            forceFolder(folder);
            return rows;
        } catch (Throwable failure) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException | RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    /**
     * What a file written by this writer says of itself in the zip's comment (its central directory only is
     * read, once): how many rows the CSV holds, and when its build began reading its records (files written
     * {@link #withBegun}). Both are empty for a missing file, one that is not such a zip, a damaged comment, or
     * (the beginning) a file written before files carried it. {@code evidence}: whether it holds its evidence
     * ({@link FileEvidence#MANIFEST}), read in the same look.
     */
    record Note(OptionalLong rows, Optional<Instant> begun, boolean evidence) {
        static final Note NONE = new Note(OptionalLong.empty(), Optional.empty(), false);
    }

    static Note noteOf(Path file) {
        String comment;
        boolean evidence;
        try (ZipFile zip = new ZipFile(file.toFile(), UTF_8)) {
            comment = zip.getComment();
            evidence = zip.getEntry(FileEvidence.MANIFEST) != null;
        } catch (IOException e) {
            return Note.NONE;
        }
        if (comment == null || !comment.startsWith(ROWS_COMMENT)) {
            return Note.NONE;
        }
        int at = comment.indexOf(BEGUN_COMMENT);
        try {
            long rows = Long.parseLong(comment.substring(ROWS_COMMENT.length(), at < 0 ? comment.length() : at));
            Optional<Instant> begun = at < 0
                    ? Optional.empty()
                    : Optional.of(Instant.parse(comment.substring(at + BEGUN_COMMENT.length())));
            return new Note(OptionalLong.of(rows), begun, evidence);
        } catch (NumberFormatException | DateTimeParseException e) {
            return Note.NONE; // damaged: the caller rebuilds it
        }
    }

    private long writeRows(Writer text, Iterator<? extends AuditRecord> records, LongConsumer progress)
            throws IOException {
        long rows = 0;
        while (records.hasNext()) {
            AuditRecord r = records.next();
            if (r == null) {
                throw new IllegalArgumentException("record " + (rows + 1) + " is null");
            }
            String row = row(r);
            text.write(row);
            text.write(CsvRows.ROW_END);
            if (seal != null) {
                seal.row(row);
            }
            rows++;
            if (rows % progressEvery == 0) {
                progress.accept(rows);
            }
        }
        if (rows == 0 || rows % progressEvery != 0) {
            progress.accept(rows);
        }
        return rows;
    }

    /**
     * A record's V1 row ({@link CsvRows#v1Row}), without its CRLF.
     *
     * @throws IllegalArgumentException when the record has no date or one outside the years 0000 to 9999
     */
    static String row(AuditRecord r) {
        return CsvRows.v1Row(
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
    }

    private static String fileName(Path target) {
        Path name = target.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("the target must name a file");
        }
        return name.toString();
    }

    /** Makes the rename durable; best effort, as not every platform can open a folder for this. */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException notSupported) {
            // The file is complete and in place; only its durability across a power cut is less certain.
        }
    }
}
