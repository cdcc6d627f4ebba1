package org.auditlog.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The configuration as DS hands it over: defaults, validation, and what it means for javax.mail. */
class SettingsTest {

    @Test
    void theDefaultsAreValidAndWriteToTheOutbox() {
        Settings s = Settings.from(config(Map.of()));

        assertFalse(s.usesSmtp());
        assertEquals(25, s.smtpPort());
        assertEquals(Settings.Tls.AUTO, s.tls());
        assertFalse(s.authenticates());
        assertEquals("auditlog@localhost", s.from());
        assertEquals("Auditlog", s.fromName());
        assertEquals(30, s.retryInitialSeconds());
        assertEquals(3600, s.retryMaxSeconds());
        assertEquals(35, s.keepSentDays());
    }

    @Test
    void aBlankHostMeansNoHost() {
        assertFalse(Settings.from(config(Map.of("smtpHost", "   "))).usesSmtp());
        assertTrue(
                Settings.from(config(Map.of("smtpHost", " mail.example.com "))).usesSmtp());
        assertEquals(
                "mail.example.com",
                Settings.from(config(Map.of("smtpHost", " mail.example.com "))).smtpHost());
    }

    @Test
    void anInvalidValueNamesThePropertyAndTheRule() {
        assertInvalid(Map.of("smtpPort", 0), "smtpPort", "between 1 and 65535");
        assertInvalid(Map.of("smtpPort", 65536), "smtpPort", "between 1 and 65535");
        assertInvalid(Map.of("tls", "tls1.3"), "tls", "one of auto, starttls, ssl, none");
        assertInvalid(Map.of("from", "not an address"), "from", "valid mail address");
        assertInvalid(Map.of("from", ""), "from", "valid mail address");
        assertInvalid(Map.of("retryInitialSeconds", 0), "retryInitialSeconds", "at least 1");
        assertInvalid(Map.of("retryMaxSeconds", 10), "retryMaxSeconds", "at least retryInitialSeconds");
        assertInvalid(Map.of("keepSentDays", 0), "keepSentDays", "at least 1");
    }

    @Test
    void tlsIsReadWithoutRegardToCaseOrSpaces() {
        assertEquals(
                Settings.Tls.STARTTLS,
                Settings.from(config(Map.of("tls", " StartTLS "))).tls());
    }

    @Test
    void eachTlsModeSetsTheMatchingSessionProperties() {
        Properties auto = smtp("auto").smtpProperties();
        assertEquals("true", auto.getProperty("mail.smtp.starttls.enable"));
        assertEquals("false", auto.getProperty("mail.smtp.starttls.required"));
        assertEquals("false", auto.getProperty("mail.smtp.ssl.enable"));

        Properties starttls = smtp("starttls").smtpProperties();
        assertEquals("true", starttls.getProperty("mail.smtp.starttls.enable"));
        assertEquals("true", starttls.getProperty("mail.smtp.starttls.required"));
        assertEquals("true", starttls.getProperty("mail.smtp.ssl.checkserveridentity"));

        Properties ssl = smtp("ssl").smtpProperties();
        assertEquals("true", ssl.getProperty("mail.smtp.ssl.enable"));
        assertEquals("false", ssl.getProperty("mail.smtp.starttls.enable"));

        Properties none = smtp("none").smtpProperties();
        assertEquals("false", none.getProperty("mail.smtp.starttls.enable"));
        assertEquals("false", none.getProperty("mail.smtp.ssl.enable"));
    }

    @Test
    void timeoutsAndAuthGoToTheSession() {
        Properties p = Settings.from(config(Map.of(
                        "smtpHost",
                        "mail.example.com",
                        "smtpPort",
                        587,
                        "user",
                        "bot",
                        "connectTimeoutSeconds",
                        4,
                        "timeoutSeconds",
                        9)))
                .smtpProperties();

        assertEquals("mail.example.com", p.getProperty("mail.smtp.host"));
        assertEquals("587", p.getProperty("mail.smtp.port"));
        assertEquals("4000", p.getProperty("mail.smtp.connectiontimeout"));
        assertEquals("9000", p.getProperty("mail.smtp.timeout"));
        assertEquals("9000", p.getProperty("mail.smtp.writetimeout"));
        assertEquals("true", p.getProperty("mail.smtp.auth"));
        assertEquals("false", smtp("auto").smtpProperties().getProperty("mail.smtp.auth"));
        assertEquals("true", p.getProperty("mail.smtp.starttls.required"), "auto with a user requires STARTTLS");
    }

    @Test
    void thePasswordNeverAppearsInToString() {
        Settings s = Settings.from(config(Map.of("user", "bot", "password", "s3cret-pw")));
        assertFalse(s.toString().contains("s3cret-pw"), s.toString());
    }

    private static Settings smtp(String tls) {
        return Settings.from(config(Map.of("smtpHost", "mail.example.com", "tls", tls)));
    }

    private static void assertInvalid(Map<String, Object> values, String property, String rule) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.from(config(values)));
        assertTrue(e.getMessage().contains(property), e.getMessage());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
        assertTrue(e.getMessage().contains(OutboxMailer.PID), e.getMessage());
    }

    /** A Config as DS builds it: the given values, the annotation's defaults for the rest. */
    static OutboxMailer.Config config(Map<String, Object> values) {
        return (OutboxMailer.Config) Proxy.newProxyInstance(
                SettingsTest.class.getClassLoader(),
                new Class<?>[] {OutboxMailer.Config.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "Config" + values : null;
                    }
                    Object value = values.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
    }
}
