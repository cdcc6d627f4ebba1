package org.auditlog.evidence.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The lines of a gzipped text, each ended by {@code \n}, read one at a time through a count of the inflated bytes:
 * reading stops, with a {@link BadGzipException} that says why, past {@code maxInflated} bytes in all (a gzip bomb
 * is stopped there, never inflated to its end), past {@code maxLine} bytes in one line (so a line is never held
 * larger), on data that is not gzip or is damaged, and at a text that does not end with {@code \n} (cut short).
 * Memory stays the same whatever the file: a buffer and the line being read.
 */
public final class GzipLines implements Closeable {
    private static final int BUFFER = 64 * 1024;

    /** Why the lines cannot be read on: a bound passed, data that is not gzip or is damaged, a text cut short. */
    public static final class BadGzipException extends IOException {
        private static final long serialVersionUID = 1L;

        BadGzipException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final long maxInflated;
    private final int maxLine;
    private final byte[] buffer = new byte[BUFFER];
    private int at;
    private int end;
    private long inflated;
    private long lines;
    private byte[] line = new byte[1024];
    private int length;

    private GzipLines(InputStream in, long maxInflated, int maxLine) {
        this.in = in;
        this.maxInflated = maxInflated;
        this.maxLine = maxLine;
    }

    /**
     * Starts reading a gzipped stream (its header is read now).
     *
     * @throws BadGzipException when it does not start as gzip
     */
    public static GzipLines open(InputStream compressed, long maxInflated, int maxLine) throws BadGzipException {
        try {
            return new GzipLines(new GZIPInputStream(compressed, BUFFER), maxInflated, maxLine);
        } catch (IOException | RuntimeException e) {
            throw new BadGzipException("is not gzip (" + e.getMessage() + ")");
        }
    }

    /** How many lines were read (given by {@link #next}). */
    public long lines() {
        return lines;
    }

    /**
     * The next line's bytes, without its {@code \n}; null after the last line.
     *
     * @throws BadGzipException past a bound, on damaged data, or when the text ends without a {@code \n}
     */
    public byte[] next() throws BadGzipException {
        length = 0;
        while (true) {
            if (at == end && !fill()) {
                if (length > 0) {
                    throw new BadGzipException("ends without a newline after line " + lines + ": cut short");
                }
                return null;
            }
            int newline = at;
            while (newline < end && buffer[newline] != '\n') {
                newline++;
            }
            int n = newline - at;
            if (length + n > maxLine) {
                throw new BadGzipException(
                        "holds more than " + maxLine + " bytes in line " + (lines + 1) + ": not a line of this format");
            }
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.min(maxLine, Math.max(length + n, line.length * 2)));
            }
            System.arraycopy(buffer, at, line, length, n);
            length += n;
            at = newline;
            if (newline < end) {
                at++;
                lines++;
                return Arrays.copyOf(line, length);
            }
        }
    }

    private boolean fill() throws BadGzipException {
        int n;
        try {
            n = in.read(buffer);
        } catch (IOException | RuntimeException e) {
            throw new BadGzipException("cannot be inflated: it is damaged or cut short (" + e.getMessage() + ")");
        }
        if (n < 0) {
            return false;
        }
        inflated += n;
        if (inflated > maxInflated) {
            throw new BadGzipException(
                    "inflates past " + maxInflated + " bytes: a gzip bomb, or not a file of this " + "format");
        }
        at = 0;
        end = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
