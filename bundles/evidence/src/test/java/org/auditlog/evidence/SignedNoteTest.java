package org.auditlog.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signed notes and their keys against the test vectors of Go's {@code golang.org/x/mod/sumdb/note} (note_test.go,
 * BSD licence), the reference reader of the C2SP signed-note format: the same keys read, the same (deterministic)
 * Ed25519 signature made, the same notes opened, every mangled key refused.
 */
class SignedNoteTest {
    static final String PETER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String PETER_PRIVATE =
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String ENOCH = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    static final String PETER_SIG =
            "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    static final String ENOCH_SIG =
            "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    @Test
    void theReferenceSignatureIsMadeAgainByteForByte() {
        NoteKeys.Verifier peter = NoteKeys.verifier(PETER);
        NoteKeys.Signer signer = NoteKeys.signer(PETER_PRIVATE, peter);
        assertEquals(0xc74f20a3, signer.keyHash());
        assertEquals(TEXT + "\n" + PETER_SIG, SignedNote.sign(TEXT, signer));
        assertEquals(PETER, peter.text());
        assertEquals(PETER_PRIVATE, signer.text());
    }

    @Test
    void aNoteOpensWithTheKeysItKnowsAndKeepsTheOthersUnverified() {
        NoteKeys.Verifier peter = NoteKeys.verifier(PETER);
        NoteKeys.Verifier enoch = NoteKeys.verifier(ENOCH);
        SignedNote.Opened both = SignedNote.open(TEXT + "\n" + PETER_SIG + ENOCH_SIG, List.of(peter, enoch));
        assertEquals(TEXT, both.text());
        assertEquals(List.of(peter, enoch), both.verifiedBy());
        SignedNote.Opened one = SignedNote.open(TEXT + "\n" + PETER_SIG + ENOCH_SIG, List.of(peter));
        assertEquals(List.of(peter), one.verifiedBy());
        assertEquals(2, one.signatures().size());

        // the text changed by one character: Peter's signature no longer verifies
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SignedNote.open(TEXT.replace("problem,", "problem;") + "\n" + PETER_SIG, List.of(peter)));
        assertEquals("invalid signature for key PeterNeumann+c74f20a3", e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> SignedNote.open(TEXT + PETER_SIG, List.of(peter)),
                "no blank line");
        assertThrows(
                IllegalArgumentException.class, () -> SignedNote.open(TEXT + "\n", List.of(peter)), "no signature");
    }

    @Test
    void aNoteOfMoreThanAHundredSignaturesIsRefusedBeforeAnyIsChecked() {
        NoteKeys.Verifier peter = NoteKeys.verifier(PETER);
        assertEquals(
                100,
                SignedNote.open(TEXT + "\n" + PETER_SIG.repeat(100), List.of(peter))
                        .signatures()
                        .size());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SignedNote.open(TEXT + "\n" + ENOCH_SIG.repeat(100_000) + PETER_SIG, List.of(peter)));
        assertEquals("a signed note has at most 100 signatures, not 100001", e.getMessage());
    }

    @Test
    void everyManglingOfAKeyIsRefused() {
        byte[] b = PETER.getBytes();
        int refused = 0;
        for (int i = 0; i <= b.length; i++) {
            for (int j = i + 1; j <= b.length; j++) {
                if (i != 0 || j != b.length) {
                    refused += refuses(new String(b, i, j - i)) ? 1 : 0;
                }
            }
        }
        assertEquals(b.length * (b.length + 1) / 2 - 1, refused, "every part of the key");
        for (int i = 0; i < b.length; i++) {
            b[i]++;
            assertTrue(refuses(new String(b)), "byte " + i + " changed");
            b[i]--;
        }
        // wrong length, and unknown algorithm, each with its key hash adjusted
        assertTrue(refuses("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="));
        assertTrue(refuses("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
    }

    @Test
    void aNewKeyPairSignsWhatItsVerifierOpens() {
        NoteKeys.Pair pair = NoteKeys.generate("auditlog.example.com/log");
        NoteKeys.Verifier verifier = NoteKeys.verifier(pair.verifier().text());
        NoteKeys.Signer signer = NoteKeys.signer(pair.signer().text(), verifier);
        String note = SignedNote.sign("auditlog.example.com/log\n42\nroot\n", signer);
        assertEquals(List.of(verifier), SignedNote.open(note, List.of(verifier)).verifiedBy());
        NoteKeys.Verifier other = NoteKeys.generate("auditlog.example.com/log").verifier();
        assertThrows(
                IllegalArgumentException.class,
                () -> NoteKeys.signer(pair.signer().text(), other));
    }

    private static boolean refuses(String key) {
        try {
            NoteKeys.verifier(key);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
