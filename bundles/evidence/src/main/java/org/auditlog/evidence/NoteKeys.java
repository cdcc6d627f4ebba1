package org.auditlog.evidence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys in the text forms of the C2SP signed-note specification (as {@code golang.org/x/mod/sumdb/note}
 * reads them): a verifier key {@code <name>+<key hash, 8 hex digits>+<base64(0x01 || public key)>} and a signer key
 * {@code PRIVATE+KEY+<name>+<key hash>+<base64(0x01 || private key seed)>}. The key hash is the first four bytes
 * (big-endian) of {@code SHA-256(name || 0x0A || 0x01 || public key)}; a key whose hash does not match its
 * name and key is refused, as is any other algorithm than Ed25519 (0x01). Java's own Ed25519 (JDK 15 and later)
 * signs and verifies.
 */
public final class NoteKeys {
    static final byte ED25519 = 0x01;
    /** SubjectPublicKeyInfo of an Ed25519 key, before its 32 bytes (RFC 8410). */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private static final String PRIVATE = "PRIVATE+KEY+";

    private NoteKeys() {}

    /** A key that verifies signatures of {@code name}. */
    public record Verifier(String name, int keyHash, byte[] publicKey) {
        /** Whether {@code signature} is this key's signature of {@code message}. */
        public boolean verify(byte[] message, byte[] signature) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(publicKeyOf(publicKey));
                s.update(message);
                return s.verify(signature);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }

        /** {@code <name>+<key hash>+<base64(0x01 || key)>}. */
        public String text() {
            return name + "+" + String.format("%08x", keyHash) + "+"
                    + Base64.getEncoder().encodeToString(typed(publicKey));
        }
    }

    /** A key that signs as {@code name}; {@code seed} is the 32-byte Ed25519 private key. */
    public record Signer(String name, int keyHash, byte[] seed) {
        public byte[] sign(byte[] message) {
            try {
                KeyFactory f = KeyFactory.getInstance("Ed25519");
                PrivateKey key = f.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(key);
                s.update(message);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
            }
        }

        /** {@code PRIVATE+KEY+<name>+<key hash>+<base64(0x01 || seed)>}. */
        public String text() {
            return PRIVATE + name + "+" + String.format("%08x", keyHash) + "+"
                    + Base64.getEncoder().encodeToString(typed(seed));
        }
    }

    /** A new key pair for {@code name}. */
    public record Pair(Signer signer, Verifier verifier) {}

    /** Makes a new Ed25519 key pair named {@code name}. */
    public static Pair generate(String name) {
        requireName(name);
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            byte[] publicKey = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            // PKCS#8 of an Ed25519 key (RFC 8410): the last 32 bytes are the private key, an OCTET STRING in one
            byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
            int hash = keyHash(name, publicKey);
            return new Pair(new Signer(name, hash, seed), new Verifier(name, hash, publicKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
    }

    /** Reads a verifier key; {@link IllegalArgumentException} naming what is wrong with any other text. */
    public static Verifier verifier(String text) {
        String[] parts = split(text, 3, "a verifier key is <name>+<key hash>+<key>");
        byte[] key = key(parts[2]);
        int hash = hash(parts[1]);
        if (hash != keyHash(parts[0], key)) {
            throw new IllegalArgumentException("the key hash " + parts[1] + " is not the hash of the name and key");
        }
        return new Verifier(parts[0], hash, key);
    }

    /**
     * Reads a signer key. Its key hash is that of the public key, which only the verifier key holds: it is
     * taken as it is written, and checked when {@code verifier} is given.
     */
    public static Signer signer(String text, Verifier verifier) {
        if (text == null || !text.startsWith(PRIVATE)) {
            throw new IllegalArgumentException("a signer key starts with " + PRIVATE);
        }
        String[] parts =
                split(text.substring(PRIVATE.length()), 3, "a signer key is PRIVATE+KEY+<name>+<key hash>+<key>");
        Signer signer = new Signer(parts[0], hash(parts[1]), key(parts[2]));
        if (verifier != null) {
            byte[] probe = "key check".getBytes(StandardCharsets.UTF_8);
            if (!verifier.name().equals(signer.name())
                    || verifier.keyHash() != signer.keyHash()
                    || !verifier.verify(probe, signer.sign(probe))) {
                throw new IllegalArgumentException(
                        "the signer key " + signer.name() + " is not the pair of " + verifier.text());
            }
        }
        return signer;
    }

    /** The key hash of a name and an Ed25519 public key. */
    static int keyHash(String name, byte[] publicKey) {
        MessageDigest d = Merkle.sha256();
        d.update(name.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0x0A);
        d.update(ED25519);
        d.update(publicKey);
        return ByteBuffer.wrap(d.digest()).getInt();
    }

    static void requireName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a key name cannot be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '+' || Character.isWhitespace(c) || Character.isISOControl(c) || c == '\u2014') {
                throw new IllegalArgumentException("a key name has no spaces, control characters, '+' or '\u2014'");
            }
        }
    }

    private static String[] split(String text, int n, String rule) {
        if (text == null) {
            throw new IllegalArgumentException(rule);
        }
        String[] parts = text.split("\\+", n); // the key itself is base64 and may hold a +
        if (parts.length != n) {
            throw new IllegalArgumentException(rule);
        }
        requireName(parts[0]);
        return parts;
    }

    private static int hash(String hex) {
        if (!hex.matches("[0-9a-f]{8}")) {
            throw new IllegalArgumentException("a key hash is 8 lowercase hex digits, not " + hex);
        }
        return (int) Long.parseLong(hex, 16);
    }

    private static byte[] key(String base64) {
        byte[] typed;
        try {
            typed = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not base64");
        }
        if (!Base64.getEncoder().encodeToString(typed).equals(base64)) {
            throw new IllegalArgumentException("the key is not in canonical base64");
        }
        if (typed.length != 33 || typed[0] != ED25519) {
            throw new IllegalArgumentException("the key is not an Ed25519 key (0x01 and 32 bytes)");
        }
        return Arrays.copyOfRange(typed, 1, 33);
    }

    private static byte[] typed(byte[] key) {
        byte[] out = new byte[33];
        out[0] = ED25519;
        System.arraycopy(key, 0, out, 1, 32);
        return out;
    }

    static PublicKey publicKeyOf(byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
        }
        byte[] x509 = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
        System.arraycopy(raw, 0, x509, X509_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    }
}
