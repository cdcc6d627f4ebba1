package org.auditlog.stream.s3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.SettingsRefusedException;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
    private static final Guard GUARD = new Guard(true, true)
            .map("s3.eu-west-3.amazonaws.com", InetAddress.getLoopbackAddress())
            .map("s3.us-east-1.amazonaws.com", InetAddress.getLoopbackAddress());

    static Map<String, Object> given() {
        Map<String, Object> m = new HashMap<>();
        m.put("bucket", "acme-audit.logs");
        m.put("endpoint", "http://127.0.0.1:9000");
        m.put("pathStyle", true);
        m.put("prefix", "auditlog/acme/");
        m.put("accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        m.put("secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        return m;
    }

    private static SettingsRefusedException refused(Map<String, Object> given, Guard guard) {
        return assertThrows(SettingsRefusedException.class, () -> S3Settings.check("s3", given, null, guard));
    }

    private static void assertRefused(String member, String rulePart, Map<String, Object> given) {
        SettingsRefusedException e = refused(given, GUARD);
        assertEquals("destination." + member, e.field(), e.getMessage());
        assertTrue(e.rule().contains(rulePart), e.rule());
    }

    @Test
    void keepsTheSettingsAndPutsBothKeysAmongTheSecrets() throws Exception {
        DestinationSettings s = S3Settings.check("s3", given(), null, GUARD);
        assertEquals(
                Map.of(
                        "bucket", "acme-audit.logs",
                        "endpoint", "http://127.0.0.1:9000",
                        "pathStyle", "true",
                        "prefix", "auditlog/acme/"),
                s.settings());
        assertEquals(
                Map.of(
                        "accessKeyId", "AKIAIOSFODNN7EXAMPLE",
                        "secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                s.secrets());
        S3Settings.Target t = S3Settings.target(s);
        assertEquals("us-east-1", t.region());
        assertTrue(t.plain());
        assertTrue(t.pathStyle());
        assertEquals("s3://acme-audit.logs/auditlog/acme/ (127.0.0.1)", t.toString(), "no secret in it");
    }

    @Test
    void withoutAnEndpointAwsOwnHostOfTheRegionIsChecked() throws Exception {
        Map<String, Object> m = given();
        m.remove("endpoint");
        m.put("region", "eu-west-3");
        S3Settings.Target t = S3Settings.target(S3Settings.check("s3", m, null, GUARD));
        assertEquals("s3.eu-west-3.amazonaws.com", t.host());
        m.put("region", "ap-northeast-1");
        assertRefused("region", "does not resolve", m);
    }

    @Test
    void aChangeThatLeavesTheKeysOutKeepsTheStoredOnes() throws Exception {
        DestinationSettings stored = S3Settings.check("s3", given(), null, GUARD);
        Map<String, Object> change = given();
        change.remove("accessKeyId");
        change.remove("secretAccessKey");
        change.put("prefix", "other/");
        DestinationSettings changed = S3Settings.check("s3", change, stored, GUARD);
        assertEquals(stored.secrets(), changed.secrets());
        assertEquals("other/", changed.settings().get("prefix"));
    }

    @Test
    void refusesEachBrokenRuleNamingTheMember() {
        Map<String, Object> m = given();
        m.put("acl", "public-read");
        assertRefused("acl", "unknown member", m);
        for (String bad : new String[] {"ab", "Upper-Case", "-dash", "dash-", "a..b", "x".repeat(64), "under_score"}) {
            m = given();
            m.put("bucket", bad);
            assertRefused("bucket", "lower-case letters", m);
        }
        m = given();
        m.remove("bucket");
        assertRefused("bucket", "is required", m);
        m = given();
        m.put("bucket", 42);
        assertRefused("bucket", "must be a string", m);
        m = given();
        m.put("region", "EU West");
        assertRefused("region", "lower-case", m);
        for (String bad : new String[] {
            "ftp://127.0.0.1",
            "127.0.0.1:9000",
            "http://user:pw@127.0.0.1",
            "http://127.0.0.1/bucket",
            "http://127.0.0.1?x=1"
        }) {
            m = given();
            m.put("endpoint", bad);
            assertRefused("endpoint", "", m);
        }
        m = given();
        m.put("endpoint", "http://unknown.invalid");
        assertRefused("endpoint", "does not resolve", m);
        m = given();
        m.put("pathStyle", "yes");
        assertRefused("pathStyle", "true or false", m);
        for (String bad : new String[] {"/abs/", "no-slash", "a//b/", "../up/", "sp ace/", "x".repeat(300) + "/"}) {
            m = given();
            m.put("prefix", bad);
            assertRefused("prefix", "ending with /", m);
        }
        m = given();
        m.remove("secretAccessKey");
        assertRefused("secretAccessKey", "is required", m);
        m = given();
        m.put("accessKeyId", "has space");
        assertRefused("accessKeyId", "printable ASCII", m);
    }

    @Test
    void refusesAnEndpointTheGuardRefusesOrPlainHttpWhereNotAllowed() {
        SettingsRefusedException e = refused(given(), new Guard(false, false));
        assertEquals("destination.endpoint", e.field());
        e = refused(given(), new Guard(true, false));
        assertEquals("destination.endpoint", e.field());
        assertTrue(e.rule().startsWith("must be https: plain http to 127.0.0.1"), e.rule());
    }
}
