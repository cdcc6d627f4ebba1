package org.auditlog.mail.internal;

import com.sun.mail.smtp.SMTPAddressFailedException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.MailStatus;
import org.auditlog.api.mail.Mailer;
import org.auditlog.api.store.MailStore;
import org.auditlog.api.store.QueuedMail;
import org.auditlog.api.store.StoreException;
import org.auditlog.api.work.BackgroundWork;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Mailer}: {@link #queue} stores a mail in the {@link MailStore}, and one sender thread
 * ({@code auditlog-mail}, from {@link BackgroundWork}) sends what is due over SMTP, or writes it as a {@code .eml} file into the outbox folder
 * when no SMTP host is configured. A failed attempt is retried with exponential backoff. Configured by PID
 * {@value #PID}.
 *
 * <p>There is no {@code @Modified}: a configuration change reactivates the component, which loses nothing
 * because every mail, sent or not, is in the store. Immediate, because mails left pending by the previous run
 * must go out after a restart even when nobody asks for the {@link Mailer} service.
 */
@Component(
        service = Mailer.class,
        immediate = true,
        configurationPid = OutboxMailer.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = OutboxMailer.Config.class)
public class OutboxMailer implements Mailer {
    static final String PID = "org.auditlog.mail";
    /** Framework property naming the data folder (set by the launcher's {@code --data}). */
    static final String DATA_PROPERTY = "auditlog.data";
    /** The sender thread's job name: the thread is {@code auditlog-mail}. */
    static final String THREAD_JOB = "mail";
    /** How many due mails one store query returns. */
    static final int BATCH = 50;
    /** The longest the sender waits before looking at the store again (see {@link #awaitWakeUp}). */
    static final Duration POLL = Duration.ofSeconds(1);
    /** How often sent mails older than {@code keepSentDays} are deleted. */
    static final Duration PURGE_EVERY = Duration.ofHours(1);
    /** The longest {@code lastError} kept in the store: server answers can be long, the message is enough. */
    static final int MAX_ERROR_LENGTH = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(OutboxMailer.class);
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @ObjectClassDefinition(
            name = "Auditlog mail",
            description =
                    "How mail leaves the server: an SMTP server, or .eml files in an outbox folder. "
                            + "Mail waiting to be sent is kept in the database, also while a change of this configuration applies.")
    public @interface Config {
        @AttributeDefinition(
                name = "SMTP host",
                description = "SMTP server host. Empty: mails are written as .eml files to outboxFolder.")
        String smtpHost() default "";

        @AttributeDefinition(name = "SMTP port", description = "SMTP server port.", min = "1", max = "65535")
        int smtpPort() default 25;

        @AttributeDefinition(
                name = "TLS",
                description = "Transport security.",
                options = {
                    @Option(
                            value = "auto",
                            label = "STARTTLS when the server offers it, and required when a user "
                                    + "is set, so a password never crosses in clear text"),
                    @Option(value = "starttls", label = "STARTTLS required"),
                    @Option(value = "ssl", label = "Implicit TLS (SMTPS)"),
                    @Option(
                            value = "none",
                            label = "No TLS: a password goes in clear text; for a relay on the same " + "host")
                })
        String tls() default "auto";

        @AttributeDefinition(name = "User", description = "SMTP AUTH user. Empty: no authentication.")
        String user() default "";

        /**
         * The property is {@code .password}: DS keeps component properties that begin with a dot off the
         * service's properties, so the password is not shown to other bundles.
         */
        @AttributeDefinition(
                name = "Password",
                description = "SMTP AUTH password (only with user). The leading dot keeps it off the "
                        + "service's properties, where other bundles could read it.",
                type = AttributeType.PASSWORD)
        String _password() default "";

        @AttributeDefinition(name = "From address", description = "Sender address.")
        String from() default "auditlog@localhost";

        @AttributeDefinition(name = "From name", description = "Sender display name.")
        String fromName() default "Auditlog";

        @AttributeDefinition(
                name = "Outbox folder",
                description = "Folder for .eml files when no SMTP host is set. Empty: <data>/mail/outbox.")
        String outboxFolder() default "";

        @AttributeDefinition(
                name = "Retry initial (seconds)",
                description = "Wait after the first failed attempt, in seconds; doubles per failure.",
                min = "1")
        int retryInitialSeconds() default 30;

        @AttributeDefinition(
                name = "Retry max (seconds)",
                description = "Longest wait between attempts, in seconds.",
                min = "1")
        int retryMaxSeconds() default 3600;

        @AttributeDefinition(
                name = "SMTP connect timeout (seconds)",
                description = "SMTP connect timeout, in seconds.",
                min = "1")
        int connectTimeoutSeconds() default 10;

        @AttributeDefinition(
                name = "SMTP timeout (seconds)",
                description = "SMTP read and write timeout, in seconds.",
                min = "1")
        int timeoutSeconds() default 30;

        @AttributeDefinition(
                name = "Keep sent (days)",
                description = "Sent mails older than this many days are deleted from the store.",
                min = "1")
        int keepSentDays() default 35;
    }

    /** Time source; dynamic so that a clock registered later (a test's movable clock) takes over. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    private final MailStore store;
    private final Settings settings;
    private final Path outboxFolder;
    private final Session session;
    private final MimeComposer composer;
    private final Thread sender;

    private final Object wakeUp = new Object();
    /** Guarded by {@link #wakeUp}: set by {@link #queue} so a wake-up during a send round is not lost. */
    private boolean woken;

    private volatile boolean stopping;
    /** Sender thread only. */
    private Instant nextPurge = Instant.MIN;

    /** DS sets the {@link #clock} field after construction, before {@link #start}. */
    @Activate
    public OutboxMailer(
            @Reference MailStore store, @Reference BackgroundWork work, BundleContext context, Config config) {
        this.store = store;
        this.settings = Settings.from(config);
        this.outboxFolder = outboxFolder(config, context).toAbsolutePath().normalize();
        // One session per activation; without a host it only composes messages for the outbox folder.
        this.session = withMailClassLoader(
                () -> Session.getInstance(settings.usesSmtp() ? settings.smtpProperties() : new Properties()));
        this.composer = new MimeComposer(session, settings);
        this.sender = work.threads(THREAD_JOB).newThread(this::run);
    }

    /** Starts the sender; DS calls it once the fields, the clock among them, are set. */
    @Activate
    void start() {
        if (settings.usesSmtp()) {
            LOG.info(
                    "Sending mail through {}:{} (tls {}{})",
                    settings.smtpHost(),
                    settings.smtpPort(),
                    settings.tls().wireName(),
                    settings.authenticates() ? ", user " + settings.user() : "");
        } else {
            LOG.info("No SMTP host configured: mail is written to {}", outboxFolder);
        }
        sender.start();
    }

    /**
     * Stops the sender. It is woken first and given a moment to finish the mail at hand, so that it is not
     * interrupted inside a store call (an interrupt closes NIO channels a database may be using); only a sender
     * stuck in a slow SMTP exchange is interrupted. A mail abandoned that way stays pending and is sent by the
     * next activation.
     */
    @Deactivate
    void stop() {
        stopping = true;
        wake();
        try {
            sender.join(2000);
            if (sender.isAlive()) {
                sender.interrupt();
                sender.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            LOG.warn("The mail sender thread did not stop within 7 seconds; it stops after its current attempt");
        }
    }

    @Override
    public boolean queue(MailMessage message) {
        try {
            new InternetAddress(message.to(), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException(
                    "Not a valid recipient address: '" + message.to() + "' (" + e.getMessage() + ")", e);
        }
        boolean stored = store.enqueue(message, clock.instant());
        if (stored) {
            wake();
        }
        return stored;
    }

    @Override
    public Optional<MailStatus> status(String key) {
        return store.status(key);
    }

    /** The sender thread, for tests. */
    Thread senderThread() {
        return sender;
    }

    Path outboxFolder() {
        return outboxFolder;
    }

    /**
     * The wait after {@code failedAttempts} failures before the next attempt: {@code initial * 2^failedAttempts},
     * at most {@code max}.
     */
    static Duration backoff(int failedAttempts, Duration initial, Duration max) {
        Duration wait = initial;
        // Stops doubling at the cap, so the loop is short and the value never overflows.
        for (int i = 0; i < failedAttempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    private void run() {
        while (!stopping) {
            boolean more = false;
            try {
                more = sendDue();
                purgeSentIfDue();
            } catch (StoreException e) {
                LOG.warn("The mail store failed; trying again in {} s", POLL.toSeconds(), e);
            } catch (RuntimeException e) {
                // Never let a bug end the thread: queued mail would silently stop going out.
                LOG.error("Unexpected failure in the mail sender; trying again in {} s", POLL.toSeconds(), e);
            }
            if (!more && !awaitWakeUp()) {
                return;
            }
        }
    }

    /** Sends one batch of due mails; returns whether the batch was full (more may be due). */
    private boolean sendDue() {
        List<QueuedMail> due = store.due(clock.instant(), BATCH);
        for (QueuedMail mail : due) {
            if (stopping) {
                return false;
            }
            send(mail);
        }
        return due.size() >= BATCH;
    }

    private void send(QueuedMail mail) {
        try {
            deliver(mail);
        } catch (MessagingException | IOException | RuntimeException e) {
            if (stopping) {
                // Likely cut short by stop()'s interrupt: record nothing (the store must not be called from an
                // interrupted thread); the mail stays pending and the next activation sends it.
                LOG.info(
                        "Mail {} not sent: the mailer is stopping ({})",
                        mail.message().key(),
                        describe(e));
                return;
            }
            int attempts = mail.attempts() + 1;
            String error = describe(e);
            if (refusedForGood(e)) {
                store.markFailed(mail.id(), attempts, clock.instant(), error);
                LOG.error(
                        "Mail {} to {} was refused for good and is not tried again: {}",
                        mail.message().key(),
                        mail.message().to(),
                        error);
                return;
            }
            Instant next = clock.instant().plus(backoff(mail.attempts(), settings.retryInitial(), settings.retryMax()));
            store.retryLater(mail.id(), attempts, next, error);
            LOG.warn(
                    "Mail {} to {} failed (attempt {}): {}; next attempt at {}",
                    mail.message().key(),
                    mail.message().to(),
                    attempts,
                    error,
                    next);
            return;
        }
        store.markSent(mail.id(), clock.instant());
    }

    /**
     * Whether the SMTP server refused the recipient for good (a 5xx answer to RCPT TO, such as "550 no such
     * user"): sending again cannot succeed. Everything else (the server down or busy, a 4xx, a refused login,
     * a refused sender, which configuration can fix) is retried.
     */
    static boolean refusedForGood(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SMTPAddressFailedException refused
                    && refused.getReturnCode() >= 500
                    && refused.getReturnCode() < 600) {
                return true;
            }
        }
        return false;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t) {
            return m.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    /**
     * Builds the message and hands it to the SMTP server or the outbox folder, with javax.mail's class loader as
     * the thread context class loader: inside OSGi, javax.mail finds its mailcap and content handlers through
     * it, and fails with "no object DCH for MIME type multipart/..." otherwise.
     */
    private void deliver(QueuedMail mail) throws MessagingException, IOException {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(Session.class.getClassLoader());
        try {
            MimeMessage message = composer.compose(mail.message(), mail.queued());
            if (settings.usesSmtp()) {
                transmit(message);
            } else {
                writeToOutbox(mail, message);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private void transmit(MimeMessage message) throws MessagingException {
        Transport transport = session.getTransport("smtp");
        try {
            if (settings.authenticates()) {
                transport.connect(settings.user(), settings.password());
            } else {
                transport.connect();
            }
            transport.sendMessage(message, message.getAllRecipients());
        } finally {
            try {
                transport.close();
            } catch (MessagingException e) {
                // The server has the mail once sendMessage returned; a failed QUIT must not cause a resend.
                LOG.debug("Closing the SMTP connection failed", e);
            }
        }
    }

    /**
     * Writes {@code <queued yyyyMMdd-HHmmss UTC>-<id>.eml} through a temporary file renamed into place, so a
     * crash never leaves a partial file under a final name. The temporary name starts with a dot and does not
     * end in {@code .eml}, so whatever picks up {@code *.eml} ignores it.
     */
    private void writeToOutbox(QueuedMail mail, MimeMessage message) throws IOException, MessagingException {
        if (!Files.isDirectory(outboxFolder)) { // owner-only, as the .eml files in it are (temporary files moved)
            Path root = outboxFolder.getRoot();
            if (root != null && Files.getFileAttributeView(root, PosixFileAttributeView.class) != null) {
                Files.createDirectories(
                        outboxFolder,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(outboxFolder);
            }
        }
        Path target = outboxFolder.resolve(FILE_TIME.format(mail.queued()) + "-" + mail.id() + ".eml");
        Path temporary = Files.createTempFile(outboxFolder, ".mail-" + mail.id() + "-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel))) {
                message.writeTo(out);
                out.flush();
                // On disk before it is marked sent: the store's "sent" must not outlive the file after a crash.
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void purgeSentIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextPurge)) {
            return;
        }
        int deleted = store.deleteSentBefore(now.minus(settings.keepSent()));
        nextPurge = now.plus(PURGE_EVERY);
        if (deleted > 0) {
            LOG.info("Deleted {} sent mails older than {} days", deleted, settings.keepSentDays());
        }
    }

    private void wake() {
        synchronized (wakeUp) {
            woken = true;
            wakeUp.notifyAll();
        }
    }

    /**
     * Waits until {@link #queue} wakes the sender, or {@link #POLL} at most. Bounded rather than sleeping until
     * the store's next due time: that time is reckoned by the {@link Clock} service, which tests move forward
     * instead of waiting, so the sender has to look again every second. Returns {@code false} when stopping.
     */
    private boolean awaitWakeUp() {
        synchronized (wakeUp) {
            try {
                if (!woken && !stopping) {
                    wakeUp.wait(POLL.toMillis());
                }
            } catch (InterruptedException e) {
                return false;
            } finally {
                woken = false;
            }
        }
        return !stopping;
    }

    /** One line for the store and the log: the failure and its root cause (e.g. "Connection refused"). */
    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (root != e && (e.getMessage() == null || !e.getMessage().contains(String.valueOf(root.getMessage())))) {
            text += "; caused by " + root.getClass().getSimpleName() + ": " + root.getMessage();
        }
        text = text.replaceAll("\\s+", " ").trim();
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 3) + "...";
    }

    private static Path outboxFolder(Config config, BundleContext context) {
        if (!config.outboxFolder().isBlank()) {
            return Path.of(config.outboxFolder().trim());
        }
        String data = Optional.ofNullable(context.getProperty(DATA_PROPERTY)).orElse("data");
        return Path.of(data, "mail", "outbox");
    }

    /** Runs {@code work} with javax.mail's class loader as the context class loader (see {@link #deliver}). */
    private static <T> T withMailClassLoader(Supplier<T> work) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(Session.class.getClassLoader());
        try {
            return work.get();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
