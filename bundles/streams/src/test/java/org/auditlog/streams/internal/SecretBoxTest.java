package org.auditlog.streams.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
    @TempDir
    Path dir;

    @Test
    void secretsOpenOnlyForTheirStreamWithTheKeyTheyWereSealedWith() throws Exception {
        Path key = dir.resolve("streams/secrets.key");
        SecretBox box = SecretBox.open(key);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        Map<String, String> secrets = Map.of("secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "token", "é∞");
        byte[] sealed = box.seal("str_a", secrets);
        String asText = new String(sealed, StandardCharsets.ISO_8859_1);
        assertFalse(asText.contains("whsec_"), "sealed, not encoded");
        assertEquals(secrets, box.open("str_a", sealed));
        assertEquals(secrets, SecretBox.open(key).open("str_a", sealed), "the same key file, another start");
        assertFalse(java.util.Arrays.equals(sealed, box.seal("str_a", secrets)), "a new nonce each time");

        IllegalStateException other = assertThrows(IllegalStateException.class, () -> box.open("str_b", sealed));
        assertTrue(other.getMessage().contains("do not open"), other.getMessage());
        SecretBox elsewhere = SecretBox.open(dir.resolve("other.key"));
        assertThrows(IllegalStateException.class, () -> elsewhere.open("str_a", sealed));
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> box.open("str_a", tampered));
        assertEquals(Map.of(), box.open("str_a", new byte[0]));
        assertArrayEquals(new byte[0], new byte[0]);
    }

    @Test
    void aKeyFileThatIsNotAKeyStopsTheStart() throws Exception {
        Path bad = dir.resolve("bad.key");
        Files.writeString(bad, "not base64 !!");
        assertThrows(java.io.IOException.class, () -> SecretBox.open(bad));
        Files.writeString(bad, "AAAA");
        assertTrue(assertThrows(java.io.IOException.class, () -> SecretBox.open(bad))
                .getMessage()
                .contains("not 32 bytes"));
    }
}
