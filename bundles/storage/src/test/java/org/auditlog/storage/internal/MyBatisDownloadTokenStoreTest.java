package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.store.DownloadGrant;
import org.auditlog.api.store.IssuedDownload;
import org.auditlog.api.store.StoreException;
import org.auditlog.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MyBatisDownloadTokenStoreTest {
    @TempDir
    Path dir;

    /** The Clock service of the test's server. */
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00.123456Z"));

    static DownloadGrant grant(String space, long jobId, String user) {
        return new DownloadGrant(
                "ignored",
                space,
                jobId,
                user,
                "export-job:" + jobId + ":" + user,
                Instant.parse("2000-01-01T00:00:00Z"));
    }

    @Test
    void aTokenFindsItsGrantAndOnlyWithItsExactSecret() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisDownloadTokenStore tokens = storage.activate(MyBatisDownloadTokenStore.class);
            IssuedDownload issued = tokens.issue(grant("ACME", 42, "alice"));
            IssuedDownload other = tokens.issue(grant("ACME", 43, "bob"));
            String token = issued.token();

            assertTrue(token.matches("dl_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), token);
            assertEquals(token.substring(3, 19), issued.grant().id());
            assertEquals(32, Base64.getUrlDecoder().decode(token.substring(20)).length);
            assertEquals(
                    new DownloadGrant(
                            issued.grant().id(),
                            "ACME",
                            42,
                            "alice",
                            "export-job:42:alice",
                            Instant.parse("2026-11-22T10:00:00.123Z")),
                    issued.grant());
            assertNotEquals(issued.grant().id(), other.grant().id());
            assertNotEquals(token.substring(20), other.token().substring(20));

            assertEquals(Optional.of(issued.grant()), tokens.find(token));
            assertEquals(Optional.of(other.grant()), tokens.find(other.token()));

            String secret = token.substring(20);
            char last = secret.charAt(secret.length() - 1);
            String wrongSecret = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
            assertEquals(Optional.empty(), tokens.find(wrongSecret));
            // another token's id with this secret, and this secret under an id nobody holds
            assertEquals(Optional.empty(), tokens.find("dl_" + other.grant().id() + "_" + secret));
            String unknownId = issued.grant().id().startsWith("0")
                    ? "1" + issued.grant().id().substring(1)
                    : "0" + issued.grant().id().substring(1);
            assertEquals(Optional.empty(), tokens.find("dl_" + unknownId + "_" + secret));
        }
    }

    @Test
    void malformedTokensAreRefusedWithoutAskingTheDatabase() throws Exception {
        String token;
        MyBatisDownloadTokenStore noDatabase;
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            noDatabase = storage.activate(MyBatisDownloadTokenStore.class);
            token = noDatabase.issue(grant("ACME", 1, "alice")).token();
        }
        // its database closed: a well-formed token is a question to it, which fails ...
        assertThrows(StoreException.class, () -> noDatabase.find(token));
        // ... and a malformed value must be answered before one is needed
        String id = token.substring(3, 19);
        String secret = token.substring(20);
        for (String bad : new String[] {
            null,
            "",
            "dl_",
            "dl_" + id,
            "dl_" + id + "_",
            token + "A",
            token.substring(0, token.length() - 1),
            "alt_" + id + "_" + secret,
            "DL_" + id + "_" + secret,
            "dl_ABCDEF0123456789_" + secret,
            "dl_" + id.substring(1) + "g_" + secret,
            "dl_" + id + "-" + secret,
            "dl_" + id + "_" + secret.substring(1) + "=",
            "dl_" + id + "_" + secret.substring(1) + "+",
            " " + token.substring(1)
        }) {
            assertEquals(Optional.empty(), noDatabase.find(bad), String.valueOf(bad));
        }
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisDownloadTokenStore tokens = storage.activate(MyBatisDownloadTokenStore.class);
            assertTrue(tokens.find(token).isPresent(), "the token survives a restart");
            assertEquals(Optional.empty(), tokens.find("alt_" + id + "_" + secret));
        }
    }

    @Test
    void theSecretIsKeptOnlyAsAHash() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            IssuedDownload issued =
                    storage.activate(MyBatisDownloadTokenStore.class).issue(grant("ACME", 7, "alice"));
            String secret = issued.token().substring(20);
            byte[] secretBytes = Base64.getUrlDecoder().decode(secret);
            int rows = 0;
            try (SqlSession session = storage.database().sessions().openSession(true)) {
                Connection c = session.getConnection();
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT * FROM download_token")) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        rows++;
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            String text = rs.getString(i);
                            assertFalse(
                                    text != null && text.contains(secret), meta.getColumnName(i) + " holds the secret");
                            int type = meta.getColumnType(i);
                            if (type == Types.BINARY || type == Types.VARBINARY) {
                                byte[] bytes = rs.getBytes(i);
                                assertFalse(
                                        Arrays.equals(bytes, secretBytes), meta.getColumnName(i) + " holds the secret");
                                assertFalse(
                                        Arrays.equals(bytes, secret.getBytes(StandardCharsets.UTF_8)),
                                        meta.getColumnName(i) + " holds the secret");
                            }
                        }
                        assertArrayEquals(Secrets.sha256(secret), rs.getBytes("SECRET_HASH"));
                    }
                }
            }
            assertEquals(1, rows);
        }
    }

    @Test
    void oldTokensAndTokensOfADeletedOrganizationAreDeleted() throws Exception {
        Instant t1 = Instant.parse("2026-11-20T00:00:00Z");
        Instant t2 = Instant.parse("2026-11-21T00:00:00Z");
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisDownloadTokenStore tokens = storage.activate(MyBatisDownloadTokenStore.class);
            clock.set(t1);
            IssuedDownload old = tokens.issue(grant("ACME", 1, "alice"));
            clock.set(t2);
            IssuedDownload atCutoff = tokens.issue(grant("ACME", 2, "alice"));
            IssuedDownload other = tokens.issue(grant("OTHER", 3, "bob"));
            clock.set(t2.plusSeconds(60));
            IssuedDownload recent = tokens.issue(grant("ACME", 4, "alice"));

            assertEquals(1, tokens.deleteIssuedBefore(t2));
            assertEquals(Optional.empty(), tokens.find(old.token()));
            assertTrue(tokens.find(atCutoff.token()).isPresent());
            assertEquals(0, tokens.deleteIssuedBefore(t2));

            assertEquals(2, tokens.deleteTokensOf("ACME"));
            assertEquals(Optional.empty(), tokens.find(atCutoff.token()));
            assertEquals(Optional.empty(), tokens.find(recent.token()));
            assertEquals(Optional.of(other.grant()), tokens.find(other.token()));
        }
    }
}
