package org.auditlog.api.evidence;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Signs the trees' checkpoints with the server's key (C2SP signed notes, Ed25519): at least every hour, at each
 * month's close, and whenever asked for a tree that grew since its latest.
 *
 * @since 1.0
 */
@ProviderType
public interface CheckpointService {

    /**
     * The latest checkpoint of a tree, signed now if the tree grew since the latest one (or none was signed): its
     * size is at least every sequence number committed before the call. Empty for a tree nothing was appended to.
     */
    java.util.Optional<SignedCheckpoint> latest(String spaceKey, String product);

    /** A signed note of {@code text} (lines ending with a newline) with the server's key. */
    String sign(String text);

    /** The server's verifier key, {@code <name>+<key hash>+<base64 key>}. */
    String key();

    /** Every verifier key checkpoints were signed with, oldest first (the current one among them). */
    List<String> keys();

    /** The origin line of a tree's checkpoints: {@code <key name>/<space key>/<product>}. */
    String origin(String spaceKey, String product);
}
