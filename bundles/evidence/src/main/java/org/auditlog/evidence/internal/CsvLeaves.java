package org.auditlog.evidence.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.evidence.CsvRows;
import org.auditlog.evidence.FileEvidence;
import org.auditlog.evidence.Merkle;

/**
 * A CSV file read once as a stream, as the verifier needs it: the SHA-256 of its bytes, its rows cut where
 * {@link CsvRows#rows} cuts them (at each CRLF outside double quotes), and, for the rows after the header up to a
 * number given, each row's leaf hash ({@link Merkle#leafHash} of its bytes as the file holds them) and its id (its
 * bytes before the first comma, for messages). Memory stays the same whatever the length of a row or the file,
 * but for the 32 bytes and the id of each row kept.
 */
public final class CsvLeaves {
    /** The most bytes of a row's id kept for messages. */
    public static final int ID_BYTES = 32;

    private static final int BUFFER = 64 * 1024;

    private final String sha256;
    private final long rows;
    private final boolean header;
    private final List<byte[]> leaves;
    private final List<String> ids;
    private final String damage;

    private CsvLeaves(String sha256, long rows, boolean header, List<byte[]> leaves, List<String> ids, String damage) {
        this.sha256 = sha256;
        this.rows = rows;
        this.header = header;
        this.leaves = leaves;
        this.ids = ids;
        this.damage = damage;
    }

    /** Reads a CSV to its end, keeping the leaf hashes and ids of the first {@code keep} rows after the header. */
    public static CsvLeaves read(InputStream in, long keep) throws IOException {
        Reading r = new Reading(keep);
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            r.bytes(buffer, n);
        }
        return r.end();
    }

    /** The SHA-256 of the file's bytes, in lower-case hex. */
    public String sha256() {
        return sha256;
    }

    /** How many rows follow the header (0 for a file without rows). */
    public long rows() {
        return rows;
    }

    /** Whether the file has a first row (the header). */
    public boolean hasHeader() {
        return header;
    }

    /** How many rows' leaves and ids were kept: the first rows after the header, at most the number asked for. */
    public int kept() {
        return leaves.size();
    }

    /** The leaf hash of row {@code i} after the header (from 0), one of the rows {@link #kept}. */
    public byte[] leaf(int i) {
        return leaves.get(i);
    }

    /** The id of row {@code i} after the header: its text before the first comma, at most {@value #ID_BYTES} bytes. */
    public String id(int i) {
        return ids.get(i);
    }

    /** Why the text is not whole rows (a quote left open, no CRLF at the end), or null. */
    public String damage() {
        return damage;
    }

    /** Where a read is: in which row, inside quotes or not, a CR held back until the next byte shows what it is. */
    private static final class Reading {
        private final long keep;
        private final MessageDigest file = FileEvidence.digest();
        private final MessageDigest leaf = FileEvidence.digest();
        private final List<byte[]> leaves = new ArrayList<>();
        private final List<String> ids = new ArrayList<>();
        private final byte[] id = new byte[ID_BYTES];
        private int idLength;
        private boolean inId = true;
        private boolean quoted;
        private boolean heldCr;
        private long rowBytes;
        private long rowsEnded;

        Reading(long keep) {
            this.keep = keep;
            leaf.update(Merkle.LEAF_PREFIX);
        }

        void bytes(byte[] b, int n) {
            file.update(b, 0, n);
            int from = 0; // the first byte of the row not yet given to the leaf's digest
            for (int k = 0; k < n; k++) {
                byte c = b[k];
                if (heldCr) {
                    heldCr = false;
                    if (c == '\n') {
                        endRow();
                        from = k + 1;
                        continue;
                    }
                    rowByte((byte) '\r');
                    leaf.update((byte) '\r');
                }
                if (c == '\r' && !quoted) {
                    leaf.update(b, from, k - from);
                    from = k + 1;
                    heldCr = true;
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted; // a doubled quote turns it off and on again
                }
                rowByte(c);
            }
            leaf.update(b, from, n - from);
        }

        private void rowByte(byte c) {
            rowBytes++;
            if (inId) {
                if (c == ',') {
                    inId = false;
                } else if (idLength < ID_BYTES) {
                    id[idLength++] = c;
                }
            }
        }

        private void endRow() {
            byte[] hash = leaf.digest();
            leaf.update(Merkle.LEAF_PREFIX);
            if (rowsEnded > 0 && leaves.size() < keep) {
                leaves.add(hash);
                ids.add(new String(id, 0, idLength, StandardCharsets.UTF_8));
            }
            rowsEnded++;
            rowBytes = 0;
            idLength = 0;
            inId = true;
        }

        CsvLeaves end() {
            if (heldCr) {
                rowBytes++;
            }
            String damage = quoted
                    ? "a quoted value is not closed before the end of the file"
                    : rowBytes > 0 ? "the file does not end with a complete row (CRLF)" : null;
            return new CsvLeaves(
                    Merkle.hex(file.digest()), Math.max(0, rowsEnded - 1), rowsEnded > 0, leaves, ids, damage);
        }
    }
}
