package org.auditlog.evidence.internal;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.auditlog.evidence.FileEvidence;

/**
 * An export file with evidence opened for the offline verifier: its entries are exactly those of
 * {@link FileEvidence}, each name once, in this order: the CSV, {@value FileEvidence#ROWS},
 * {@value FileEvidence#MANIFEST}, {@value FileEvidence#MANIFEST_SIGNATURE}, {@value FileEvidence#CHECKPOINT}. An
 * entry is read only through a count of its inflated bytes, refused as soon as it passes the size the zip's
 * directory declares for it (which nothing trusts otherwise) or the bound its reader sets; a zip bomb is stopped
 * after that many bytes, never read to its end.
 */
public final class EvidenceZip implements Closeable {
    /** A CSV entry's name as the server writes it ({@code ExportFileNames}). */
    public static final Pattern CSV_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,250}\\.csv");
    /** The entries after the CSV, in their order. */
    public static final List<String> AFTER_CSV =
            List.of(FileEvidence.ROWS, FileEvidence.MANIFEST, FileEvidence.MANIFEST_SIGNATURE, FileEvidence.CHECKPOINT);

    public static final String LAYOUT = "the CSV, " + String.join(", ", AFTER_CSV);

    /** The file's entries are not the format's, or one cannot be read as its directory declares it. */
    public static final class BadEntryException extends IOException {
        private static final long serialVersionUID = 1L;

        BadEntryException(String message) {
            super(message);
        }
    }

    /** The file cannot be opened as a zip: missing, not a zip, or cut short (its directory is gone). */
    public static final class NotAZipException extends IOException {
        private static final long serialVersionUID = 1L;

        NotAZipException(String message) {
            super(message);
        }
    }

    private final ZipFile zip;
    private final String csvName;

    private EvidenceZip(ZipFile zip, String csvName) {
        this.zip = zip;
        this.csvName = csvName;
    }

    /**
     * Opens a file and checks its entries' names and order.
     *
     * @throws NotAZipException when it is not a zip that can be opened (missing, not a zip, cut short: its
     *     directory is gone)
     * @throws BadEntryException when its entries are not the format's
     */
    public static EvidenceZip open(Path file) throws NotAZipException, BadEntryException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new NotAZipException(file + " is not a readable zip file: " + e.getMessage());
        }
        try {
            return new EvidenceZip(zip, layout(zip));
        } catch (BadEntryException | RuntimeException e) {
            try {
                zip.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The CSV's name, once the names and order of the entries are the format's. */
    private static String layout(ZipFile zip) throws BadEntryException {
        List<String> names = new ArrayList<>();
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements() && names.size() <= AFTER_CSV.size() + 1) {
            names.add(all.nextElement().getName());
        }
        if (names.isEmpty()) {
            throw new BadEntryException("the file holds no CSV");
        }
        String csv = names.get(0);
        if (!CSV_NAME.matcher(csv).matches()) {
            throw new BadEntryException("the file's first entry is " + quoted(csv)
                    + ", not a CSV: an export file holds " + LAYOUT + ", in this order");
        }
        if (names.size() == 1) {
            throw new BadEntryException("the file holds no " + FileEvidence.MANIFEST
                    + ": it carries no evidence (built before the server kept evidence?)");
        }
        for (int k = 1; k < names.size(); k++) {
            String name = names.get(k);
            String expected = k <= AFTER_CSV.size() ? AFTER_CSV.get(k - 1) : null;
            if (name.equals(expected)) {
                continue;
            }
            if (names.subList(0, k).contains(name)) {
                throw new BadEntryException("the file holds " + quoted(name) + " twice");
            }
            if (CSV_NAME.matcher(name).matches()) {
                throw new BadEntryException("the file holds two CSV files, " + csv + " and " + quoted(name));
            }
            if (AFTER_CSV.contains(name)) {
                throw new BadEntryException("the file's entries are out of order: " + name + " where " + expected
                        + " belongs (an export file holds " + LAYOUT + ", in this order)");
            }
            throw new BadEntryException("the file holds an entry the format does not define: " + quoted(name)
                    + (expected == null ? " after " + FileEvidence.CHECKPOINT : ""));
        }
        if (names.size() <= AFTER_CSV.size()) {
            throw new BadEntryException("the file holds no " + AFTER_CSV.get(names.size() - 1));
        }
        return csv;
    }

    /** A name as a message shows it: quoted, cut to 100 characters, control characters escaped. */
    private static String quoted(String name) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < name.length() && i < 100; i++) {
            char c = name.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append(name.length() > 100 ? "…\"" : "\"").toString();
    }

    public String csvName() {
        return csvName;
    }

    /** The size the zip's directory declares for an entry (-1 when it declares none). */
    public long declaredSize(String name) {
        return zip.getEntry(name).getSize();
    }

    /**
     * The bytes of an entry, at most {@code bound} of them.
     *
     * @param beyond what the message says when the entry holds more than {@code bound} bytes
     * @throws BadEntryException when it inflates past its declared size or {@code bound}, or to fewer bytes than
     *     declared, or its data is damaged
     */
    public byte[] read(String name, int bound, String beyond) throws BadEntryException {
        try (InputStream in = stream(name, bound, beyond)) {
            return in.readAllBytes();
        } catch (BadEntryException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw damaged(name, e);
        }
    }

    public static BadEntryException damaged(String name, Exception e) {
        return new BadEntryException(name + " cannot be inflated: the file is damaged (" + e.getMessage() + ")");
    }

    /**
     * An entry's inflated bytes as a stream that throws {@link BadEntryException} once they pass its declared size or
     * {@code bound}, or end before its declared size.
     *
     * @param beyond what the message says when the entry holds more than {@code bound} bytes
     */
    public InputStream stream(String name, long bound, String beyond) throws BadEntryException {
        ZipEntry entry = zip.getEntry(name);
        long declared = entry.getSize();
        if (declared > bound) {
            throw new BadEntryException(name + " " + beyond + " (its directory declares " + declared + " bytes)");
        }
        InputStream in;
        try {
            in = zip.getInputStream(entry);
        } catch (IOException | RuntimeException e) {
            throw damaged(name, e);
        }
        return new Counted(in, name, declared, bound, beyond);
    }

    /** Counts the bytes read, and refuses them past the declared size or the bound. */
    private static final class Counted extends FilterInputStream {
        private final String name;
        private final long declared;
        private final long bound;
        private final String beyond;
        private long count;

        Counted(InputStream in, String name, long declared, long bound, String beyond) {
            super(in);
            this.name = name;
            this.declared = declared;
            this.bound = bound;
            this.beyond = beyond;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw damaged(name, e);
            }
            if (n < 0) {
                if (declared >= 0 && count < declared) {
                    throw new BadEntryException(name + " inflates to " + count + " bytes, its directory declares "
                            + declared + ": the file is damaged");
                }
                return n;
            }
            count += n;
            if (declared >= 0 && count > declared) {
                throw new BadEntryException(name + " inflates past the " + declared + " bytes its directory declares: "
                        + "a zip bomb, or a damaged file");
            }
            if (count > bound) {
                throw new BadEntryException(name + " " + beyond);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("not skipped: every byte is counted");
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
