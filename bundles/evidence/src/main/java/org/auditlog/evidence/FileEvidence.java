package org.auditlog.evidence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an export file holds besides its CSV, and the rules both the server (writing it) and the verifier (reading
 * it) follow. Entries of the zip:
 * <ul>
 * <li>the CSV, byte for byte as files always were;</li>
 * <li>{@value #ROWS}: one entry per CSV row, in the file's order: the row's sequence number in its tree (8 bytes,
 * big-endian; -1 for a record stored before the log was kept) and the first 4 bytes of its leaf hash. It lets the
 * verifier say which row was changed, removed, added or moved; the proof itself is the tree;</li>
 * <li>{@value #MANIFEST}: the manifest (see the README, "Evidence files"), and {@value #MANIFEST_SIGNATURE}, a signed
 * note whose text is {@code auditlog manifest} and {@code sha256 <hex of the manifest's bytes>};</li>
 * <li>{@value #CHECKPOINT}: a signed checkpoint of the tree at least as large as every row's sequence number.</li>
 * </ul>
 */
public final class FileEvidence {
    public static final String ROWS = "rows.bin";
    public static final String MANIFEST = "manifest.json";
    public static final String MANIFEST_SIGNATURE = "manifest.sig";
    public static final String CHECKPOINT = "checkpoint.txt";
    public static final String FORMAT = "auditlog-manifest/1";
    static final String MANIFEST_NOTE = "auditlog manifest\n";
    /** Bytes per entry of {@value #ROWS}. */
    public static final int ROW_ENTRY = 12;

    private FileEvidence() {}

    /** SHA-256 of bytes, in lower-case hex. */
    public static String sha256(byte[] bytes) {
        return Merkle.hex(Merkle.sha256().digest(bytes));
    }

    /** A fresh SHA-256 digest (for streams). */
    public static MessageDigest digest() {
        return Merkle.sha256();
    }

    /** The text of the signed note of a manifest. */
    public static String manifestNote(byte[] manifest) {
        return MANIFEST_NOTE + "sha256 " + sha256(manifest) + "\n";
    }

    /** One entry of {@value #ROWS}. */
    public static void rowEntry(ByteBuffer out, long sequence, byte[] leafHash) {
        out.putLong(sequence);
        out.put(leafHash, 0, 4);
    }

    /**
     * A manifest's seal: the part that nothing appended later changes (organization, product, period, the tree's
     * sizes and roots at the period's start and end). The next month's manifest names its SHA-256.
     */
    public static Map<String, Object> seal(Map<String, Object> manifest) {
        Map<String, Object> tree = Json.object(manifest.get("tree"));
        Map<String, Object> seal = new LinkedHashMap<>();
        seal.put("organization", manifest.get("organization"));
        seal.put("product", manifest.get("product"));
        seal.put("period", manifest.get("period"));
        seal.put("start", tree.get("start"));
        seal.put("end", tree.get("end"));
        return seal;
    }

    /** SHA-256 (hex) of a seal's JSON. */
    public static String sealHash(Map<String, Object> seal) {
        return sha256(Json.write(seal).getBytes(StandardCharsets.UTF_8));
    }

    /** A seal from its parts ({@link #seal}). */
    public static Map<String, Object> seal(
            String organization,
            String product,
            String from,
            String to,
            long startSize,
            byte[] startRoot,
            long endSize,
            byte[] endRoot) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("organization", organization);
        manifest.put("product", product);
        manifest.put("period", period(from, to));
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("start", head(startSize, startRoot));
        tree.put("end", head(endSize, endRoot));
        manifest.put("tree", tree);
        return seal(manifest);
    }

    public static Map<String, Object> period(String from, String to) {
        Map<String, Object> period = new LinkedHashMap<>();
        period.put("from", from);
        period.put("to", to);
        return period;
    }

    public static Map<String, Object> head(long size, byte[] root) {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("size", size);
        head.put("root", Merkle.hex(root));
        return head;
    }

    /** Hashes as hex strings. */
    public static List<Object> hexes(List<byte[]> hashes) {
        List<Object> out = new ArrayList<>();
        for (byte[] h : hashes) {
            out.add(Merkle.hex(h));
        }
        return out;
    }
}
