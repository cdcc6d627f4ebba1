package org.auditlog.api.evidence;

import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The trees of the tamper-evident log, kept by the store: every record it appends is appended, in the same
 * transaction, to the tree of its organization and product, at the next sequence number (gapless, from 0). Hashes
 * are RFC 9162's (SHA-256); a leaf is the record's V1 CSV row (the README defines it exactly).
 *
 * @since 1.0
 */
@ProviderType
public interface EvidenceStore {

    /** Every tree, in (organization, product) order. */
    List<TreeHead> trees();

    /** One tree's head; a tree nothing was appended to yet has size 0. */
    TreeHead head(String spaceKey, String product);

    /** The root of the tree when it held {@code size} leaves (0 to its size). */
    byte[] root(String spaceKey, String product, long size);

    /** The leaf hash at {@code sequence}. */
    byte[] leafHash(String spaceKey, String product, long sequence);

    /** The inclusion proof of leaf {@code sequence} in the tree of {@code size} leaves (RFC 9162 2.1.3). */
    List<byte[]> inclusionProof(String spaceKey, String product, long sequence, long size);

    /** The consistency proof from the tree of {@code size1} leaves to that of {@code size2} (RFC 9162 2.1.4). */
    List<byte[]> consistencyProof(String spaceKey, String product, long size1, long size2);

    /**
     * The hashes of the complete subtrees that leaves {@code [from, to)} are made of, left to right, each the
     * largest aligned one that fits: with them a verifier passes over leaves it does not have. The range
     * {@code [0, size)} is the tree's frontier at {@code size} (one hash per bit set in it, the largest first),
     * which with the leaves after it gives every later root.
     */
    List<byte[]> range(String spaceKey, String product, long from, long to);

    /**
     * The tree's size when {@code month} began by the server's clock: the leaves before it were appended in earlier
     * months. For a month that has begun and that no append reached yet, the month is closed now: its start is the
     * tree's size, and later appends belong to it.
     *
     * @throws IllegalArgumentException for a month that has not begun
     */
    long monthStart(String spaceKey, String product, YearMonth month);

    /** The strays appended with sequence numbers in {@code [from, to)}, and those dated in {@code month}. */
    List<Stray> strays(String spaceKey, String product, long from, long to, YearMonth month);

    /** Where a record's leaf is, or empty for an unknown id or a record stored before the log was kept. */
    Optional<LeafPosition> locate(long eventId);

    /** Stores a signed checkpoint as the tree's latest; one of a month's close also as that month's. */
    void saveCheckpoint(SignedCheckpoint checkpoint, Optional<YearMonth> closes);

    /** The latest signed checkpoint of a tree. */
    Optional<SignedCheckpoint> latestCheckpoint(String spaceKey, String product);

    /** The checkpoint signed at the close of {@code month}, if it was. */
    Optional<SignedCheckpoint> monthCheckpoint(String spaceKey, String product, YearMonth month);

    /** Notes a key's verifier text as one the server signs with (once per key); returns every key noted, oldest first. */
    List<String> noteKey(String verifierKey);

    /** Every key noted, oldest first. */
    List<String> keys();
}
