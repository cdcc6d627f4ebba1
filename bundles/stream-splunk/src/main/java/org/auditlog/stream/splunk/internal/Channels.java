package org.auditlog.stream.splunk.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * A stream's HEC channel ({@code X-Splunk-Request-Channel}): the name-based UUID, version 5 (SHA-1, RFC 9562), of the
 * stream's id in a namespace of this server's own. The same stream always has the same channel, on every server and
 * after every restart, so the collector tracks its acknowledgements apart from other streams'.
 */
final class Channels {
    /** The namespace of streams' channels (a random UUID, fixed once). */
    static final UUID NAMESPACE = UUID.fromString("8c487b99-e6c3-444f-9b72-314fb3884082");

    private Channels() {}

    static UUID of(String streamId) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(NAMESPACE.getMostSignificantBits())
                .putLong(NAMESPACE.getLeastSignificantBits())
                .array());
        byte[] h = sha1.digest(streamId.getBytes(StandardCharsets.UTF_8));
        h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5
        h[8] = (byte) ((h[8] & 0x3f) | 0x80); // the RFC's variant
        ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
        return new UUID(b.getLong(), b.getLong());
    }
}
