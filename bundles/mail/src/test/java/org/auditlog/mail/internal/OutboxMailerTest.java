package org.auditlog.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.mail.BodyPart;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import org.apache.sling.testing.mock.osgi.MockOsgi;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.MailStatus;
import org.auditlog.api.mail.MailStatus.State;
import org.auditlog.api.store.MailStore;
import org.auditlog.api.work.BackgroundWork;
import org.auditlog.testing.SettableClock;
import org.auditlog.work.internal.Work;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** The mailer against a real SMTP server (GreenMail on a free port) and an in-memory store. */
class OutboxMailerTest {
    private static final Instant T0 = Instant.parse("2026-10-05T08:30:15Z");
    private static final String SUBJECT = "監査ログのエクスポートが完了しました (export ready)";
    private static final String TEXT = "こんにちは Alice,\nyour export is ready.";
    private static final String HTML = "<p>こんにちは Alice,</p><p>your export is <b>ready</b>.</p>";

    private final FakeMailStore store = new FakeMailStore();
    private final SettableClock clock = new SettableClock(T0);
    private final List<OutboxMailer> started = new ArrayList<>();
    private GreenMail greenMail;

    @TempDir
    Path temp;

    @AfterEach
    void tearDown() {
        started.forEach(OutboxMailer::stop);
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    @Test
    void queuedMailArrivesWithSubjectSenderRecipientAndBothParts() throws Exception {
        int port = startGreenMail(freePort());
        OutboxMailer mailer = start(smtp(port));

        assertTrue(mailer.queue(mail("export-job:42:alice", "alice@example.com")));

        MimeMessage received = awaitOneMail();
        assertEquals(SUBJECT, received.getSubject());
        InternetAddress from = (InternetAddress) received.getFrom()[0];
        assertEquals("auditlog@localhost", from.getAddress());
        assertEquals("Auditlog", from.getPersonal());
        assertEquals("alice@example.com", ((InternetAddress) received.getAllRecipients()[0]).getAddress());
        assertEquals("auto-generated", received.getHeader("Auto-Submitted", null));
        assertEquals(MimeComposer.messageId("export-job:42:alice"), received.getMessageID());
        assertEquals(T0, received.getSentDate().toInstant());
        assertAlternativeParts(received);

        awaitTrue("the mail marked sent", () -> state("export-job:42:alice") == State.SENT);
        assertEquals(T0, store.status("export-job:42:alice").orElseThrow().sent());
    }

    @Test
    void theSameKeyIsQueuedAndSentOnlyOnce() throws Exception {
        int port = startGreenMail(freePort());
        OutboxMailer mailer = start(smtp(port));

        assertTrue(mailer.queue(mail("monthly:202610:SPACE:alice", "alice@example.com")));
        assertFalse(mailer.queue(mail("monthly:202610:SPACE:alice", "alice@example.com")));

        awaitTrue("the mail marked sent", () -> state("monthly:202610:SPACE:alice") == State.SENT);
        assertFalse(mailer.queue(mail("monthly:202610:SPACE:alice", "alice@example.com")), "not even once sent");
        assertEquals(1, greenMail.getReceivedMessages().length);
        assertEquals(1, store.size());
    }

    @Test
    void aBadRecipientIsRejectedAndNothingIsStored() {
        OutboxMailer mailer = start(smtp(freePort()));

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> mailer.queue(mail("export-job:1:bob", "bob at example")));

        assertTrue(e.getMessage().contains("bob at example"), e.getMessage());
        assertEquals(0, store.size());
        assertTrue(mailer.status("export-job:1:bob").isEmpty());
    }

    @Test
    void aMailThatFailsWhileTheServerIsDownIsSentOnceAfterTheBackoff() throws Exception {
        int port = freePort(); // nothing listens there yet
        // GreenMail's plain SMTP offers no STARTTLS: a login in clear text is what tls none allows
        OutboxMailer mailer = start(smtpWithPassword(port, "s3cret-pw", Settings.Tls.NONE));

        mailer.queue(mail("export-job:7:carol", "carol@example.com"));

        awaitTrue(
                "a failed attempt",
                () -> store.status("export-job:7:carol").orElseThrow().attempts() > 0);
        MailStatus failed = store.status("export-job:7:carol").orElseThrow();
        assertEquals(State.PENDING, failed.state());
        assertEquals(1, failed.attempts());
        assertNotNull(failed.lastError());
        assertFalse(failed.lastError().contains("s3cret-pw"), failed.lastError());
        assertEquals(T0.plusSeconds(30), failed.nextAttempt(), "retryInitialSeconds after the first failure");

        startGreenMail(port);
        greenMail.setUser("sender@localhost", "sender", "s3cret-pw");
        clock.advance(Duration.ofSeconds(31));

        MimeMessage received = awaitOneMail();
        assertEquals(SUBJECT, received.getSubject());
        awaitTrue("the mail marked sent", () -> state("export-job:7:carol") == State.SENT);
        assertEquals(1, greenMail.getReceivedMessages().length, "exactly once");
        assertEquals(1, store.status("export-job:7:carol").orElseThrow().attempts());
    }

    @Test
    void aUserAndPasswordAreNeverSentToARelayThatOffersNoStartTls() throws Exception {
        // GreenMail's plain SMTP offers no STARTTLS: tls auto with a user does not fall back to clear text
        int port = startGreenMail(freePort());
        greenMail.setUser("sender@localhost", "sender", "s3cret-pw");
        OutboxMailer mailer = start(smtpWithPassword(port, "s3cret-pw"));

        mailer.queue(mail("export-job:9:clear", "clear@example.com"));

        awaitTrue(
                "a failed attempt",
                () -> store.status("export-job:9:clear").orElseThrow().attempts() > 0);
        MailStatus failed = store.status("export-job:9:clear").orElseThrow();
        assertEquals(State.PENDING, failed.state(), "tried again later: the relay may offer STARTTLS then");
        assertTrue(failed.lastError().contains("STARTTLS"), failed.lastError());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void aRejectedLoginIsRetriedAndItsErrorNeverShowsThePassword() throws Exception {
        int port = startGreenMail(freePort());
        greenMail.setUser("sender@localhost", "sender", "the-right-one");
        // tls none, chosen knowingly (a relay on the same host): the login is tried in clear text
        OutboxMailer mailer = start(smtpWithPassword(port, "s3cret-wrong-pw", Settings.Tls.NONE));

        mailer.queue(mail("export-job:8:grace", "grace@example.com"));

        awaitTrue(
                "a failed attempt",
                () -> store.status("export-job:8:grace").orElseThrow().attempts() > 0);
        MailStatus failed = store.status("export-job:8:grace").orElseThrow();
        assertEquals(State.PENDING, failed.state());
        assertTrue(failed.lastError().startsWith("AuthenticationFailedException"), failed.lastError());
        assertFalse(failed.lastError().contains("s3cret-wrong-pw"), failed.lastError());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void withoutAnSmtpHostTheMailIsWrittenAsAnEmlFileAtomically() throws Exception {
        Path outbox = temp.resolve("mail").resolve("outbox"); // does not exist yet
        OutboxMailer mailer = start("outboxFolder", outbox.toString());

        mailer.queue(mail("export-job:9:dave", "dave@example.com"));

        awaitTrue("the mail marked sent", () -> state("export-job:9:dave") == State.SENT);
        List<Path> files = list(outbox);
        assertEquals(List.of(outbox.resolve("20261005-083015-1.eml")), files, "one .eml and no temporary file");
        MimeMessage written;
        try (InputStream in = Files.newInputStream(files.get(0))) {
            written = new MimeMessage(Session.getInstance(new Properties()), in);
            assertEquals(SUBJECT, written.getSubject());
            assertEquals("dave@example.com", ((InternetAddress) written.getAllRecipients()[0]).getAddress());
            assertAlternativeParts(written);
        }
    }

    @Test
    void theDefaultOutboxFolderIsAbsolute() {
        OutboxMailer mailer = activate();
        assertTrue(mailer.outboxFolder().isAbsolute());
        assertTrue(mailer.outboxFolder().endsWith(Path.of("data", "mail", "outbox")));
    }

    @Test
    void deactivateStopsTheSenderAndTheNextActivationSendsWhatWasLeft() throws Exception {
        int port = freePort();
        OutboxMailer first = start(smtp(port));
        assertTrue(first.senderThread().isAlive());
        first.queue(mail("export-job:3:erin", "erin@example.com"));
        awaitTrue(
                "a failed attempt",
                () -> store.status("export-job:3:erin").orElseThrow().attempts() > 0);

        first.stop();
        assertFalse(first.senderThread().isAlive());

        // A configuration change: DS makes a new instance on the same store.
        startGreenMail(port);
        start(smtp(port));
        clock.advance(Duration.ofMinutes(1));
        assertEquals("erin@example.com", ((InternetAddress) awaitOneMail().getAllRecipients()[0]).getAddress());
    }

    @Test
    void aFailingStoreDoesNotStopTheSender() throws Exception {
        int port = startGreenMail(freePort());
        store.failingDueCalls.set(2);
        OutboxMailer mailer = start(smtp(port));

        mailer.queue(mail("export-job:5:frank", "frank@example.com"));

        awaitOneMail();
        awaitTrue("the mail marked sent", () -> state("export-job:5:frank") == State.SENT);
        assertTrue(mailer.senderThread().isAlive());
    }

    @Test
    void sentMailsOlderThanKeepSentDaysAreDeleted() throws Exception {
        store.enqueue(mail("old", "old@example.com"), T0.minus(Duration.ofDays(40)));
        store.markSent(1, T0.minus(Duration.ofDays(40)));
        store.enqueue(mail("recent", "recent@example.com"), T0.minus(Duration.ofDays(30)));
        store.markSent(2, T0.minus(Duration.ofDays(30)));

        start(smtp(freePort()));

        awaitTrue("a purge", () -> store.lastPurgeCutoff != null);
        assertEquals(T0.minus(Duration.ofDays(35)), store.lastPurgeCutoff);
        assertTrue(store.status("old").isEmpty());
        assertTrue(store.status("recent").isPresent());
    }

    @Test
    void aRecipientTheServerRefusesForGoodIsMarkedFailedAndNotTriedAgain() throws Exception {
        try (RefusingSmtpServer server = new RefusingSmtpServer("550 5.1.1 <nobody@example.com>: no such user")) {
            OutboxMailer mailer = start(smtp(server.port()));
            mailer.queue(mail("export-job:8:nobody", "nobody@example.com"));

            awaitTrue("the refusal recorded", () -> state("export-job:8:nobody") == State.FAILED);
            MailStatus failed = store.status("export-job:8:nobody").orElseThrow();
            assertEquals(1, failed.attempts());
            assertNull(failed.nextAttempt());
            assertTrue(failed.lastError().contains("no such user"), failed.lastError());
            int tries = server.recipientsOffered();
            clock.advance(Duration.ofHours(2));
            Thread.sleep(1500); // the sender looks at the outbox every second: it had its chance to try again
            assertEquals(tries, server.recipientsOffered(), "not offered again");
            assertEquals(0, store.pendingCount());
        }
    }

    @Test
    void aRecipientRefusedForNowIsRetried() throws Exception {
        try (RefusingSmtpServer server = new RefusingSmtpServer("450 4.2.1 mailbox busy, try later")) {
            OutboxMailer mailer = start(smtp(server.port()));
            mailer.queue(mail("export-job:9:busy", "busy@example.com"));

            awaitTrue(
                    "a failed attempt",
                    () -> store.status("export-job:9:busy").orElseThrow().attempts() > 0);
            assertEquals(State.PENDING, state("export-job:9:busy"));
            assertEquals(
                    T0.plusSeconds(30),
                    store.status("export-job:9:busy").orElseThrow().nextAttempt());
        }
    }

    @Test
    void onlyA5xxAnswerToTheRecipientCountsAsForGood() {
        assertTrue(OutboxMailer.refusedForGood(new javax.mail.SendFailedException(
                "Invalid Addresses",
                new com.sun.mail.smtp.SMTPAddressFailedException(null, "RCPT TO", 550, "no such user"))));
        assertFalse(OutboxMailer.refusedForGood(new javax.mail.SendFailedException(
                "Invalid Addresses",
                new com.sun.mail.smtp.SMTPAddressFailedException(null, "RCPT TO", 452, "too many recipients"))));
        assertFalse(
                OutboxMailer.refusedForGood(new com.sun.mail.smtp.SMTPSendFailedException(
                        "MAIL FROM", 553, "sender refused", null, null, null, null)),
                "a refused sender is configuration: retried");
        assertFalse(OutboxMailer.refusedForGood(new javax.mail.MessagingException(
                "Could not connect", new java.net.ConnectException("Connection refused"))));
    }

    private static void assertAlternativeParts(MimeMessage message) throws Exception {
        assertTrue(message.isMimeType("multipart/alternative"), message.getContentType());
        MimeMultipart body = (MimeMultipart) message.getContent();
        assertEquals(2, body.getCount());
        assertPart(body.getBodyPart(0), "text/plain", TEXT);
        assertPart(body.getBodyPart(1), "text/html", HTML);
    }

    private static void assertPart(BodyPart part, String type, String content) throws Exception {
        assertTrue(part.isMimeType(type), part.getContentType());
        assertEquals(
                "UTF-8",
                new ContentType(part.getContentType()).getParameter("charset").toUpperCase());
        // MIME text travels with CRLF line breaks (RFC 2046); a reader sees the same lines.
        assertEquals(content, ((String) part.getContent()).replace("\r\n", "\n"));
    }

    private MimeMessage awaitOneMail() {
        awaitTrue("a mail at the SMTP server", () -> greenMail.getReceivedMessages().length > 0);
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(1, received.length);
        return received[0];
    }

    private State state(String key) {
        return store.status(key).map(MailStatus::state).orElse(null);
    }

    /** The mailer of {@code configuration}, its outbox in the test's folder unless the configuration names one. */
    private OutboxMailer start(Object... configuration) {
        List<Object> properties = new ArrayList<>(
                List.of("outboxFolder", temp.resolve("unused-outbox").toString()));
        properties.addAll(List.of(configuration));
        return activate(properties.toArray());
    }

    /**
     * The mailer as DS activates it (constructor, then {@code start}): the store, the background work (no lease
     * store) and the clock as services, the configuration of {@code properties}, the metatype defaults for the
     * rest.
     */
    private OutboxMailer activate(Object... properties) {
        BundleContext context = MockOsgi.newBundleContext();
        context.registerService(MailStore.class, store, null);
        context.registerService(BackgroundWork.class, new Work(null), null);
        context.registerService(Clock.class, clock, null);
        OutboxMailer mailer = MockOsgi.registerInjectActivateService(OutboxMailer.class, context, properties);
        started.add(mailer);
        return mailer;
    }

    private int startGreenMail(int port) {
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        return port;
    }

    static MailMessage mail(String key, String to) {
        return new MailMessage(key, to, SUBJECT, TEXT, HTML);
    }

    /** The configuration of an SMTP server on this machine; the rest is the metatype defaults. */
    static Object[] smtp(int port) {
        return new Object[] {"smtpHost", "127.0.0.1", "smtpPort", port};
    }

    static Object[] smtpWithPassword(int port, String password) {
        return smtpWithPassword(port, password, Settings.Tls.AUTO);
    }

    static Object[] smtpWithPassword(int port, String password, Settings.Tls tls) {
        return new Object[] {
            "smtpHost", "127.0.0.1", "smtpPort", port, "tls", tls.wireName(), "user", "sender", ".password", password
        };
    }

    static Settings outboxSettings() {
        return new Settings(" ", 25, Settings.Tls.AUTO, "", "", "auditlog@localhost", "Auditlog", 30, 3600, 10, 30, 35);
    }

    /** A port nothing listens on (a moment ago). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    /** Polls every 50 ms, for 10 s at most. */
    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after 10 s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("Interrupted waiting for " + what);
            }
        }
    }
}
