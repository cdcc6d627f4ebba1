package org.auditlog.mail.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;

/**
 * The mailer's configuration, checked: built from {@link OutboxMailer.Config} at activation, or directly by
 * tests. An invalid value throws {@link IllegalArgumentException} naming the property and the rule, so that a
 * bad {@code .cfg} fails the component's activation with a message an operator can act on.
 */
record Settings(
        String smtpHost,
        int smtpPort,
        Tls tls,
        String user,
        String password,
        String from,
        String fromName,
        int retryInitialSeconds,
        int retryMaxSeconds,
        int connectTimeoutSeconds,
        int timeoutSeconds,
        int keepSentDays) {

    /** How the SMTP connection is secured. */
    enum Tls {
        /** STARTTLS when the server offers it, plain otherwise; STARTTLS required when a user is set. */
        AUTO,
        /** STARTTLS, and fail when the server does not offer it. */
        STARTTLS,
        /** Implicit TLS from the first byte (SMTPS, usually port 465). */
        SSL,
        /** Never TLS. */
        NONE;

        static Tls parse(String value) {
            String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            for (Tls t : values()) {
                if (t.wireName().equals(v)) {
                    return t;
                }
            }
            throw invalid("tls", "must be one of auto, starttls, ssl, none", value);
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Settings {
        smtpHost = smtpHost == null ? "" : smtpHost.trim();
        user = user == null ? "" : user.trim();
        password = password == null ? "" : password;
        fromName = fromName == null ? "" : fromName;
        if (tls == null) {
            throw invalid("tls", "must be one of auto, starttls, ssl, none", null);
        }
        if (smtpPort < 1 || smtpPort > 65535) {
            throw invalid("smtpPort", "must be between 1 and 65535", smtpPort);
        }
        try {
            new InternetAddress(from == null ? "" : from, true).validate();
        } catch (AddressException e) {
            throw invalid("from", "must be a valid mail address (" + e.getMessage() + ")", from);
        }
        if (retryInitialSeconds < 1) {
            throw invalid("retryInitialSeconds", "must be at least 1", retryInitialSeconds);
        }
        if (retryMaxSeconds < retryInitialSeconds) {
            throw invalid(
                    "retryMaxSeconds",
                    "must be at least retryInitialSeconds (" + retryInitialSeconds + ")",
                    retryMaxSeconds);
        }
        if (connectTimeoutSeconds < 1) {
            throw invalid("connectTimeoutSeconds", "must be at least 1", connectTimeoutSeconds);
        }
        if (timeoutSeconds < 1) {
            throw invalid("timeoutSeconds", "must be at least 1", timeoutSeconds);
        }
        if (keepSentDays < 1) {
            throw invalid("keepSentDays", "must be at least 1", keepSentDays);
        }
    }

    static Settings from(OutboxMailer.Config c) {
        return new Settings(
                c.smtpHost(),
                c.smtpPort(),
                Tls.parse(c.tls()),
                c.user(),
                c._password(),
                c.from(),
                c.fromName(),
                c.retryInitialSeconds(),
                c.retryMaxSeconds(),
                c.connectTimeoutSeconds(),
                c.timeoutSeconds(),
                c.keepSentDays());
    }

    /** Whether mail goes to an SMTP server; otherwise it is written to the outbox folder. */
    boolean usesSmtp() {
        return !smtpHost.isEmpty();
    }

    boolean authenticates() {
        return !user.isEmpty();
    }

    Duration retryInitial() {
        return Duration.ofSeconds(retryInitialSeconds);
    }

    Duration retryMax() {
        return Duration.ofSeconds(retryMaxSeconds);
    }

    Duration keepSent() {
        return Duration.ofDays(keepSentDays);
    }

    /** The javax.mail session properties for the SMTP transport. */
    Properties smtpProperties() {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", smtpHost);
        p.setProperty("mail.smtp.port", Integer.toString(smtpPort));
        p.setProperty("mail.smtp.connectiontimeout", Long.toString(connectTimeoutSeconds * 1000L));
        p.setProperty("mail.smtp.timeout", Long.toString(timeoutSeconds * 1000L));
        p.setProperty("mail.smtp.writetimeout", Long.toString(timeoutSeconds * 1000L));
        p.setProperty("mail.smtp.auth", Boolean.toString(authenticates()));
        p.setProperty("mail.smtp.starttls.enable", Boolean.toString(tls == Tls.AUTO || tls == Tls.STARTTLS));
        // with a user and password, auto requires STARTTLS: a relay that does not offer it (or a man in the
        // middle that strips the offer) would otherwise receive the password in clear text
        p.setProperty(
                "mail.smtp.starttls.required",
                Boolean.toString(tls == Tls.STARTTLS || tls == Tls.AUTO && authenticates()));
        p.setProperty("mail.smtp.ssl.enable", Boolean.toString(tls == Tls.SSL));
        // javax.mail 1.6 does not check the server's host name against its certificate unless asked:
        // without this, TLS would stop eavesdroppers but not a man in the middle.
        p.setProperty("mail.smtp.ssl.checkserveridentity", Boolean.toString(tls != Tls.NONE));
        return p;
    }

    /** Never prints the password: settings end up in log lines and exception messages. */
    @Override
    public String toString() {
        return "Settings[smtpHost=" + smtpHost + ", smtpPort=" + smtpPort + ", tls=" + tls.wireName() + ", user="
                + user + ", password=" + (password.isEmpty() ? "" : "****") + ", from=" + from + ", fromName="
                + fromName + ", retryInitialSeconds=" + retryInitialSeconds + ", retryMaxSeconds="
                + retryMaxSeconds + ", connectTimeoutSeconds=" + connectTimeoutSeconds + ", timeoutSeconds="
                + timeoutSeconds + ", keepSentDays=" + keepSentDays + "]";
    }

    private static IllegalArgumentException invalid(String property, String rule, Object value) {
        return new IllegalArgumentException(
                "Invalid configuration " + OutboxMailer.PID + " " + property + ": " + rule + ", was '" + value + "'");
    }
}
