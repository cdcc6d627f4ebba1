package org.auditlog.stream.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.SettingsRefusedException;
import org.auditlog.stream.http.internal.Batches;
import org.auditlog.stream.http.internal.Guard;
import org.auditlog.stream.http.internal.TestCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a client may give as a webhook destination, and the rule each refusal names. */
class WebhookSettingsTest {
    static final String SECRET = Batches.secret(32);

    final WebhookDestination destination = new WebhookDestination();

    @AfterEach
    void close() {
        destination.deactivate();
    }

    static Map<String, Object> given(Object... members) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < members.length; i += 2) {
            m.put((String) members[i], members[i + 1]);
        }
        return m;
    }

    DestinationSettings check(Map<String, Object> given) throws SettingsRefusedException {
        return destination.check(given, null, Guard.allowingLoopback());
    }

    void assertRefused(
            String field, String rule, Map<String, Object> given, DestinationSettings stored, NetworkGuard guard) {
        SettingsRefusedException e =
                assertThrows(SettingsRefusedException.class, () -> destination.check(given, stored, guard));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.rule().contains(rule), e.rule());
        assertFalse(e.getMessage().contains(SECRET.substring(6)), "the secret is never in a message");
    }

    void assertRefused(String field, String rule, Map<String, Object> given) {
        assertRefused(field, rule, given, null, Guard.allowingLoopback());
    }

    @Test
    void theUrlAndCaAreSettingsAndTheSecretIsASecret() throws Exception {
        String ca = new TestCa("Settings CA").pem();
        DestinationSettings s = check(given("url", "https://receiver.test/hooks/audit", "secret", SECRET, "ca", ca));
        assertEquals("webhook", s.type());
        assertEquals(Map.of("url", "https://receiver.test/hooks/audit", "ca", ca), s.settings());
        assertEquals(Map.of("secret", SECRET), s.secrets());
        assertFalse(s.toString().contains(SECRET));
        assertEquals("webhook", destination.type());
    }

    @Test
    void unknownMembersAreRefusedByName() {
        assertRefused(
                "destination.headers",
                "unknown member",
                given("url", "https://receiver.test/", "secret", SECRET, "headers", Map.of("X-A", "b")));
        assertRefused(
                "destination.timeoutSeconds",
                "unknown member",
                given("url", "https://receiver.test/", "secret", SECRET, "timeoutSeconds", 5));
    }

    @Test
    void theUrlIsRequiredAndMustBeHttps() {
        assertRefused("destination.url", "is required", given("secret", SECRET));
        assertRefused("destination.url", "is required", given("url", null, "secret", SECRET));
        assertRefused("destination.url", "must be a string", given("url", 42, "secret", SECRET));
        for (String url : List.of(
                "ftp://receiver.test/x",
                "receiver.test/x",
                "/hooks",
                "mailto:ops@receiver.test",
                "https://receiver test/",
                "https:///nohost")) {
            SettingsRefusedException e =
                    assertThrows(SettingsRefusedException.class, () -> check(given("url", url, "secret", SECRET)), url);
            assertEquals("destination.url", e.field(), url);
        }
        assertRefused(
                "destination.url", "must name a host", given("url", "https://under_score.test/", "secret", SECRET));
        assertRefused(
                "destination.url",
                "must not hold a user name or password",
                given("url", "https://user:pw@receiver.test/", "secret", SECRET));
        assertRefused(
                "destination.url",
                "must not have a fragment",
                given("url", "https://receiver.test/#x", "secret", SECRET));
        assertRefused(
                "destination.url",
                "at most 2048 characters",
                given("url", "https://receiver.test/" + "a".repeat(2048), "secret", SECRET));
    }

    @Test
    void theHostMustResolveToAddressesTheGuardAllows() {
        assertRefused(
                "destination.url",
                "the host nowhere.test does not resolve",
                given("url", "https://nowhere.test/", "secret", SECRET));
        assertRefused(
                "destination.url",
                "127.0.0.1 is a loopback address; allow its network in AUDITLOG_STREAMS_ALLOWED_NETWORKS",
                given("url", "https://receiver.test/", "secret", SECRET),
                null,
                Guard.refusingLoopback());
    }

    @Test
    void plainHttpOnlyWhereTheGuardAllowsPlainProtocols() throws Exception {
        assertRefused(
                "destination.url",
                "must be https: plain http to receiver.test (127.0.0.1) is not allowed",
                given("url", "http://receiver.test:8080/", "secret", SECRET));
        DestinationSettings s = destination.check(
                given("url", "http://receiver.test:8080/", "secret", SECRET), null, Guard.allowingPlainLoopback());
        assertEquals("http://receiver.test:8080/", s.setting("url", null));
    }

    @Test
    void theSecretIsRequiredAtCreationInTheStandardForm() {
        assertRefused("destination.secret", "is required", given("url", "https://receiver.test/"));
        assertRefused("destination.secret", "must be a string", given("url", "https://receiver.test/", "secret", 7));
        String rule = "must be whsec_ followed by the base64 (with its padding) of 24 to 64 random bytes";
        String key32 = Base64.getEncoder().encodeToString(new byte[32]);
        for (String secret : List.of(
                key32, // no prefix
                "whsec_",
                "whsec_" + Base64.getEncoder().encodeToString(new byte[23]), // too short
                "whsec_" + Base64.getEncoder().encodeToString(new byte[65]), // too long
                "whsec_"
                        + Base64.getUrlEncoder()
                                .encodeToString(new byte[] {-5, -1, -2, 1, 2, 3})
                                .repeat(5), // - _
                "whsec_" + Base64.getEncoder().withoutPadding().encodeToString(new byte[25]), // no padding
                "whsec_ " + key32,
                "WHSEC_" + key32)) {
            assertRefused("destination.secret", rule, given("url", "https://receiver.test/", "secret", secret));
        }
        for (int bytes : new int[] {24, 64}) {
            String ok = Batches.secret(bytes);
            assertEquals(
                    Map.of("secret", ok), assertDoesNotRefuse(given("url", "https://receiver.test/", "secret", ok)));
        }
    }

    private Map<String, String> assertDoesNotRefuse(Map<String, Object> given) {
        try {
            return check(given).secrets();
        } catch (SettingsRefusedException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void aChangeKeepsTheStoredSecretWhenItLeavesItOutAndReplacesItWhenItGivesOne() throws Exception {
        DestinationSettings stored = check(given("url", "https://receiver.test/a", "secret", SECRET));
        DestinationSettings kept =
                destination.check(given("url", "https://other.test/b"), stored, Guard.allowingLoopback());
        assertEquals(Map.of("secret", SECRET), kept.secrets());
        assertEquals(Map.of("url", "https://other.test/b"), kept.settings());

        String next = Batches.secret(32);
        DestinationSettings replaced = destination.check(
                given("url", "https://receiver.test/a", "secret", next), stored, Guard.allowingLoopback());
        assertEquals(Map.of("secret", next), replaced.secrets());

        // a stream that was of another type has no webhook secret to keep
        DestinationSettings syslog = new DestinationSettings("syslog", Map.of("host", "x"), Map.of("secret", SECRET));
        assertRefused(
                "destination.secret",
                "is required",
                given("url", "https://receiver.test/a"),
                syslog,
                Guard.allowingLoopback());
        // a wrong secret at a change is refused, not ignored
        assertRefused(
                "destination.secret",
                "must be whsec_",
                given("url", "https://receiver.test/a", "secret", "whsec_short"),
                stored,
                Guard.allowingLoopback());
    }

    @Test
    void theCaMustBePemCertificatesAndNothingElse() throws Exception {
        assertRefused(
                "destination.ca",
                "must be the PEM text of a CA certificate",
                given("url", "https://receiver.test/", "secret", SECRET, "ca", "not a certificate"));
        assertRefused(
                "destination.ca",
                "must be the PEM text of a CA certificate: it cannot be read",
                given(
                        "url",
                        "https://receiver.test/",
                        "secret",
                        SECRET,
                        "ca",
                        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
        String pem = new TestCa("CA").pem();
        assertRefused(
                "destination.ca",
                "must hold certificates only, not a private key",
                given(
                        "url",
                        "https://receiver.test/",
                        "secret",
                        SECRET,
                        "ca",
                        pem + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
        assertRefused(
                "destination.ca",
                "must be a string",
                given("url", "https://receiver.test/", "secret", SECRET, "ca", List.of(pem)));
    }
}
