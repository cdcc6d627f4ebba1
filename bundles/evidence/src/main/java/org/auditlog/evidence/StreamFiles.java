package org.auditlog.evidence;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A stream's batch as a file that proves itself (format {@value #FORMAT}): the events as gzipped NDJSON, and beside
 * it a digest, a signed note that they are the leaves of the signed log at their sequences and that every sequence
 * left out is accounted for. The server writes both with this class ({@link #name}, {@link #line},
 * {@link #digestText}); the offline verifier reads them (docs/evidence.md, "Stream files").
 *
 * <p><b>The file</b>, {@code <organization>/<product>/<yyyy>/<MM>/<dd>/<first>-<last>.ndjson.gz}: gzip of UTF-8
 * lines, each ended by {@code \n}, one per event in sequence order (none when the filters left out every event of
 * the batch). A line is a JSON object, its members in this order: {@code id} (decimal, as a string),
 * {@code space_key}, {@code product}, {@code date} (UTC, {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}), {@code category},
 * {@code event}, {@code action}, {@code operation_user_id}, {@code operation_user_name},
 * {@code operation_user_email}, {@code ip_address}, {@code user_agent}, {@code version} (each a string or
 * {@code null}), then {@code sequence} (a whole number): the event of a webhook batch and of the REST API. Its leaf is
 * {@link CsvRows#leafHash} of {@link CsvRows#v1Row} of these values.
 *
 * <p><b>The digest</b>, the file's name and {@value #DIGEST_SUFFIX}: a {@link SignedNote} whose text is one line of
 * compact JSON ({@link #digestText}): the file's name and SHA-256, whose events they are, the sequences they span,
 * the tree's frontier where they start, the subtree hashes of each run of sequences left out, and the consistency
 * proof to the signed checkpoint it carries.
 */
public final class StreamFiles {
    /** The digest's {@code format}. */
    public static final String FORMAT = "auditlog-stream-file/1";
    /** What follows a file's name in its digest's name. */
    public static final String DIGEST_SUFFIX = ".digest";

    /** What follows {@code <first>-<last>} in a file's name. */
    static final String FILE_SUFFIX = ".ndjson.gz";

    static final Pattern ORGANIZATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    static final Pattern PRODUCT = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,31}");
    private static final DateTimeFormatter DAY_FOLDERS =
            DateTimeFormatter.ofPattern("uuuu/MM/dd").withZone(ZoneOffset.UTC);

    /** The members of a line, in their order; {@code sequence} follows them. */
    static final List<String> LINE_MEMBERS = List.of(
            "id",
            "space_key",
            "product",
            "date",
            "category",
            "event",
            "action",
            "operation_user_id",
            "operation_user_name",
            "operation_user_email",
            "ip_address",
            "user_agent",
            "version");

    private StreamFiles() {}

    /**
     * The file's name: {@code <organization>/<product>/<yyyy>/<MM>/<dd>/<first>-<last>.ndjson.gz}, the sequences as
     * 20-digit zero-padded decimals (so names sort in sequence order), the date the UTC date of the record at
     * {@code first} (kept by the filters or not: it is the same at every retry).
     *
     * @throws IllegalArgumentException for an organization other than {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}, a
     *     product other than {@code [A-Za-z][A-Za-z0-9]{0,31}}, no date or one outside the years 0000 to 9999, or
     *     sequences other than {@code 0 <= first <= last}
     */
    public static String name(String organization, String product, Instant firstRecordDate, long first, long last) {
        requireNames(organization, product);
        requireSequences(first, last);
        require(firstRecordDate != null, "firstRecordDate", "the date of the record at sequence " + first);
        int year = firstRecordDate.atOffset(ZoneOffset.UTC).getYear();
        require(year >= 0 && year <= 9999, "firstRecordDate", "in the years 0000 to 9999, not " + firstRecordDate);
        return organization + "/" + product + "/" + DAY_FOLDERS.format(firstRecordDate) + "/"
                + String.format("%020d-%020d", first, last) + FILE_SUFFIX;
    }

    /**
     * Appends one event's line, its {@code "\n"} included. The values are those {@link CsvRows#v1Row} takes (and
     * raw: the row neutralises them, the line does not); {@code null} is written as JSON {@code null}.
     *
     * @throws IllegalArgumentException when the date is missing or outside the years 0000 to 9999, or the sequence
     *     is negative
     */
    public static void line(
            StringBuilder out,
            long id,
            String spaceKey,
            String product,
            Instant date,
            String category,
            String event,
            String action,
            String operationUserId,
            String operationUserName,
            String operationUserEmail,
            String ipAddress,
            String userAgent,
            String version,
            long sequence) {
        CsvRows.requireDate(id, date);
        if (sequence < 0) {
            throw new IllegalArgumentException("the sequence of record " + id + " is negative: " + sequence);
        }
        String[] values = {
            Long.toString(id),
            spaceKey,
            product,
            CsvRows.DATE.format(date),
            category,
            event,
            action,
            operationUserId,
            operationUserName,
            operationUserEmail,
            ipAddress,
            userAgent,
            version
        };
        out.append('{');
        for (int k = 0; k < values.length; k++) {
            Json.write(out, LINE_MEMBERS.get(k));
            out.append(':');
            Json.write(out, values[k]);
            out.append(',');
        }
        out.append("\"sequence\":").append(sequence).append("}\n");
    }

    /**
     * A run of sequences {@code [from, to)} left out of the file, and the hashes of the complete subtrees it is made
     * of ({@link CompactRange#of}), as {@code EvidenceStore.range} gives them.
     */
    public record Gap(long from, long to, List<byte[]> hashes) {}

    /**
     * The digest's text: one line of compact JSON ending with {@code "\n"}, to be signed ({@code
     * CheckpointService.sign}) as it is. Its segment is {@code [first, last + 1)}.
     *
     * @param name the file's name ({@link #name}), with any prefix of the destination's
     * @param sha256 the SHA-256 of the file's bytes, gzip as stored
     * @param events how many lines the file holds
     * @param origin the checkpoint's origin, {@code <key name>/<organization>/<product>}
     * @param checkpointSize the size of the checkpoint, at least {@code last + 1}
     * @param frontier the hashes of the tree's complete subtrees at {@code first} leaves (none when 0)
     * @param gaps the runs of sequences of {@code [first, last]} that are not among the events, in order
     * @param toCheckpoint the consistency proof from {@code last + 1} leaves to {@code checkpointSize} (empty when
     *     equal)
     * @param checkpointNote the signed checkpoint note, as the export's {@code checkpoint.txt} holds it
     * @throws IllegalArgumentException naming the parameter and the rule when one is off them: the names of
     *     {@link #name}, {@code 0 <= first <= last}, hashes of 32 bytes, as many as {@link CompactRange#of} gives,
     *     gaps in order within the sequences, and the events and gaps together exactly the sequences
     */
    public static String digestText(
            String name,
            byte[] sha256,
            String organization,
            String product,
            String stream,
            String batch,
            long first,
            long last,
            int events,
            String origin,
            long checkpointSize,
            List<byte[]> frontier,
            List<Gap> gaps,
            List<byte[]> toCheckpoint,
            String checkpointNote) {
        requireNames(organization, product);
        requireSequences(first, last);
        String lastSegment = String.format("%020d-%020d", first, last) + FILE_SUFFIX;
        require(
                name != null && (name.equals(lastSegment) || name.endsWith("/" + lastSegment)),
                "name",
                "the file's name, ending in " + lastSegment + ", not " + name);
        require(sha256 != null && sha256.length == Merkle.HASH_SIZE, "sha256", "32 bytes");
        require(stream != null && !stream.isEmpty(), "stream", "a stream's id");
        require(batch != null && !batch.isEmpty(), "batch", "a batch's id");
        require(origin != null && !origin.isEmpty(), "origin", "a checkpoint's origin");
        require(checkpointNote != null, "checkpointNote", "a signed checkpoint");
        long to = last + 1;
        require(
                checkpointSize >= to,
                "checkpointSize",
                "at least last + 1 (" + to + "), not " + checkpointSize + ": the checkpoint holds every sequence");
        Checkpoint checkpoint;
        try {
            checkpoint =
                    Checkpoint.parse(SignedNote.open(checkpointNote, List.of()).text());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpointNote must be a signed checkpoint: " + e.getMessage());
        }
        require(
                checkpoint.origin().equals(origin) && checkpoint.size() == checkpointSize,
                "checkpointNote",
                "the checkpoint of " + origin + " at " + checkpointSize + " leaves, not of " + checkpoint.origin()
                        + " at " + checkpoint.size());
        require(frontier != null, "frontier", "a list");
        requireHashes(frontier, CompactRange.of(0, first).size(), "frontier", "the tree at " + first + " leaves");
        require(toCheckpoint != null, "toCheckpoint", "a list");
        requireHashes(toCheckpoint, -1, "toCheckpoint", "a consistency proof");
        require(gaps != null, "gaps", "a list");
        long at = first;
        long left = 0;
        List<Object> gapList = new ArrayList<>();
        for (Gap g : gaps) {
            require(
                    g != null && g.from() >= at && g.from() < g.to() && g.to() <= to,
                    "gaps",
                    "runs in order, none empty or overlapping, within the sequences " + first + " to " + last);
            requireHashes(
                    g.hashes(),
                    CompactRange.of(g.from(), g.to()).size(),
                    "gaps",
                    "the subtrees of the sequences " + g.from() + " to " + (g.to() - 1));
            Map<String, Object> gap = new LinkedHashMap<>();
            gap.put("from", g.from());
            gap.put("to", g.to());
            gap.put("hashes", FileEvidence.hexes(g.hashes()));
            gapList.add(gap);
            left += g.to() - g.from();
            at = g.to();
        }
        require(
                events >= 0 && events + left == to - first,
                "events",
                "the " + (to - first - left) + " sequences of " + first + " to " + last + " in no gap, not " + events);

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("format", FORMAT);
        d.put("name", name);
        d.put("sha256", Merkle.hex(sha256));
        d.put("organization", organization);
        d.put("product", product);
        d.put("stream", stream);
        d.put("batch", batch);
        Map<String, Object> sequences = new LinkedHashMap<>();
        sequences.put("first", first);
        sequences.put("last", last);
        d.put("sequences", sequences);
        d.put("events", (long) events);
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("origin", origin);
        tree.put("checkpointSize", checkpointSize);
        d.put("tree", tree);
        Map<String, Object> segment = new LinkedHashMap<>();
        segment.put("from", first);
        segment.put("to", to);
        segment.put("frontier", FileEvidence.hexes(frontier));
        segment.put("gaps", gapList);
        segment.put("toCheckpoint", FileEvidence.hexes(toCheckpoint));
        d.put("segment", segment);
        d.put("checkpoint", checkpointNote);
        String text = Json.write(d);
        for (int i = 0; i < text.length(); i++) {
            // a signed note's text holds no control character but its newline; Json escapes those below 0x20
            require(
                    !Character.isISOControl(text.charAt(i)),
                    "name, stream, batch, origin and checkpointNote",
                    "free of control characters but the checkpoint's newlines");
        }
        return text + "\n";
    }

    private static void requireNames(String organization, String product) {
        require(
                organization != null && ORGANIZATION.matcher(organization).matches(),
                "organization",
                ORGANIZATION.pattern() + ", not " + organization);
        require(
                product != null && PRODUCT.matcher(product).matches(),
                "product",
                PRODUCT.pattern() + ", not " + product);
    }

    private static void requireSequences(long first, long last) {
        require(
                first >= 0 && last >= first && last < Long.MAX_VALUE,
                "first, last",
                "0 <= first <= last, not " + first + " and " + last);
    }

    private static void requireHashes(List<byte[]> hashes, int count, String field, String what) {
        require(
                hashes != null && (count < 0 || hashes.size() == count),
                field,
                (count < 0 ? "" : count + " hashes, ") + "those of " + what);
        for (byte[] h : hashes) {
            require(h != null && h.length == Merkle.HASH_SIZE, field, "hashes of 32 bytes");
        }
    }

    private static void require(boolean holds, String field, String rule) {
        if (!holds) {
            throw new IllegalArgumentException(field + " must be " + rule);
        }
    }
}
