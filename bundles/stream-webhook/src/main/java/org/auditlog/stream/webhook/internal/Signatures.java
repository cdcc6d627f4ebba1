package org.auditlog.stream.webhook.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The symmetric signatures of the Standard Webhooks specification: a secret is {@code whsec_} followed by the
 * base64 (standard alphabet, padded) of a key of 24 to 64 bytes, and a signature {@code v1,} followed by the base64
 * of the HMAC-SHA256 of {@code {webhook-id}.{webhook-timestamp}.{body}} under that key.
 */
final class Signatures {
    static final String SECRET_PREFIX = "whsec_";
    static final int MIN_KEY_BYTES = 24;
    static final int MAX_KEY_BYTES = 64;

    private static final Pattern SECRET = Pattern.compile("whsec_[A-Za-z0-9+/]+={0,2}");
    /** What a webhook-id may hold: no '.', which would make the signed content ambiguous. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_~-]{1,255}");

    private Signatures() {}

    /** The key of a secret in the specification's form, or {@code null} when it is not in that form. */
    static byte[] key(String secret) {
        if (secret == null || secret.length() > 200 || !SECRET.matcher(secret).matches()) {
            return null;
        }
        String base64 = secret.substring(SECRET_PREFIX.length());
        if (base64.length() % 4 != 0) {
            return null; // the reference libraries refuse base64 without its padding
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return key.length >= MIN_KEY_BYTES && key.length <= MAX_KEY_BYTES ? key : null;
    }

    /** Whether {@code id} may be a webhook-id: letters, digits, {@code -}, {@code _} and {@code ~}. */
    static boolean validId(String id) {
        return ID.matcher(id).matches();
    }

    /** The {@code webhook-signature} header's value: {@code v1,<base64 of the HMAC-SHA256>}. */
    static String sign(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
