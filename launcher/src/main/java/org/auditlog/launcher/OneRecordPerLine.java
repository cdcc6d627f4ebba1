package org.auditlog.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The server's standard output and error, where every log record is written (slf4j's simple logger, the
 * launcher's own lines, java.util.logging through {@link LineHandler}, Felix, FileInstall and SCR): one record
 * is always one line, whatever text it carries, so no value can forge a line that looks like a record.
 *
 * <p>Every call (a {@code print}, a {@code println}, a {@code write}) is one piece of a record. Inside it, a line
 * break (CR, LF, NEL U+0085, U+2028, U+2029) is written as an escape ({@code \r}, {@code \n}, {@code \}{@code u0085}...)
 * and so is every other control character but the tab; a line ends only where the caller ends it (a
 * {@code println}, or a line break closing the piece). The one exception are stack traces, multi-line by
 * nature: a line break followed by a tab stays (the frames {@code \tat ...}), and the lines that
 * {@link Throwable#printStackTrace} writes without a tab (the exception itself and each {@code Caused by:})
 * get one. A line that starts with a tab thus always continues the record above it, and a line that does not
 * is always the start of a record as its writer began it (a timestamp for slf4j and the launcher).
 *
 * <p>This stream does not double backslashes: values that come from requests are escaped where they are logged
 * (see {@code org.auditlog.api.adapter.LogText}); this is the net below, and keeps the line structure only. Bytes
 * written directly ({@code write}) are handled byte by byte: line breaks and C0 controls are treated as above,
 * other bytes pass unchanged.
 */
final class OneRecordPerLine extends PrintStream {
    private static final String THROWABLE_PRINTER = "java.lang.Throwable$WrappedPrintStream";
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final PrintStream out;
    private final String lineSeparator;
    /** Whether the next character written starts a line. */
    private boolean lineStart = true;

    OneRecordPerLine(PrintStream out) {
        this(out, System.lineSeparator());
    }

    OneRecordPerLine(PrintStream out, String lineSeparator) {
        super(out, true);
        this.out = out;
        this.lineSeparator = lineSeparator;
    }

    /** Puts the wrappers on {@link System#out} and {@link System#err} (once). */
    static void install() {
        if (!(System.out instanceof OneRecordPerLine)) {
            System.setOut(new OneRecordPerLine(System.out));
        }
        if (!(System.err instanceof OneRecordPerLine)) {
            System.setErr(new OneRecordPerLine(System.err));
        }
    }

    // --- one piece of text per call ---

    @Override
    public void print(String s) {
        emit(String.valueOf(s), false, false);
    }

    @Override
    public void print(Object obj) {
        emit(String.valueOf(obj), false, false);
    }

    @Override
    public void print(char[] s) {
        emit(new String(s), false, false);
    }

    @Override
    public void print(char c) {
        emit(String.valueOf(c), false, false);
    }

    @Override
    public void print(boolean b) {
        emit(String.valueOf(b), false, false);
    }

    @Override
    public void print(int i) {
        emit(String.valueOf(i), false, false);
    }

    @Override
    public void print(long l) {
        emit(String.valueOf(l), false, false);
    }

    @Override
    public void print(float f) {
        emit(String.valueOf(f), false, false);
    }

    @Override
    public void print(double d) {
        emit(String.valueOf(d), false, false);
    }

    @Override
    public void println() {
        emit("", true, false);
    }

    @Override
    public void println(String s) {
        emit(String.valueOf(s), true, false);
    }

    /**
     * Also what {@link Throwable#printStackTrace(PrintStream)} calls for every line of a trace: those lines
     * continue the record above, so each starts with a tab.
     */
    @Override
    public void println(Object x) {
        emit(String.valueOf(x), true, x instanceof Throwable || fromStackTrace());
    }

    @Override
    public void println(char[] s) {
        emit(new String(s), true, false);
    }

    @Override
    public void println(char c) {
        emit(String.valueOf(c), true, false);
    }

    @Override
    public void println(boolean b) {
        emit(String.valueOf(b), true, false);
    }

    @Override
    public void println(int i) {
        emit(String.valueOf(i), true, false);
    }

    @Override
    public void println(long l) {
        emit(String.valueOf(l), true, false);
    }

    @Override
    public void println(float f) {
        emit(String.valueOf(f), true, false);
    }

    @Override
    public void println(double d) {
        emit(String.valueOf(d), true, false);
    }

    @Override
    public PrintStream append(CharSequence csq) {
        print(String.valueOf(csq));
        return this;
    }

    @Override
    public PrintStream append(CharSequence csq, int start, int end) {
        print(String.valueOf(csq == null ? "null" : csq).substring(start, end));
        return this;
    }

    @Override
    public PrintStream append(char c) {
        print(c);
        return this;
    }

    @Override
    public PrintStream format(String format, Object... args) {
        print(String.format(format, args));
        return this;
    }

    @Override
    public PrintStream format(Locale l, String format, Object... args) {
        print(String.format(l, format, args));
        return this;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buf) {
        write(buf, 0, buf.length);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) {
        byte[] separator = lineSeparator.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream b = new ByteArrayOutputStream(len + 16);
        int end = off + len;
        for (int i = off; i < end; i++) {
            int c = buf[i] & 0xff;
            if (c == '\r' || c == '\n') {
                int next = c == '\r' && i + 1 < end && buf[i + 1] == '\n' ? i + 2 : i + 1;
                if (next == end || buf[next] == '\t') {
                    b.write(separator, 0, separator.length);
                    lineStart = true;
                    i = next - 1;
                    continue;
                }
                b.writeBytes(escape((char) c).getBytes(StandardCharsets.US_ASCII));
            } else if (c < 0x20 && c != '\t' || c == 0x7f) {
                b.writeBytes(escape((char) c).getBytes(StandardCharsets.US_ASCII));
            } else {
                b.write(c);
            }
            lineStart = false;
        }
        out.write(b.toByteArray(), 0, b.size());
        out.flush();
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.close();
    }

    @Override
    public boolean checkError() {
        return out.checkError();
    }

    /** Writes one piece: escaped, ended by a line separator when {@code newline}, tab-led when a continuation. */
    private synchronized void emit(String s, boolean newline, boolean continuation) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        boolean atStart = lineStart;
        if (continuation && atStart && !s.startsWith("\t")) {
            b.append('\t');
            atStart = false;
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (isLineBreak(c)) {
                int next = c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n' ? i + 2 : i + 1;
                boolean closesPiece = next == n && !newline;
                if (closesPiece || next < n && s.charAt(next) == '\t') {
                    b.append(lineSeparator);
                    atStart = true;
                    i = next - 1;
                    continue;
                }
                b.append(escape(c));
                if (next == i + 2) {
                    b.append(escape('\n'));
                    i++;
                }
            } else if (c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f) {
                b.append(escape(c));
            } else {
                b.append(c);
            }
            atStart = false;
        }
        if (newline) {
            b.append(lineSeparator);
            atStart = true;
        }
        lineStart = atStart;
        out.print(b);
        out.flush();
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    private static String escape(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            default:
                return String.format("\\u%04x", (int) c);
        }
    }

    /** Whether the caller is {@link Throwable} printing its stack trace. */
    private static boolean fromStackTrace() {
        return WALKER.walk(frames -> frames.limit(6).anyMatch(f -> THROWABLE_PRINTER.equals(f.getClassName())));
    }
}
