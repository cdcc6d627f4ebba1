package org.auditlog.streams.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a stream's secrets for the store: AES-256-GCM (the JDK's) with a key in a file of the data folder, made at
 * first use and readable by its owner only, the stream's id bound in as associated data (a sealed value copied to
 * another stream does not open). Servers sharing one database share the key file, as they share the evidence key.
 *
 * <p>Sealed form: version byte 1, a 12-byte random nonce, the ciphertext with its 16-byte tag. The plaintext is the
 * secrets as (UTF-8 name, UTF-8 value) pairs.
 */
final class SecretBox {
    private static final int VERSION = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The box of the key in {@code file}, made (32 random bytes, Base64, owner-only) when there is none. */
    static SecretBox open(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(
                        file,
                        (Base64.getEncoder().encodeToString(fresh) + "\n").getBytes(StandardCharsets.US_ASCII),
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (FileAlreadyExistsException raced) {
                // another server on the shared folder made it first: use theirs
            } catch (UnsupportedOperationException noPosix) {
                Files.write(
                        file, (Base64.getEncoder().encodeToString(fresh) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] key;
        try {
            key = Base64.getDecoder()
                    .decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException("the streams' secret key " + file + " is not Base64", e);
        }
        if (key.length != 32) {
            throw new IOException("the streams' secret key " + file + " is not 32 bytes but " + key.length);
        }
        return new SecretBox(key);
    }

    byte[] seal(String streamId, Map<String, String> secrets) {
        try {
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(plain);
            out.writeInt(secrets.size());
            for (Map.Entry<String, String> e : new TreeMap<>(secrets).entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(streamId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain.toByteArray());
            byte[] result = new byte[1 + nonce.length + sealed.length];
            result[0] = VERSION;
            System.arraycopy(nonce, 0, result, 1, nonce.length);
            System.arraycopy(sealed, 0, result, 1 + nonce.length, sealed.length);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The secrets sealed for {@code streamId}.
     *
     * @throws IllegalStateException when they do not open with this key (another key file, or another stream's)
     */
    Map<String, String> open(String streamId, byte[] sealed) {
        if (sealed.length == 0) {
            return Map.of();
        }
        if (sealed[0] != VERSION || sealed.length < 1 + 12 + 16) {
            throw new IllegalStateException("the secrets of stream " + streamId + " are not in a known form");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 1, 12));
            c.updateAAD(streamId.getBytes(StandardCharsets.UTF_8));
            byte[] plain = c.doFinal(sealed, 13, sealed.length - 13);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain));
            int n = in.readInt();
            Map<String, String> out = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                out.put(readString(in), readString(in));
            }
            return out;
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException(
                    "the secrets of stream " + streamId + " do not open with this server's key file (servers "
                            + "sharing a database need the same streams key)");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the secrets of stream " + streamId + " cannot be read", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 20) {
            throw new IOException("a secret of " + n + " bytes");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
