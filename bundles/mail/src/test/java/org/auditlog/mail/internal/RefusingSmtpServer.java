package org.auditlog.mail.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP peer that answers every recipient with one fixed reply, such as {@code 550 5.1.1 no such user}.
 * GreenMail accepts every recipient, so the refusals a real server gives are played by this short fake: it
 * speaks just enough SMTP (greeting, EHLO, MAIL, RCPT, RSET, NOOP, QUIT) for javax.mail to reach RCPT TO.
 */
final class RefusingSmtpServer implements AutoCloseable {
    private final ServerSocket socket;
    private final String recipientReply;
    private final AtomicInteger recipients = new AtomicInteger();
    private final Thread acceptor;

    RefusingSmtpServer(String recipientReply) throws IOException {
        this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.recipientReply = recipientReply;
        this.acceptor = new Thread(this::serve, "refusing-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** How many RCPT TO commands it answered. */
    int recipientsOffered() {
        return recipients.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = client.getOutputStream();
                reply(out, "220 refusing.test ESMTP");
                String line;
                while ((line = in.readLine()) != null) {
                    String command =
                            line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
                    switch (command) {
                        case "EHLO", "HELO" -> reply(out, "250 refusing.test");
                        case "RCPT" -> {
                            recipients.incrementAndGet();
                            reply(out, recipientReply);
                        }
                        case "QUIT" -> {
                            reply(out, "221 bye");
                            line = null;
                        }
                        default -> reply(out, "250 OK");
                    }
                    if (line == null) {
                        break;
                    }
                }
            } catch (IOException e) {
                // the test closed the socket, or the client went away
            }
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
