package org.auditlog.evidence;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A checkpoint of an organization's tree in the C2SP tlog-checkpoint format, the text of a {@link SignedNote}:
 * the origin line (the log's name: {@code <server origin>/<space key>}), the tree size in decimal, the root hash in
 * base64, then extension lines; this log writes one, {@code time <UTC instant>}, the moment it was taken.
 *
 * @param origin the log it is a checkpoint of
 * @param size how many leaves the tree had
 * @param root the tree's root hash ({@link Merkle#root})
 * @param time when it was taken
 */
public record Checkpoint(String origin, long size, byte[] root, Instant time) {
    static final String TIME = "time ";

    public Checkpoint {
        if (origin == null || origin.isEmpty() || origin.contains("\n") || origin.contains("\r")) {
            throw new IllegalArgumentException("a checkpoint's origin is one non-empty line");
        }
        if (size < 0) {
            throw new IllegalArgumentException("a tree size cannot be negative: " + size);
        }
        if (root == null || root.length != Merkle.HASH_SIZE) {
            throw new IllegalArgumentException("a root hash is " + Merkle.HASH_SIZE + " bytes");
        }
    }

    /** The note text: origin, size, root, the time line; each line ends with a newline. */
    public String text() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n"
                + (time == null ? "" : TIME + time + "\n");
    }

    /** Reads a checkpoint's text (the text of an opened note); unknown extension lines are passed over. */
    public static Checkpoint parse(String text) {
        if (text == null || !text.endsWith("\n")) {
            throw new IllegalArgumentException("a checkpoint is lines ending in a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new IllegalArgumentException("a checkpoint has an origin, a size and a root");
        }
        long size;
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("the tree size is a decimal number without leading zeros: " + lines[1]);
        }
        size = Long.parseLong(lines[1]);
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the root hash is base64: " + lines[2]);
        }
        Instant time = null;
        List<String> extensions = new ArrayList<>(List.of(lines).subList(3, lines.length));
        for (String line : extensions) {
            if (line.isEmpty()) {
                throw new IllegalArgumentException("a checkpoint has no empty lines");
            }
            if (line.startsWith(TIME)) {
                try {
                    time = Instant.parse(line.substring(TIME.length()));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("the time line holds a UTC instant: " + line);
                }
            }
        }
        return new Checkpoint(lines[0], size, root, time);
    }
}
