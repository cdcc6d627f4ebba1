package org.auditlog.stream.splunk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** What a client may give as a Splunk HEC destination, and the rule each refusal names. */
class HecSettingsTest {
    static final String TOKEN = Batches.token();
    static final String URL = "https://hec.test:8088";

    final SplunkHecDestination destination = new SplunkHecDestination();

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

    /** The url and the token, and the members given. */
    static Map<String, Object> with(Object... members) {
        Map<String, Object> m = given("url", URL, "token", TOKEN);
        m.putAll(given(members));
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
        assertFalse(e.getMessage().contains(TOKEN), "the token is never in a message");
    }

    void assertRefused(String field, String rule, Map<String, Object> given) {
        assertRefused(field, rule, given, null, Guard.allowingLoopback());
    }

    @Test
    void theDefaultsAreStoredSoThatTheApiShowsWhatIsSent() throws Exception {
        DestinationSettings s = check(with());
        assertEquals("splunk-hec", s.type());
        assertEquals(
                Map.of("url", URL, "sourcetype", "auditlog:v1", "source", "auditlog", "ack", "true"), s.settings());
        assertEquals(Map.of("token", TOKEN), s.secrets());
        assertFalse(s.toString().contains(TOKEN));
        assertEquals("splunk-hec", destination.type());
    }

    @Test
    void everySettingIsKeptAsGiven() throws Exception {
        String ca = new TestCa("Settings CA").pem();
        DestinationSettings s = check(with(
                "index", "audit_log-2",
                "sourcetype", "acme:audit",
                "source", "auditlog-eu",
                "host", "auditlog.example.com",
                "ca", ca,
                "ack", false));
        assertEquals(
                Map.of(
                        "url", URL,
                        "index", "audit_log-2",
                        "sourcetype", "acme:audit",
                        "source", "auditlog-eu",
                        "host", "auditlog.example.com",
                        "ca", ca,
                        "ack", "false"),
                s.settings());
        HecSettings.Target t = HecSettings.target(s);
        assertFalse(t.ack());
        assertEquals(
                "https://hec.test:8088/services/collector/event", t.events().toString());
        assertEquals(
                "https://hec.test:8088/services/collector/ack?channel=c",
                t.acks("c").toString());
        assertFalse(t.toString().contains(TOKEN));
    }

    @Test
    void theUrlIsTheCollectorsBaseUrlAndMayHaveAPathPrefix() throws Exception {
        HecSettings.Target slash = HecSettings.target(check(with("url", "https://hec.test/")));
        assertEquals("https://hec.test/services/collector/event", slash.events().toString());
        assertEquals(443, slash.port());
        HecSettings.Target prefixed = HecSettings.target(check(with("url", "https://hec.test:8443/splunk/")));
        assertEquals(
                "https://hec.test:8443/splunk/services/collector/event",
                prefixed.events().toString());
        for (String url : List.of(
                "https://hec.test:8088/services/collector/event",
                "https://hec.test:8088/services/collector",
                "https://hec.test/proxy/services/collector/event/1.0")) {
            assertRefused("destination.url", "must be the collector's base URL", with("url", url));
        }
    }

    @Test
    void unknownMembersAreRefusedByName() {
        assertRefused("destination.headers", "unknown member", with("headers", Map.of("X-A", "b")));
        assertRefused("destination.secret", "unknown member", with("secret", "x"));
        assertRefused("destination.acks", "unknown member", with("acks", true));
    }

    @Test
    void theUrlIsRequiredAndMustBeHttps() {
        assertRefused("destination.url", "is required", given("token", TOKEN));
        assertRefused("destination.url", "must be a string", with("url", 8088));
        for (String url :
                List.of("ftp://hec.test/x", "hec.test:8088", "/services", "mailto:ops@hec.test", "https://hec test/")) {
            SettingsRefusedException e =
                    assertThrows(SettingsRefusedException.class, () -> check(with("url", url)), url);
            assertEquals("destination.url", e.field(), url);
        }
        assertRefused("destination.url", "must not hold a user name or password", with("url", "https://u:p@hec.test"));
        assertRefused("destination.url", "must not have a query", with("url", "https://hec.test/?token=x"));
        assertRefused("destination.url", "must not have a fragment", with("url", "https://hec.test/#x"));
        assertRefused(
                "destination.url", "at most 2048 characters", with("url", "https://hec.test/" + "a".repeat(2048)));
    }

    @Test
    void theHostMustResolveToAddressesTheGuardAllows() {
        assertRefused("destination.url", "the host nowhere.test does not resolve", with("url", "https://nowhere.test"));
        assertRefused(
                "destination.url",
                "127.0.0.1 is a loopback address; allow its network in AUDITLOG_STREAMS_ALLOWED_NETWORKS",
                with(),
                null,
                Guard.refusingLoopback());
    }

    @Test
    void plainHttpOnlyWhereTheGuardAllowsPlainProtocols() throws Exception {
        assertRefused(
                "destination.url",
                "must be https: plain http to hec.test (127.0.0.1) is not allowed",
                with("url", "http://hec.test:8088"));
        DestinationSettings s =
                destination.check(with("url", "http://hec.test:8088"), null, Guard.allowingPlainLoopback());
        assertEquals("http://hec.test:8088", s.setting("url", null));
        assertTrue(HecSettings.target(s).plain());
    }

    @Test
    void theTokenIsRequiredAtCreationAndIsOneHeaderValue() {
        assertRefused("destination.token", "is required", given("url", URL));
        assertRefused("destination.token", "is required", given("url", URL, "token", null));
        assertRefused("destination.token", "must be a string", with("token", 42));
        String rule =
                "must be the HEC token alone (without \"Splunk \"): 1 to 256 printable ASCII characters, no space";
        for (String token : List.of("", "Splunk " + TOKEN, TOKEN + "\n", "t\u00e9", "x".repeat(257))) {
            assertRefused("destination.token", rule, with("token", token));
        }
    }

    @Test
    void aChangeKeepsTheStoredTokenWhenItLeavesItOutAndReplacesItWhenItGivesOne() throws Exception {
        DestinationSettings stored = check(with());
        DestinationSettings kept =
                destination.check(given("url", "https://other.test"), stored, Guard.allowingLoopback());
        assertEquals(Map.of("token", TOKEN), kept.secrets());
        assertEquals("https://other.test", kept.setting("url", null));

        String next = Batches.token();
        DestinationSettings replaced = destination.check(with("token", next), stored, Guard.allowingLoopback());
        assertEquals(Map.of("token", next), replaced.secrets());

        // a stream that was of another type has no token to keep
        DestinationSettings webhook = new DestinationSettings("webhook", Map.of("url", URL), Map.of("token", TOKEN));
        assertRefused("destination.token", "is required", given("url", URL), webhook, Guard.allowingLoopback());
        // a wrong token at a change is refused, not ignored
        assertRefused(
                "destination.token",
                "must be the HEC token alone",
                with("token", "a b"),
                stored,
                Guard.allowingLoopback());
    }

    @Test
    void theMetadataAreCheckedStrings() {
        assertRefused("destination.index", "must be an index name", with("index", "Audit"));
        assertRefused("destination.index", "must be an index name", with("index", "_internal"));
        assertRefused("destination.index", "must be an index name", with("index", "a b"));
        assertRefused("destination.index", "must be an index name", with("index", "a".repeat(256)));
        assertRefused("destination.index", "must be a string", with("index", List.of("a")));
        assertRefused("destination.sourcetype", "must not be blank", with("sourcetype", " "));
        assertRefused("destination.source", "must not hold control characters", with("source", "a\nb"));
        assertRefused("destination.host", "at most 1024 characters", with("host", "h".repeat(1025)));
        assertRefused("destination.host", "must be a string", with("host", 7));
    }

    @Test
    void ackIsABoolean() throws Exception {
        assertRefused("destination.ack", "must be true or false", with("ack", "false"));
        assertRefused("destination.ack", "must be true or false", with("ack", 0));
        assertEquals("true", check(with("ack", true)).setting("ack", null));
        assertTrue(HecSettings.target(check(with("ack", true))).ack());
    }

    @Test
    void theCaMustBePemCertificatesAndNothingElse() throws Exception {
        assertRefused("destination.ca", "must be the PEM text of a CA certificate", with("ca", "not a certificate"));
        String pem = new TestCa("CA").pem();
        assertRefused(
                "destination.ca",
                "must hold certificates only, not a private key",
                with("ca", pem + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
        assertRefused("destination.ca", "must be a string", with("ca", List.of(pem)));
    }
}
