package org.auditlog.storage.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Minting, hashing and checking of the secrets of every token this bundle stores (API tokens, download
 * links): a public id of 64 random bits in hex that finds the row, a secret of 256 random bits in unpadded
 * base64url that is kept only as its SHA-256 hash and compared in constant time.
 *
 * @param id the public id, 16 hex characters
 * @param secret the secret, 43 characters; shown once, never stored
 */
record Secrets(String id, String secret) {
    /** Length of {@link #id()}. */
    static final int ID_LENGTH = 16;
    /** Length of {@link #secret()}: unpadded base64 of 32 bytes. */
    static final int SECRET_LENGTH = 43;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new id and secret. */
    static Secrets mint() {
        byte[] idBytes = new byte[8];
        RANDOM.nextBytes(idBytes);
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(secretBytes);
        return new Secrets(
                HexFormat.of().formatHex(idBytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes));
    }

    /** What is stored of the secret. */
    byte[] hash() {
        return sha256(secret);
    }

    /** Whether a presented secret is the one whose hash is stored, in time that does not depend on where they differ. */
    static boolean matches(byte[] storedHash, String presentedSecret) {
        return storedHash != null && MessageDigest.isEqual(storedHash, sha256(presentedSecret));
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
