package org.auditlog.evidence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Signed notes as the C2SP signed-note specification defines them (the format of transparency-log checkpoints):
 * a text of UTF-8 lines ending in a newline, a blank line, then one line per signature,
 * {@code "\u2014 " name " " base64(key hash (4 bytes, big-endian) || Ed25519 signature of the text)}.
 */
public final class SignedNote {
    static final String DASH = "\u2014 ";
    /** The most signature lines a note may have, as Go's reference reader ({@code sumdb/note}) allows. */
    public static final int MAX_SIGNATURES = 100;

    private SignedNote() {}

    /** A signature line: who signed, with which key, and the signature's bytes. */
    public record Signature(String name, int keyHash, byte[] signature) {}

    /** A note read: its text, every signature line, and which of them the given keys verified. */
    public record Opened(String text, List<Signature> signatures, List<NoteKeys.Verifier> verifiedBy) {}

    /** The text signed by {@code signer}: the text, a blank line, the signature line. */
    public static String sign(String text, NoteKeys.Signer signer) {
        requireText(text);
        byte[] sig = signer.sign(text.getBytes(StandardCharsets.UTF_8));
        byte[] line = ByteBuffer.allocate(4 + sig.length)
                .putInt(signer.keyHash())
                .put(sig)
                .array();
        return text + "\n" + DASH + signer.name() + " " + Base64.getEncoder().encodeToString(line) + "\n";
    }

    /**
     * Reads a signed note and checks each signature of a key in {@code keys} (matched by name and key hash);
     * signatures of other keys are kept unverified.
     *
     * @throws IllegalArgumentException when the note is malformed (more than {@value #MAX_SIGNATURES} signatures
     *     among others), or a signature of a given key does not verify
     */
    public static Opened open(String note, List<NoteKeys.Verifier> keys) {
        if (note == null || !note.endsWith("\n")) {
            throw new IllegalArgumentException("a signed note ends with a newline");
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new IllegalArgumentException("a signed note has a blank line before its signatures");
        }
        String text = note.substring(0, split + 1);
        requireText(text);
        List<Signature> signatures = new ArrayList<>();
        List<NoteKeys.Verifier> verified = new ArrayList<>();
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        String[] lines = note.substring(split + 2).split("\n", -1);
        if (lines.length - 1 > MAX_SIGNATURES) { // the split leaves one empty string after the last newline
            throw new IllegalArgumentException(
                    "a signed note has at most " + MAX_SIGNATURES + " signatures, not " + (lines.length - 1));
        }
        for (String line : lines) {
            if (line.isEmpty()) {
                continue; // the split leaves one empty string after the last newline
            }
            if (!line.startsWith(DASH)) {
                throw new IllegalArgumentException("a signature line starts with \u2014 and a space: " + line);
            }
            String[] parts = line.substring(DASH.length()).split(" ", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("a signature line is \u2014 <name> <signature>: " + line);
            }
            NoteKeys.requireName(parts[0]);
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a signature is base64: " + line);
            }
            if (bytes.length < 5) {
                throw new IllegalArgumentException("a signature holds a key hash and a signature: " + line);
            }
            Signature s = new Signature(
                    parts[0], ByteBuffer.wrap(bytes).getInt(), Arrays.copyOfRange(bytes, 4, bytes.length));
            signatures.add(s);
            for (NoteKeys.Verifier key : keys) {
                if (key.name().equals(s.name()) && key.keyHash() == s.keyHash()) {
                    if (!key.verify(message, s.signature())) {
                        throw new IllegalArgumentException(
                                "invalid signature for key " + key.name() + "+" + String.format("%08x", key.keyHash()));
                    }
                    verified.add(key);
                }
            }
        }
        if (signatures.isEmpty()) {
            throw new IllegalArgumentException("a signed note has at least one signature");
        }
        return new Opened(text, List.copyOf(signatures), List.copyOf(verified));
    }

    private static void requireText(String text) {
        if (text == null || text.isEmpty() || !text.endsWith("\n")) {
            throw new IllegalArgumentException("a note's text is lines that end in a newline");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && Character.isISOControl(c)) {
                throw new IllegalArgumentException("a note's text holds no control characters but newlines");
            }
        }
    }
}
