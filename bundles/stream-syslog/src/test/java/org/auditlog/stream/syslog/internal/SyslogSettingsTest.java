package org.auditlog.stream.syslog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.SettingsRefusedException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A syslog stream's {@code destination} members: the rules each follows and what is stored of them. */
class SyslogSettingsTest {
    private static final InetAddress ADDRESS;

    static {
        try {
            ADDRESS = InetAddress.getByAddress("siem.example", new byte[] {(byte) 203, 0, 113, 7});
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @TempDir
    static Path folder;

    private static TestPki pki;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(folder);
    }

    private static TestGuard guard() {
        return new TestGuard().name("siem.example", ADDRESS);
    }

    private static Map<String, Object> given(Object... members) {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("host", "siem.example");
        for (int i = 0; i < members.length; i += 2) {
            given.put((String) members[i], members[i + 1]);
        }
        return given;
    }

    private static DestinationSettings check(Map<String, Object> given) throws SettingsRefusedException {
        return SyslogSettings.check(given, null, guard());
    }

    private static SettingsRefusedException refused(Map<String, Object> given) {
        return assertThrows(SettingsRefusedException.class, () -> check(given));
    }

    private static void assertRefused(String field, String rule, Map<String, Object> given) {
        SettingsRefusedException e = refused(given);
        assertEquals(field, e.field());
        assertEquals(rule, e.rule());
    }

    @Test
    void aHostAloneGetsTheDefaults() throws Exception {
        DestinationSettings stored = check(given());

        assertEquals("syslog", stored.type());
        assertEquals(
                Map.of(
                        "host", "siem.example",
                        "port", "6514",
                        "tls", "true",
                        "relp", "false",
                        "facility", "local0",
                        "enterpriseId", "32473"),
                stored.settings());
        assertEquals(Map.of(), stored.secrets());
        SyslogSettings s = SyslogSettings.of(stored);
        assertEquals(16, s.facilityCode());
        assertNull(s.hostname(), "the server's host name, when delivering");
        assertNull(s.ca(), "the JVM's trust store");
    }

    @Test
    void relpDefaultsToLibrelpsPort() throws Exception {
        assertEquals("20514", check(given("relp", true)).settings().get("port"));
        assertEquals(
                "2514", check(given("relp", "true", "port", 2514)).settings().get("port"));
    }

    @Test
    void anUnknownMemberIsRefused() {
        assertRefused("destination.url", "unknown member", given("url", "https://siem.example/"));
        assertRefused("destination.clientkey", "unknown member", given("clientkey", "x"));
    }

    @Test
    void theHostIsRequiredAndADnsNameOrAnAddress() throws Exception {
        Map<String, Object> none = given();
        none.remove("host");
        assertRefused("destination.host", "is required", none);
        assertRefused("destination.host", "is required", given("host", " "));
        assertRefused("destination.host", "must be a string", given("host", 12));
        assertRefused("destination.host", "must be a host name or an IP address", given("host", "siem example"));
        assertRefused(
                "destination.host", "must be a host name or an IP address", given("host", "https://siem.example"));
        assertEquals(
                "siem.example", check(given("host", "SIEM.example")).settings().get("host"));
        InetAddress v6 = InetAddress.getByName("2001:db8::7");
        TestGuard guard = new TestGuard().name("2001:db8:0:0:0:0:0:7", v6);
        assertEquals(
                "2001:db8:0:0:0:0:0:7",
                SyslogSettings.check(given("host", "[2001:DB8::7]"), null, guard)
                        .settings()
                        .get("host"));
    }

    @Test
    void theHostMustResolveWhereTheGuardAllows() {
        assertRefused("destination.host", "does not resolve", given("host", "nowhere.example"));
        SettingsRefusedException e = assertThrows(
                SettingsRefusedException.class, () -> SyslogSettings.check(given(), null, guard().refuse(ADDRESS)));
        assertEquals("destination.host", e.field());
        assertTrue(e.rule().contains("203.0.113.7") && e.rule().contains("AUDITLOG_STREAMS_ALLOWED_NETWORKS"));
    }

    @Test
    void thePortIsAnIntegerFrom1To65535() throws Exception {
        for (Object bad : List.of(0, 65536, -1, "abc", 1.5, true, "")) {
            assertRefused("destination.port", "must be an integer from 1 to 65535", given("port", bad));
        }
        assertEquals("1514", check(given("port", 1514)).settings().get("port"));
        assertEquals("1514", check(given("port", "1514")).settings().get("port"));
        assertEquals("1514", check(given("port", 1514.0)).settings().get("port"));
    }

    @Test
    void plainTcpOnlyToAddressesTheGuardAllowsItTo() throws Exception {
        assertRefused(
                "destination.tls",
                "plain TCP only to a network the operator allows (203.0.113.7 is not in "
                        + "AUDITLOG_STREAMS_ALLOWED_NETWORKS)",
                given("tls", false));
        DestinationSettings plain = SyslogSettings.check(given("tls", "false"), null, guard().allowPlain(ADDRESS));
        assertEquals("false", plain.settings().get("tls"));
        assertRefused("destination.tls", "must be true or false", given("tls", "no"));
    }

    @Test
    void theFacilityIsANameOrACode() throws Exception {
        assertEquals("local7", check(given("facility", "LOCAL7")).settings().get("facility"));
        assertEquals("auth", check(given("facility", 4)).settings().get("facility"));
        assertEquals(23, SyslogSettings.of(check(given("facility", "23"))).facilityCode());
        for (Object bad : List.of("local8", 24, -1, "")) {
            assertRefused(
                    "destination.facility",
                    "must be a facility name (local0 to local7, user, ...) or its code, 0 to 23",
                    given("facility", bad));
        }
    }

    @Test
    void theEnterpriseIdIsAPositiveInteger() throws Exception {
        assertEquals("12345", check(given("enterpriseId", 12345)).settings().get("enterpriseId"));
        for (Object bad : List.of(0, "x", 1.5, 4294967296L)) {
            assertRefused(
                    "destination.enterpriseId",
                    "must be a private enterprise number, a positive integer",
                    given("enterpriseId", bad));
        }
    }

    @Test
    void theHostnameIsPrintableAscii() throws Exception {
        assertEquals(
                "audit.example",
                check(given("hostname", "audit.example")).settings().get("hostname"));
        for (Object bad : List.of("two words", "", "h".repeat(256), "hôte")) {
            assertRefused(
                    "destination.hostname",
                    "must be 1 to 255 printable ASCII characters without spaces (RFC 5424 HOSTNAME)",
                    given("hostname", bad));
        }
    }

    @Test
    void theCaIsPemCertificatesForTlsOnly() throws Exception {
        assertEquals(
                pki.ca().strip() + "\n", check(given("ca", pki.ca())).settings().get("ca"));
        assertRefused("destination.ca", "must be PEM text: -----BEGIN CERTIFICATE----- ...", given("ca", "abc"));
        assertRefused(
                "destination.ca",
                "is not PEM X.509 certificates",
                given("ca", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"));
        SettingsRefusedException e = assertThrows(
                SettingsRefusedException.class,
                () -> SyslogSettings.check(given("tls", false, "ca", pki.ca()), null, guard().allowPlain(ADDRESS)));
        assertEquals("destination.ca", e.field());
        assertEquals("is for TLS only", e.rule());
    }

    @Test
    void theClientKeyIsASecretThatMustMatchTheCertificate() throws Exception {
        DestinationSettings stored =
                check(given("clientCertificate", pki.clientCertificate(), "clientKey", pki.clientKey()));

        assertEquals(pki.clientCertificate().strip() + "\n", stored.settings().get("clientCertificate"));
        assertFalse(stored.settings().containsKey("clientKey"));
        assertEquals(Map.of("clientKey", pki.clientKey().strip() + "\n"), stored.secrets());
        assertFalse(SyslogSettings.of(stored).toString().contains("PRIVATE"), "no key in what may be logged");

        assertRefused(
                "destination.clientKey",
                "is required with clientCertificate",
                given("clientCertificate", pki.clientCertificate()));
        assertRefused("destination.clientKey", "only with clientCertificate", given("clientKey", pki.clientKey()));
        assertRefused(
                "destination.clientKey",
                "is not the private key of clientCertificate",
                given("clientCertificate", pki.clientCertificate(), "clientKey", pki.serverKey()));
        assertRefused(
                "destination.clientKey",
                "must be an unencrypted PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)",
                given("clientCertificate", pki.clientCertificate(), "clientKey", "secret"));
    }

    @Test
    void aChangeThatLeavesTheClientKeyOutKeepsTheStoredOne() throws Exception {
        DestinationSettings stored =
                check(given("clientCertificate", pki.clientCertificate(), "clientKey", pki.clientKey()));

        DestinationSettings changed = SyslogSettings.check(
                given("port", 7514, "clientCertificate", pki.clientCertificate()), stored, guard());
        assertEquals(stored.secrets(), changed.secrets());
        assertEquals("7514", changed.settings().get("port"));

        // Without the certificate, the key goes too.
        assertEquals(Map.of(), SyslogSettings.check(given(), stored, guard()).secrets());
        // Another certificate, the old key: refused.
        SettingsRefusedException e = assertThrows(
                SettingsRefusedException.class,
                () -> SyslogSettings.check(
                        given("clientCertificate", Files.readString(pki.serverPem)), stored, guard()));
        assertEquals("destination.clientKey", e.field());
    }

    @Test
    void storedSettingsReadBackAsChecked() throws Exception {
        Map<String, Object> given = new HashMap<>(given(
                "port",
                1514,
                "facility",
                "user",
                "enterpriseId",
                99,
                "hostname",
                "audit.example",
                "ca",
                pki.ca(),
                "clientCertificate",
                pki.clientCertificate(),
                "clientKey",
                pki.clientKey()));

        SyslogSettings s = SyslogSettings.of(check(given));

        assertEquals("siem.example", s.host());
        assertEquals(1514, s.port());
        assertTrue(s.tls());
        assertFalse(s.relp());
        assertEquals(1, s.facilityCode());
        assertEquals(99, s.enterpriseId());
        assertEquals("audit.example", s.hostname());
        assertEquals(pki.ca().strip() + "\n", s.ca());
        assertEquals(pki.clientKey().strip() + "\n", s.clientKey());
    }
}
