package org.auditlog.stream.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SignaturesTest {
    /**
     * The example of the Standard Webhooks libraries' own tests (secret, id, timestamp, payload and signature), the
     * signature as the reference JavaScript library computes it.
     */
    @Test
    void signsAsTheReferenceLibrary() {
        byte[] key = Signatures.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertEquals(
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                Signatures.sign(
                        key,
                        "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        1614265330L,
                        "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)));
        // the body's UTF-8 bytes are signed, whatever they hold (value computed with standardwebhooks 1.3.0)
        assertEquals(
                "v1,xm0qa/1701+dvH4hP3roHkr6QSt1KOYhO9dq8lASdNs=",
                Signatures.sign(
                        key,
                        "s1-ACME-Apps-41-42",
                        1793525400L,
                        "{\"organization\":\"ACME\",\"action\":\"Änderung ✓ 日本語 😀\"}"
                                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSecretIsWhsecAndThePaddedBase64OfItsKey() {
        byte[] key = new byte[32];
        key[0] = 7;
        assertArrayEquals(key, Signatures.key("whsec_" + Base64.getEncoder().encodeToString(key)));
        assertNull(Signatures.key(Base64.getEncoder().encodeToString(key)));
        assertNull(
                Signatures.key("whsec_" + Base64.getEncoder().withoutPadding().encodeToString(new byte[32])));
        assertNull(Signatures.key("whsec_" + Base64.getEncoder().encodeToString(new byte[16])));
        assertNull(Signatures.key(null));
    }

    @Test
    void aWebhookIdHasNoFullStop() {
        assertTrue(Signatures.validId("s1-ACME-Apps-0-99"));
        assertTrue(Signatures.validId("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"));
        assertFalse(Signatures.validId("s1.ACME"));
        assertFalse(Signatures.validId(""));
        assertFalse(Signatures.validId("a b"));
    }
}
