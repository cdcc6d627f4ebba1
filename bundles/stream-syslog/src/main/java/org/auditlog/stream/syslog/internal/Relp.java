package org.auditlog.stream.syslog.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A RELP client session (the Reliable Event Logging Protocol of rsyslog and librelp, {@code doc/relp.md} of
 * librelp): {@code open} with the offers {@code relp_version=0} and {@code commands=syslog}, one {@code syslog}
 * command per message, at most {@value #WINDOW} of them unacknowledged (librelp's window), then {@code close}. The
 * server answers every command with a {@code rsp} of the same transaction number, in order: {@code 200 OK} once the
 * message is handed to the receiver (rsyslog's imrelp: in its main queue). The batch is accepted when every one of
 * its messages was answered {@code 200}.
 */
final class Relp {
    /** The unacknowledged commands at most, librelp's default window. */
    static final int WINDOW = 128;

    /** The largest frame read from the server: an answer is a few octets, its open answer a few hundred. */
    private static final int MAX_DATA = 64 * 1024;

    /** The highest transaction number, after which the next is 1 again. */
    private static final int MAX_TXNR = 999_999_999;

    private static final byte[] OFFERS =
            "relp_version=0\nrelp_software=auditlog\ncommands=syslog".getBytes(StandardCharsets.US_ASCII);

    /** A frame from the server: {@code TXNR SP COMMAND SP DATALEN [SP DATA] LF}. */
    record Frame(int txnr, String command, byte[] data) {
        /** The status of a {@code rsp}: its first three digits, or -1. */
        int status() {
            if (data.length < 3) {
                return -1;
            }
            String code = new String(data, 0, 3, StandardCharsets.US_ASCII);
            return code.matches("[0-9]{3}") ? Integer.parseInt(code) : -1;
        }

        /** The human-readable text of a {@code rsp}: its first line. */
        String text() {
            String s = new String(data, StandardCharsets.UTF_8);
            int lf = s.indexOf('\n');
            return (lf < 0 ? s : s.substring(0, lf)).strip();
        }
    }

    private Relp() {}

    /**
     * Sends {@code messages} (of the events {@code sequences}) over {@code c} and returns once the server
     * acknowledged every one.
     */
    static void send(Connection c, List<byte[]> messages, List<Long> sequences) throws Failure {
        OutputStream out = c.out();
        InputStream in = c.in();
        int acknowledged = 0;
        try {
            command(out, 1, "open", OFFERS);
            out.flush();
            Frame open = response(c, in, 1);
            if (open.status() != 200) {
                throw Failure.refused("rejected", "the RELP server refused the session: " + open.text());
            }
            if (!offersSyslog(open.data())) {
                throw Failure.refused("rejected", "the RELP server does not offer the syslog command");
            }
            int sent = 0;
            while (acknowledged < messages.size()) {
                while (sent < messages.size() && sent - acknowledged < WINDOW) {
                    command(out, txnr(sent), "syslog", messages.get(sent));
                    sent++;
                }
                out.flush();
                Frame answer = response(c, in, txnr(acknowledged));
                if (answer.status() != 200) {
                    throw Failure.refused(
                            "rejected",
                            "the RELP server answered \"" + answer.text() + "\" to the event of sequence "
                                    + sequences.get(acknowledged));
                }
                acknowledged++;
            }
        } catch (IOException e) {
            if (e instanceof SocketTimeoutException || c.timedOut()) {
                throw Failure.retry(
                        "ack",
                        "the RELP server at " + c.where() + " acknowledged " + acknowledged + " of " + messages.size()
                                + " messages in time");
            }
            throw c.failure("sending to", e);
        }
        // Every message is acknowledged: the batch is accepted whatever becomes of the close.
        try {
            command(out, txnr(messages.size()), "close", new byte[0]);
            out.flush();
            response(c, in, txnr(messages.size()));
        } catch (IOException | Failure e) {
            // The session ends with the connection anyway.
        }
    }

    /** The transaction number of the {@code i}th message (from 0): 2, 3, ... after the open's 1. */
    static int txnr(int i) {
        return (int) (((long) i + 1) % MAX_TXNR) + 1;
    }

    static void command(OutputStream out, int txnr, String command, byte[] data) throws IOException {
        out.write((txnr + " " + command + " " + data.length).getBytes(StandardCharsets.US_ASCII));
        if (data.length > 0) {
            out.write(' ');
            out.write(data);
        }
        out.write('\n');
    }

    /** The server's answer to the command {@code txnr}, past the hints it may send first. */
    private static Frame response(Connection c, InputStream in, int txnr) throws IOException, Failure {
        while (true) {
            c.readsUntilDeadline();
            Frame f = read(in);
            if (f.txnr() == 0) {
                if ("serverclose".equals(f.command())) {
                    throw Failure.retry("network", "the RELP server at " + c.where() + " closed the session");
                }
                continue; // another hint: nothing to do
            }
            if (!"rsp".equals(f.command()) || f.txnr() != txnr) {
                throw Failure.retry(
                        "network",
                        "the RELP server at " + c.where() + " sent " + f.txnr() + " " + f.command() + " instead of "
                                + "the answer to " + txnr);
            }
            return f;
        }
    }

    /** Reads one frame; a frame that breaks the grammar is an I/O error, and the session's end. */
    static Frame read(InputStream in) throws IOException {
        int txnr = (int) number(in, ' ', 9);
        String command = token(in);
        long length = 0;
        int digits = 0;
        int b;
        while ((b = next(in)) >= '0' && b <= '9' && digits < 9) {
            length = length * 10 + (b - '0');
            digits++;
        }
        if (digits == 0 || length > MAX_DATA) {
            throw new IOException("RELP frame: bad DATALEN");
        }
        byte[] data = new byte[(int) length];
        if (b == ' ') {
            int read = in.readNBytes(data, 0, data.length);
            if (read < data.length) {
                throw new EOFException("RELP frame: cut short");
            }
            b = next(in);
        } else if (length != 0) {
            throw new IOException("RELP frame: no data after DATALEN " + length);
        }
        if (b != '\n') {
            throw new IOException("RELP frame: no trailer");
        }
        return new Frame(txnr, command, data);
    }

    private static long number(InputStream in, int end, int max) throws IOException {
        long n = 0;
        int digits = 0;
        int b;
        while ((b = next(in)) != end) {
            if (b < '0' || b > '9' || ++digits > max) {
                throw new IOException("RELP frame: bad number");
            }
            n = n * 10 + (b - '0');
        }
        if (digits == 0) {
            throw new IOException("RELP frame: no number");
        }
        return n;
    }

    private static String token(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(16);
        int c;
        while ((c = next(in)) != ' ') {
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') || b.size() >= 32) {
                throw new IOException("RELP frame: bad command");
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static int next(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the RELP server closed the connection");
        }
        return b;
    }

    /** Whether the open's answer offers {@code commands=...,syslog,...}. */
    static boolean offersSyslog(byte[] data) {
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("commands=")) {
                for (String command : line.substring("commands=".length()).split(",")) {
                    if (command.strip().equals("syslog")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
